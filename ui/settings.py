"""A page's settings in session state: the canonical value and the widget that edits it.

Streamlit drops a widget's state when its page is left, so every setting
lives twice: the canonical value under ``"<prefix>.<name>"``, which
survives page switches and is what the page computes from, and the widget's
state under ``"w.<prefix>.<name>"`` (per language, see ``i18n.keyed``),
which is rebuilt from the canonical value whenever it is missing.

Two things Streamlit does not do for us:

- A widget on another page may share the key but not the element (element
  ids include the page).  For the first run after a page switch the key can
  still hold the old page's value, so "set it only when missing" sent
  nothing to the browser, and the new element showed its own default
  (Gaussian, n = 2, …) while the page computed with the real value.  ``bind``
  therefore writes the state on every run, which makes Streamlit send it.
- A choice widget remembers its choice by the *label* it displayed.  When the
  labels change under one key (x1…xn become y1…ym), the browser sends back a
  label that no option has, and Streamlit hands the raw string to the page.
  Widgets whose labels follow the data take the labels in their key
  (``labels=``), so new labels mean a new widget, built from the canonical value.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from .i18n import keyed


def labels_tag(labels) -> str:
    """A short fingerprint of option labels, for widget keys that must change with them."""
    return hashlib.blake2b("\x1f".join(map(str, labels)).encode(), digest_size=4).hexdigest()


class Settings:
    """The keys and the two-way binding for the settings named ``<prefix>.*``."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def canon(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def widget(self, name: str, labels=None) -> str:
        key = keyed(f"w.{self.prefix}.{name}")
        return key if labels is None else f"{key}.{labels_tag(labels)}"

    def bind(self, name: str, labels=None) -> str:
        """The widget key for ``name``; its state is (re)written every run: its own value, else the canonical one.

        Use it for a widget whose value may differ from the canonical one for
        a while (a draft the page checks first, e.g. a mask being typed).
        """
        key = self.widget(name, labels)
        state = st.session_state
        state[key] = state[key] if key in state else state[self.canon(name)]
        return key

    def follow(self, name: str, labels=None) -> str:
        """The widget key for ``name``, its state set to the canonical value every run.

        For a setting that clicks, links or clamping change too: the widget
        always shows the canonical value, and edits it through ``copy``.
        """
        key = self.widget(name, labels)
        st.session_state[key] = st.session_state[self.canon(name)]
        return key

    def copy(self, name: str, labels=None) -> None:
        """Widget → canonical: the on_change callback of a plain setting."""
        st.session_state[self.canon(name)] = st.session_state[self.widget(name, labels)]
