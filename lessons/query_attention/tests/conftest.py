"""The Query page's own fixture: the page opened from a link with no parameters (its defaults)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.pages import open_page


@pytest.fixture
def query_page() -> AppTest:
    return open_page("lessons/query_attention/page.py")
