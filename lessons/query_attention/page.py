"""Query attention: one query (or a few) attends over the sequence X — the core lesson."""

import numpy as np
import streamlit as st

from attention_core.attend import attend
from attention_core.limits import MAX_TOKENS
from attention_core.projection import fit_pca_2d
from attention_core.scoring import ScoreParams
from attention_core.softmax import entropy
from attention_core.text_parsing import format_positions, parse_positions
from lessons.query_attention import compare, guide, steer
from lessons.query_attention import controls as query_input
from lessons.query_attention import figures as query_figures
from ui import arithmetic, boundary, figures, guided, scoring_input, sequence_input, url_state
from ui.feedback import show_errors
from ui.figures import WEIGHT_RANGE, show
from ui.i18n import t
from ui.settings import Settings
from ui.text import md_escape

PAGE = "query"
# how the page draws: zoom on the weights (the link says zoom=1)
VIEWS = ("inputs", "projection", "steer", "compare", "arithmetic", "all", "data")  # "all" only with several queries
# how the page draws: which view, zoom on the weights (the link says view=projection, zoom=1)
view = Settings(
    "query",
    defaults={"view": "inputs", "zoom": False},
    parsers={"view": url_state.one_of(VIEWS), "zoom": lambda raw: bool(url_state.int_in(0, 1)(raw))},
)


def _on_view(options) -> None:
    # a segmented control can be clicked off (None): the view stays what it was
    chosen = st.session_state[view.widget("view", options)]
    if chosen is not None:
        view.set("view", chosen)


# ---- settings from a shared link (only when the page is entered)
if guided.entering(PAGE):
    found = url_state.read(
        sequence_input.URL_PARSERS
        | {
            "method": url_state.one_of(scoring_input.SCORE_METHODS),
            "temperature": url_state.float_in(0.01, 100.0),
            "mask": lambda raw: format_positions(parse_positions(raw, MAX_TOKENS)),
            "pseed": url_state.int_in(0, 2**31 - 1),
            "scale": url_state.float_in(0.1, 10.0),
            "q": str,
        }
        | view.parsers
        | steer.URL_PARSERS
        | compare.URL_PARSERS
    )
    view.apply_url(found)
    sequence_input.apply_url({k: v for k, v in found.items() if k in sequence_input.GEN_KEYS})
    found = url_state.drop_unfit(found, "mask", lambda mask: parse_positions(mask, sequence_input.ensure_sequence().n))
    scoring_input.apply_url(found)
    query_input.apply_url(found, sequence_input.ensure_sequence().d)
    steer.apply_url(found)
    compare.apply_url(found)

st.title(t("query.title"))
st.markdown(t("query.lesson"))
guided.presets(PAGE, guide.presets())
url_state.show_warnings()

seq = sequence_input.sequence_sidebar()
query_input.ensure_query(seq, seed=sequence_input.seed())
view.ensure()


