"""AppTest fixtures: the app as a user gets it, one fresh session per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import layout

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # seconds per script run; the machine is shared and slow at times
# every registered page script and every lesson's (ui/layout.py PAGES): tests that walk the pages parametrise over these
PAGE_SCRIPTS = [spec["page"] for spec in layout.entries()]
LESSON_SCRIPTS = [spec["page"] for spec in layout.lessons()]


def page_id(script: str) -> str:
    """A test id for a page script: its lesson's folder ("query_attention")."""
    return script.split("/")[1]


def open_page(page: str | None = None, **query_params) -> AppTest:
    """Run the entrypoint, then (optionally) switch to ``page`` with a link's query parameters."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    if page is not None:
        for name, value in query_params.items():
            at.query_params[name] = value if isinstance(value, list) else str(value)  # a list: a repeated parameter
        at.switch_page(page).run()
    return at


@pytest.fixture
def query_page() -> AppTest:
    return open_page("lessons/query_attention/page.py")
