"""The Self-attention page's views: what each one draws from the one frozen result (``Shown``) and the open question.

``page.py`` reads the settings, makes the one ``summarise`` call, builds
``Shown`` and calls ``VIEWS[view]``.  Every element that shows a quantity
checks ``asked.hides(...)`` first (the guided lesson's no-leak rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from attention_core.layer_summary import LayerSummary
from attention_core.sequences import Sequence
from lessons.self_attention import compare, controls, data, guide
from lessons.self_attention import figures as safig
from ui import figures, guided, sequence_input
from ui.figures import show
from ui.i18n import t
from ui.text import escape, md_escape

WEIGHTS_CHART, SCORES_CHART = "chart.sa.weights", "chart.sa.scores"


@dataclass(frozen=True)
class Shown:
    """What the views draw: the sequences, the mask, the layer's summary and the settings it was computed from.

    X ``[n_q, d]`` is ``seq``; the keys and values come from ``kv_values`` ``[n_k, d]`` (X, or Y in
    cross-attention); ``allowed`` ``[n_q, n_k]``; ``head``, ``i``, ``j``: the picked head and cell.
    """

    seq: Sequence
    kv_values: np.ndarray
    kv_labels: tuple
    allowed: np.ndarray
    layer: LayerSummary
    d_model: int
    h: int
    wseed: int
    temperature: float
    mask: str  # the mask kind chosen (a custom mask over more than CUSTOM_MAX tokens is not applied)
    cross: bool
    w_top: float | None  # weights' colour/axis top: 1.0, or None (zoomed: up to the largest weight)
    head: int = 0
    i: int = 0
    j: int = 0

    @property
    def d_head(self) -> int:
        return self.d_model // self.h

    @property
    def custom(self) -> bool:
        """A custom mask in force: a click on a cell hides or shows it."""
        return self.mask == "custom" and max(self.seq.n, len(self.kv_labels)) <= controls.CUSTOM_MAX


# The head view's matrix builder.  Built on every run, not cached: the dict takes 0.1 ms at n = 8 and 5 ms at
# n = 2048, while a cache's look-up first hashes the arguments (1 ms at n = 8, 29 ms at n = 2048: the labels).
_matrix_figure = safig.attention_matrix


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


def _matrix(a: Shown, name: str, **style):
    """The picked head's weights (``name="weights"``) or scores as an n_q × n_k matrix, the picked cell framed."""
    layer = a.layer
    return _matrix_figure(
        getattr(layer, name)[a.head],
        layer.allowed,
        layer.row_starts,
        layer.col_starts,
        a.seq.labels,
        a.kv_labels,
        **safig.matrix_words(t),
        selected=(a.i, a.j),
        **style,
    )


def head_view(a: Shown, asked: guided.Shown) -> None:
    """The picked head's weights and scores (click a cell), then that query's row and the cell's arithmetic."""
    charts = st.columns(2, gap="medium")
    clicks = dict(selection_mode="points", config=figures.CLICK_CONFIG)
    guided.chart(  # hidden while a guided question asks about the weights; the scores stay, they are the clue
        charts[0],
        asked,
        "weights",
        _matrix(
            a,
            "weights",
            title=t("sa.weights_title", k=a.head + 1, T=a.temperature),
            colorbar_title="w",
            zmin=0.0,
            zmax=a.w_top,
            masked_text="0",
            value_name="w",
        ),
        key=WEIGHTS_CHART,
        on_select=partial(controls.on_cell_click, WEIGHTS_CHART, a.custom),
        **clicks,
    )
    scores = _matrix(
        a,
        "scores",
        title=t("sa.scores_title", k=a.head + 1),
        colorbar_title="s",
        colorscale=figures.VALUE_SCALE,
        masked_text="−∞",
        value_name="s",
    )
    on_click = partial(controls.on_cell_click, SCORES_CHART, a.custom)
    show(scores, key=SCORES_CHART, on_select=on_click, where=charts[1], **clicks)
    summary = "sa.summary.no_d_head" if asked.hides("d_head") else "sa.summary"
    n_q, n_k = a.seq.n, len(a.kv_labels)
    st.caption(
        t("sa.click_help_custom" if a.custom else "sa.click_help")
        + " "
        + t(summary, n=n_q, m=n_k, d=a.seq.d, d_model=a.d_model, h=a.h, d_head=a.d_head)
        + (". " + t("sa.cross_caption", m=n_k) if a.cross else ".")
    )
    # the row's bars, metrics and arithmetic show the weights, and the arithmetic divides by √d_head
    if asked.hides("weights", "d_head"):
        return guided.hidden_note(300)
    row_detail(a)


