"""The Self-attention page: change a widget or click a cell, read the charts, check them against the formulas.

References are computed here with plain torch from the seeded weights
(Q = XW_Qᵀ, split into heads, softmax(QKᵀ/√d_head / T) with −∞ where masked),
not with attention_core's attention, so a bug in the core or the page shows
up as a mismatch.  (multi_head_self_attention itself is checked against
torch.nn.MultiheadAttention in tests/core/test_multihead.py.)
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from attention_core.multihead import MultiHeadParams
from tests.app.helpers import bars, decode, figure, no_errors, trace
from tests.app.pages import open_page

PAGE = "lessons/self_attention/page.py"
WEIGHTS, SCORES, HEADS = "chart.sa.weights", "chart.sa.scores", "chart.sa.heads"


def reference(x, kv, d_model, heads, seed=0, allowed=None, temperature=1.0):
    """(scores, weights) ``[h, n, m]`` in plain torch; masked scores are −∞ before the softmax."""
    p = MultiHeadParams.random(d_model, heads, seed=seed, d_in=x.shape[1])
    x, kv = torch.as_tensor(np.array(x)), torch.as_tensor(np.array(kv))
    d_head = d_model // heads
    q = (x @ p.w_q.T).reshape(x.shape[0], heads, d_head).transpose(0, 1)  # (h, n, d_head)
    k = (kv @ p.w_k.T).reshape(kv.shape[0], heads, d_head).transpose(0, 1)  # (h, m, d_head)
    s = q @ k.transpose(1, 2) / math.sqrt(d_head)  # (h, n, m)
    a = s if allowed is None else s.masked_fill(~torch.as_tensor(allowed), float("-inf"))
    w = torch.softmax(a / temperature, dim=-1)
    return s.numpy(), torch.nan_to_num(w, nan=0.0).numpy()


def picker(at, kind: str, key: str):
    """The one ``kind`` widget whose key is ``key``, or ``key`` plus the fingerprint of its option labels."""
    found = [w for w in getattr(at, kind) if w.key == key or (w.key or "").startswith(key + ".")]
    assert len(found) == 1, [w.key for w in getattr(at, kind)]
    return found[0]


def show(at, view: str):
    """Pick a view (only the picked view is drawn); the view control is keyed per language."""
    found = [w for w in at.segmented_control if (w.key or "").startswith("w.sa.view")]
    assert len(found) == 1, [w.key for w in at.segmented_control]
    found[0].set_value(view).run()
    return at


def x_of(at) -> np.ndarray:
    return np.asarray(at.session_state["seq"].values)


def weights_z(at) -> np.ndarray:
    return trace(at, WEIGHTS, 0)["z"]


def latex_text(at) -> str:
    return "\n".join(el.value for el in at.latex)


def click_cell(at, key: str, i: int, j: int):
    """What the browser sends when a cell's click target is clicked (0-based i, j), then rerun.

    AppTest cannot click a Plotly chart, so the selection event is put into
    the widget states by hand, exactly as the frontend serialises it (a row
    of the typed customdata array arrives as {"0": i, "1": j, "2": value}).
    """
    charts = [el for el in at.get("plotly_chart") if el.proto.id.endswith(f"-{key}")]
    assert len(charts) == 1
    n_k = len(figure(at, key)["layout"]["xaxis"].get("ticktext", [])) or 1
    index = i * n_k + j
    event = {
        "selection": {
            "points": [
                {
                    "curve_number": 2,
                    "point_number": index,
                    "point_index": index,
                    "x": j + 1,
                    "y": i + 1,
                    "customdata": {"0": i, "1": j, "2": 0.5},
                }
            ],
            "point_indices": [index],
            "box": [],
            "lasso": [],
        }
    }
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = charts[0].proto.id
    state.string_value = json.dumps(event)
    return at._run(states)


@pytest.fixture
def page():
    return open_page(PAGE)


def test_default_view_matches_plain_torch(page):
    at = page
    no_errors(at)
    x = x_of(at)
    s, w = reference(x, x, 8, 2)
    np.testing.assert_allclose(weights_z(at), w[0], atol=1e-9)
    np.testing.assert_allclose(trace(at, SCORES, 0)["z"], s[0], atol=1e-9)
    np.testing.assert_allclose(weights_z(at).sum(axis=1), 1.0, atol=1e-9)
    spec = figure(at, WEIGHTS)
    assert spec["layout"]["xaxis"]["ticktext"] == [f"x{k}" for k in range(1, 9)]  # token labels on both axes
    assert spec["layout"]["yaxis"]["ticktext"] == [f"x{k}" for k in range(1, 9)]
    assert spec["data"][0]["texttemplate"] == "%{z:.2f}"  # numbers in the cells (n ≤ 16)
    # the row view is row i of the chosen head, as bars
    np.testing.assert_allclose(bars(at, "chart.sa.row"), w[0, 0], atol=1e-9)


def test_changing_the_number_of_heads(page):
    at = page
    at.number_input(key="w.sa.heads").set_value(4).run()
    no_errors(at)
    x = x_of(at)
    _, w = reference(x, x, 8, 4)
    assert len(picker(at, "radio", "w.sa.head").options) == 4
    show(at, "all")
    small = figure(at, HEADS)["data"]
    assert [d["type"] for d in small] == ["heatmap"] * 4
    for head in range(4):  # masked cells are left empty in the small multiples: none here
        np.testing.assert_allclose(trace(at, HEADS, head)["z"], w[head], atol=1e-9)
    picker(at, "radio", "w.sa.head").set_value(3).run()
    show(at, "head")
    np.testing.assert_allclose(weights_z(at), w[3], atol=1e-9)
    show(at, "all")
    entropy = trace(at, "chart.sa.entropy")["y"]
    expected = -(w * np.log2(np.where(w > 0, w, 1))).sum(-1).mean(-1)
    np.testing.assert_allclose(entropy, expected, atol=1e-9)
    assert at.query_params["heads"] in ("4", ["4"]) and at.query_params["head"] in ("4", ["4"])


def test_heads_that_do_not_divide_d_model_say_so_and_keep_the_charts(page):
    at = page
    before = weights_z(at)
    at.number_input(key="w.sa.heads").set_value(3).run()
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "3 heads cannot share d_model = 8" in message and "d_model = 9" in message and "1, 2, 4, 8" in message
    np.testing.assert_allclose(weights_z(at), before)  # still 2 heads
    at.number_input(key="w.sa.d_model").set_value(12).run()  # now 3 divides 12
    no_errors(at)
    show(at, "all")
    assert len(figure(at, HEADS)["data"]) == 3


def test_causal_mask_zeroes_the_upper_triangle(page):
    at = page
    assert np.triu(weights_z(at), 1).max() > 0
    at.selectbox(key="w.sa.mask").set_value("causal").run()
    no_errors(at)
    x = x_of(at)
    z = weights_z(at)
    assert np.all(np.triu(z, 1) == 0.0)
    np.testing.assert_allclose(z.sum(axis=1), 1.0, atol=1e-9)
    allowed = np.tril(np.ones((8, 8), dtype=bool))
    np.testing.assert_allclose(z, reference(x, x, 8, 2, allowed=allowed)[1][0], atol=1e-9)
    masked = trace(at, WEIGHTS, 1)  # the grey layer covers exactly the upper triangle
    np.testing.assert_array_equal(np.isfinite(masked["z"]), ~allowed)
    assert z[0, 0] == 1.0  # the first token can only look at itself


def test_clicking_a_cell_writes_out_its_arithmetic(page):
    at = page
    click_cell(at, WEIGHTS, 2, 4)
    no_errors(at)
    assert picker(at, "selectbox", "w.sa.i").value == 2 and picker(at, "selectbox", "w.sa.j").value == 4
    x = x_of(at)
    s, w = reference(x, x, 8, 2)
    text = latex_text(at)
    assert "s_{3,5}" in text and "w_{3,5}" in text and r"\sqrt{4}" in text
    # the score, as the core computed it (with the 3 or 4 decimals that make the written-out sum add up)
    assert f" {s[0, 2, 4]:.3f}" in text or f" {s[0, 2, 4]:.4f}" in text  # after "=" or "≈"
    assert f"= {w[0, 2, 4]:.4f}" in text  # the weight: softmax of row 3
    assert any("x3" in md.value and "x5" in md.value for md in at.markdown)
    np.testing.assert_allclose(bars(at, "chart.sa.row"), w[0, 2], atol=1e-9)  # the row view follows
    shapes = figure(at, WEIGHTS)["layout"]["shapes"]
    assert shapes[-1]["x0"] == 4.5 and shapes[-1]["y0"] == 2.5  # the clicked cell is framed
    assert at.query_params["i"] in ("3", ["3"]) and at.query_params["j"] in ("5", ["5"])


def test_picking_a_cell_with_the_select_boxes(page):
    at = page
    picker(at, "selectbox", "w.sa.i").set_value(6).run()
    picker(at, "selectbox", "w.sa.j").set_value(1).run()
    no_errors(at)
    assert "s_{7,2}" in latex_text(at)


def test_custom_mask_cells_toggle_on_click(page):
    at = page
    at.selectbox(key="w.sa.mask").set_value("custom").run()
    click_cell(at, WEIGHTS, 1, 3)
    no_errors(at)
    x = x_of(at)
    allowed = np.ones((8, 8), dtype=bool)
    allowed[1, 3] = False
    z = weights_z(at)
    assert z[1, 3] == 0.0
    np.testing.assert_allclose(z, reference(x, x, 8, 2, allowed=allowed)[1][0], atol=1e-9)
    assert r"-\infty" in latex_text(at)  # the clicked cell is masked: its score is −∞
    assert at.query_params["hide"] in ("2:4", ["2:4"])
    click_cell(at, WEIGHTS, 1, 3)  # again: shown again
    np.testing.assert_allclose(weights_z(at), reference(x, x, 8, 2)[1][0], atol=1e-9)


def test_a_row_with_every_key_masked_says_so_and_shows_zeros(page):
    at = page
    at.selectbox(key="w.sa.mask").set_value("padding").run()
    at.number_input(key="w.sa.pad").set_value(8).run()
    assert not at.exception and not at.error
    assert len(at.warning) == 1 and "hides every key" in at.warning[0].value and "zeros" in at.warning[0].value
    z = weights_z(at)
    assert np.all(z == 0.0) and np.all(np.isfinite(z))
    assert np.all(bars(at, "chart.sa.row") == 0.0)
    assert "nothing to attend to" in latex_text(at)
    at.number_input(key="w.sa.pad").set_value(3).run()  # padding: the last 3 keys hidden from every query
    no_errors(at)
    z = weights_z(at)
    assert np.all(z[:, 5:] == 0.0)
    np.testing.assert_allclose(z.sum(axis=1), 1.0, atol=1e-9)


def test_cross_attention_uses_a_second_sequence(page):
    at = page
    at.radio(key="w.sa.attn").set_value("cross").run()
    at.number_input(key="w.sa.m").set_value(5).run()
    no_errors(at)
    from attention_core.sequences import generate_sequence

    x = x_of(at)
    y = generate_sequence("clusters", 5, 4, seed=1).values  # X's kind and d, X's seed + 1
    z = weights_z(at)
    assert z.shape == (8, 5)
    np.testing.assert_allclose(z, reference(x, y, 8, 2)[1][0], atol=1e-9)
    assert figure(at, WEIGHTS)["layout"]["xaxis"]["ticktext"] == ["y1", "y2", "y3", "y4", "y5"]
    at.selectbox(key="w.sa.mask").set_value("causal").run()  # explained, not applied
    assert not at.exception and not at.error
    assert len(at.info) == 1 and "cross-attention" in at.info[0].value
    np.testing.assert_allclose(weights_z(at), z)


def test_link_reproduces_the_view_and_widgets_update_the_url():
    at = open_page(
        PAGE,
        kind="gaussian",
        n=10,
        d=6,
        seed=3,
        d_model=12,
        heads=3,
        wseed=7,
        mask="causal",
        temperature=0.5,
        head=2,
        i=4,
        j=2,
    )
    no_errors(at)
    x = x_of(at)
    assert x.shape == (10, 6)
    allowed = np.tril(np.ones((10, 10), dtype=bool))
    _, w = reference(x, x, 12, 3, seed=7, allowed=allowed, temperature=0.5)
    np.testing.assert_allclose(weights_z(at), w[1], atol=1e-9)
    assert picker(at, "radio", "w.sa.head").value == 1
    assert "s_{4,2}" in latex_text(at)
    at.number_input(key="w.sa.wseed").set_value(8).run()
    assert at.query_params["wseed"] in ("8", ["8"]) and at.query_params["mask"] in ("causal", ["causal"])


def test_bad_link_values_are_reported_not_raised():
    at = open_page(PAGE, d_model=10, heads=4, mask="sideways")
    assert not at.exception
    assert any("d_model" in w.value and "mask" in w.value for w in at.warning)
    show(at, "all")
    assert len(figure(at, HEADS)["data"]) == 2  # the defaults: 2 heads


def test_large_n_is_drawn_as_images_and_too_large_n_is_refused():
    at = open_page(PAGE, kind="gaussian", n=300, d=8, mask="causal")
    no_errors(at)
    spec = figure(at, WEIGHTS)
    assert spec["data"][0]["type"] == "image" and spec["data"][0]["source"].startswith("data:image/png;base64,")
    assert len(spec["data"][-1]["x"]) <= 64 * 64  # a coarse grid of click targets
    assert len(json.dumps(spec)) < 200_000
    at.number_input(key="w.seq.n").set_value(3000).run()
    assert not at.exception
    assert len(at.error) == 1 and "2048" in at.error[0].value
    at.number_input(key="w.seq.n").set_value(100).run()
    at.selectbox(key="w.sa.mask").set_value("custom").run()  # too many cells to click one by one
    assert not at.exception and not at.error
    assert any("custom mask" in w.value.lower() for w in at.warning)


def test_a_change_at_n_256_sends_the_two_matrices_in_under_125_kB():
    """Every change at n = 256 resends both matrices: together they stay well under the class budget (150 kB a change)."""
    at = open_page(PAGE, kind="gaussian", n=256, d=64, seed=0, d_model=64, heads=8)
    no_errors(at)
    weights, scores = figure(at, WEIGHTS), figure(at, SCORES)
    assert len(json.dumps(weights)) + len(json.dumps(scores)) < 125_000
    for spec in (weights, scores):
        targets = spec["data"][-1]
        assert "text" not in targets  # an image's targets name their tokens by position only
        x, y = decode(targets["x"]), decode(targets["y"])
        assert len(x) == 32 * 32 and x.min() <= 8 and x.max() >= 249 and y.min() <= 8 and y.max() >= 249


def upload(at, name: str, data: bytes):
    at.radio(key="w.seq.source").set_value("upload").run()
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    return at


def test_cross_attention_keys_stay_in_the_range_the_core_generates():
    """m = 1 (by the widget or ?attn=cross&m=1) once raised the core's InputError as a traceback."""
    at = open_page(PAGE, attn="cross", m=1)
    assert not at.exception and not at.error
    assert any("m" in w.value.split(":")[-1] for w in at.warning)  # the bad link value is named
    m = at.number_input(key="w.sa.m")
    assert m.min == 2 and m.value == 6  # the default m, and no way to type 1
    assert weights_z(at).shape == (8, 6)


