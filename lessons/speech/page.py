"""Speech: say a sentence, see which part of your voice each word attended to (Whisper base, offline).

The clip is chosen in the page (a change reruns it and transcribes, once per clip); the view, the head and the
token live in a fragment, so switching them reruns that part only.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from lessons.speech import controls, guide, listening, views
from lessons.speech.controls import CLIP_TEXTS, OWN, PAGE, SETTINGS
from ui import boundary, guided, url_state
from ui.feedback import show_errors
from ui.i18n import t
from ui.text import md_escape


@boundary.fragment
def explorer(heard: controls.Heard, result) -> None:
    """The guided lesson, the view picker, the head and token pickers, and the view they pick; the URL follows."""
    guide_box = st.container()
    view = SETTINGS.draw("view")
    c_layer, c_head, c_token = st.columns([1, 1, 2], vertical_alignment="bottom")
    layer = SETTINGS.draw("layer", where=c_layer, format_func=_layer_name)
    head = SETTINGS.draw("head", where=c_head, disabled=layer == controls.ALIGNMENT_LAYER)
    token = views.token_picker(views.Shown(heard, result, listening.model(), layer, head, 0, guided.OFF), c_token)
    asked = guided.lesson(PAGE, partial(views.guide_steps, result), guide_box, wide=True)
    shown = views.Shown(heard, result, listening.model(), layer, head, token, asked)
    views.VIEWS[view](shown)
    url_state.publish(controls.url_values())


def _layer_name(layer: int) -> str:
    return t("speech.alignment_average") if layer == controls.ALIGNMENT_LAYER else str(layer)


def _clip_name(name: str) -> str:
    return t("speech.clip.own") if name == OWN else CLIP_TEXTS[name]


guided.enter(PAGE, controls.read_link)
SETTINGS.ensure()
st.title(t("speech.title"))
with st.expander(t("speech.lesson_expander"), icon=":material/school:"):
    st.markdown(t("speech.lesson"))
guided.presets(PAGE, guide.presets())

with st.sidebar:
    st.subheader(t("speech.input"))
    names = list(CLIP_TEXTS) + ([OWN] if controls.own_clip() is not None else [])
    SETTINGS.draw(
        "clip", options=names, labels=names, format_func=_clip_name, on_change=controls.pick_bundled, args=(names,)
    )
    st.caption(t("speech.english_clips"))
    # the audio widgets are not settings (never in the link); their callbacks read them by name through SETTINGS
    st.audio_input(t("speech.record"), key=SETTINGS.widget("record"), on_change=controls.take_audio, args=("record",))
    st.file_uploader(
        t("speech.upload"),
        type=["wav", "flac", "ogg", "mp3"],
        key=SETTINGS.widget("upload"),
        on_change=controls.take_audio,
        args=("upload",),
    )
    st.caption(t("speech.privacy"))
    SETTINGS.draw("language")

url_state.show_warnings()
show_errors()  # a clip refused in the recorder's or uploader's callback, in the reader's language
heard = controls.current()
result = listening.heard(heard, controls.get("language"))
if not result.units:
    st.warning(t("speech.no_words"))
    st.stop()
controls.set_("token", min(controls.get("token"), len(result.units) - 1))
language = views.language_name(result.language)
language = t("speech.language_chosen" if result.language_chosen else "speech.language_found", lang=language)
st.markdown(t("speech.transcript", text=md_escape(result.text), language=language))
if heard.clip.cut:
    st.info(t("speech.cut", total=f"{heard.clip.seconds_total:.0f}"), icon=":material/content_cut:")
if result.hit_token_limit:
    st.info(t("speech.token_limit"))
explorer(heard, result)