def row_detail(a: Shown) -> None:
    """Query i in the picked head: its weights as bars, its entropy and top key, and cell (i, j) written out."""
    seq, kv_labels, head, i, j = a.seq, a.kv_labels, a.head, a.i, a.j
    allowed_row = a.allowed[i]
    row = data.query_row(seq.values, a.kv_values, a.d_model, a.h, a.wseed, allowed_row, a.temperature, i)
    weights_row = row.weights[head, 0].numpy()
    visible = int(allowed_row.sum())
    left, right = st.columns([1, 1.3], gap="medium")
    with left:
        controls.cell_pickers(seq.labels, kv_labels)
        metrics = st.columns(2)
        metrics[0].metric(
            t("sa.row_entropy"),
            f"{float(a.layer.entropy[head, i]):.2f} {t('sa.bits')}",
            help=t("sa.row_entropy.help", max=np.log2(max(visible, 1))),
        )
        metrics[1].metric(t("sa.row_top"), top_keys(weights_row, [md_escape(k) for k in kv_labels]) if visible else "—")
        st.caption(t("sa.row_caption"))
    row_fig = figures.bar_chart(
        weights_row,
        kv_labels,
        t("sa.row_title", query=escape([seq.labels[i]])[0], k=head + 1),
        t("sa.weight_axis"),
        color=weights_row,
        masked=~allowed_row,
        x_title=t("sa.axis.key"),
        height=300,
        hide_text_below=0.005,
        y_range=None if a.w_top is None else (0.0, 1.08),
        color_range=None if a.w_top is None else (0.0, 1.0),
        words=figures.words(t),
    )
    show(row_fig, key="chart.sa.row", where=right)
    with st.container(border=True):
        names = dict(query=md_escape(seq.labels[i]), key_label=md_escape(kv_labels[j]), k=head + 1)
        st.markdown(t("sa.pair_title", **names))
        for line in safig.pair_lines(
            i,
            j,
            row.q[head, 0].numpy(),
            a.layer.k[head, j],
            row.scores[head, 0].numpy(),
            weights_row,
            allowed_row,
            a.temperature,
            row.head_outputs[head, 0].numpy(),
            masked_note=t("sa.arith.masked"),
            all_masked_note=t("sa.arith.all_masked"),
            visible_note=t("sa.arith.visible.one" if visible == 1 else "sa.arith.visible", count=visible),
            key_symbol="y" if a.cross else "x",
        ):
            st.latex(line)


def all_heads_view(a: Shown, asked: guided.Shown) -> None:
    """Every head's weights side by side, titled with its mean entropy H̄, and H̄ per head as bars."""
    layer, h = a.layer, a.h
    live = a.allowed.any(axis=1)
    uniform = float(np.mean(np.log2(a.allowed.sum(axis=1)[live]))) if live.any() else 0.0  # H̄ of uniform rows
    head_names = [t("sa.head_n", k=k + 1) for k in range(h)]
    show(
        safig.small_multiples(
            layer.weights,
            layer.allowed,
            data.block_sizes(layer.row_starts, a.seq.n),
            data.block_sizes(layer.col_starts, len(a.kv_labels)),
            [f"{name} · H̄ = {layer.mean_entropy[k]:.2f}" for k, name in enumerate(head_names)],
            title=t("sa.small_title"),
            colorbar_title="w",
            x_title=t("sa.axis.key"),
            y_title=t("sa.axis.query"),
            pair_hover=t("sa.hover_pair"),
            selected_head=a.head,
            zmax=a.w_top,
        ),
        key="chart.sa.heads",
    )
    st.caption(t("sa.small_caption") + " " + heads_sentence(layer.mean_entropy, layer.weights))
    show(
        safig.head_entropy_chart(
            layer.mean_entropy,
            head_names,
            uniform,
            title=t("sa.entropy_title"),
            x_title=t("sa.heads_axis"),
            y_title=t("sa.entropy_axis"),
            max_label=t("sa.entropy_max", bits=uniform),
            unit=t("sa.bits"),
            selected_head=a.head,
        ),
        key="chart.sa.entropy",
    )
    st.caption(t("sa.entropy_caption"))


def _value_heatmap(matrix, rows, cols, title: str, x_title: str, y_title: str = "", numbers: bool = True):
    fig = figures.heatmap(
        matrix,
        rows,
        cols,
        title,
        x_title=x_title,
        y_title=y_title,
        colorscale=figures.VALUE_SCALE,
        words=figures.words(t),
    )
    if not numbers:  # three matrices side by side: too narrow for numbers in the cells (hover shows them)
        fig["data"][0].pop("texttemplate", None)
    return fig


