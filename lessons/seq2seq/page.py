"""Seq2seq alignment: an RNN encoder–decoder learns where to look — pretrained at once, or trained live.

The page reads top to bottom: the link (when the page is entered) → the
sidebar's settings → the model config they describe → the view picker →
``views.VIEWS[view](config)`` (each view makes its one computation: a
prediction, a training run, the accuracy curves) → the link the page now stands for.
"""

import streamlit as st

from attention_core.errors import InputError
from lessons.seq2seq import controls, guide, views
from lessons.seq2seq.controls import PAGE, SETTINGS
from ui import guided, url_state
from ui.feedback import error_text, show_error, show_errors
from ui.i18n import t

guided.enter(PAGE, lambda: views.notice_lost_model(controls.read_link()))
SETTINGS.ensure()

st.title(t("seq2seq.title"))
st.markdown(t("seq2seq.lesson"))
url_state.show_warnings()
views.lost_model_note()
guided.presets(PAGE, guide.presets())
controls.sidebar()
show_errors()
try:
    config = controls.config()
except InputError as exc:
    show_error(error_text(exc))
    st.stop()

view = SETTINGS.draw("view")  # a full rerun: the Train view must be able to stop a training in progress
views.VIEWS[view](config)
views.publish()
