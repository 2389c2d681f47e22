"""Self-attention and multi-head attention: every token is a query; Q = XW_Q, K = XW_K, V = XW_V, per head."""

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from attention_core.errors import InputError
from attention_core.sequences import Sequence
from lessons.self_attention import compare as sa_compare
from lessons.self_attention import controls, data, guide
from lessons.self_attention import figures as safig
from ui import boundary, figures, guided, sequence_input, url_state
from ui.feedback import error_text, show_errors
from ui.figures import show
from ui.i18n import t
from ui.text import escape, md_escape

PAGE = "self-attention"
WEIGHTS_CHART, SCORES_CHART = "chart.sa.weights", "chart.sa.scores"

# ---- settings from a shared link (only when the page is entered)
if guided.entering(PAGE):
    found = url_state.read(sequence_input.URL_PARSERS | controls.URL_PARSERS | sa_compare.URL_PARSERS)
    sequence_input.apply_url({k: v for k, v in found.items() if k in sequence_input.GEN_KEYS})
    controls.apply_url(
        {k: v for k, v in found.items() if k in controls.URL_PARSERS}, sequence_input.ensure_sequence().n
    )
    sa_compare.apply_url(found)

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

seq = sequence_input.sequence_sidebar()
controls.layer_sidebar(seq.n)
show_errors()


def top_keys(weights_row: np.ndarray, labels) -> str:
    """The most attended key; keys that tie with it at the two decimals shown are named too (T = 100 looks uniform)."""
    top = float(weights_row.max())
    tied = np.flatnonzero(np.round(weights_row, 2) == round(top, 2))
    if len(tied) == 1:
        return labels[int(tied[0])]
    names = ", ".join(labels[int(k)] for k in tied[:3]) + ("…" if len(tied) > 3 else "")
    return t("sa.row_top.tie", names=names)


def heads_sentence(mean_entropy: np.ndarray, weights: np.ndarray) -> str:
    """What the small multiples show, said from their numbers: the sharpest and most diffuse head, and how far apart."""
    sharp, diffuse = int(np.argmin(mean_entropy)), int(np.argmax(mean_entropy))
    if len(mean_entropy) < 2 or np.isclose(mean_entropy[sharp], mean_entropy[diffuse], atol=5e-3):
        return t("sa.small_same", h=float(mean_entropy[0]) if len(mean_entropy) else 0.0)
    gap = max(float(np.max(np.abs(weights[a] - weights[b]))) for a in range(len(weights)) for b in range(a))
    return t(
        "sa.small_compare",
        sharp=t("sa.head_n", k=sharp + 1),
        h_sharp=float(mean_entropy[sharp]),
        diffuse=t("sa.head_n", k=diffuse + 1),
        h_diffuse=float(mean_entropy[diffuse]),
        gap=gap,
    )


def publish() -> None:
    compare = sa_compare.url_values() if controls.get("view") == "compare" else {}
    url_state.publish(sequence_input.url_values() | controls.url_values() | compare | guided.url_values(PAGE))


problem = controls.shape_problem()
if problem:
    st.error(problem, icon="⚠️")
if seq.n > controls.MAX_N:
    st.error(t("sa.too_many", n=seq.n, max=controls.MAX_N), icon="⚠️")
    publish()
    st.stop()

# ---- the settings in force
cross = controls.get("mode") == "cross"
d_model, h, wseed = int(controls.get("d_model")), int(controls.get("heads")), int(controls.get("wseed"))
temperature = float(controls.get("temperature"))
d_head = d_model // h
if cross:
    try:
        kind, seed = controls.second_sequence_seed()
        kv_values, kv_labels = data.second_sequence(kind, int(controls.get("m")), seq.d, seed)
    except InputError as exc:  # the sidebar and the link keep m in range; this is the last line of defence
        st.error(t("sa.y_error", reason=error_text(exc)), icon="⚠️")
        publish()
        st.stop()
