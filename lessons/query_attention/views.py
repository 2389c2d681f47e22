"""The Query page's views: what each one draws from the one frozen result (``Shown``) and the open question.

``page.py`` reads the settings, makes the one ``attend`` call, builds ``Shown``
and calls ``summary`` and then ``VIEWS[view]``.  Every element that shows a
quantity checks ``asked.hides(...)`` first (the guided lesson's no-leak rule).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from attention_core.attend import Attention
from attention_core.projection import fit_pca_2d
from attention_core.scoring import ScoreParams
from attention_core.sequences import Sequence
from attention_core.softmax import entropy
from lessons.query_attention import arithmetic, compare, steer
from lessons.query_attention import controls as query_input
from lessons.query_attention import figures as query_figures
from ui import figures, guided, sequence_input, url_state
from ui.arithmetic import score_lines
from ui.figures import WEIGHT_RANGE, show
from ui.i18n import t
from ui.settings import Setting, Settings
from ui.text import md_escape


@dataclass(frozen=True)
class Shown:
    """What the page draws: the settings it was computed from and the one ``attend`` result.

    q_box ``[m, d]``: the editor's queries; ``q = scale · q_box``: the queries attention sees
    (computed once, here); ``sel``: the query the charts show.
    """

    seq: Sequence
    scoring: dict  # method, temperature, masked [n] bool, pseed
    q_box: np.ndarray
    sel: int
    scale: float
    q: np.ndarray
    params: ScoreParams | None
    result: Attention
    zoom: bool

    @property
    def allowed(self) -> np.ndarray:
        return ~self.scoring["masked"]

    @property
    def a_all(self) -> np.ndarray:  # [m, n]
        return self.result.scores.numpy()

    @property
    def w_all(self) -> np.ndarray:  # [m, n]
        return self.result.weights.numpy()

    @property
    def a(self) -> np.ndarray:  # the shown query's scores [n]
        return self.a_all[self.sel]

    @property
    def w(self) -> np.ndarray:  # its weights [n]
        return self.w_all[self.sel]

    @property
    def o(self) -> np.ndarray:  # its output [d]
        return self.result.output.numpy()[self.sel]

    @property
    def h(self) -> float:
        """Entropy in bits, never −0.0 (one token: −1·log 1), which prints as "−0.00 bits"."""
        return max(float(entropy(self.w)), 0.0) + 0.0

    @property
    def weight_range(self):
        return None if self.zoom else WEIGHT_RANGE  # weights are probabilities: 0…1 unless zoomed in


def summary(shown: Shown, asked: guided.Shown, zoom_toggle) -> None:
    """Scores and weights side by side (``zoom_toggle(where)`` draws the zoom switch under the weights), the
    sentence on why a copied token lost, and the entropy, top weight and output norm."""
    seq, scoring, w = shown.seq, shown.scoring, shown.w
    words = figures.words(t)
    if not shown.allowed.any():
        st.warning(t("query.all_masked"))
    bars = st.columns(2)
    scores = figures.bar_chart(
        shown.a,
        seq.labels,
        t(f"query.scores_title.{scoring['method']}"),
        t("query.score_axis"),
        color=None if asked.hides("weights") else w,  # coloured by the weights once they may show
        color_range=shown.weight_range,
        masked=scoring["masked"],
        x_title=t("query.token_axis"),
        words=words,
    )
    show(scores, key="chart.scores", where=bars[0])
    weights = figures.bar_chart(
        w,
        seq.labels,
        t("query.weights_title", T=scoring["temperature"]),
        t("query.weight_axis"),
        color=w,
        masked=scoring["masked"],
        x_title=t("query.token_axis"),
        hide_text_below=0.005,
        y_range=None if shown.zoom else (0.0, 1.08),
        color_range=shown.weight_range,
        words=words,
    )
    guided.chart(bars[1], asked, "weights", weights, key="chart.weights")
    zoom_toggle(bars[1])
    why = (
        None
        if asked.hides("weights")  # it names the token that wins
        else arithmetic.why_copy_loses(scoring["method"], shown.q_box[shown.sel], seq.values, shown.a, w, shown.allowed)
    )
    if why is not None:
        reason, values = why
        names = {k: md_escape(seq.labels[v]) for k, v in values.items() if k in ("copy", "win")}
        st.info(t(f"query.why.{reason}", **(values | names)), icon=":material/lightbulb:")
    top = int(np.argmax(w))
    metrics = st.columns(4)
    n_allowed = max(int(shown.allowed.sum()), 1)
    metrics[0].metric(
        t("query.entropy"), t("query.bits", h=shown.h), help=t("query.entropy.help", max=np.log2(n_allowed))
    )
    secret = asked.hides("weights")  # 2 decimals, as on the bars and in the strip: one number reads one way
    metrics[1].metric(t("query.max_weight"), "?" if secret else f"{w[top]:.2f}", help=t("query.max_weight.help"))
    metrics[2].metric(t("query.max_token"), "?" if secret else md_escape(seq.labels[top]))
    metrics[3].metric(t("query.output_norm"), "?" if asked.hides("output") else f"{np.linalg.norm(shown.o):.3f}")


def inputs_view(shown: Shown, asked: guided.Shown) -> None:
    fig = query_figures.inputs_output_figure(
        shown.seq.values,
        None if asked.hides("weights") else shown.w,  # None: the strip waits ("?")
        None if asked.hides("output") else shown.o,
        shown.seq.labels,
        title=t("query.inputs_title"),
        dims_title=t("query.dim_axis"),
        tokens_title=t("query.token_axis"),
        weight_range=shown.weight_range,
        words=figures.words(t),
    )
    show(fig, key="chart.inputs")
    st.caption(t("query.inputs_caption"))


def projection_view(shown: Shown, asked: guided.Shown) -> None:
    seq = shown.seq
    projection = sequence_input.per_sequence("pca", lambda: fit_pca_2d(seq.values))  # X only: once per sequence
    keys_2d = sequence_input.per_sequence("pca_keys", lambda: projection.project(seq.values))
    fig = query_figures.projection_figure(
        keys_2d,
        projection.project(shown.q[shown.sel]),
        projection.project(shown.o),
        shown.w,
        seq.labels,
        title=t("query.projection_title"),
        keys_name=t("query.keys"),
        pc1_title=t("query.pc", k=1),
        pc2_title=t("query.pc", k=2),
        weight_range=shown.weight_range,
    )
    # the keys' colour and size are their weights; o is a point
    guided.chart(st.container(), asked, ("weights", "output"), fig, key="chart.projection", marked=False)
    st.caption(t("query.projection_caption"))


def arithmetic_view(shown: Shown, asked: guided.Shown) -> None:
    """The scores, the softmax and the output written out with the real numbers, then Σw and H."""
    seq, scoring, w = shown.seq, shown.scoring, shown.w
    tokens = query_input.written_tokens(seq, w, shown.allowed)
    st.markdown(t("query.arith.scores"))
    for line in score_lines(scoring["method"], shown.q[shown.sel], seq.values, shown.a, tokens):
        st.latex(line)
    if asked.hides("weights", "output"):  # the scores stay: the question is what they lead to
        guided.hidden_note(300)
        return
    st.markdown(t("query.arith.softmax", T=scoring["temperature"]))
    st.latex(arithmetic.softmax_line(shown.a, w, scoring["temperature"], shown.allowed, tokens))
    if scoring["masked"].any():
        st.caption(t("query.arith.masked"))
    st.markdown(t("query.arith.output"))
    st.latex(arithmetic.output_line(seq.values, w, shown.o, shown.allowed, tokens))
    st.latex(arithmetic.sum_line(w))
    st.latex(arithmetic.entropy_line(shown.h, int(shown.allowed.sum()), t("query.bits_unit")))
    if shown.params is not None:
        with st.expander(t("query.params_title")):
            _params(shown.params, scoring["method"], seq.d)


def _params(params: ScoreParams, method: str, d: int) -> None:
    """The learned scoring parameters (here: seeded random) as heatmaps: W, or W₁, W₂ and v."""
    words = figures.words(t)
    dims = range(1, d + 1)
    if method == "general":
        fig = figures.heatmap(params.w, dims, dims, "W", colorscale=figures.VALUE_SCALE, words=words)
        show(fig, key="chart.param_w")
        return
    for name, key, matrix in (("W₁", "chart.param_w1", params.w1), ("W₂", "chart.param_w2", params.w2)):
        rows = range(1, matrix.shape[0] + 1)
        show(figures.heatmap(matrix, rows, dims, name, colorscale=figures.VALUE_SCALE, words=words), key=key)
    labels = [f"v{j + 1}" for j in range(len(params.v))]
    show(figures.bar_chart(params.v, labels, "v", "v"), key="chart.param_v")


def all_view(shown: Shown, asked: guided.Shown) -> None:
    """Every query's scores and weights as two heatmaps (queries × tokens)."""
    seq, words = shown.seq, figures.words(t)
    queries = [f"q{i + 1}" for i in range(shown.q.shape[0])]
    cols = st.columns(2)
    scores = figures.heatmap(
        shown.a_all,
        queries,
        seq.labels,
        t("query.all_scores"),
        x_title=t("query.token_axis"),
        colorscale=figures.VALUE_SCALE,
        words=words,
    )
    show(scores, key="chart.all_scores", where=cols[0])
    weights = figures.heatmap(
        shown.w_all,
        queries,
        seq.labels,
        t("query.all_weights"),
        x_title=t("query.token_axis"),
        zmin=0,
        zmax=None if shown.zoom else 1.0,
        words=words,
    )
    guided.chart(cols[1], asked, "weights", weights, key="chart.all_weights")


def data_view(shown: Shown, asked: guided.Shown) -> None:
    sequence_input.sequence_editor(shown.seq)
    sequence_input.download_buttons(shown.seq, None if asked.hides("weights") else shown.w_all)


# {view: the function that draws it}; "all" is offered only with several queries
VIEWS = {
    "inputs": inputs_view,
    "projection": projection_view,
    "steer": steer.steer_view,
    "compare": compare.compare_view,
    "arithmetic": arithmetic_view,
    "all": all_view,
    "data": data_view,
}
# views that show these quantities as a whole: they wait (the hidden note) while the question asks one
VIEW_SHOWS = {
    "steer": ("weights", "output"),  # its picture colours the keys by weight, and its numbers are weights
    "compare": ("weights", "comparison"),  # A's weights, and B's at another temperature
}


# how the page draws: which view, zoom on the weights (the link says view=projection, zoom=1)
VIEW = Settings(
    "query",
    defaults={"view": "inputs"},
    parsers={"view": url_state.one_of(tuple(VIEWS))},
    declared=(
        Setting(
            "zoom", False, lambda raw: bool(url_state.int_in(0, 1)(raw)), "toggle", "query.zoom", "query.zoom.help"
        ),
    ),
)
