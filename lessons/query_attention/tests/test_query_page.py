"""The Query-attention page: change a widget, read the chart, check it against the formulas.

References are computed here with plain torch (softmax(Xq / T)), not with
attention_core, so a bug in the core or in the page shows up as a mismatch.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from tests.app.helpers import bars, figure, no_errors, shown, trace
from tests.app.pages import HOME, open_page

PAGE = "lessons/query_attention/page.py"


def state_x_q(at):
    x = np.array(at.session_state["seq"].values)  # a writable copy: the app's own array is frozen
    q = np.asarray(at.session_state["q.values"])
    return x, q


def show(at, name):
    """Pick a view of the page (only the chosen view is built)."""
    (views,) = at.button_group
    views.set_value(name).run()
    assert not at.exception
    return at


def reference_weights(x, q, temperature=1.0, allowed=None):
    a = torch.as_tensor(np.array(x)) @ torch.as_tensor(np.array(q))
    if allowed is not None:
        a = a.masked_fill(~torch.as_tensor(allowed), float("-inf"))
    return torch.softmax(a / temperature, dim=-1).numpy()


def test_default_view_matches_the_formulas(query_page):
    at = query_page
    no_errors(at)
    x, q = state_x_q(at)
    assert x.shape == (8, 4) and q.shape == (1, 4)
    np.testing.assert_allclose(bars(at, "chart.scores"), x @ q[0], atol=1e-9)
    np.testing.assert_allclose(bars(at, "chart.weights"), reference_weights(x, q[0]), atol=1e-9)
    # the output row of the inputs figure is o = Σ wᵢ xᵢ (the view a page opens on)
    o = trace(at, "chart.inputs", 2)["z"].ravel()
    np.testing.assert_allclose(o, reference_weights(x, q[0]) @ x, atol=1e-9)


def test_typing_a_query_moves_every_chart(query_page):
    at = query_page
    before = bars(at, "chart.weights")
    at.text_area(key="w.q.text").set_value("1, 0, 0, 0").run()
    no_errors(at)
    x, q = state_x_q(at)
    np.testing.assert_array_equal(q, [[1.0, 0.0, 0.0, 0.0]])
    after = bars(at, "chart.weights")
    assert not np.allclose(before, after)
    np.testing.assert_allclose(bars(at, "chart.scores"), x[:, 0], atol=1e-9)  # qᵀxᵢ = xᵢ₁
    np.testing.assert_allclose(after, reference_weights(x, np.array([1.0, 0, 0, 0])), atol=1e-9)
    # the sliders follow the text
    assert at.slider(key="w.q.dim.0").value == 1.0 and at.slider(key="w.q.dim.1").value == 0.0


def test_moving_a_slider_updates_the_chart_and_the_text(query_page):
    at = query_page
    at.slider(key="w.q.dim.2").set_value(-2.5).run()
    no_errors(at)
    x, q = state_x_q(at)
    assert q[0, 2] == -2.5
    assert "-2.5" in at.text_area(key="w.q.text").value
    np.testing.assert_allclose(bars(at, "chart.weights"), reference_weights(x, q[0]), atol=1e-9)


def test_copy_token_makes_q_equal_that_token(query_page):
    at = query_page
    at.number_input(key="w.q.copy_i").set_value(3)
    at.button(key="w.q.copy").click().run()
    no_errors(at)
    x, q = state_x_q(at)
    np.testing.assert_allclose(q[0], x[2])
    np.testing.assert_allclose(bars(at, "chart.scores"), x @ x[2], atol=1e-9)


def test_temperature_and_scaled_dot(query_page):
    at = query_page
    at.select_slider(key="w.score.temperature").set_value(0.1).run()
    x, q = state_x_q(at)
    np.testing.assert_allclose(bars(at, "chart.weights"), reference_weights(x, q[0], 0.1), atol=1e-9)
    assert bars(at, "chart.weights").max() > 0.99  # T → 0: (almost) all weight on the argmax
    at.selectbox(key="w.score.method").set_value("scaled_dot").run()
    no_errors(at)
    np.testing.assert_allclose(bars(at, "chart.scores"), x @ q[0] / 2.0, atol=1e-9)  # √d = 2
    expected = torch.softmax(torch.as_tensor(x @ q[0] / 2.0) / 0.1, dim=-1).numpy()
    np.testing.assert_allclose(bars(at, "chart.weights"), expected, atol=1e-9)
    assert at.query_params["method"] == ["scaled_dot"] or at.query_params["method"] == "scaled_dot"


def test_mask_gives_zero_weight_and_renormalises(query_page):
    at = query_page
    at.text_input(key="w.score.mask").set_value("1, 3-4").run()
    no_errors(at)
    x, q = state_x_q(at)
    allowed = np.ones(8, dtype=bool)
    allowed[[0, 2, 3]] = False
    w = bars(at, "chart.weights")
    np.testing.assert_allclose(w, reference_weights(x, q[0], allowed=allowed), atol=1e-9)
    assert w[[0, 2, 3]].max() == 0.0 and abs(w.sum() - 1) < 1e-9
    assert figure(at, "chart.weights")["data"][1]["name"] == "masked"


def test_bad_mask_keeps_the_previous_one(query_page):
    at = query_page
    at.text_input(key="w.score.mask").set_value("2").run()
    w = bars(at, "chart.weights")
    at.text_input(key="w.score.mask").set_value("99").run()
    assert not at.exception
    assert len(at.error) == 1 and "outside" in at.error[0].value
    np.testing.assert_allclose(bars(at, "chart.weights"), w)


def test_several_queries_give_m_by_n_heatmaps(query_page):
    at = query_page
    at.text_area(key="w.q.text").set_value("1,0,0,0\n0,1,0,0\n0,0,0,1").run()
    no_errors(at)
    x, q = state_x_q(at)
    assert q.shape == (3, 4)
    show(at, "all")
    z = trace(at, "chart.all_weights")["z"]
    assert z.shape == (3, 8)
    np.testing.assert_allclose(z, torch.softmax(torch.as_tensor(q @ x.T), dim=-1).numpy(), atol=1e-9)
    np.testing.assert_allclose(trace(at, "chart.all_scores")["z"], q @ x.T, atol=1e-9)
    at.selectbox(key="w.q.sel").set_value(2).run()
    np.testing.assert_allclose(bars(at, "chart.weights"), reference_weights(x, q[2]), atol=1e-9)


def test_bad_query_text_says_so_and_keeps_the_charts(query_page):
    at = query_page
    before = bars(at, "chart.weights")
    at.text_area(key="w.q.text").set_value("1, 2, three, 4").run()
    assert not at.exception
    assert len(at.error) == 1 and "three" in shown(at.error[0].value)
    np.testing.assert_allclose(bars(at, "chart.weights"), before)
    at.text_area(key="w.q.text").set_value("1, 2").run()
    assert len(at.error) == 1 and "d = 4" in shown(at.error[0].value)


def test_bad_upload_shows_one_error_and_keeps_the_data(query_page):
    at = query_page
    x_before = state_x_q(at)[0].copy()
    at.radio(key="w.seq.source").set_value("upload").run()
    at.file_uploader[0].set_value(("ragged.csv", b"1,2,3\n4,5\n", "text/csv")).run()
    assert not at.exception
    assert len(at.error) == 1
    assert "ragged.csv" in shown(at.error[0].value) and "same number of values" in shown(at.error[0].value)
    np.testing.assert_array_equal(state_x_q(at)[0], x_before)
    assert len(bars(at, "chart.weights")) == 8
    assert at.file_uploader[0].value is None  # the refused file does not stay in the box as if accepted


def test_pickled_npy_upload_is_refused(query_page):
    import io
    import pickle

    at = query_page
    at.radio(key="w.seq.source").set_value("upload").run()
    at.file_uploader[0].set_value(("evil.npy", pickle.dumps({"a": 1}), "application/octet-stream")).run()
    assert not at.exception and len(at.error) == 1
    buffer = io.BytesIO()
    np.save(buffer, np.array([[1, "x"]], dtype=object), allow_pickle=True)
    at.file_uploader[0].set_value(("objects.npy", buffer.getvalue(), "application/octet-stream")).run()
    assert not at.exception and len(at.error) == 1 and "never loaded" in at.error[0].value


def test_good_upload_replaces_the_sequence_and_its_labels(query_page):
    at = query_page
    at.radio(key="w.seq.source").set_value("upload").run()
    data = b"token,a,b,c\nthe,1,0,0\ncat,0,1,0\nsat,0,0,1\n"
    at.file_uploader[0].set_value(("words.csv", data, "text/csv")).run()
    no_errors(at)
    x, q = state_x_q(at)
    assert x.shape == (3, 3) and q.shape == (1, 3)  # d changed, so q was reset to length 3
    spec = figure(at, "chart.weights")
    assert spec["layout"]["xaxis"]["ticktext"] == ["the", "cat", "sat"]
    np.testing.assert_allclose(bars(at, "chart.weights"), reference_weights(x, q[0]), atol=1e-9)


def test_labels_are_escaped_in_charts(query_page):
    at = query_page
    at.radio(key="w.seq.source").set_value("upload").run()
    data = b"<b>bold</b>,1,2\n<a href='x'>link</a>,3,4\n"
    at.file_uploader[0].set_value(("tags.csv", data, "text/csv")).run()
    no_errors(at)
    ticks = figure(at, "chart.weights")["layout"]["xaxis"]["ticktext"]
    assert ticks[0] == "&lt;b&gt;bold&lt;/b&gt;" and "<" not in "".join(ticks)


def test_link_reproduces_the_view_and_widgets_update_the_url():
    at = open_page(PAGE, kind="gaussian", n=12, d=3, seed=5, method="cosine", temperature=0.5, q="1,2,3")
    no_errors(at)
    x, q = state_x_q(at)
    assert x.shape == (12, 3)
    np.testing.assert_array_equal(q, [[1.0, 2.0, 3.0]])
    expected = torch.nn.functional.cosine_similarity(torch.as_tensor(x), torch.as_tensor(q), dim=-1)
    np.testing.assert_allclose(bars(at, "chart.scores"), expected.numpy(), atol=1e-9)
    np.testing.assert_allclose(bars(at, "chart.weights"), torch.softmax(expected / 0.5, -1).numpy(), atol=1e-9)
    at.number_input(key="w.seq.n").set_value(20).run()
    assert at.query_params["n"] in ("20", ["20"])
    assert at.query_params["q"] in ("1,2,3", ["1,2,3"])


def test_bad_link_values_are_ignored_with_a_warning():
    at = open_page(PAGE, n="lots", method="magic", q="1,2")
    assert not at.exception
    assert len(at.warning) == 1 and "n" in at.warning[0].value
    assert state_x_q(at)[0].shape == (8, 4)


def test_large_sequence_stays_light():
    at = open_page(PAGE, kind="gaussian", n=4096, d=64, seed=0)
    no_errors(at)
    assert len(bars(at, "chart.weights")) == 4096
    z = trace(at, "chart.inputs", 1)["z"]
    assert z.shape[0] <= 160 and z.shape[1] <= 160  # block-averaged, never 262 144 cells
    total = sum(len(el.proto.spec) for el in at.get("plotly_chart"))
    assert total < 2_000_000, f"{total} bytes of figures"


def test_general_and_additive_scores_show_their_parameters(query_page):
    at = query_page
    for method, key in (("general", "chart.param_w"), ("additive", "chart.param_w1")):
        at.selectbox(key="w.score.method").set_value(method).run()
        show(at, "arithmetic")
        no_errors(at)
        assert figure(at, key)["data"][0]["type"] == "heatmap"
        assert abs(bars(at, "chart.weights").sum() - 1) < 1e-9


def test_sequence_carries_over_between_pages():
    at = open_page(PAGE, kind="one_hot", n=5, d=5)
    x = state_x_q(at)[0].copy()
    at.switch_page(HOME).run()
    no_errors(at)
    at.switch_page(PAGE).run()
    np.testing.assert_array_equal(state_x_q(at)[0], x)


def test_mask_beyond_a_shorter_sequence_is_cleared():
    at = open_page(PAGE, n=10, mask="9-10")
    assert bars(at, "chart.weights")[8:].max() == 0.0
    at.number_input(key="w.seq.n").set_value(5).run()
    no_errors(at)
    assert at.text_input(key="w.score.mask").value == ""
    assert len(bars(at, "chart.weights")) == 5 and abs(bars(at, "chart.weights").sum() - 1) < 1e-9


def test_sliders_keep_q_when_new_data_widens_their_range():
    at = open_page(PAGE, kind="one_hot", n=4, d=4, q="1,0,0,0")
    assert [s.value for s in at.slider][:4] == [1.0, 0.0, 0.0, 0.0]
    at.radio(key="w.seq.source").set_value("upload").run()
    at.file_uploader[0].set_value(("wide.csv", b"1,0,0,0\n5,1,0,0\n0,0,1,0\n0,0,0,1\n", "text/csv")).run()
    no_errors(at)
    assert at.slider[0].max == 5.0  # the range grew with the data …
    assert [s.value for s in at.slider][:4] == [1.0, 0.0, 0.0, 0.0]  # … and the sliders still show q
    at.slider(key="w.q.dim.1").set_value(2.0).run()
    np.testing.assert_array_equal(state_x_q(at)[1], [[1.0, 2.0, 0.0, 0.0]])


def test_link_with_a_query_of_the_wrong_length_warns_and_uses_the_default():
    at = open_page(PAGE, d=3, q="1,2,3,4")
    assert not at.exception and not at.error
    assert len(at.warning) == 1 and "q" in at.warning[0].value
    assert state_x_q(at)[1].shape == (1, 3)


# ---------------------------------------------------------------- issue 7


def upload(at, name: str, data: bytes):
    at.radio(key="w.seq.source").set_value("upload").run()
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    return at


def latex_lines(at) -> list[str]:
    """The LaTeX of every st.latex, without the $$ … $$ that AppTest keeps."""
    return [el.value.strip().removeprefix("$$").removesuffix("$$").strip() for el in at.latex]


def metric(at, index: int) -> str:
    return at.metric[index].value


def test_number_formatting_is_total():
    """ui/arithmetic.num(inf) raised "not enough values to unpack" (a cosine of 1e200 values)."""
    from ui import arithmetic

    assert arithmetic.num(float("inf")) == "\\infty" and arithmetic.num(float("-inf")) == "-\\infty"
    assert arithmetic.num(float("nan")) == "\\mathrm{NaN}"
    assert arithmetic.num(1e300) == "1.00\\times 10^{300}"
    assert arithmetic.num(-0.0) == "0.00" and arithmetic.num(-1e-30) == "-1.00\\times 10^{-30}"
    assert arithmetic.num(-0.001, 3) == "-0.001"


def test_values_at_the_bound_give_finite_numbers_in_every_method_tab_and_temperature(query_page):
    """|x| up to 1e6 (attention_core.MAX_ABS_VALUE), q up to 1e6 scaled ×10: every view stays finite."""
    at = upload(query_page, "big.csv", b"1e6,-1e6,3\n-1e6,1e6,0\n5e5,1e6,-1e6\n1e6,1e6,1e6\n")
    no_errors(at)
    at.text_area(key="w.q.text").set_value("1e6, 1e6, -1e6").run()
    at.select_slider(key="w.q.scale").set_value(10.0).run()
    for method in ("dot", "scaled_dot", "cosine", "general", "additive"):
        at.selectbox(key="w.score.method").set_value(method).run()
        for temperature, mask in ((0.01, ""), (100.0, "2"), (1.0, "")):
            at.select_slider(key="w.score.temperature").set_value(temperature)
            at.text_input(key="w.score.mask").set_value(mask).run()
            no_errors(at)
            w = bars(at, "chart.weights")
            assert np.isfinite(w).all() and abs(w.sum() - 1) < 1e-9, (method, temperature, w)
            assert np.isfinite(bars(at, "chart.scores")).all()
            assert np.isfinite(trace(at, "chart.inputs", 2)["z"]).all()
            show(at, "projection")
            projected = trace(at, "chart.projection", 0)
            assert np.isfinite(projected["x"]).all() and np.isfinite(projected["y"]).all()
            show(at, "arithmetic")
            latex = " ".join(el.value for el in at.latex)
            assert "NaN" not in latex and "infty" not in latex, latex
            show(at, "inputs")


def test_one_token_has_zero_not_minus_zero_bits(query_page):
    at = upload(query_page, "one.csv", b"1,2\n")
    no_errors(at)
    assert metric(at, 0) == "0.00 bits"
    show(at, "arithmetic")
    assert "-0.00" not in " ".join(el.value for el in at.latex)


def test_arithmetic_writes_out_the_largest_weights_and_any_chosen_token(query_page):
    at = query_page
    w = bars(at, "chart.weights")
    largest = [int(i) for i in np.argsort(-w)[:3]]
    show(at, "arithmetic")
    chooser = at.multiselect(key="w.q.arith_tokens")
    assert chooser.value == largest  # the winner is written out by default
    latex = latex_lines(at)
    for i in largest:
        assert any(
            line.startswith(f"\\begin{{aligned}} a_{{{i + 1}}} =") or line.startswith(f"a_{{{i + 1}}} =")
            for line in latex
        )
    left_out = [f"x{i + 1}" for i in range(8) if i not in largest]
    assert any(all(name in c.value for name in left_out) for c in at.caption), [c.value for c in at.caption]
    # the student picks the least attended token: its line appears, with the score the chart shows
    least = int(np.argmin(w))
    chooser.set_value([least]).run()
    no_errors(at)
    assert at.multiselect(key="w.q.arith_tokens").value == [least]
    score = bars(at, "chart.scores")[least]
    lines = [line for line in latex_lines(at) if f"a_{{{least + 1}}} =" in line]
    assert len(lines) == 1 and lines[0].removesuffix("\\end{aligned}").strip().endswith(f"{score:.3f}"), lines
    # the choice holds while q moves, and clearing it goes back to the largest weights
    at.button(key="w.q.random").click().run()
    assert at.multiselect(key="w.q.arith_tokens").value == [least]
    at.multiselect(key="w.q.arith_tokens").set_value([]).run()
    w = bars(at, "chart.weights")
    assert at.multiselect(key="w.q.arith_tokens").value == [int(i) for i in np.argsort(-w)[:3]]


def test_weights_use_a_fixed_0_to_1_scale_unless_zoomed():
    """At T = 100 the weights are ≈ 1/8 each: on a 0–1 axis and colour scale they must look alike."""
    at = open_page(PAGE, temperature=100)
    no_errors(at)
    weights_fig = figure(at, "chart.weights")
    assert weights_fig["layout"]["yaxis"]["range"][0] == 0 and weights_fig["layout"]["yaxis"]["range"][1] >= 1
    marker = weights_fig["data"][0]["marker"]
    assert (marker["cmin"], marker["cmax"]) == (0, 1)
    assert figure(at, "chart.scores")["data"][0]["marker"]["cmax"] == 1
    assert figure(at, "chart.inputs")["layout"]["coloraxis2"]["cmax"] == 1
    at.toggle(key="w.query.zoom").set_value(True).run()
    no_errors(at)
    zoomed = figure(at, "chart.weights")
    assert "range" not in zoomed["layout"]["yaxis"]
    assert zoomed["data"][0]["marker"]["cmax"] == pytest.approx(bars(at, "chart.weights").max())
    assert at.query_params["zoom"] in ("1", ["1"])
    # and a link with zoom=1 opens zoomed
    again = open_page(PAGE, temperature=100, zoom=1)
    assert again.toggle(key="w.query.zoom").value is True
    assert "range" not in figure(again, "chart.weights")["layout"]["yaxis"]


def test_copied_token_that_loses_is_explained_from_the_numbers(query_page):
    """Clusters, seed 0: q = x1 makes x2 win under the dot product, because x2 is longer."""
    at = query_page
    assert not at.info
    at.button(key="w.q.copy").click().run()
    no_errors(at)
    x, q = state_x_q(at)
    w = bars(at, "chart.weights")
    win = int(np.argmax(w))
    assert win != 0, "the example needs a copied token that loses"
    assert len(at.info) == 1
    text = at.info[0].value
    norm_win, norm_copy = np.linalg.norm(x[win]), np.linalg.norm(x[0])
    assert f"x{win + 1}" in text and f"{norm_win:.2f}" in text and f"{norm_copy:.2f}" in text
    assert f"{x[win] @ q[0]:.2f}" in text and f"{x[0] @ q[0]:.2f}" in text
    # cosine: the copy scores 1, the most any token can, and wins: nothing to explain
    at.selectbox(key="w.score.method").set_value("cosine").run()
    assert int(np.argmax(bars(at, "chart.weights"))) == 0 and not at.info


def test_every_figure_has_readable_fonts(query_page):
    """Ticks ≥ 12 px and titles ≥ 14 px, set in the figure (Streamlit's theme would shrink ticks to 12)."""
    at = query_page
    at.text_area(key="w.q.text").set_value("1,0,0,0\n0,1,0,0").run()  # the all-queries tab too
    at.selectbox(key="w.score.method").set_value("general").run()
    elements = []
    for name in ("inputs", "projection", "arithmetic", "all"):
        elements += show(at, name).get("plotly_chart")
    assert {"chart.inputs", "chart.projection", "chart.param_w", "chart.all_scores"} <= {
        e.proto.id.rsplit("-", 1)[-1] for e in elements
    }
    for element in elements:
        layout = json.loads(element.proto.spec)["layout"]
        assert layout["title"]["font"]["size"] >= 14
        axes = [v for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))]
        assert axes
        for ax in axes:
            if ax.get("showticklabels", True):
                assert ax.get("tickfont", {}).get("size", 0) >= 13, (element.proto.id, ax)


