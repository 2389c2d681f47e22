"""Query attention: one query (or a few) attends over the sequence X — the core lesson."""

import numpy as np
import streamlit as st

from attention_core import MAX_TOKENS, ScoreParams, attend, entropy, fit_pca_2d, format_positions, parse_positions
from ui import arithmetic, figures, query_input, scoring_input, sequence_input, url_state
from ui.feedback import show_errors
from ui.i18n import t
from ui.text import md_escape

PAGE = "query"

# ---- settings from a shared link (only when the page is entered)
if url_state.entering(PAGE):
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
    )
    sequence_input.apply_url({k: v for k, v in found.items() if k in sequence_input.GEN_KEYS})
    found = url_state.drop_unfit(found, "mask", lambda mask: parse_positions(mask, sequence_input.ensure_sequence().n))
    scoring_input.apply_url(found)
    query_input.apply_url(found, sequence_input.ensure_sequence().d)

st.title(t("query.title"))
st.markdown(t("query.lesson"))
url_state.show_warnings()

seq = sequence_input.sequence_sidebar()
scoring = scoring_input.scoring_sidebar(seq.n)
query_input.ensure_query(seq, seed=int(st.session_state.get("seq.seed", 0)))
show_errors()

left, right = st.columns([1.25, 3], gap="medium")
with left:
    q, sel, scale = query_input.query_controls(seq)

# ---- the computation: everything below is drawn from this one call
allowed = ~scoring["masked"]
params = ScoreParams.random(seq.d, seed=scoring["pseed"]) if scoring["method"] in scoring_input.PARAMETRIC else None
result = attend(
    scale * q, seq.values, method=scoring["method"], temperature=scoring["temperature"],
    mask=allowed, params=params,
)
a_all = result.scores.numpy()  # [m, n]
w_all = result.weights.numpy()  # [m, n]
o_all = result.output.numpy()  # [m, d]
a, w, o = a_all[sel], w_all[sel], o_all[sel]
h = float(entropy(w))

with right:
    if not allowed.any():
        st.warning(t("query.all_masked"))
    bars = st.columns(2)
    bars[0].plotly_chart(
        figures.bar_chart(a, seq.labels, t(f"query.scores_title.{scoring['method']}"), t("query.score_axis"),
                          color=w, masked=scoring["masked"], x_title=t("query.token_axis")),
        width="stretch", key="chart.scores",
    )
    bars[1].plotly_chart(
        figures.bar_chart(w, seq.labels, t("query.weights_title", T=scoring["temperature"]), t("query.weight_axis"),
                          color=w, masked=scoring["masked"], x_title=t("query.token_axis"), hide_text_below=0.005),
        width="stretch", key="chart.weights",
    )
    top = int(np.argmax(w))
    metrics = st.columns(4)
    metrics[0].metric(t("query.entropy"), f"{h:.2f} bits", help=t("query.entropy.help", max=np.log2(max(allowed.sum(), 1))))
    metrics[1].metric(t("query.max_weight"), f"{w[top]:.3f}", help=t("query.max_weight.help"))
    metrics[2].metric(t("query.max_token"), md_escape(seq.labels[top]))
    metrics[3].metric(t("query.output_norm"), f"{np.linalg.norm(o):.3f}")

with right:
    tab_names = ["inputs", "projection", "arithmetic"] + (["all"] if q.shape[0] > 1 else []) + ["data"]
    tabs = dict(zip(tab_names, st.tabs([t(f"query.tab.{name}") for name in tab_names])))

    with tabs["inputs"]:
        st.plotly_chart(
            figures.inputs_output_figure(
                seq.values, w, o, seq.labels,
                dict(title=t("query.inputs_title"), weights="w", output="o", dims=t("query.dim_axis"), tokens=t("query.token_axis")),
            ),
            width="stretch", key="chart.inputs",
        )
        st.caption(t("query.inputs_caption"))

    with tabs["projection"]:
        projection = sequence_input.per_sequence("pca", lambda: fit_pca_2d(seq.values))  # X only: once per sequence
        keys_2d, q_2d, o_2d = projection.project(seq.values), projection.project(scale * q[sel]), projection.project(o)
        st.plotly_chart(
            figures.projection_figure(
                keys_2d, q_2d, o_2d, w, seq.labels,
                dict(title=t("query.projection_title"), keys=t("query.keys"), query="q", output="o", pc1="PC 1", pc2="PC 2"),
            ),
            width="stretch", key="chart.projection",
        )
        st.caption(t("query.projection_caption"))

    with tabs["arithmetic"]:
        st.markdown(t("query.arith.scores"))
        for line in arithmetic.score_lines(scoring["method"], scale * q[sel], seq.values, a, allowed):
            st.latex(line)
        st.markdown(t("query.arith.softmax", T=scoring["temperature"]))
        st.latex(arithmetic.softmax_line(a, w, scoring["temperature"], allowed))
        if scoring["masked"].any():
            st.caption(t("query.arith.masked"))
        st.markdown(t("query.arith.output"))
        st.latex(arithmetic.output_line(seq.values, w, o, allowed))
        st.latex(arithmetic.check_line(w, h, int(allowed.sum())))
        if params is not None:
            with st.expander(t("query.params_title")):
                if scoring["method"] == "general":
                    st.plotly_chart(figures.heatmap(params.w, range(1, seq.d + 1), range(1, seq.d + 1), "W",
                                                    colorscale=figures.VALUE_SCALE), width="stretch", key="chart.param_w")
                else:
                    st.plotly_chart(figures.heatmap(params.w1, range(1, params.w1.shape[0] + 1), range(1, seq.d + 1), "W₁",
                                                    colorscale=figures.VALUE_SCALE), width="stretch", key="chart.param_w1")
                    st.plotly_chart(figures.heatmap(params.w2, range(1, params.w2.shape[0] + 1), range(1, seq.d + 1), "W₂",
                                                    colorscale=figures.VALUE_SCALE), width="stretch", key="chart.param_w2")
                    st.plotly_chart(figures.bar_chart(params.v, [f"v{j + 1}" for j in range(len(params.v))], "v", "v"),
                                    width="stretch", key="chart.param_v")

    if "all" in tabs:
        with tabs["all"]:
            query_labels = [f"q{i + 1}" for i in range(q.shape[0])]
            cols = st.columns(2)
            cols[0].plotly_chart(
                figures.heatmap(a_all, query_labels, seq.labels, t("query.all_scores"), x_title=t("query.token_axis"),
                                colorscale=figures.VALUE_SCALE),
                width="stretch", key="chart.all_scores",
            )
            cols[1].plotly_chart(
                figures.heatmap(w_all, query_labels, seq.labels, t("query.all_weights"), x_title=t("query.token_axis"), zmin=0),
                width="stretch", key="chart.all_weights",
            )

    with tabs["data"]:
        sequence_input.sequence_editor(seq)
        sequence_input.download_buttons(seq, w_all)

url_state.publish(
    sequence_input.url_values()
    | scoring_input.url_values()
    | {"q": query_input.url_value(), "scale": scale if scale != 1.0 else None}
)
