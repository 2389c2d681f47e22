"""Transformer model: attention inside a real pretrained encoder (all-MiniLM-L6-v2, 6 layers × 12 heads).

The page reads top to bottom: the link (when the page is entered) → the model and the
sentences → the forward passes → the sidebar → ``explorer``: the view, layer and head
pickers → ``views.Shown`` (frozen) → the guided lesson → ``views.VIEWS[view]`` → the link.
The sentences and the model are read in the page (a change reruns it); the pickers and
the view they pick live in a fragment, so switching head or view reruns that part only.
"""

from __future__ import annotations

import re
from functools import partial

import streamlit as st

from attention_core.model_attention import MAX_HUB_MODEL_BYTES, MAX_MODEL_TOKENS, LoadedModel, ModelAttention
from lessons.transformer_model import guide, state, views
from lessons.transformer_model.state import PAGE, SETTINGS
from ui import boundary, guided, url_state
from ui.feedback import show_errors
from ui.i18n import language, t
from ui.text import md_escape

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def guide_steps(shown: views.Shown) -> list:
    """The guided lesson's questions from the model's weights for the head shown."""
    second = shown.result2
    other = (second.attentions, second.tokens) if second is not None else (None, None)
    return guide.steps(
        shown.result.attentions, shown.tokens, shown.layer, shown.head, shown.follow, shown.cls, shown.sep, *other
    )


def sidebar(model: LoadedModel, model_id: str):
    """The sentences and the model; returns the place under the first sentence for its token count."""
    with st.sidebar:
        st.subheader(t("tm.sentences"))
        examples = t("tm.example.placeholder")
        SETTINGS.draw("example", st.sidebar, on_change=state.on_example, args=(model, model_id), placeholder=examples)
        on_text, max_tokens = state.on_text, {"max": MAX_MODEL_TOKENS}
        SETTINGS.draw("text", st.sidebar, on_change=on_text, args=("text", model, model_id), help_args=max_tokens)
        count = st.empty()
        SETTINGS.draw("text2", st.sidebar, on_change=on_text, args=("text2", model, model_id))
        st.subheader(t("tm.model"))
        card = "tm.model.bundled" if not model_id else "tm.model.hub"
        L, H, d, dh = model.num_layers, model.num_heads, model.hidden_size, model.d_head
        st.markdown(t(card, name=md_escape(model.name), layers=L, heads=H, d=d, dh=dh))
        if state.hub_models_enabled():
            max_mb = MAX_HUB_MODEL_BYTES // 10**6
            placeholder = t("tm.model_id.placeholder")
            SETTINGS.draw(
                "model", st.sidebar, on_change=state.on_model, placeholder=placeholder, help_args={"max_mb": max_mb}
            )
        else:
            st.caption(t("tm.model_id.off", env=state.HUB_ENV))
    return count


@boundary.fragment
def explorer(model: LoadedModel, model_id: str, result: ModelAttention, result2: ModelAttention | None) -> None:
    """View, layer and head pickers and the view they pick; the URL follows."""
    L, H = result.num_layers, result.num_heads
    guide_box = st.container()  # the guided lesson, above the views
    view = SETTINGS.draw("view")
    c_layer, c_head, c_note = st.columns([1, 1, 3], vertical_alignment="bottom")
    layer = SETTINGS.draw("layer", where=c_layer, labels=[L], options=list(range(L)), label_args={"max": L})
    head = SETTINGS.draw("head", where=c_head, labels=[H], options=list(range(H)), label_args={"max": H})
    c_note.caption(t("tm.index_note", l=layer + 1, h=head + 1, li=layer, hi=head))
    shown = views.Shown(result, result2, layer, head, state.get("follow"), model, model_id)
    asked = guided.lesson(PAGE, partial(guide_steps, shown), guide_box, wide=True)
    if asked.hides(*views.VIEW_SHOWS.get(view, ())):
        guided.hidden_note(400)
    else:
        views.VIEWS[view](shown, asked)
    url_state.publish(state.url_values(model_id) | guided.url_values(PAGE))


guided.enter(PAGE, state.read_link)
st.title(t("tm.title"))
model, model_id, model_error = state.resolve_model()
guided.presets(PAGE, guide.presets())  # the sidebar's first expander
token_count = sidebar(model, model_id)  # before the forward passes: a sentence typed there is checked first
result = state.forward_text("text", model, model_id)  # the core: a frozen ModelAttention per sentence
result2 = state.forward_text("text2", model, model_id)
L, H, n = result.num_layers, result.num_heads, result.num_tokens
state.clamp(L, H, n)
url_state.show_warnings()  # after the model read the link: a sentence it refuses, a layer it lacks are bad values
token_count.caption(t("tm.n_tokens", n=n, max=min(MAX_MODEL_TOKENS, model.max_positions)))

with st.expander(
    t("tm.lesson_expander", name=md_escape(model.name)), icon=":material/school:"
):  # the view starts on the first screen
    st.markdown(t("tm.lesson", name=md_escape(model.name), layers=L, heads=H))

# ---- messages: refused input, and honesty about what this model can read
if model_error:
    st.error(t("tm.model_failed", reason=md_escape(model_error), name=md_escape(model.name)), icon="⚠️")
show_errors()  # a sentence the model refused (state.on_text)
if not model_id and (language() == "zh" or CJK.search(state.get("text") + state.get("text2"))):
    st.info(
        t("tm.chinese_note" if state.hub_models_enabled() else "tm.chinese_note.no_hub"), icon=":material/translate:"
    )
elif result.num_unknown:
    st.info(t("tm.unknown_note", count=result.num_unknown), icon=":material/help:")

explorer(model, model_id, result, result2)