def test_inputs_figure_names_the_weight_strip_below_it_not_over_the_title(query_page):
    layout = figure(query_page, "chart.inputs")["layout"]
    strip = layout["xaxis2"]
    assert not strip.get("title", {}).get("text")  # a title on top was drawn over "The tokens X"
    assert strip["ticktext"] == ["w"] and strip["side"] == "bottom"


def test_scoring_method_labels_fit_the_sidebar():
    from ui.i18n import catalogs

    for lang, table in catalogs().items():
        for method in ("dot", "scaled_dot", "cosine", "general", "additive"):
            assert len(table[f"scoring.method.{method}"]) <= 22, (lang, table[f"scoring.method.{method}"])
        assert "Bahdanau" in table["scoring.method.help"] and "Luong" in table["scoring.method.help"]


def test_chinese_query_page_shows_no_english():
    at = open_page(PAGE)
    at.selectbox(key="w.lang").set_value("zh").run()
    at.button(key="w.q.copy").click().run()
    no_errors(at)
    assert metric(at, 0).endswith("比特")
    show(at, "arithmetic")
    assert "比特" in " ".join(el.value for el in at.latex)
    inputs = figure(show(at, "inputs"), "chart.inputs")["data"]
    assert "词元" in inputs[1]["hovertemplate"] and "输出" in inputs[2]["hovertemplate"]
    layout = figure(show(at, "projection"), "chart.projection")["layout"]
    assert layout["xaxis"]["title"]["text"] == "主成分 1"
    assert "胜出" in at.info[0].value
    at.text_input(key="w.score.mask.zh").set_value("3").run()
    assert figure(at, "chart.weights")["data"][1]["name"] == "已掩码"
    at.text_area(key="w.q.text").set_value("1,0,0,0\n0,1,0,0").run()
    show(at, "all")
    assert "行" in figure(at, "chart.all_scores")["data"][0]["hovertemplate"]


def test_only_the_chosen_view_is_built_and_the_link_names_it():
    at = open_page(PAGE)
    no_errors(at)
    charts = {e.proto.id.rsplit("-", 1)[-1] for e in at.get("plotly_chart")}
    assert charts == {"chart.scores", "chart.weights", "chart.inputs"}
    show(at, "projection")
    charts = {e.proto.id.rsplit("-", 1)[-1] for e in at.get("plotly_chart")}
    assert charts == {"chart.scores", "chart.weights", "chart.projection"}
    assert at.query_params["view"] in ("projection", ["projection"])
    again = open_page(PAGE, view="projection")
    assert again.button_group[0].value == "projection"
    assert figure(again, "chart.projection")["data"][0]["x"] is not None
