"""Steer the query and Compare A/B: click, change B, read what the charts and numbers now hold.

References are plain torch (softmax of scores written from the formulas), not attention_core,
so a bug in the core or in the page shows up as a mismatch.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tests.app.helpers import bars, figure, metric, no_errors, shown, trace, widget
from tests.app.pages import open_page

QUERY = "lessons/query_attention/page.py"


def show(at, view: str):
    at.button_group[0].set_value(view).run()
    no_errors(at)
    return at


def x_q(at):
    return np.array(at.session_state["seq"].values), np.array(at.session_state["q.values"])


def weights(x, q, method="dot", temperature=1.0, masked=()):
    """softmax(a / T) with a from the formulas; masked tokens (0-based) get −∞."""
    x, q = torch.as_tensor(x), torch.as_tensor(q)
    a = F.cosine_similarity(x, q[None, :], dim=-1) if method == "cosine" else x @ q
    if method == "scaled_dot":
        a = a / math.sqrt(x.shape[1])
    a = a.clone()
    a[list(masked)] = float("-inf")
    return torch.softmax(a / temperature, dim=-1).numpy()


def entropy_bits(w):
    w = w[w > 0]
    return float(-(w * np.log2(w)).sum())


# ------------------------------------------------------------------ compare


def test_compare_b_settings_give_what_two_attention_calls_give():
    at = show(open_page(QUERY), "compare")
    x, q = x_q(at)
    widget(at, "selectbox", "w.query.cmp.method").set_value("cosine").run()
    widget(at, "select_slider", "w.query.cmp.temperature").set_value(0.3).run()
    at.text_input(key="w.query.cmp.mask").set_value("2, 5").run()
    at.text_input(key="w.query.cmp.q").set_value("1, 0, -1, 0.5").run()
    no_errors(at)
    q_b = np.array([1.0, 0.0, -1.0, 0.5])
    w_a = weights(x, q[0])
    w_b = weights(x, q_b, "cosine", 0.3, masked=(1, 4))
    np.testing.assert_allclose(bars(at, "chart.compare.a"), w_a, atol=1e-9)
    np.testing.assert_allclose(bars(at, "chart.compare.b"), w_b, atol=1e-9)
    np.testing.assert_allclose(bars(at, "chart.compare.delta_w"), w_b - w_a, atol=1e-9)
    np.testing.assert_allclose(bars(at, "chart.compare.delta_o"), w_b @ x - w_a @ x, atol=1e-9)
    assert metric(at, "ΔH (bits)") == f"{entropy_bits(w_b) - entropy_bits(w_a):+.2f}"
    assert metric(at, "‖Δo‖") == f"{np.linalg.norm(w_b @ x - w_a @ x):.3f}"
    # both weight charts on one y axis
    ranges = [figure(at, f"chart.compare.{side}")["layout"]["yaxis"]["range"] for side in "ab"]
    assert ranges[0] == ranges[1] == [0.0, 1.08]
    # the link holds B
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["view"] in ("compare", ["compare"])
    assert str(params["b_method"]).strip("[]'") == "cosine"
    assert "b_q" in params and "b_mask" in params and "b_temperature" in params


def test_compare_zoomed_charts_share_the_larger_range():
    at = show(open_page(QUERY), "compare")
    at.toggle(key="w.query.zoom").set_value(True).run()
    no_errors(at)
    top = max(bars(at, "chart.compare.a").max(), bars(at, "chart.compare.b").max())
    for side in "ab":
        assert figure(at, f"chart.compare.{side}")["layout"]["yaxis"]["range"] == pytest.approx([0.0, 1.08 * top])


def test_b_copies_a_and_a_bad_b_query_keeps_the_last_one():
    at = show(open_page(QUERY), "compare")
    before = bars(at, "chart.compare.b")
    at.text_input(key="w.query.cmp.q").set_value("1, 2").run()  # d = 4: refused
    assert at.error and "B's query was not applied" in shown(at.error[0].value)
    np.testing.assert_allclose(bars(at, "chart.compare.b"), before)
    at.button(key="w.query.cmp.copy_a").click().run()
    no_errors(at)
    assert not bars(at, "chart.compare.delta_w").any()  # B = A: nothing differs
    assert metric(at, "‖Δo‖") == "0.000"


def test_a_compare_link_restores_b():
    at = open_page(QUERY, view="compare", b_method="scaled_dot", b_temperature="2", b_mask="1")
    no_errors(at)
    x, q = x_q(at)
    np.testing.assert_allclose(bars(at, "chart.compare.b"), weights(x, q[0], "scaled_dot", 2.0, masked=(0,)), atol=1e-9)


# ------------------------------------------------------------------- steer


def gradient(x, q, j, temperature=1.0):
    """∂wⱼ/∂q by torch.autograd through a plain softmax(Xq / T)."""
    q = torch.as_tensor(q).clone().requires_grad_(True)
    torch.softmax(torch.as_tensor(x) @ q / temperature, dim=-1)[j].backward()
    return q.grad.numpy()


def test_a_step_raises_the_chosen_weight_and_moves_q_everywhere():
    at = show(open_page(QUERY), "steer")
    x, q = x_q(at)
    j = 2  # x3: a token with a small weight
    token = widget(at, "selectbox", "w.query.steer.token")
    token.set_value(j).run()
    widget(at, "select_slider", "w.query.steer.step").set_value(0.5).run()
    no_errors(at)
    g = gradient(x, q[0], j)
    written = [float(v) for v in at.latex[-1].value.split("= (")[-1].split(")")[0].split(",")]
    np.testing.assert_allclose(written, g, atol=1.5e-3)  # written with 3 decimals or 2 significant digits
    assert metric(at, "‖∂wⱼ/∂q‖") == f"{np.linalg.norm(g):.3f}"
    before = bars(at, "chart.weights")

    at.button(key="w.query.steer.go").click().run()
    no_errors(at)
    _, q_new = x_q(at)
    np.testing.assert_allclose(q_new[0], np.round(q[0] + 0.5 * g / np.linalg.norm(g), 3))
    after = bars(at, "chart.weights")
    assert after[j] > before[j]
    np.testing.assert_allclose(after, weights(x, q_new[0]), atol=1e-9)  # the weights chart follows the new q
    box = [float(v) for v in at.text_area(key="w.q.text").value.split(",")]
    np.testing.assert_allclose(box, q_new[0])  # the query box follows
    assert [float(v) for v in str(at.query_params["q"]).strip("[]'").split(",")] == pytest.approx(q_new[0])
    assert at.slider(key="w.q.dim.0").value == pytest.approx(q_new[0, 0])
    assert at.success and "from" in shown(at.success[0].value)


@pytest.mark.parametrize("method", ["scaled_dot", "cosine", "general", "additive"])
def test_a_step_raises_the_weight_for_every_method(method):
    at = open_page(QUERY, view="steer", method=method, steer_to=3, steer_step=0.1)
    no_errors(at)
    before = bars(at, "chart.weights")
    at.button(key="w.query.steer.go").click().run()
    no_errors(at)
    assert bars(at, "chart.weights")[2] > before[2]


def test_the_arrow_starts_at_q_in_the_picture():
    at = show(open_page(QUERY), "steer")
    spec = figure(at, "chart.steer")
    (arrow,) = spec["layout"]["annotations"]
    q_2d = trace(at, "chart.steer", 1)  # keys, q, o, …
    assert (arrow["ax"], arrow["ay"]) == pytest.approx((q_2d["x"][0], q_2d["y"][0]))
    assert math.hypot(arrow["x"] - arrow["ax"], arrow["y"] - arrow["ay"]) > 0.1  # long enough to see


def test_steering_a_masked_token_is_not_offered():
    at = open_page(QUERY, view="steer", mask="1-7")
    no_errors(at)
    assert widget(at, "selectbox", "w.query.steer.token").options == ["8 · x8"]
    assert metric(at, "‖∂wⱼ/∂q‖") == "0.000"  # the only token: weight 1 whatever q does
    assert at.button(key="w.query.steer.go").disabled


@pytest.mark.parametrize(("link", "named"), [({"b_q": "1,2,3"}, "b_q"), ({"b_mask": "40"}, "b_mask")])
def test_a_b_setting_that_does_not_fit_x_is_named_in_the_warning(link, named):
    """d = 4, n = 8: a 3-number b_q or a b_mask past the last token was dropped without a word."""
    at = open_page(QUERY, view="compare", **link)
    no_errors(at)
    (warning,) = at.warning
    assert warning.value.endswith(f" {named}.")
    assert named not in at.query_params  # B follows A: the link no longer holds it
