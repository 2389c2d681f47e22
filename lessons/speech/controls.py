"""The Speech page's settings (defaults, URL parsers) and the clip it listens to.

Settings, not audio, go in the URL: a link names a bundled clip; a recording or an upload stays in this
session's memory only (``CLIP_KEY``), never written to disk or logged.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from attention_core.errors import InputError
from attention_core.speech.audio import Clip, decode_audio
from ui import guided, url_state
from ui.settings import Settings

PAGE = "speech"
ASSETS = Path(__file__).resolve().parents[2] / "assets" / "speech"
CLIP_TEXTS: dict[str, str] = json.loads((ASSETS / "clips.json").read_text(encoding="utf-8"))
OWN = "own"  # the clip is the student's recording or upload
VIEWS = ("sound", "token", "alignment", "encoder", "decoder", "language", "by_hand")
LANGUAGE_CHOICES = ("auto", "en", "zh")
HEAD_SETS = ("alignment", "all", "picked")  # which heads the alignment view averages
FILTER_WIDTHS = (1, 3, 5, 7, 9, 11, 15)
ALIGNMENT_LAYER = 0  # layer 0 in the picker: the average of config.json's alignment heads
DEFAULTS = {
    "clip": "attention",
    "view": "sound",
    "token": 0,  # 0-based unit of the transcript
    "layer": ALIGNMENT_LAYER,  # 1…6, or 0: the alignment heads' average
    "head": 1,  # 1…8
    "language": "auto",
    "heads": "alignment",
    "normalise": True,
    "filter": 7,
}


# every parameter a link to this page may set (tests/app/test_hostile_urls.py sends each one nonsense)
LINK_PARAMETERS = tuple("clip view token layer head language heads normalise filter".split())


SETTINGS = Settings(
    PAGE,
    defaults=DEFAULTS,
    parsers={
        "clip": url_state.one_of(tuple(CLIP_TEXTS)),
        "view": url_state.one_of(VIEWS),
        "token": url_state.int_in(0, 200),
        "layer": url_state.int_in(0, 6),
        "head": url_state.int_in(1, 8),
        "language": url_state.one_of(LANGUAGE_CHOICES),
        "heads": url_state.one_of(HEAD_SETS),
        "normalise": lambda raw: url_state.one_of(("0", "1"))(raw) == "1",
        "filter": lambda raw: FILTER_WIDTHS[FILTER_WIDTHS.index(int(raw))],
    },
)
get, set_ = SETTINGS.get, SETTINGS.set
CLIP_KEY = "speech.own_clip"  # Heard of this session's recording or upload: memory only
ERROR_KEY = "speech.clip_error"


def apply_url() -> None:
    if guided.entering(PAGE):
        SETTINGS.apply_url(url_state.read(SETTINGS.parsers))
    SETTINGS.ensure()


def url_values() -> dict:
    values = SETTINGS.url_values()
    if get("clip") == OWN:
        values.pop("clip", None)  # a recording is not in the link; the link opens the default clip
    return values | guided.url_values(PAGE)


@dataclass(frozen=True)
class Heard:
    """The clip the page listens to: its name (a bundled clip or OWN), the hash of its bytes, the audio."""

    name: str
    digest: str
    clip: Clip


@st.cache_resource(show_spinner=False)
def bundled(name: str) -> Heard:
    """A bundled clip, decoded once per process (read-only)."""
    data = (ASSETS / f"{name}.wav").read_bytes()
    return Heard(name, hashlib.sha256(data).hexdigest(), decode_audio(data))


def current() -> Heard:
    """The clip of this run: the session's own recording while it is chosen, else the bundled clip."""
    own = st.session_state.get(CLIP_KEY)
    if get("clip") == OWN and own is not None:
        return own
    if get("clip") == OWN:
        set_("clip", DEFAULTS["clip"])
    return bundled(get("clip"))


def take_audio(widget_key: str) -> None:
    """on_change of the recorder and the uploader: decode the new audio, or keep the previous clip and say why."""
    upload = st.session_state.get(widget_key)
    if upload is None:
        return
    data = upload.getvalue()
    try:
        clip = decode_audio(data)
    except InputError as error:
        st.session_state[ERROR_KEY] = str(error)
        return
    st.session_state[CLIP_KEY] = Heard(OWN, hashlib.sha256(data).hexdigest(), clip)
    st.session_state.pop(ERROR_KEY, None)
    set_("clip", OWN)
    set_("token", 0)


def pick_bundled(name: str, labels) -> None:
    """on_change of the clip picker."""
    SETTINGS.copy(name, labels)
    set_("token", 0)


def use_bundled_clip() -> None:
    """The guided lesson's way out when a recording has too few words: the default bundled clip."""
    set_("clip", DEFAULTS["clip"])