else:
    kv_values, kv_labels = seq.values, seq.labels
n_q, n_k = seq.n, len(kv_labels)
key_symbol = "y" if cross else "x"

mask_kind = controls.get("mask")
if mask_kind == "causal" and cross:
    st.info(t("sa.causal_cross"), icon="ℹ️")
if mask_kind == "custom" and max(n_q, n_k) > controls.CUSTOM_MAX:
    st.warning(t("sa.custom_too_big", max=controls.CUSTOM_MAX, n=max(n_q, n_k)), icon="⚠️")
    mask_kind = "none"
allowed = data.build_mask(
    mask_kind, n_q, n_k, pad=int(controls.get("pad")), hidden=controls.hidden_cells(), cross=cross
)
empty_rows = np.flatnonzero(~allowed.any(axis=1))
if empty_rows.size:
    names = ", ".join(md_escape(seq.labels[r]) for r in empty_rows[:5]) + (
        t("sa.and_more", count=empty_rows.size - 5) if empty_rows.size > 5 else ""
    )
    st.warning(
        t(
            "sa.rows_empty.one" if empty_rows.size == 1 else "sa.rows_empty.many",
            names=names,
            count=int(empty_rows.size),
        ),
        icon="⚠️",
    )

# ---- the computation: everything the views draw comes from this call (and query_row in the head view)
with st.spinner(t("sa.computing")):
    layer = data.summarise(seq.values, kv_values, d_model, h, wseed, allowed, temperature)
controls.clamp_selection(h, n_q, n_k)


@dataclass(frozen=True)
class Layer:
    """What the views draw from: the sequences, the mask and the layer's summary, with the settings in force."""

    seq: Sequence
    kv_values: np.ndarray
    kv_labels: list
    allowed: np.ndarray  # [n_q, n_k] bool
    summary: object  # attention_core.layer_summary result
    d_model: int
    h: int
    wseed: int
    temperature: float
    cross: bool
    custom: bool
    w_top: float | None  # weights' colour/axis top: 1.0, or None (zoomed: up to the largest weight)

    @property
    def d_head(self) -> int:
        return self.d_model // self.h


# figures are pure functions of their inputs: the same matrix, labels and words give the same figure.
# cache_resource, not cache_data: cache_data unpickles a copy on every read, which rebuilds and
# revalidates the whole go.Figure; st.plotly_chart only reads the shared one (never mutate it).
_matrix_figure = st.cache_resource(max_entries=16, show_spinner=False)(safig.attention_matrix)


def matrix_words() -> dict[str, str]:
    """The words both matrices share, as keyword arguments of ``safig.attention_matrix``."""
    return dict(
        x_title=t("sa.axis.key"),
        y_title=t("sa.axis.query"),
        pooled_note=t("sa.pooled"),
        capped_note=t("sa.capped"),
        pair_hover=t("sa.hover_pair"),
    )