def qkv_view(a: Shown, asked: guided.Shown) -> None:
    """The picked head's Q, K and V, and (folded away) the weight matrices that make them from X."""
    seq, layer, head, d_head = a.seq, a.layer, a.head, a.d_head
    st.markdown(t("sa.qkv_lesson", k=head + 1, d=seq.d, d_head=d_head))
    dims = list(range(1, d_head + 1))
    numbers = d_head <= 5
    cols = st.columns(3)
    for col, name, matrix, labels in (
        (cols[0], "q", layer.q[head], seq.labels),
        (cols[1], "k", layer.k[head], a.kv_labels),
        (cols[2], "v", layer.v[head], a.kv_labels),
    ):
        title = t(f"sa.{name}_title", k=head + 1, src="Y" if a.cross else "X")
        fig = _value_heatmap(matrix, labels, dims, title, t("sa.dim_axis"), numbers=numbers)
        show(fig, key=f"chart.sa.{name}", where=col)
    with st.expander(t("sa.weights_expander", k=head + 1)):
        w_cols = st.columns(3)
        inputs = list(range(1, seq.d + 1))
        for col, name, w in zip(w_cols, ("W_Q", "W_K", "W_V"), data.head_weights(a.d_model, a.h, a.wseed, seq.d, head)):
            title = f"W<sub>{name[-1]}</sub><sup>({head + 1})</sup>"
            fig = _value_heatmap(w, inputs, dims, title, t("sa.dim_axis"), t("sa.input_axis"), numbers=numbers)
            show(fig, key=f"chart.sa.{name.lower()}", where=col)


def output_view(a: Shown, asked: guided.Shown) -> None:
    """The heads' outputs side by side (the concatenation), and the layer's output after W_O."""
    seq, layer, h, d_head, d_model = a.seq, a.layer, a.h, a.d_head, a.d_model
    st.markdown(t("sa.output_lesson", h=h, d_head=d_head, d_model=d_model))
    cols = st.columns(2)
    model_dims = list(range(1, d_model + 1))
    concat = _value_heatmap(layer.concat, seq.labels, model_dims, t("sa.concat_title", h=h), t("sa.model_axis"))
    lines = d_model <= figures.MAX_SIDE and h > 1
    if lines:
        safig.head_boundaries(concat, h, d_head, [t("sa.head_short", k=k + 1) for k in range(h)])
    show(concat, key="chart.sa.concat", where=cols[0])
    output = _value_heatmap(layer.output, seq.labels, model_dims, t("sa.output_title"), t("sa.model_axis"))
    show(output, key="chart.sa.output", where=cols[1])
    st.caption((t("sa.output_caption.lines") + " " if lines else "") + t("sa.output_caption"))


def data_view(a: Shown, asked: guided.Shown) -> None:
    """X to edit and download, the picked head's weights as CSV, and Y in cross-attention."""
    seq, layer, kv_labels = a.seq, a.layer, a.kv_labels
    sequence_input.sequence_editor(seq)
    sequence_input.download_buttons(seq)
    if layer.exact and not asked.hides("weights"):  # the download holds the weights a question may ask about

        def weights_csv() -> str:
            frame = pd.DataFrame(layer.weights[a.head], columns=list(kv_labels), index=list(seq.labels))
            return frame.to_csv()

        st.download_button(
            t("sa.download_weights", k=a.head + 1),
            weights_csv,
            f"weights-head{a.head + 1}.csv",
            "text/csv",
            on_click="ignore",
            key="w.sa.download",
        )
    if a.cross:
        st.markdown(t("sa.y_title", m=len(kv_labels)))
        frame = pd.DataFrame(a.kv_values[:50], columns=[f"d{c + 1}" for c in range(seq.d)])
        frame.insert(0, "token", list(kv_labels[:50]))
        st.dataframe(frame.round(4), hide_index=True, width="stretch")


def guide_steps(a: Shown) -> list:
    """The guided lesson's questions from this layer's numbers (none when the matrices are block averages)."""
    layer = a.layer
    if not layer.exact:
        return []
    return guide.steps(
        layer.weights, layer.scores, a.allowed, a.seq.labels, a.kv_labels, a.mask, a.cross, a.d_model, a.temperature
    )


VIEWS = {
    "head": head_view,  # it hides its own parts: the scores stay, they are the clue
    "all": all_heads_view,
    "qkv": qkv_view,
    "output": output_view,
    "compare": compare.compare_view,
    "data": data_view,  # it leaves out its weights download itself
}
# what each view shows as a whole of the quantities a guided question may ask about (ui/guided.py, Shown.hides):
# the small multiples show every head's weights and mean entropy H̄, Q/K/V and the concatenation are d_head
# wide, Compare shows A's weights and entropies
VIEW_SHOWS = {
    "all": ("weights", "entropy"),
    "qkv": ("d_head",),
    "output": ("d_head",),
    "compare": ("weights", "entropy"),
}
