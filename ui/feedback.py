"""Messages for the user: errors raised in callbacks are shown on the next render, in the reader's language."""

from __future__ import annotations

import re

import streamlit as st

from attention_core.errors import InputError, listed, render

from .i18n import DEFAULT_LANGUAGE, catalogs, language
from .text import md_escape

_KEY = "_errors"

# the end of a Latin word or number: in Chinese a space separates it from the ideographs that follow
_LATIN_END = re.compile(r"[A-Za-z0-9_]$")


def error_text(exc: InputError) -> str:
    """``exc``'s sentence in the current language (see ``say``)."""
    return say(exc, language())


def say(exc: InputError, lang: str) -> str:
    """``exc``'s sentence in ``lang``: its key's template filled with its parameters.

    The core raises ``InputError(key, **params)`` and knows only English;
    every language's template is ``"error." + key`` in the catalog, and a
    ``Term`` parameter (a word such as "keys") is ``"error.term." + word``.
    An error without a key (a sentence the UI wrote itself) is shown as it is.
    """
    if getattr(exc, "key", None) is None:
        return str(exc)
    table = catalogs()

    def lookup(key: str) -> str | None:
        return table[lang].get(key) or table[DEFAULT_LANGUAGE].get(key)

    def term(word: str) -> str:
        text = lookup("error.term." + word) or word
        return text + " " if lang == "zh" and _LATIN_END.search(text) else text

    def listing(items) -> str:  # Chinese quotes and the enumeration comma 、
        return listed(items, term, "“”", "、") if lang == "zh" else listed(items, term)

    template = lookup("error." + exc.key)
    return render(template, exc.params, term, listing) if template else str(exc)


def push_error(message: str) -> None:
    """Remember ``message`` for ``show_errors`` (callbacks run before the page draws)."""
    st.session_state.setdefault(_KEY, [])
    if message not in st.session_state[_KEY]:
        st.session_state[_KEY].append(message)


def show_error(message: str) -> None:
    """One error box now, as plain text (it may quote what the user typed)."""
    st.error(md_escape(message), icon="⚠️")


def show_errors() -> None:
    """One ``st.error`` per pending message, then forget them.

    Shown as plain text: messages quote what the user typed or uploaded.
    """
    for message in st.session_state.pop(_KEY, []):
        show_error(message)
