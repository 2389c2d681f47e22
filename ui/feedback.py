"""Messages for the user: errors raised in callbacks are shown on the next render."""

from __future__ import annotations

import streamlit as st

from .text import md_escape

_KEY = "_errors"


def push_error(message: str) -> None:
    """Remember ``message`` for ``show_errors`` (callbacks run before the page draws)."""
    st.session_state.setdefault(_KEY, [])
    if message not in st.session_state[_KEY]:
        st.session_state[_KEY].append(message)


def error_text(error: Exception) -> str:
    """The sentence a refused input says (an ``attention_core.InputError``): the one place that words it for the page."""
    return str(error)


def show_error(message: str) -> None:
    """One error box now, as plain text (it may quote what the user typed)."""
    st.error(md_escape(message), icon="⚠️")


def show_errors() -> None:
    """One ``st.error`` per pending message, then forget them.

    Shown as plain text: messages quote what the user typed or uploaded.
    """
    for message in st.session_state.pop(_KEY, []):
        show_error(message)
