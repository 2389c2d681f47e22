"""The Speech page's settings (defaults, URL parsers) and the clip it listens to.

Settings, not audio, go in the URL: a link names a bundled clip; a recording or an upload stays in this
session's memory only (``OWN_CLIP``), never written to disk or logged.
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
from ui.feedback import error_text, push_error
from ui.i18n import t
from ui.settings import Setting, Settings

PAGE = "speech"
ASSETS = Path(__file__).resolve().parents[2] / "assets" / "speech"
CLIP_TEXTS: dict[str, str] = json.loads((ASSETS / "clips.json").read_text(encoding="utf-8"))
OWN = "own"  # the clip is the student's recording or upload
VIEWS = ("sound", "token", "alignment", "encoder", "decoder", "language", "by_hand")
LANGUAGE_CHOICES = ("auto", "en", "zh")
HEAD_SETS = ("alignment", "all", "picked")  # which heads the alignment view averages
FILTER_WIDTHS = (1, 3, 5, 7, 9, 11, 15)
ALIGNMENT_LAYER = 0  # layer 0 in the picker: the average of config.json's alignment heads
CLIPS = tuple(CLIP_TEXTS)


def _filter_width(raw: str) -> int:
    return FILTER_WIDTHS[FILTER_WIDTHS.index(int(raw))]


# Every setting of the page, declared once (default, link parser, widget, words); drawn with SETTINGS.draw(name).
# "record" and "upload" are the audio widgets' keys only: never in the link, never a default but None.
SETTINGS = Settings(
    PAGE,
    declared=(
        Setting("clip", "attention", url_state.one_of(CLIPS), "selectbox", label="speech.clip"),
        Setting(
            "view",
            "sound",
            url_state.one_of(VIEWS),
            "segmented_control",
            label="speech.view",
            options=VIEWS,
            words="speech.view",
            args={"required": True},
        ),
        Setting("token", 0, url_state.int_in(0, 200), "selectbox", label="speech.token"),  # 0-based unit
        # 1…6, or 0: the alignment heads' average
        Setting(
            "layer",
            ALIGNMENT_LAYER,
            url_state.int_in(0, 6),
            "selectbox",
            label="speech.layer",
            help="speech.layer.help",
            options=tuple(range(7)),
        ),
        Setting("head", 1, url_state.int_in(1, 8), "selectbox", label="speech.head", options=tuple(range(1, 9))),
        Setting(
            "language",
            "auto",
            url_state.one_of(LANGUAGE_CHOICES),
            "selectbox",
            label="speech.language",
            options=LANGUAGE_CHOICES,
            words="speech.language",
        ),
        Setting(
            "heads",
            "alignment",
            url_state.one_of(HEAD_SETS),
            "radio",
            label="speech.heads",
            options=HEAD_SETS,
            args={"horizontal": True},
        ),
        Setting(
            "normalise",
            True,
            lambda raw: url_state.one_of(("0", "1"))(raw) == "1",
            "toggle",
            label="speech.normalise",
            help="speech.normalise.help",
        ),
        Setting(
            "filter",
            7,
            _filter_width,
            "select_slider",
            label="speech.filter",
            help="speech.filter.help",
            options=FILTER_WIDTHS,
        ),
    ),
)
DEFAULTS = SETTINGS.defaults
# every parameter a link to this page may set (main's tests/app/test_hostile_urls.py sends each one nonsense)
LINK_PARAMETERS = tuple(SETTINGS.parsers)
get, set_ = SETTINGS.get, SETTINGS.set
OWN_CLIP = "own_clip"  # memo (SETTINGS.remember): the Heard of this session's recording or upload, memory only


def read_link() -> None:
    """The settings a shared link holds, every parameter parsed once (a token past the transcript is clamped later)."""
    SETTINGS.apply_url(url_state.read(SETTINGS.parsers))


def url_values() -> dict:
    values = SETTINGS.url_values()
    if get("clip") == OWN:
        values.pop("clip", None)  # a recording is not in the link; the link opens the default clip
    return values | guided.url_values(PAGE)


def own_clip() -> Heard | None:
    """This session's recording or upload, if it made one."""
    return get(OWN_CLIP)


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
    own = own_clip()
    if get("clip") == OWN and own is not None:
        return own
    if get("clip") == OWN:
        choose_clip(DEFAULTS["clip"])
    return bundled(get("clip"))


def choose_clip(name: str) -> None:
    """Listen to clip ``name`` from the next run on, the picker rebuilt from it (its options change with OWN)."""
    SETTINGS.apply_url({"clip": name})  # sets the value and drops the picker's widget state
    set_("token", 0)


def take_audio(widget: str) -> None:
    """on_change of the recorder and the uploader: decode the new audio, or keep the previous clip and say why."""
    upload = SETTINGS.widget_value(widget)
    if upload is None:
        return
    data = upload.getvalue()
    try:
        clip = decode_audio(data)
    except InputError as error:  # in the reader's language, shown by the page's show_errors()
        push_error(t("speech.refused", reason=error_text(error)))
        return
    heard = Heard(OWN, hashlib.sha256(data).hexdigest(), clip)
    SETTINGS.forget(OWN_CLIP)
    SETTINGS.remember(OWN_CLIP, lambda: heard)
    choose_clip(OWN)


def pick_bundled(labels) -> None:
    """on_change of the clip picker."""
    SETTINGS.copy("clip", labels)
    set_("token", 0)


def use_bundled_clip() -> None:
    """The guided lesson's way out when a recording has too few words: the default bundled clip."""
    choose_clip(DEFAULTS["clip"])
