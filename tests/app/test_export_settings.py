"""The exported page's settings table names each setting as the page does, in the page's language (issue 21, item 8)."""

from __future__ import annotations

import importlib
import re

import pytest

from ui import export
from ui.i18n import catalogs
from ui.layout import PAGES

from .conftest import open_page

LESSONS = {spec["url_path"]: spec["page"].split("/")[1] for specs in PAGES.values() for spec in specs}
LESSONS.pop("home")


def preset_keys(url_path: str) -> set[str]:
    """Every URL parameter the page's teacher presets set (a preset names every setting its point depends on)."""
    guide = importlib.import_module(f"lessons.{LESSONS[url_path]}.guide")
    return {name for _, values in guide.presets() for name in values}


@pytest.mark.parametrize("url_path", sorted(LESSONS))
def test_every_setting_a_page_links_has_a_name_in_both_languages(url_path):
    table = catalogs()
    names = preset_keys(url_path) | {"guide", "projector", "lang"}
    unnamed = sorted(name for name in names if export.setting_words(url_path, name) is None)
    assert unnamed == []
    for name in names:
        label, prefix = export.setting_words(url_path, name)
        assert label in table["en"] and label in table["zh"], (name, label)
        assert "{" not in table["zh"][label], label  # a label with fields would print them raw


def test_the_chinese_export_names_the_settings_and_their_values_in_chinese():
    at = open_page("lessons/query_attention/page.py", guide=1, projector=1)
    at.selectbox(key="w.lang").set_value("zh").run()
    rec = at.session_state["_export.record"]
    zh = catalogs()["zh"]
    rows = dict(rec.readable)
    assert rows[zh["seq.kind"]] == zh["seq.kind.clusters"]
    assert rows[zh["scoring.method"]] == zh["scoring.method.dot"]
    assert rows[zh["seq.n"]] == "8"
    assert rows[zh["guide.toggle"]] == zh["export.on"]
    assert rows[zh["app.language"]] == "简体中文"
    text = rec.html()
    table = re.search(r"<table class='settings'>(.*?)</table>", text).group(1)
    cells = re.findall(r"<t[hd]>(.*?)</t[hd]>", table)
    for raw in ("kind", "clusters", "method", "dot", "guide", "projector", "lang"):
        assert raw not in cells, (raw, cells)
    # the link keeps the URL's own keys: it must still open the view
    assert "kind=clusters" in rec.link()


def test_the_english_export_names_them_in_english():
    at = open_page("lessons/self_attention/page.py", mask="causal")
    rows = dict(at.session_state["_export.record"].readable)
    en = catalogs()["en"]
    assert rows[en["sa.mask"]] == en["sa.mask.causal"]
    assert rows[en["sa.heads"]] == "2"
