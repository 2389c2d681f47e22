"""The UI's words: one catalog looked up by key, ``t("query.title")``.

Every visible string goes through ``t``.  Each lesson keeps its strings in
its own folder, ``lessons/<lesson>/strings.py`` (``EN`` and ``ZH`` dicts);
the strings two or more lessons share live in ``ui/strings/``.  Lessons can be
added and translated without touching each other.  A key missing in 简体中文
falls back to English; a key missing everywhere shows the key itself, which a
test catches.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

import streamlit as st

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_KEY = "lang"  # session-state key and URL parameter


LESSONS_DIR = Path(__file__).resolve().parent.parent / "lessons"


def _string_modules() -> list[str]:
    """The modules holding strings: every ``ui/strings/*`` and every ``lessons/<lesson>/strings.py``."""
    from . import strings

    names = [f"{strings.__name__}.{info.name}" for info in pkgutil.iter_modules(strings.__path__)]
    names += [f"lessons.{path.parent.name}.strings" for path in sorted(LESSONS_DIR.glob("*/strings.py"))]
    return names


@lru_cache(maxsize=1)
def catalogs() -> dict[str, dict[str, str]]:
    """{language: {key: text}} merged from every string module (read-only)."""
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for name in _string_modules():
        module = importlib.import_module(name)
        for lang, attr in (("en", "EN"), ("zh", "ZH")):
            table = getattr(module, attr, {})
            clash = merged[lang].keys() & table.keys()
            if clash:
                raise KeyError(f"{name} redefines {sorted(clash)}")
            merged[lang].update(table)
    return merged


def language() -> str:
    lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values) -> str:
    """The text for ``key`` in the current language, with ``{name}`` fields filled."""
    table = catalogs()
    text = table[language()].get(key) or table[DEFAULT_LANGUAGE].get(key) or key
    return text.format(**values) if values else text


def keyed(widget_key: str) -> str:
    """``widget_key`` for the current language: ``w.seq.kind`` in English, ``w.seq.kind.zh`` in 简体中文.

    A widget remembers its choice by the label it displayed; when the labels
    change language that memory no longer matches any option (the browser
    even keeps showing the old label).  A widget whose labels are translated
    therefore gets a new key per language, and is rebuilt from the page's
    canonical value.
    """
    lang = language()
    return widget_key if lang == DEFAULT_LANGUAGE else f"{widget_key}.{lang}"
