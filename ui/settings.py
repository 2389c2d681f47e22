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
from dataclasses import dataclass, field
from typing import Any, Callable

import streamlit as st
from streamlit.runtime.state.session_state_proxy import get_session_state

from .i18n import keyed, t


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
    model_lost: str | None = None  # a Seq2seq link said own=training/trained, but this session has no own model


_TRANSIENT_KEY = "_transient"


def transient() -> Transient:
    """This session's transient flags."""
    return st.session_state.setdefault(_TRANSIENT_KEY, Transient())


@dataclass(frozen=True)
class Setting:
    """One setting, declared once: its name (in code and in the link), default, URL parser and widget.

    ``Settings.draw(name)`` draws it in one line::

        Setting("method", "dot", url_state.one_of(SCORE_METHODS), "selectbox",
                label="scoring.method", help="scoring.method.help", options=SCORE_METHODS, words="scoring.method")

    ``widget`` names the Streamlit function (``selectbox``, ``select_slider``, ``number_input``,
    ``toggle``, ``segmented_control``, ``text_input``…); ``options`` are the values a choice offers and
    ``words`` the catalog prefix of their words (``t(f"{words}.{option}")``); ``snap`` turns a link's
    value into one the widget offers (a temperature to the nearest stop); ``args`` are the widget's
    own keyword arguments (``min_value``, ``step``, ``placeholder``…).  ``parse=None``: not in the link.
    """

    name: str
    default: Any
    parse: Callable[[str], Any] | None
    widget: str
    label: str = ""
    help: str | None = None
    options: tuple = ()
    words: str | None = None
    snap: Callable[[Any], Any] | None = None
    args: dict = field(default_factory=dict)


def _sent_before_registered(key: str) -> bool:
    """True when the browser sent a value for widget ``key`` that this session has not met yet.

    That is a session's first run after the browser moved to another server
    process (or the server restarted): the click that caused the run is in
    that value, and its on_change callback cannot run (the widget is not
    registered yet).  Element ids end with ``-<key>``.
    """
    if key in st.session_state:
        return False
    return any(state.id.endswith(f"-{key}") for state in get_session_state().get_widget_states())


# {prefix: the group} of every group with settings a link can hold (definitions; values live per session)
_LINKED: dict[str, Settings] = {}


def reset_linked_settings() -> None:
    """Every declared setting a link can hold back to its default: a page state then applies as a fresh link.

    What a live class's follower runs on each of the teacher's whole views (``forget_linked``: one pass over
    session state for all of them; a pass per setting was a fifth of a class's server CPU).
    """
    forget_linked({name for settings in list(_LINKED.values()) for name in settings.parsers})


def forget_linked(names) -> bool:
    """The declared settings a link names ``names`` back to their defaults (their widgets rebuilt); False, with
    nothing changed, when a name is not a declared setting's (a parameter a page reads in its own way).

    Dropped, not set to the default: ``get`` reads the default, and every key kept costs each widget drawn
    (Streamlit scans the whole session state for every selectbox and text input).
    """
    groups = [(settings, name) for name in names for settings in list(_LINKED.values()) if name in settings.parsers]
    if {name for _, name in groups} != set(names):
        return False
    for settings, name in groups:
        st.session_state.pop(settings.canon(name), None)
    _drop_widgets(tuple(f"w.{settings.prefix}.{name}" for settings, name in groups))
    return True


def _drop_widgets(prefixes: tuple[str, ...]) -> None:
    """Delete the widget state whose keys start with any of ``prefixes``: one pass over session state."""
    if prefixes:
        for key in [k for k in st.session_state if str(k).startswith(prefixes)]:
            del st.session_state[key]