def all_numbers_finite(at) -> None:
    """No chart holds ±inf (NaN only marks masked cells, drawn empty); weights and bars hold no NaN; the text neither."""
    for chart in at.get("plotly_chart"):
        for index, data in enumerate(json.loads(chart.proto.spec)["data"]):
            for name in ("z", "y"):
                array = decode(data.get(name))
                if isinstance(array, np.ndarray):
                    assert not np.isinf(array).any(), (chart.proto.id, index, name)
    assert np.isfinite(weights_z(at)).all() and np.isfinite(bars(at, "chart.sa.row")).all()
    words = " ".join([latex_text(at)] + [m.value for m in at.metric] + [c.value for c in at.caption])
    assert "nan" not in words.lower() and "inf " not in words.lower(), words


@pytest.mark.parametrize("mode", ["self", "cross"])
def test_extreme_accepted_values_give_finite_numbers_in_every_mask(mode):
    """|x| up to the upload bound (10⁶): every mask and view shows numbers, or says why it cannot."""
    at = upload(open_page(PAGE), "big.csv", b"1e6,-1e6,1e6\n-1e6,1e6,1e6\n1e6,1e6,-1e6\n-1e6,-1e6,-1e6\n")
    at.radio(key="w.sa.attn").set_value(mode).run()
    at.number_input(key="w.sa.d_model").set_value(64).run()
    for mask in ("none", "causal", "padding", "custom"):
        at.selectbox(key="w.sa.mask").set_value(mask).run()
        no_errors(at)
        all_numbers_finite(at)
        z = weights_z(at)
        np.testing.assert_allclose(z.sum(axis=1), 1.0, atol=1e-9)  # every row still sums to 1: no NaN row
        entropy = float(at.metric[0].value.split()[0])
        assert 0.0 <= entropy <= np.log2(z.shape[1]) + 1e-9
    assert (
        "e+" in figure(at, SCORES)["data"][0]["texttemplate"] or "g}" in figure(at, SCORES)["data"][0]["texttemplate"]
    )


