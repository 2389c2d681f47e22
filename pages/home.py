"""Home: the three formulas, a tiny live example, and a tour of every page."""

import numpy as np
import streamlit as st

from attention_core import attend
from ui import figures, url_state
from ui.i18n import t

url_state.entering("home")
st.title(t("home.title"))
st.markdown(t("home.intro"))

formulas = st.columns(3)
formulas[0].latex(r"a_i = q^\top x_i")
formulas[0].caption(t("home.formula.scores"))
formulas[1].latex(r"w = \operatorname{softmax}(a), \quad w_i = \frac{e^{a_i}}{\sum_j e^{a_j}}")
formulas[1].caption(t("home.formula.weights"))
formulas[2].latex(r"o = \sum_i w_i\, x_i")
formulas[2].caption(t("home.formula.output"))

st.subheader(t("home.live.title"))
st.markdown(t("home.live.text"))
# three tokens in 2-D: "north", "east" and "west", so the query's direction decides
X = np.array([[0.0, 2.0], [2.0, 0.0], [-2.0, 0.0]])
labels = ["x1 ↑", "x2 →", "x3 ←"]
controls, chart, numbers = st.columns([1, 2, 1.2], gap="large")
with controls:
    q1 = st.slider("q₁", -2.0, 2.0, 1.0, 0.1, key="home.q1")
    q2 = st.slider("q₂", -2.0, 2.0, 0.5, 0.1, key="home.q2")
result = attend(np.array([q1, q2]), X)
w = result.weights.numpy()
chart.plotly_chart(
    figures.bar_chart(w, labels, t("home.live.chart"), t("query.weight_axis"), color=w, height=300),
    width="stretch", key="chart.home",
)
with numbers:
    st.latex(r"a = [" + ", ".join(f"{s:.2f}" for s in result.scores.numpy()) + "]")
    st.latex(r"w = [" + ", ".join(f"{s:.2f}" for s in w) + "]")
    st.latex(r"o = [" + ", ".join(f"{s:.2f}" for s in result.output.numpy()) + "]")

st.subheader(t("home.tour.title"))
tour = [("pages/query_attention.py", "home.tour.query")]
for page, key in tour:
    st.page_link(page, label=t(f"{key}.label"), icon="➡️")
    st.caption(t(f"{key}.text"))
st.caption(t("home.tour.more"))
