"""Transformer model: attention inside a real pretrained encoder (all-MiniLM-L6-v2, 6 layers × 12 heads).

The sentences and the model are read in the page (a change reruns it);
the view, layer and head pickers and the view they pick live in a fragment,
so switching head or view reruns that part only.
"""

from __future__ import annotations

import re
from functools import partial

import streamlit as st

from attention_core.model_attention import MAX_HUB_MODEL_BYTES, MAX_MODEL_TOKENS, LoadedModel, ModelAttention
from lessons.transformer_model import guide, state, views
from ui import boundary, guided, url_state
from ui.i18n import language, t
from ui.text import md_escape

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
SETTINGS = state.SETTINGS


def guide_steps(shown: views.Shown, result2: ModelAttention | None) -> list:
    """The guided lesson's questions from the model's weights for the head shown."""
    other = (result2.attentions, result2.tokens) if result2 is not None else (None, None)
    return guide.steps(
        shown.result.attentions,
        shown.tokens,
        shown.layer,
        shown.head,
        state.get("follow"),
        shown.cls,
        shown.sep,
        *other,
    )


@boundary.fragment
def explorer(model: LoadedModel, model_id: str, result: ModelAttention, result2: ModelAttention | None) -> None:
    """View, layer and head pickers and the view they pick; the URL follows."""
    L, H = result.num_layers, result.num_heads
    guide_box = st.container()  # the guided lesson, above the views
    view = st.segmented_control(
        t("tm.view"),
        state.VIEWS,
        format_func={v: t(f"tm.view.{v}") for v in state.VIEWS}.get,
        key=SETTINGS.follow("view"),
        on_change=SETTINGS.copy,
        args=("view",),
        required=True,
    )
    c_layer, c_head, c_note = st.columns([1, 1, 3], vertical_alignment="bottom")
    layer = c_layer.selectbox(
        t("tm.layer", max=L),
        list(range(L)),
        format_func=lambda i: str(i + 1),
        key=SETTINGS.follow("layer", [L]),
        on_change=SETTINGS.copy,
        args=("layer", [L]),
    )
    head = c_head.selectbox(
        t("tm.head", max=H),
        list(range(H)),
        format_func=lambda i: str(i + 1),
        key=SETTINGS.follow("head", [H]),
        on_change=SETTINGS.copy,
        args=("head", [H]),
    )
    c_note.caption(t("tm.index_note", l=layer + 1, h=head + 1, li=layer, hi=head))
    shown = views.Shown(result, layer, head, model.tokenizer.cls_token or "[CLS]", model.tokenizer.sep_token or "[SEP]")
    asked = guided.lesson(state.PAGE, partial(guide_steps, shown, result2), guide_box, wide=True)
    if asked.hides(*views.VIEW_SHOWS.get(view, ())):
        guided.hidden_note(400)
    elif view == "recompute":
        views.recompute_view(shown, model, model_id, state.get("text"))
    elif view == "compare":
        views.compare_view(shown, result2, asked)
    else:
        {
            "head": views.head_view,
            "model": views.model_view,
            "matrix": views.matrix_view,
            "rollout": views.rollout_view,
            "stats": views.stats_view,
        }[view](shown)
    url_state.publish(state.url_values(model_id) | guided.url_values(state.PAGE))


state.apply_url()
st.title(t("tm.title"))
model, model_id, model_error = state.resolve_model()
result, text_error = state.resolve_text("text", model, model_id)
result2, text2_error = state.resolve_text("text2", model, model_id)
state.set_("url_text", False)
L, H, n = result.num_layers, result.num_heads, result.num_tokens
state.clamp(L, H, n)
url_state.show_warnings()  # after the model read the link: a sentence it refuses, a layer it lacks are bad values
state.set_("from_link", ())

with st.expander(
    t("tm.lesson_expander", name=md_escape(model.name)), icon=":material/school:"
):  # the view starts on the first screen
    st.markdown(t("tm.lesson", name=md_escape(model.name), layers=L, heads=H))
guided.presets(state.PAGE, guide.presets())

# ---- sidebar: sentences and model
with st.sidebar:
    st.subheader(t("tm.sentences"))
    st.selectbox(
        t("tm.example"),
        list(state.EXAMPLES),
        index=None,
        placeholder=t("tm.example.placeholder"),
        format_func={k: t(f"tm.example.{k}") for k in state.EXAMPLES}.get,
        key=SETTINGS.widget("example"),
        on_change=state.on_example,
    )
    st.text_area(t("tm.text"), key=SETTINGS.bind("text"), height=96, help=t("tm.text.help", max=MAX_MODEL_TOKENS))
    st.caption(t("tm.n_tokens", n=n, max=min(MAX_MODEL_TOKENS, model.max_positions)))
    st.text_area(t("tm.text2"), key=SETTINGS.bind("text2"), height=96, help=t("tm.text2.help"))
    st.subheader(t("tm.model"))
    card = "tm.model.bundled" if not model_id else "tm.model.hub"
    st.markdown(t(card, name=md_escape(model.name), layers=L, heads=H, d=model.hidden_size, dh=model.d_head))
    if state.hub_models_enabled():
        st.text_input(
            t("tm.model_id"),
            key=SETTINGS.bind("model"),
            placeholder=t("tm.model_id.placeholder"),
            help=t("tm.model_id.help", max_mb=MAX_HUB_MODEL_BYTES // 10**6),
        )
    else:
        st.caption(t("tm.model_id.off", env=state.HUB_ENV))

# ---- messages: refused input, and honesty about what this model can read
if model_error:
    st.error(t("tm.model_failed", reason=md_escape(model_error), name=md_escape(model.name)), icon="⚠️")
if text_error:
    st.error(t("tm.text_failed", reason=md_escape(text_error)), icon="⚠️")
if text2_error:
    st.error(t("tm.text2_failed", reason=md_escape(text2_error)), icon="⚠️")
if not model_id and (language() == "zh" or CJK.search(state.get("text") + state.get("text2"))):
    st.info(
        t("tm.chinese_note" if state.hub_models_enabled() else "tm.chinese_note.no_hub"), icon=":material/translate:"
    )
elif result.num_unknown:
    st.info(t("tm.unknown_note", count=result.num_unknown), icon=":material/help:")

explorer(model, model_id, result, result2)
