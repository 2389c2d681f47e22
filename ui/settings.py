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
from dataclasses import dataclass
from typing import Any, Callable

import streamlit as st

from .i18n import keyed


def labels_tag(labels) -> str:
    """A short fingerprint of option labels, for widget keys that must change with them."""
    return hashlib.blake2b("\x1f".join(map(str, labels)).encode(), digest_size=4).hexdigest()


@dataclass
class Transient:
    """What a session remembers for a moment, beside its settings: never a default, never in a link.

    One object a session (``transient()``), so a flag is set, read and cleared
    through one attribute instead of a session-state string in four places.
    """

    upload_lost: bool = False  # a link said source=upload, but this session has no file (the server restarted)


_TRANSIENT_KEY = "_transient"


def transient() -> Transient:
    """This session's transient flags."""
    return st.session_state.setdefault(_TRANSIENT_KEY, Transient())


class Settings:
    """The settings named ``<prefix>.*``: defaults, URL parsers, typed access and the widget binding.

    A page reaches its settings only through this object (``get``/``set``),
    never by session-state key strings::

        settings = Settings("sa", defaults={"heads": 2, "mask": "none"},
                            parsers={"heads": url_state.int_in(1, 16), "mask": url_state.one_of(MASKS)})
        if url_state.entering(PAGE):
            settings.apply_url(url_state.read(settings.parsers))
        settings.ensure()
        st.number_input("heads", key=settings.follow("heads"), on_change=settings.copy, args=("heads",))
        heads = settings.get("heads")
        url_state.publish(settings.url_values())
    """

    def __init__(
        self,
        prefix: str,
        defaults: dict[str, Any] | None = None,
        parsers: dict[str, Callable[[str], Any]] | None = None,
    ):
        self.prefix = prefix
        self.defaults = dict(defaults or {})
        self.parsers = dict(parsers or {})  # {name: parse(raw URL text) → value}; a bad value raises

    # ---- values
    def ensure(self) -> None:
        """Give every setting its default the first time this session sees the page."""
        for name, value in self.defaults.items():
            st.session_state.setdefault(self.canon(name), value)

    def get(self, name: str) -> Any:
        """The canonical value of ``name`` (its default when never set)."""
        return st.session_state.get(self.canon(name), self.defaults.get(name))

    def set(self, name: str, value: Any) -> None:
        """Set the canonical value; widgets bound with ``follow`` show it on the next run."""
        st.session_state[self.canon(name)] = value

    # ---- the link
    def apply_url(self, found: dict[str, Any]) -> None:
        """Take the values a link gave (``url_state.read(self.parsers)``) as the settings.

        The widget state is dropped so the widget is rebuilt from the new value.
        """
        for name, value in found.items():
            if name in self.parsers:
                self.set(name, value)
                for key in [k for k in st.session_state if str(k).startswith(f"w.{self.prefix}.{name}")]:
                    del st.session_state[key]

    def url_values(self, names=None) -> dict[str, Any]:
        """{name: value} of the URL-able settings that differ from their defaults (a short link)."""
        names = self.parsers if names is None else names
        out = {}
        for name in names:
            value = self.get(name)
            if value != self.defaults.get(name):
                out[name] = int(value) if isinstance(value, bool) else value
        return out

    # ---- keys and widgets
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
