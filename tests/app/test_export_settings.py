"""The exported page's settings table names each setting as the page does, in the page's language (issue 21, item 8)."""

from __future__ import annotations

import importlib

import pytest

from ui import export
from ui.i18n import catalogs
from ui.layout import lessons

LESSONS = {spec["url_path"]: spec["page"].split("/")[1] for spec in lessons()}  # {url_path: the lesson's folder}


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
