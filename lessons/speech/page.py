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
from ui.i18n import t
from ui.text import md_escape


@boundary.fragment
def explorer(heard: controls.Heard, result) -> None:
    """The guided lesson, the view picker, the head and token pickers, and the view they pick; the URL follows."""
    guide_box = st.container()
    view = st.segmented_control(
        t("speech.view"),
        controls.VIEWS,
        format_func={v: t(f"speech.view.{v}") for v in controls.VIEWS}.get,
        key=SETTINGS.follow("view"),
        on_change=SETTINGS.copy,
        args=("view",),
        required=True,
    )
    c_layer, c_head, c_token = st.columns([1, 1, 2], vertical_alignment="bottom")
    layer = c_layer.selectbox(
        t("speech.layer"),
        range(7),
        format_func=lambda i: t("speech.alignment_average") if i == 0 else str(i),
        key=SETTINGS.follow("layer"),
        on_change=SETTINGS.copy,
        args=("layer",),
        help=t("speech.layer.help"),
    )
    head = c_head.selectbox(
        t("speech.head"),
        range(1, 9),
        key=SETTINGS.follow("head"),
        on_change=SETTINGS.copy,
        args=("head",),
        disabled=layer == 0,
    )
    token = views.token_picker(views.Shown(heard, result, listening.model(), layer, head, 0, guided.OFF), c_token)
    asked = guided.lesson(PAGE, partial(views.guide_steps, result), guide_box, wide=True)
    shown = views.Shown(heard, result, listening.model(), layer, head, token, asked)
    views.VIEWS[view](shown)
    url_state.publish(controls.url_values())


controls.apply_url()
st.title(t("speech.title"))
with st.expander(t("speech.lesson_expander"), icon=":material/school:"):
    st.markdown(t("speech.lesson"))
guided.presets(PAGE, guide.presets())

with st.sidebar:
    st.subheader(t("speech.input"))
    names = list(CLIP_TEXTS) + ([OWN] if st.session_state.get(controls.CLIP_KEY) else [])
    st.selectbox(
        t("speech.clip"),
        names,
        format_func=lambda name: t("speech.clip.own") if name == OWN else CLIP_TEXTS[name],
        key=SETTINGS.follow("clip", names),
        on_change=controls.pick_bundled,
        args=("clip", names),
    )
    st.caption(t("speech.english_clips"))
    st.audio_input(t("speech.record"), key="w.speech.record", on_change=controls.take_audio, args=("w.speech.record",))
    st.file_uploader(
        t("speech.upload"),
        type=["wav", "flac", "ogg", "mp3"],
        key="w.speech.upload",
        on_change=controls.take_audio,
        args=("w.speech.upload",),
    )
    st.caption(t("speech.privacy"))
    st.selectbox(
        t("speech.language"),
        controls.LANGUAGE_CHOICES,
        format_func=lambda code: t(f"speech.language.{code}"),
        key=SETTINGS.follow("language"),
        on_change=SETTINGS.copy,
        args=("language",),
    )

url_state.show_warnings()
refused = st.session_state.pop(controls.ERROR_KEY, None)
if refused:
    st.error(t("speech.refused", reason=md_escape(refused)), icon="⚠️")
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
