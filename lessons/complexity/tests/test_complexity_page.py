"""The Complexity page: the reference picture at once, a small live run, the views, settings in the URL."""

from __future__ import annotations

import numpy as np
import torch

from lessons.complexity import controls
from tests.app.helpers import figure, no_errors, trace
from tests.app.pages import open_page

PAGE = "lessons/complexity/page.py"
SMALL_N, SMALL_D = 32, 16  # lessons/complexity/page.py: the weights view's q, k, v


def _line(at, key: str, name: str) -> dict:
    spec = figure(at, key)
    found = [d for d in spec["data"] if d.get("name") == name]
    assert len(found) == 1, [d.get("name") for d in spec["data"]]
    return {k: trace(at, key, spec["data"].index(found[0]))[k] for k in ("x", "y")}


def test_opens_with_the_reference_results_and_their_slopes():
    at = open_page(PAGE)
    no_errors(at)
    spec = figure(at, "chart.complexity.time")
    names = [d["name"] for d in spec["data"]]
    assert names[0] == "exact (attend)" and len(names) == len(controls.DEFAULTS["methods"])
    exact = _line(at, "chart.complexity.time", "exact (attend)")
    assert list(exact["x"]) == [512, 1024, 2048, 4096, 8192]
    slopes = [a["text"] for a in spec["layout"]["annotations"]]
    assert len(slopes) == len(names) and all(s.startswith("slope ") for s in slopes)


def test_a_small_run_replaces_the_reference_and_a_setting_changes_the_url():
    at = open_page(PAGE, n="256-512", methods="exact,chunked,linear", threads="1")
    no_errors(at)
    assert at.select_slider(key="w.complexity.n").value == (256, 512)
    at.button(key="w.complexity.run").click().run()
    no_errors(at)
    results = at.session_state[controls.RESULTS_KEY]
    # exact and chunked over the range chosen; linear attention (work ∝ n) on to n = 32768, where its slope shows
    linear_ns = [2**k for k in range(8, 16)]
    assert sorted((m.method, m.n) for m in results) == sorted(
        [(m, n) for m in ("exact", "chunked") for n in (256, 512)] + [("linear", n) for n in linear_ns]
    )
    assert all(m.threads == 1 and m.seconds > 0 for m in results)
    # the time chart now holds the live run: n = 256, 512 and the measured seconds (in ms)
    exact = _line(at, "chart.complexity.time", "exact (attend)")
    measured = sorted((m.n, m.seconds * 1e3) for m in results if m.method == "exact")
    np.testing.assert_allclose(exact["x"], [n for n, _ in measured])
    np.testing.assert_allclose(exact["y"], [s for _, s in measured], rtol=1e-6)

    at.segmented_control(key="w.complexity.view").set_value("memory").run()
    no_errors(at)
    matrix = _line(at, "chart.complexity.memory", "one n×n float32 matrix")
    np.testing.assert_allclose(matrix["y"], [4 * n**2 / 2**20 for n in linear_ns])  # what n×n would take
    bars = trace(at, "chart.complexity.bars")
    assert bars["y"][0] == "one n×n float32 matrix" and len(bars["y"]) == 4  # the matrix and the three methods
    peak = {m.method: m.peak_bytes / 2**20 for m in results if m.n == 512}
    np.testing.assert_allclose(bars["x"][1:], [peak["exact"], peak["chunked"], peak["linear"]], rtol=1e-6)
    assert at.query_params["view"] in ("memory", ["memory"]) and at.query_params["n"] in ("256-512", ["256-512"])

    at.button(key="w.complexity.reference").click().run()  # back to the shipped picture
    assert controls.RESULTS_KEY not in at.session_state


def test_weights_view_follows_the_window():
    at = open_page(PAGE, view="weights", approx="local", small_window="2")
    no_errors(at)
    right = trace(at, "chart.complexity.weights", 1)["z"]
    i, j = np.indices(right.shape)
    assert (right[np.abs(i - j) > 2] == 0).all() and (right[np.abs(i - j) <= 2] > 0).all()
    np.testing.assert_allclose(right.sum(1), 1, atol=1e-5)
    at.select_slider(key="w.complexity.small_window").set_value(8).run()
    right = trace(at, "chart.complexity.weights", 1)["z"]
    assert (right[np.abs(i - j) == 8] > 0).all() and (right[np.abs(i - j) > 8] == 0).all()


def test_weights_view_chunked_is_exact_softmax_for_every_block():
    # the exact heatmap and the chunked one, each against softmax(qkᵀ/√d) of the page's own inputs (seed 2)
    g = torch.Generator().manual_seed(2)
    q, k = (torch.randn(SMALL_N, SMALL_D, generator=g) for _ in range(2))
    expected = torch.softmax(q @ k.T / SMALL_D**0.5, dim=-1).numpy()
    for block in controls.STEP_BLOCKS:
        at = open_page(PAGE, view="weights", approx="chunked", step_block=str(block))
        no_errors(at)
        assert f"{block}" in figure(at, "chart.complexity.weights")["layout"]["annotations"][1]["text"]
        left, right = (trace(at, "chart.complexity.weights", i)["z"] for i in (0, 1))
        np.testing.assert_allclose(left, expected, atol=1e-3)  # the heatmap prints 2–3 decimals (float32)
        np.testing.assert_allclose(right, expected, atol=1e-3)


def test_steps_view_reaches_the_softmax_at_the_last_block():
    at = open_page(PAGE, view="steps", step_block="8")
    no_errors(at)
    at.slider(key="w.complexity.step").set_value(4).run()
    spec = figure(at, "chart.complexity.steps.weights")
    partial = trace(at, "chart.complexity.steps.weights", 0)["y"]
    final = trace(at, "chart.complexity.steps.weights", 1)["y"]
    np.testing.assert_allclose(partial, final, atol=1e-6)
    assert "32 of 32" in spec["layout"]["title"]["text"]
    bars = [trace(at, "chart.complexity.steps.scores", k) for k in range(2)]  # merged, and the last block
    assert [len(b["x"]) for b in bars] == [24, 8]
    scores = np.concatenate([b["y"] for b in bars])[np.argsort(np.concatenate([b["x"] for b in bars]))]
    np.testing.assert_allclose(final, torch.softmax(torch.tensor(scores), 0).numpy(), atol=1e-5)


def test_error_view_and_a_bad_link():
    at = open_page(PAGE, view="error", block="7", n="4096-256")
    no_errors(at)
    assert at.warning, "the bad parameters are named"
    local = figure(at, "chart.complexity.error.local")
    assert len(local["data"]) == 6  # four curves and the two lines of linear attention
    mean_w = trace(at, "chart.complexity.error.local", 3)["y"]
    assert mean_w[-1] < 1e-6 < mean_w[0]  # window 256 covers all 256 tokens: exact


def test_the_formula_labels_speak_the_page_language():
    from ui.i18n import catalogs

    at = open_page(PAGE)
    at.selectbox(key="w.lang").set_value("zh").run()
    no_errors(at)
    zh, en = catalogs()["zh"], catalogs()["en"]
    (formula,) = [el.value for el in at.latex if "underbrace" in el.value]
    assert zh["complexity.formula.flops"] in formula and zh["complexity.formula.memory"] in formula
    assert en["complexity.formula.flops"] not in formula and en["complexity.formula.memory"] not in formula
