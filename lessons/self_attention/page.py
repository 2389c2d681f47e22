"""Self-attention and multi-head attention: every token is a query; Q = XW_Q, K = XW_K, V = XW_V, per head.

The page reads top to bottom: the link (when the page is entered) → the sidebar's
settings → the keys' sequence and the mask → one ``summarise`` call → ``views.Shown``
(frozen) → ``views.VIEWS[view]`` → the link the page now stands for.
Everything after the sequence runs in the ``layer_and_views`` fragment, which draws the
layer's controls into the sidebar: a class's clicks on them rerun that part only
(issue 23: on one process, a full-page rerun is ~30 % more CPU a click).
"""

from dataclasses import replace

import numpy as np
import streamlit as st

from attention_core.errors import InputError
from lessons.self_attention import compare, controls, data, guide, views
from ui import boundary, guided, sequence_input, url_state
from ui.feedback import error_text, show_errors
from ui.i18n import t
from ui.text import md_escape

PAGE = "self-attention"
get = controls.get


def read_link() -> None:
    """The settings a shared link holds: every parameter parsed once, then each fitted to X."""
    # n read up to this page's own cap: a link's n above MAX_N is named in the link's warning (the sequence keeps
    # its n) instead of opening on an error box with no lesson (the shared widget reads n up to the Query page's cap)
    n_here = {"n": url_state.int_in(controls.MIN_M, controls.MAX_N)}
    found = url_state.read(sequence_input.URL_PARSERS | n_here | controls.SETTINGS.parsers | compare.URL_PARSERS)
    sequence_input.apply_url({k: v for k, v in found.items() if k in sequence_input.URL_PARSERS})
    if sequence_input.upload_lost():  # they fitted the lost file: the sidebar's sentence about it says enough
        found = {k: v for k, v in found.items() if k not in controls.FITTED_TO_X}
    controls.take_link(found, sequence_input.ensure_sequence().n)
    compare.take_link(found)


def publish() -> None:
    """The page's settings into the link."""
    b = compare.url_values() if get("view") == "compare" else {}
    url_state.publish(sequence_input.url_values() | controls.url_values() | b | guided.url_values(PAGE))


def stop(message: str) -> None:
    """A sentence instead of the charts (the settings stay, so the link still holds them)."""
    st.error(message, icon="⚠️")
    publish()
    st.stop()


def keys_and_values(seq) -> tuple[np.ndarray, tuple]:
    """What the queries attend over: X itself, or (cross-attention) a second sequence Y ``[m, d]``."""
    if get("attn") != "cross":
        return seq.values, tuple(seq.labels)
    try:
        kind, seed = controls.second_sequence_seed()
        return data.second_sequence(kind, int(get("m")), seq.d, seed)
    except InputError as exc:  # the sidebar and the link keep m in range; this is the last line of defence
        stop(t("sa.y_error", reason=error_text(exc)))


def mask_in_force(labels, n_k: int, cross: bool) -> np.ndarray:
    """allowed ``[n_q, n_k]``: the chosen mask, and a sentence for what it cannot do here or hides entirely."""
    kind, n_q = get("mask"), len(labels)
    if kind == "causal" and cross:
        st.info(t("sa.causal_cross"), icon="ℹ️")
    if kind == "custom" and max(n_q, n_k) > controls.CUSTOM_MAX:
        st.warning(t("sa.custom_too_big", max=controls.CUSTOM_MAX, n=max(n_q, n_k)), icon="⚠️")
        kind = "none"
    allowed = data.build_mask(kind, n_q, n_k, pad=int(get("pad")), hidden=get("hide"), cross=cross)
    empty = np.flatnonzero(~allowed.any(axis=1))
    if empty.size:
        more = t("sa.and_more", count=empty.size - 5) if empty.size > 5 else ""
        names = ", ".join(md_escape(labels[r]) for r in empty[:5]) + more
        one = "sa.rows_empty.one" if empty.size == 1 else "sa.rows_empty.many"
        st.warning(t(one, names=names, count=int(empty.size)), icon="⚠️")
    return allowed


guided.enter(PAGE, read_link)

st.title(t("sa.title"))
# the lesson and its formulas fold away, so the matrix is on the first screen of a 1366×768 laptop
with st.expander(t("sa.lesson_expander"), icon=":material/school:"):
    st.markdown(t("sa.lesson"))
    st.latex(  # two rows: on a 1280 px screen one row would hide W_O in a scroll area
        r"\begin{gathered} Q = XW_Q,\quad K = XW_K,\quad V = XW_V \qquad "
        r"A_h = \operatorname{softmax}\!\Big(\frac{Q_h K_h^\top}{\sqrt{d_{head}}\;T} + M\Big) \\ "
        r"\text{" + t("sa.formula.output") + r"} = [A_1V_1, \ldots, A_HV_H]\,W_O \end{gathered}"
    )
guided.presets(PAGE, guide.presets())
url_state.show_warnings()


@boundary.fragment
def explorer(shown: views.Shown, hidden: frozenset) -> None:
    """The view picker and the view it picks: a click, a cell picker or another view reruns this part only."""
    if get("hide") != hidden:  # a click changed the custom mask: the whole layer changes
        st.rerun(scope="app")
    guide_box = st.container()  # the guided lesson, above the views
    view = controls.view_picker()
    head, i, j = controls.clamp_selection(shown.h, shown.seq.n, len(shown.kv_labels))
    shown = replace(shown, head=head, i=i, j=j)
    asked = guided.lesson(PAGE, lambda: views.guide_steps(shown), guide_box, wide=True)
    if asked.hides(*views.VIEW_SHOWS.get(view, ())):
        guided.hidden_note(400)
    else:
        views.VIEWS[view](shown, asked)
    publish()


@boundary.fragment
def layer_and_views(seq) -> None:
    """The layer's controls (in the sidebar), its computation and the views: a control reruns this part only."""
    controls.layer_sidebar(seq.n)
    problem = controls.shape_problem()
    if problem:
        st.error(problem, icon="⚠️")
    if seq.n > controls.MAX_N:
        stop(t("sa.too_many", n=seq.n, max=controls.MAX_N))

    # ---- the computation: everything the views draw comes from this call (and query_row in the head view)
    cross = get("attn") == "cross"
    kv_values, kv_labels = keys_and_values(seq)
    allowed = mask_in_force(seq.labels, len(kv_labels), cross)
    d_model, h, wseed, temp = int(get("d_model")), int(get("heads")), int(get("wseed")), float(get("temperature"))
    with st.spinner(t("sa.computing")):
        layer = data.summarise(seq.values, kv_values, d_model, h, wseed, allowed, temp)
    controls.clamp_selection(h, seq.n, len(kv_labels))  # the head and cell inside the shapes, before the views
    w_top = None if get("zoom") else 1.0  # zoomed: the weights' colours stop at the largest weight
    shown = views.Shown(seq, kv_values, kv_labels, allowed, layer, d_model, h, wseed, temp, get("mask"), cross, w_top)
    explorer(shown, get("hide"))


seq = sequence_input.sequence_sidebar()
show_errors()
layer_and_views(seq)
