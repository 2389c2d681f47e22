"""A page's settings in session state: the canonical value and the widget that edits it.

Streamlit drops a widget's state when its page is left, so every setting
lives twice: the canonical value under ``"<prefix>.<name>"``, which
survives page switches and is what the page computes from, and the widget's
state under ``"w.<prefix>.<name>"`` (per language, see ``i18n.keyed``),
which is rebuilt from the canonical value whenever it is missing.
"""

from __future__ import annotations

import streamlit as st

from .i18n import keyed


class Settings:
    """The keys and the two-way binding for the settings named ``<prefix>.*``."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def canon(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def widget(self, name: str) -> str:
        return keyed(f"w.{self.prefix}.{name}")

    def bind(self, name: str) -> str:
        """The widget key for ``name``, initialised from the canonical value when missing."""
        key = self.widget(name)
        if key not in st.session_state:
            st.session_state[key] = st.session_state[self.canon(name)]
        return key

    def copy(self, name: str) -> None:
        """Widget → canonical: the on_change callback of a plain setting."""
        st.session_state[self.canon(name)] = st.session_state[self.widget(name)]
