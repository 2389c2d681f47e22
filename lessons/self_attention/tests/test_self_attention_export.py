"""The Self-attention page's export names its settings as the page does (tests/app/test_export_settings.py)."""

from __future__ import annotations

from tests.app.pages import open_page
from ui.i18n import catalogs


def test_the_english_export_names_them_in_english():
    at = open_page("lessons/self_attention/page.py", mask="causal")
    rows = dict(at.session_state["_export.record"].readable)
    en = catalogs()["en"]
    assert rows[en["sa.mask"]] == en["sa.mask.causal"]
    assert rows[en["sa.heads"]] == "2"