def test_a_one_token_upload_works_in_self_and_cross_attention():
    at = upload(open_page(PAGE), "one.csv", b"1,2,3\n")
    no_errors(at)
    assert weights_z(at).tolist() == [[1.0]]  # one key: all the weight on it
    assert at.metric[0].value.startswith("0.00") and not at.metric[0].value.startswith("-")
    at.selectbox(key="w.sa.mask").set_value("causal").run()
    no_errors(at)
    at.radio(key="w.sa.attn").set_value("cross").run()
    no_errors(at)
    z = weights_z(at)
    assert z.shape == (1, 6) and abs(z.sum() - 1) < 1e-9
    all_numbers_finite(at)


def test_weights_are_drawn_on_a_fixed_probability_scale_unless_zoomed(page):
    at = page
    at.select_slider(key="w.sa.temperature").set_value(100.0).run()  # nearly uniform: 1/8 everywhere
    no_errors(at)
    z = weights_z(at)
    assert z.max() < 0.2
    assert figure(at, WEIGHTS)["data"][0]["zmax"] == 1.0 and figure(at, WEIGHTS)["data"][0]["zmin"] == 0.0
    assert figure(at, "chart.sa.row")["layout"]["yaxis"]["range"][1] >= 1.0
    show(at, "all")
    assert figure(at, HEADS)["layout"]["coloraxis"]["cmax"] == 1.0
    show(at, "head")
    at.toggle(key="w.sa.zoom").set_value(True).run()
    no_errors(at)
    assert figure(at, WEIGHTS)["data"][0]["zmax"] == pytest.approx(z.max())
    show(at, "all")
    assert figure(at, HEADS)["layout"]["coloraxis"]["cmax"] < 0.2
    assert at.query_params["zoom"] in ("1", ["1"])


