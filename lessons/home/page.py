"""Home: the three formulas, a tiny live example, and a tour of every page.

The home page is every visitor's first load, so it draws no Plotly chart: the
chart component alone is 4.7 MB of JavaScript and made the first visit about
twice as slow as Streamlit's own (issue 9).  Its three weights are
Streamlit's progress bars, which are bars on [0, 1] — what weights are — and
its arithmetic is plain Python: the page imports no torch.
"""

import math

import streamlit as st

from lessons.home.controls import SETTINGS
from ui import layout, url_state
from ui.i18n import t

# the live example's query is a setting like any other: in the link, restored from it
url_state.enter("home", lambda: SETTINGS.apply_url(url_state.read(SETTINGS.parsers)))
SETTINGS.ensure()
st.title(t("home.title"))
st.markdown(t("home.intro"))
url_state.show_warnings()

# the step's name above its formula, so the three names line up whatever the formulas' heights
formulas = st.columns(3, border=True)
for column, key, latex in zip(
    formulas,
    ("scores", "weights", "output"),
    (r"a_i = q^\top x_i", r"w_i = \frac{e^{a_i}}{\sum_j e^{a_j}}", r"o = \sum_i w_i\, x_i"),
):
    column.markdown(t(f"home.formula.{key}"))
    column.latex(latex)

st.subheader(t("home.live.title"))
st.markdown(t("home.live.text"))
# three tokens in 2-D: "north", "east" and "west", so the query's direction decides
X = ((0.0, 2.0), (2.0, 0.0), (-2.0, 0.0))
labels = ["x1 ↑", "x2 →", "x3 ←"]
controls, chart, numbers = st.columns([1, 2, 1.2], gap="large")
with controls:
    q1, q2 = SETTINGS.draw("q1"), SETTINGS.draw("q2")
# three tokens, one query: the formulas above in plain Python. attention_core.attend computes the same
# (tests/test_home.py in this folder checks), but would make a first visit wait ~1 s for torch
scores = [q1 * x1 + q2 * x2 for x1, x2 in X]  # a_i = qᵀx_i
exps = [math.exp(a - max(scores)) for a in scores]
w = [e / sum(exps) for e in exps]  # w = softmax(a)
output = [sum(w_i * x[d] for w_i, x in zip(w, X)) for d in range(2)]  # o = Σ w_i x_i
with chart:
    st.markdown(f"**{t('home.live.chart')}**")
    for label, w_i, position in zip(labels, w, "₁₂₃"):
        st.progress(float(w_i), text=f"{label} · w{position} = {w_i:.2f}")
with numbers:
    st.latex(r"a = [" + ", ".join(f"{s:.2f}" for s in scores) + "]")
    st.latex(r"w = [" + ", ".join(f"{s:.2f}" for s in w) + "]")
    st.latex(r"o = [" + ", ".join(f"{s:.2f}" for s in output) + "]")

st.subheader(t("home.tour.title"))
for lesson in layout.lessons():  # the registry's order; a Material icon, not an emoji: see app.py
    key = lesson["tour"]
    st.page_link(str(layout.ROOT / lesson["page"]), label=t(f"{key}.label"), icon=":material/arrow_forward:")
    st.caption(t(f"{key}.text"))

url_state.publish(SETTINGS.url_values())