class Settings:
    """The settings named ``<prefix>.*``: defaults, URL parsers, typed access and the widget binding.

    A page reaches its settings only through this object (``get``/``set``),
    never by session-state key strings::

        settings = Settings("sa", defaults={"heads": 2, "mask": "none"},
                            parsers={"heads": url_state.int_in(1, 16), "mask": url_state.one_of(MASKS)})
        url_state.enter(PAGE, lambda: settings.apply_url(url_state.read(settings.parsers)))
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
        declared: tuple[Setting, ...] = (),
        per_language: bool = True,
    ):
        self.prefix = prefix
        self.per_language = per_language  # False: no option labels to translate, one widget key in every language
        self.declared = {setting.name: setting for setting in declared}
        self.defaults = dict(defaults or {}) | {s.name: s.default for s in declared}
        # {name: parse(raw URL text) → value}; a bad value raises
        self.parsers = dict(parsers or {}) | {s.name: s.parse for s in declared if s.parse is not None}
        if self.parsers:
            # the first declaration of a prefix stays: the registry holds definitions only (no session's values) and
            # changes only as modules are imported, never as pages run (tests/app/test_isolation.py); declare
            # groups in a lesson's modules, not in its page script, which re-runs on every rerun
            _LINKED.setdefault(prefix, self)

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
        _drop_widgets(tuple(self._take(found)))

    def _take(self, found: dict[str, Any]) -> list[str]:
        """Set the linked settings ``found`` names; the prefixes of their widgets' keys, whose state is now stale."""
        stale = []
        for name, value in found.items():
            if name in self.parsers:
                snap = self.declared[name].snap if name in self.declared else None
                self.set(name, value if snap is None else snap(value))
                stale.append(f"w.{self.prefix}.{name}")
        return stale

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
        key = f"w.{self.prefix}.{name}"
        key = keyed(key) if self.per_language else key
        return key if labels is None else f"{key}.{labels_tag(labels)}"

    def widget_value(self, name: str, labels=None, default: Any = None) -> Any:
        """What the widget for ``name`` holds now (in an on_change callback: the new value)."""
        return st.session_state.get(self.widget(name, labels), default)

    def show(self, name: str, value: Any, labels=None) -> None:
        """Hand the widget for ``name`` a value to show (before it is drawn, or in a callback)."""
        st.session_state[self.widget(name, labels)] = value

    def remember(self, name: str, compute: Callable[[], Any]) -> Any:
        """The session's value under ``name``, made by ``compute()`` the first time (a memo, not a setting)."""
        key = self.canon(name)
        if key not in st.session_state:
            st.session_state[key] = compute()
        return st.session_state[key]

    def forget(self, name: str) -> None:
        """Drop the session's value under ``name`` (a memo such as a run's results): ``get`` gives the default again."""
        st.session_state.pop(self.canon(name), None)

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

    def draw(
        self, name: str, where=None, labels=None, on_change=None, args=(), options=None, widget=None, **overrides
    ) -> Any:
        """Draw the declared setting ``name`` (in ``where``, default the main area); return its value.

        ``on_change`` replaces the plain copy for a setting whose value is checked first
        (a mask being typed): its box keeps a refused draft (``bind``), the setting the last good value.
        ``options`` and ``widget``: this run's choices and widget kind, for a choice that follows the
        data (the characters of an output); ``overrides`` are further widget arguments (``label_args``,
        ``help_args``: the label's and help text's fields; ``label``: another catalog key, where one setting
        is drawn in two places with other words; ``help_key``: another help than the declared one, e.g. why
        the widget is disabled now).
        """
        setting = self.declared[name]
        where = st if where is None else where
        label = t(overrides.pop("label", setting.label), **overrides.pop("label_args", {}))
        help_key = overrides.pop("help_key", None) or setting.help  # a help of its own for this drawing (a state)
        help_text = t(help_key, **overrides.pop("help_args", {})) if help_key else None
        self.ensure()
        options = setting.options if options is None else tuple(options)
        words = {o: t(f"{setting.words}.{o}") for o in options} if setting.words else None
        choice = {"options": list(options)} if options else {}
        if words is not None:
            choice["format_func"] = words.get
        # a session's first run after a move: the browser's widget value is the click that started the run
        sent = _sent_before_registered(self.widget(name, labels))
        if sent:
            key = self.widget(name, labels)  # not written: the widget takes the browser's value
        else:
            key = self.bind(name, labels) if on_change is not None else self.follow(name, labels)
        value = getattr(where, widget or setting.widget)(
            label,
            key=key,
            on_change=on_change or self.copy,
            args=args if on_change is not None else (name, labels),
            help=help_text,
            **choice,
            **(setting.args | overrides),
        )
        if sent and value is not None:  # the link was applied first: without this the click was undone
            on_change(*args) if on_change is not None else self.set(name, value)
        return self.get(name)

    def copy(self, name: str, labels=None) -> None:
        """Widget → canonical: the on_change callback of a plain setting."""
        st.session_state[self.canon(name)] = st.session_state[self.widget(name, labels)]