def head_view(a: Layer, head: int, i: int, j: int, asked: guided.Shown = guided.OFF) -> None:
    seq, layer, allowed, kv_labels = a.seq, a.summary, a.allowed, a.kv_labels
    charts = st.columns(2, gap="medium")
    guided.chart(  # hidden while a guided question asks about the weights
        charts[0],
        asked,
        "weights",
        _matrix_figure(
            layer.weights[head],
            layer.allowed,
            layer.row_starts,
            layer.col_starts,
            seq.labels,
            kv_labels,
            title=t("sa.weights_title", k=head + 1, T=a.temperature),
            colorbar_title="w",
            **matrix_words(),
            zmin=0.0,
            zmax=a.w_top,
            masked_text="0",
            value_name="w",
            selected=(i, j),
        ),
        key=WEIGHTS_CHART,
        on_select=partial(controls.on_cell_click, WEIGHTS_CHART, a.custom),
        selection_mode="points",
        config=figures.CLICK_CONFIG,
    )
    show(
        _matrix_figure(
            layer.scores[head],
            layer.allowed,
            layer.row_starts,
            layer.col_starts,
            seq.labels,
            kv_labels,
            title=t("sa.scores_title", k=head + 1),
            colorbar_title="s",
            **matrix_words(),
            colorscale=figures.VALUE_SCALE,
            masked_text="−∞",
            value_name="s",
            selected=(i, j),
        ),
        key=SCORES_CHART,
        on_select=partial(controls.on_cell_click, SCORES_CHART, a.custom),
        selection_mode="points",
        config=figures.CLICK_CONFIG,
        where=charts[1],
    )
    n_q, n_k = seq.n, len(kv_labels)
    summary = "sa.summary.no_d_head" if asked.hides("d_head") else "sa.summary"
    st.caption(
        t("sa.click_help_custom" if a.custom else "sa.click_help")
        + " "
        + t(summary, n=n_q, m=n_k, d=seq.d, d_model=a.d_model, h=a.h, d_head=a.d_head)
        + (". " + t("sa.cross_caption", m=n_k) if a.cross else ".")
    )

    # the row's bars, metrics and arithmetic show the weights, and the arithmetic divides by √d_head
    if asked.hides("weights", "d_head"):
        return guided.hidden_note(300)
    row = data.query_row(seq.values, a.kv_values, a.d_model, a.h, a.wseed, allowed[i], a.temperature, i)
    weights_row = row.weights[head, 0].numpy()
    visible = int(allowed[i].sum())
    left, right = st.columns([1, 1.3], gap="medium")
    with left:
        controls.cell_pickers(seq.labels, kv_labels)
        metrics = st.columns(2)
        metrics[0].metric(
            t("sa.row_entropy"),
            f"{max(0.0, float(layer.entropy[head, i])):.2f} {t('sa.bits')}",
            help=t("sa.row_entropy.help", max=np.log2(max(visible, 1))),
        )
        metrics[1].metric(t("sa.row_top"), top_keys(weights_row, [md_escape(k) for k in kv_labels]) if visible else "—")
        st.caption(t("sa.row_caption"))
    with right:
        row_fig = figures.bar_chart(
            weights_row,
            kv_labels,
            t("sa.row_title", query=escape([seq.labels[i]])[0], k=head + 1),
            t("sa.weight_axis"),
            color=weights_row,
            masked=~allowed[i],
            x_title=t("sa.axis.key"),
            height=300,
            hide_text_below=0.005,
            words=figures.words(t),
        )
        if a.w_top is not None:
            row_fig.update_yaxes(range=[0, 1.08])
            row_fig.update_traces(marker_cmin=0, marker_cmax=1, selector=dict(type="bar"))
        show(row_fig, key="chart.sa.row")
    with st.container(border=True):
        st.markdown(
            t(
                "sa.pair_title",
                query=figures.md_escape(seq.labels[i]),
                key_label=figures.md_escape(kv_labels[j]),
                k=head + 1,
            )
        )
        for line in safig.pair_lines(
            i,
            j,
            row.q[head, 0].numpy(),
            layer.k[head, j],
            row.scores[head, 0].numpy(),
            weights_row,
            allowed[i],
            a.temperature,
            row.head_outputs[head, 0].numpy(),
            masked_note=t("sa.arith.masked"),
            all_masked_note=t("sa.arith.all_masked"),
            visible_note=t("sa.arith.visible.one" if visible == 1 else "sa.arith.visible", count=visible),
            key_symbol="y" if a.cross else "x",
        ):
            st.latex(line)


