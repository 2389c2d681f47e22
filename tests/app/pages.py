"""Opening a page in AppTest (the app as a user gets it, one fresh session per test), and the registered pages.

Every AppTest test, in tests/app or in a lesson's own folder (lessons/<lesson>/tests), opens its page here:
``from tests.app.pages import open_page``.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui import layout

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # seconds per script run; the machine is shared and slow at times
# every registered page script and every lesson's (ui/layout.py PAGES): tests that walk the pages parametrise over these
PAGE_SCRIPTS = [spec["page"] for spec in layout.entries()]
HOME = next(spec["page"] for spec in layout.entries() if spec.get("default"))
LESSON_SCRIPTS = [spec["page"] for spec in layout.lessons()]


def page_id(script: str) -> str:
    """A test id for a page script: its lesson's folder ("query_attention")."""
    return script.split("/")[1]


def open_page(page: str | None = None, **query_params) -> AppTest:
    """A fresh session opened from a link: ``page``'s script with the link's query parameters.

    The entrypoint runs first, then switches to ``page``; without ``page`` the link is to the home page (the
    entrypoint's default), so its parameters are there from the session's very first run.  A list value is a
    repeated parameter.  Every AppTest test opens its page here.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    params = {name: value if isinstance(value, list) else str(value) for name, value in query_params.items()}
    if page is None or page == HOME:
        at.query_params.update(params)
        at.run()
        return at
    at.run()
    at.query_params.update(params)
    at.switch_page(page).run()
    return at


def moved(at: AppTest, page: str, link: dict) -> AppTest:
    """A fresh session on ``page`` whose first run carries ``at``'s widget values and the ``link``'s parameters:
    the browser after a move to another server process (its first click there must keep its value)."""
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for name, value in link.items():
        fresh.query_params[name] = value
    fresh._registered_pages = dict(at._registered_pages)  # the pages st.navigation registers (as the browser knows)
    fresh.switch_page(page)
    return fresh._run(widget_state=at._tree.get_widget_states())
