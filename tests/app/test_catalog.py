"""The string catalog every page draws its words from: every key the app uses exists, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from tests.sources import app_files
from ui.i18n import catalogs

from .pages import PAGE_SCRIPTS, ROOT

KEY_PATTERN = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")


def _source_files() -> list[Path]:
    """Every Python file of the app: the lessons (at any depth, their tests left out), the shared UI, the entrypoint."""
    return app_files("lessons", "ui") + [ROOT / "app.py"]


def _used_keys(files=None) -> set[str]:
    """Every literal t("…") key in ``files`` (default: the whole app)."""
    keys = set()
    for path in files or _source_files():
        keys |= set(KEY_PATTERN.findall(Path(path).read_text()))
    return keys


def test_the_key_scan_reads_every_lesson():
    # a scan that reads no lesson passes whatever the lessons use: make sure it reads every registered page's folder
    lessons = [path for path in _source_files() if "lessons" in path.parts]
    assert len(lessons) >= 4
    for page in PAGE_SCRIPTS:
        folder = ROOT / Path(page).parent
        assert any(folder in path.parents for path in lessons), page
        assert _used_keys([path for path in lessons if folder in path.parents]), page


def test_every_used_key_has_english_text():
    english = catalogs()["en"]
    missing = sorted(k for k in _used_keys() if k not in english)
    assert not missing, missing


def test_a_missing_key_is_caught(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('st.title(t("lesson.no_such_key"))\n')
    english = catalogs()["en"]
    assert [k for k in _used_keys([page]) if k not in english] == ["lesson.no_such_key"]


def test_navigation_titles_are_catalog_keys():
    from ui.layout import PAGES

    table = catalogs()
    keys = set(PAGES) | {spec["title"] for specs in PAGES.values() for spec in specs}
    for lang in ("en", "zh"):
        assert keys <= set(table[lang]), (lang, sorted(keys - set(table[lang])))


def test_chinese_keys_exist_in_english():
    table = catalogs()
    assert set(table["zh"]) <= set(table["en"])


def test_both_catalogs_have_the_same_keys_and_no_empty_text():
    # issue 13: under lang=zh no page falls back to English (guided lessons included)
    table = catalogs()
    assert sorted(set(table["en"]) - set(table["zh"])) == []
    for lang, strings in table.items():
        empty = sorted(k for k, v in strings.items() if not str(v).strip())
        assert not empty, (lang, empty)