def all_heads_view(a: Layer, head: int) -> None:
    layer, allowed, h = a.summary, a.allowed, a.h
    n_q, n_k = a.seq.n, len(a.kv_labels)
    live = allowed.any(axis=1)
    mean_entropy = layer.entropy[:, live].mean(axis=1) if live.any() else np.zeros(h)
    uniform = float(np.mean(np.log2(allowed.sum(axis=1)[live]))) if live.any() else 0.0
    head_titles = [f"{t('sa.head_n', k=k + 1)} · H̄ = {mean_entropy[k]:.2f}" for k in range(h)]
    show(
        safig.small_multiples(
            layer.weights,
            layer.allowed,
            data.block_sizes(layer.row_starts, n_q),
            data.block_sizes(layer.col_starts, n_k),
            head_titles,
            title=t("sa.small_title"),
            colorbar_title="w",
            x_title=t("sa.axis.key"),
            y_title=t("sa.axis.query"),
            pair_hover=t("sa.hover_pair"),
            selected_head=head,
            zmax=a.w_top,
        ),
        key="chart.sa.heads",
    )
    st.caption(t("sa.small_caption") + " " + heads_sentence(mean_entropy, layer.weights))
    bits = t("sa.bits")
    show(
        safig.head_entropy_chart(
            mean_entropy,
            [t("sa.head_n", k=k + 1) for k in range(h)],
            uniform,
            title=t("sa.entropy_title"),
            x_title=t("sa.heads_axis"),
            y_title=t("sa.entropy_axis"),
            max_label=t("sa.entropy_max", bits=uniform),
            unit=bits,
            selected_head=head,
        ),
        key="chart.sa.entropy",
    )
    st.caption(t("sa.entropy_caption"))


def qkv_view(a: Layer, head: int) -> None:
    seq, layer, d_head = a.seq, a.summary, a.d_head
    words = figures.words(t)
    st.markdown(t("sa.qkv_lesson", k=head + 1, d=seq.d, d_head=d_head))
    dims = list(range(1, d_head + 1))
    cols = st.columns(3)
    for col, name, matrix, labels in (
        (cols[0], "q", layer.q[head], seq.labels),
        (cols[1], "k", layer.k[head], a.kv_labels),
        (cols[2], "v", layer.v[head], a.kv_labels),
    ):
        fig = figures.heatmap(
            matrix,
            labels,
            dims,
            t(f"sa.{name}_title", k=head + 1, src="Y" if a.cross else "X"),
            x_title=t("sa.dim_axis"),
            colorscale=figures.VALUE_SCALE,
            words=words,
        )
        if d_head > 5:  # three matrices side by side: too narrow for numbers in the cells (hover shows them)
            fig.update_traces(texttemplate=None)
        show(fig, key=f"chart.sa.{name}", where=col)
    with st.expander(t("sa.weights_expander", k=head + 1)):
        w_cols = st.columns(3)
        inputs = list(range(1, seq.d + 1))
        for col, name, w in zip(w_cols, ("W_Q", "W_K", "W_V"), data.head_weights(a.d_model, a.h, a.wseed, seq.d, head)):
            fig = figures.heatmap(
                w,
                inputs,
                dims,
                f"W<sub>{name[-1]}</sub><sup>({head + 1})</sup>",
                x_title=t("sa.dim_axis"),
                y_title=t("sa.input_axis"),
                colorscale=figures.VALUE_SCALE,
                words=words,
            )
            if d_head > 5:
                fig.update_traces(texttemplate=None)
            show(fig, key=f"chart.sa.{name.lower()}", where=col)


def output_view(a: Layer) -> None:
    seq, layer, h, d_head, d_model = a.seq, a.summary, a.h, a.d_head, a.d_model
    words = figures.words(t)
    st.markdown(t("sa.output_lesson", h=h, d_head=d_head, d_model=d_model))
    cols = st.columns(2)
    model_dims = list(range(1, d_model + 1))
    concat = figures.heatmap(
        layer.concat,
        seq.labels,
        model_dims,
        t("sa.concat_title", h=h),
        x_title=t("sa.model_axis"),
        colorscale=figures.VALUE_SCALE,
        words=words,
    )
    lines = d_model <= figures.MAX_SIDE and h > 1
    if lines:
        safig.head_boundaries(concat, h, d_head, [t("sa.head_short", k=k + 1) for k in range(h)])
    show(concat, key="chart.sa.concat", where=cols[0])
    show(
        figures.heatmap(
            layer.output,
            seq.labels,
            model_dims,
            t("sa.output_title"),
            x_title=t("sa.model_axis"),
            colorscale=figures.VALUE_SCALE,
            words=words,
        ),
        key="chart.sa.output",
        where=cols[1],
    )
    st.caption((t("sa.output_caption.lines") + " " if lines else "") + t("sa.output_caption"))