def test_the_heads_sentence_is_computed_from_the_heads_shown(page):
    at = page
    at.number_input(key="w.sa.heads").set_value(4).run()
    x = x_of(at)
    _, w = reference(x, x, 8, 4)
    h = -(w * np.log2(np.where(w > 0, w, 1))).sum(-1).mean(-1)
    show(at, "all")
    caption = next(c.value for c in at.caption if "sharpest" in c.value)
    assert f"sharpest head is head {int(np.argmin(h)) + 1} (H̄ = {h.min():.2f} bits)" in caption
    assert f"most diffuse is head {int(np.argmax(h)) + 1} (H̄ = {h.max():.2f} bits)" in caption


def test_the_chinese_page_says_no_english_words(page):
    at = page
    at.selectbox(key="w.lang").set_value("zh").run()
    no_errors(at)
    assert r"\text{输出}" in at.latex[0].value and "output" not in at.latex[0].value
    assert at.metric[0].value.endswith("比特")
    targets = figure(at, WEIGHTS)["data"][2]["hovertemplate"]
    show(at, "all")
    targets += figure(at, HEADS)["data"][0]["hovertemplate"]
    assert "query" not in targets and "key" not in targets
    assert "比特" in figure(at, "chart.sa.entropy")["data"][0]["hovertemplate"]