@boundary.fragment
def interactive(seq) -> None:
    """The scoring sidebar, the query editor, the computation and the charts: a widget here reruns this, not the page.

    The scoring controls (method, temperature, mask) are the sidebar's most-clicked
    widgets: drawn from here, a click on them reruns only this fragment (Streamlit
    redraws a fragment's sidebar writes in place; the sequence controls above stay).
    """
    if sequence_input.ensure_sequence() is not seq:  # the data view edited X: the sidebar and the link show it too
        st.rerun(scope="app")
    scoring = scoring_input.scoring_sidebar(seq.n)
    show_errors()
    zoom = bool(view.get("zoom"))
    weight_range = None if zoom else WEIGHT_RANGE  # weights are probabilities: 0…1 unless zoomed in
    fig_words = figures.words(t)

    left, right = st.columns([1.25, 3], gap="medium")
    with left:
        guide_box = st.container()  # the guided lesson, filled once the numbers are known
        q, sel, scale = query_input.query_controls(seq)
    # ---- the computation: everything below is drawn from this one call
    allowed = ~scoring["masked"]
    params = ScoreParams.random(seq.d, seed=scoring["pseed"]) if scoring["method"] in scoring_input.PARAMETRIC else None
    result = attend(
        scale * q,
        seq.values,
        method=scoring["method"],
        temperature=scoring["temperature"],
        mask=allowed,
        params=params,
    )
    a_all = result.scores.numpy()  # [m, n]
    w_all = result.weights.numpy()  # [m, n]
    o_all = result.output.numpy()  # [m, d]
    a, w, o = a_all[sel], w_all[sel], o_all[sel]
    h = float(entropy(w))  # bits; the core never returns −0.0 (one token), which would print as "−0.00 bits"
    labels_md = [md_escape(label) for label in seq.labels]
    steps = lambda: guide.steps(seq.values, seq.labels, a, w, o, scoring["temperature"], allowed)  # noqa: E731
    asked = guided.lesson(PAGE, steps, guide_box)  # what the current question hides, or marks once answered

    with right:
        if not allowed.any():
            st.warning(t("query.all_masked"))
        bars = st.columns(2)
        show(
            figures.bar_chart(
                a,
                seq.labels,
                t(f"query.scores_title.{scoring['method']}"),
                t("query.score_axis"),
                color=None if asked.hides("weights") else w,  # coloured by the weights once they may show
                color_range=weight_range,
                masked=scoring["masked"],
                x_title=t("query.token_axis"),
                words=fig_words,
            ),
            key="chart.scores",
            where=bars[0],
        )
        guided.chart(
            bars[1],
            asked,
            "weights",
            figures.bar_chart(
                w,
                seq.labels,
                t("query.weights_title", T=scoring["temperature"]),
                t("query.weight_axis"),
                color=w,
                masked=scoring["masked"],
                x_title=t("query.token_axis"),
                hide_text_below=0.005,
                y_range=None if zoom else (0.0, 1.08),
                color_range=weight_range,
                words=fig_words,
            ),
            key="chart.weights",
        )
        bars[1].toggle(
            t("query.zoom"), key=view.bind("zoom"), on_change=view.copy, args=("zoom",), help=t("query.zoom.help")
        )
        why = (
            None
            if asked.hides("weights")  # it names the token that wins
            else arithmetic.why_copy_loses(scoring["method"], q[sel], seq.values, a, w, allowed)
        )
        if why is not None:
            reason, values = why
            names = {k: labels_md[v] for k, v in values.items() if k in ("copy", "win")}
            st.info(t(f"query.why.{reason}", **(values | names)), icon=":material/lightbulb:")
        top = int(np.argmax(w))
        metrics = st.columns(4)
        metrics[0].metric(
            t("query.entropy"), t("query.bits", h=h), help=t("query.entropy.help", max=np.log2(max(allowed.sum(), 1)))
        )
        secret = asked.hides("weights")  # 2 decimals, as on the bars and in the strip: one number reads one way
        metrics[1].metric(t("query.max_weight"), "?" if secret else f"{w[top]:.2f}", help=t("query.max_weight.help"))
        metrics[2].metric(t("query.max_token"), "?" if secret else md_escape(seq.labels[top]))
        metrics[3].metric(t("query.output_norm"), "?" if asked.hides("output") else f"{np.linalg.norm(o):.3f}")

    with right:
        # only the chosen view is built (st.tabs would build every tab on every rerun)
        options = [name for name in VIEWS if name != "all" or q.shape[0] > 1]
        if view.get("view") not in options:
            view.set("view", "inputs")
        st.segmented_control(
            t("query.view"),
            options,
            format_func={name: t(f"query.tab.{name}") for name in options}.get,
            label_visibility="collapsed",
            key=view.follow("view", options),
            on_change=_on_view,
            args=(options,),
        )
        shown = view.get("view")

        if shown == "inputs":
            show(
                query_figures.inputs_output_figure(
                    seq.values,
                    None if asked.hides("weights") else w,  # None: the strip waits ("?")
                    None if asked.hides("output") else o,
                    seq.labels,
                    title=t("query.inputs_title"),
                    dims_title=t("query.dim_axis"),
                    tokens_title=t("query.token_axis"),
                    weight_range=weight_range,
                    words=fig_words,
                ),
                key="chart.inputs",
            )
            st.caption(t("query.inputs_caption"))

        elif shown == "projection":
            projection = sequence_input.per_sequence("pca", lambda: fit_pca_2d(seq.values))  # X only: once per sequence
            keys_2d = sequence_input.per_sequence("pca_keys", lambda: projection.project(seq.values))
            q_2d, o_2d = projection.project(scale * q[sel]), projection.project(o)
            guided.chart(
                st.container(),
                asked,
                ("weights", "output"),  # the keys' colour and size are their weights; o is a point
                query_figures.projection_figure(
                    keys_2d,
                    q_2d,
                    o_2d,
                    w,
                    seq.labels,
                    title=t("query.projection_title"),
                    keys_name=t("query.keys"),
                    pc1_title=t("query.pc", k=1),
                    pc2_title=t("query.pc", k=2),
                    weight_range=weight_range,
                ),
                key="chart.projection",
                marked=False,
            )
            st.caption(t("query.projection_caption"))

        elif shown == "steer" and asked.hides("weights", "output"):
            guided.hidden_note(480)  # its picture colours the keys by weight, and its numbers are weights

        elif shown == "steer":
            steer.steer_view(seq, scoring, params, allowed, q, sel, scale, w)

        elif shown == "compare" and asked.hides("weights", "comparison"):
            guided.hidden_note(480)  # A's weights, and B's at another temperature

        elif shown == "compare":
            compare.compare_view(seq, scoring, q[sel], scale, zoom)

        elif shown == "arithmetic":
            tokens = query_input.written_tokens(seq, w, allowed)
            st.markdown(t("query.arith.scores"))
            for line in arithmetic.score_lines(scoring["method"], scale * q[sel], seq.values, a, tokens):
                st.latex(line)
            if asked.hides("weights", "output"):  # the scores stay: the question is what they lead to
                guided.hidden_note(300)
                return _publish(shown, scale)
            st.markdown(t("query.arith.softmax", T=scoring["temperature"]))
            st.latex(arithmetic.softmax_line(a, w, scoring["temperature"], allowed, tokens))
            if scoring["masked"].any():
                st.caption(t("query.arith.masked"))
            st.markdown(t("query.arith.output"))
            st.latex(arithmetic.output_line(seq.values, w, o, allowed, tokens))
            st.latex(arithmetic.sum_line(w))
            st.latex(arithmetic.entropy_line(h, int(allowed.sum()), t("query.bits_unit")))
            if params is not None:
                with st.expander(t("query.params_title")):
                    if scoring["method"] == "general":
                        show(
                            figures.heatmap(
                                params.w,
                                range(1, seq.d + 1),
                                range(1, seq.d + 1),
                                "W",
                                colorscale=figures.VALUE_SCALE,
                                words=fig_words,
                            ),
                            key="chart.param_w",
                        )
                    else:
                        show(
                            figures.heatmap(
                                params.w1,
                                range(1, params.w1.shape[0] + 1),
                                range(1, seq.d + 1),
                                "W₁",
                                colorscale=figures.VALUE_SCALE,
                                words=fig_words,
                            ),
                            key="chart.param_w1",
                        )
                        show(
                            figures.heatmap(
                                params.w2,
                                range(1, params.w2.shape[0] + 1),
                                range(1, seq.d + 1),
                                "W₂",
                                colorscale=figures.VALUE_SCALE,
                                words=fig_words,
                            ),
                            key="chart.param_w2",
                        )
                        show(
                            figures.bar_chart(params.v, [f"v{j + 1}" for j in range(len(params.v))], "v", "v"),
                            key="chart.param_v",
                        )

        elif shown == "all":
            query_labels = [f"q{i + 1}" for i in range(q.shape[0])]
            cols = st.columns(2)
            show(
                figures.heatmap(
                    a_all,
                    query_labels,
                    seq.labels,
                    t("query.all_scores"),
                    x_title=t("query.token_axis"),
                    colorscale=figures.VALUE_SCALE,
                    words=fig_words,
                ),
                key="chart.all_scores",
                where=cols[0],
            )
            guided.chart(
                cols[1],
                asked,
                "weights",
                figures.heatmap(
                    w_all,
                    query_labels,
                    seq.labels,
                    t("query.all_weights"),
                    x_title=t("query.token_axis"),
                    zmin=0,
                    zmax=None if zoom else 1.0,
                    words=fig_words,
                ),
                key="chart.all_weights",
            )

        elif shown == "data":
            sequence_input.sequence_editor(seq)
            sequence_input.download_buttons(seq, None if asked.hides("weights") else w_all)

    _publish(shown, scale)


def _publish(shown: str, scale: float) -> None:
    """The page's settings into the link."""
    url_state.publish(
        sequence_input.url_values()
        | scoring_input.url_values()
        | {"q": query_input.url_value(), "scale": scale if scale != 1.0 else None}
        | view.url_values()
        | (steer.url_values() if shown == "steer" else {})
        | (compare.url_values() if shown == "compare" else {})
        | guided.url_values(PAGE)
    )


interactive(seq)