def data_view(a: Layer, head: int, asked: guided.Shown = guided.OFF) -> None:
    seq, layer, kv_labels = a.seq, a.summary, a.kv_labels
    sequence_input.sequence_editor(seq)
    sequence_input.download_buttons(seq)
    if layer.exact and not asked.hides("weights"):  # the download holds the weights a question may ask about

        def weights_csv() -> str:
            frame = pd.DataFrame(layer.weights[head], columns=list(kv_labels), index=list(seq.labels))
            return frame.to_csv()

        st.download_button(
            t("sa.download_weights", k=head + 1),
            weights_csv,
            f"weights-head{head + 1}.csv",
            "text/csv",
            on_click="ignore",
            key="w.sa.download",
        )
    if a.cross:
        st.markdown(t("sa.y_title", m=len(kv_labels)))
        frame = pd.DataFrame(a.kv_values[:50], columns=[f"d{c + 1}" for c in range(seq.d)])
        frame.insert(0, "token", list(kv_labels[:50]))
        st.dataframe(frame.round(4), hide_index=True, width="stretch")


def guide_steps(a: Layer) -> list:
    """The guided lesson's questions from this layer's numbers (none when the matrices are block averages)."""
    layer = a.summary
    if not layer.exact:
        return []
    mask = "custom" if a.custom else controls.get("mask")
    return guide.steps(
        layer.weights, layer.scores, a.allowed, a.seq.labels, a.kv_labels, mask, a.cross, a.d_model, a.temperature
    )


# what each view shows of the quantities a guided question may ask about (ui/guided.py, Shown.hides):
# the small multiples show every head's weights and mean entropy H̄, Q/K/V and the concatenation are d_head
# wide, Compare shows A's weights and entropies
VIEW_SHOWS = {
    "all": ("weights", "entropy"),
    "qkv": ("d_head",),
    "output": ("d_head",),
    "compare": ("weights", "entropy"),
    "data": (),  # it leaves out its weights download itself
}


@boundary.fragment
def explorer(a: Layer, hidden: frozenset) -> None:
    """The view picker and the view it picks: a click, a cell picker or another view reruns this part only."""
    if controls.hidden_cells() != hidden:  # a click changed the custom mask: the whole layer changes
        st.rerun(scope="app")
    guide_box = st.container()  # the guided lesson, above the views
    view = controls.view_picker()
    head, i, j = controls.clamp_selection(a.h, a.seq.n, len(a.kv_labels))
    asked = guided.lesson(PAGE, partial(guide_steps, a), guide_box, wide=True)
    if view == "head":
        head_view(a, head, i, j, asked)  # it hides its own parts: the scores stay, they are the clue
    elif asked.hides(*VIEW_SHOWS.get(view, ())):
        guided.hidden_note(400)
    elif view == "all":
        all_heads_view(a, head)
    elif view == "qkv":
        qkv_view(a, head)
    elif view == "output":
        output_view(a)
    elif view == "compare":
        sa_compare.compare_view(a, head, matrix_words())
    else:
        data_view(a, head, asked)
    publish()


explorer(
    Layer(
        seq,
        kv_values,
        list(kv_labels),
        allowed,
        layer,
        d_model,
        h,
        wseed,
        temperature,
        cross,
        mask_kind == "custom",
        None if controls.get("zoom") else 1.0,
    ),
    controls.hidden_cells(),
)
