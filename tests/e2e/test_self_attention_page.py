"""The Self-attention page in a real browser: change the heads, turn on the causal mask, click a cell, n = 2048."""

from __future__ import annotations


import pytest

from . import helpers

pytestmark = pytest.mark.e2e

PATH = "/self-attention"
WEIGHTS = ".st-key-chart-sa-weights .js-plotly-plot"

# {types, z (trace 0, as rows), n} of the Plotly chart under a selector
_READ = """
(s) => {
  const gd = document.querySelector(s);
  if (!gd || !gd._fullData) return null;
  const z = gd._fullData[0].z;
  return {types: gd._fullData.map((t) => t.type),
          z: z ? Array.from(z, (row) => Array.from(row, (v) => (v == null ? null : Number(v)))) : null};
}
"""


def read(page, selector: str) -> dict:
    page.wait_for_function(f"(s) => ({_READ})(s) !== null", arg=selector)
    return page.evaluate(_READ, selector)


def pick(page, key: str, option: str, changes: str | None = None) -> None:
    """Choose ``option`` in the select box with widget key ``key`` (a react-aria combobox)."""
    combobox = page.locator(f".st-key-{key} [role=combobox]")
    listbox = page.locator("[role=listbox]")
    for _ in range(3):  # a click during a redraw may open and close the list at once
        combobox.click()
        try:
            listbox.wait_for(state="visible", timeout=5_000)
            break
        except Exception:
            page.keyboard.press("Escape")
    helpers.rerun_after(page, lambda: listbox.locator("[role=option]", has_text=option).first.click(), changes=changes)


def type_number(page, key: str, value: int, changes: str | None = None) -> None:
    box = page.locator(f".st-key-{key} input")
    helpers.rerun_after(page, lambda: (box.fill(str(value)), box.press("Enter")), changes=changes)


def click_cell(page, i: int, j: int) -> None:
    """Hover, then click the middle of cell (i, j) (0-based) of the weights matrix."""
    x, y = page.evaluate(
        """([s, x, y]) => { const gd = document.querySelector(s); const L = gd._fullLayout;
             const r = gd.getBoundingClientRect();
             return [r.left + L.xaxis._offset + L.xaxis.l2p(x), r.top + L.yaxis._offset + L.yaxis.l2p(y)]; }""",
        [WEIGHTS, j + 1, i + 1],
    )
    label = page.locator(".st-key-chart-sa-weights .hoverlayer .hovertext")
    for _ in range(3):  # Plotly picks the point on hover; a click without it selects nothing
        page.mouse.move(x - 4, y - 4)
        page.mouse.move(x, y)
        try:
            label.first.wait_for(state="visible", timeout=5_000)
            break
        except Exception:
            page.mouse.move(0, 0)
    helpers.rerun_after(page, lambda: page.mouse.click(x, y), changes="chart.sa.row")


def check_clean(page) -> None:
    helpers.assert_no_error_box(page)
    assert not page.e2e_js_errors, page.e2e_js_errors


def test_heads_and_causal_mask(page, app_url, shots, strings):
    helpers.open_app(page, app_url + PATH, min_charts=4)
    check_clean(page)
    assert strings["sa.title"] in page.locator('[data-testid="stMain"] h1').all_inner_texts()
    helpers.screenshot(page, shots, "self-attention-default")
    before = read(page, WEIGHTS)
    assert before["types"][:3] == ["heatmap", "heatmap", "scatter"]
    assert any(v > 0 for r, row in enumerate(before["z"]) for v in row[r + 1:])

    type_number(page, "w-sa-heads", 4, changes="chart.sa.heads")
    check_clean(page)
    heads = read(page, ".st-key-chart-sa-heads .js-plotly-plot")
    assert heads["types"] == ["heatmap"] * 4
    assert helpers.url_params(page.url)["heads"] == "4"

    pick(page, "w-sa-mask", strings["sa.mask.causal"], changes="chart.sa.weights")
    check_clean(page)
    z = read(page, WEIGHTS)["z"]
    assert all(v == 0 for r, row in enumerate(z) for v in row[r + 1:]), "upper triangle not zero"
    assert all(abs(sum(row) - 1) < 1e-6 for row in z)
    assert helpers.url_params(page.url)["mask"] == "causal"
    helpers.screenshot(page, shots, "self-attention-causal-4-heads")


def test_click_a_cell_to_see_its_arithmetic(page, app_url, shots):
    helpers.open_app(page, app_url + PATH, min_charts=4)
    click_cell(page, 2, 4)
    check_clean(page)
    params = helpers.url_params(page.url)
    assert (params["i"], params["j"]) == ("3", "5")
    tex = " ".join(page.locator('annotation[encoding="application/x-tex"]').all_text_contents())
    assert "s_{3,5}" in tex and "w_{3,5}" in tex
    assert page.get_by_text("Query x3 → key x5").count() == 1
    helpers.screenshot(page, shots, "self-attention-clicked")


def test_n_2048_is_drawn_as_images(page, app_url, shots):
    query = "?kind=gaussian&n=2048&d=64&seed=0&d_model=64&heads=8&mask=causal"
    helpers.open_app(page, app_url + PATH + query, min_charts=4, timeout=180_000)
    check_clean(page)
    weights = read(page, WEIGHTS)
    assert weights["types"][0] == "image"
    heads = read(page, ".st-key-chart-sa-heads .js-plotly-plot")
    assert heads["types"].count("image") == 8
    helpers.screenshot(page, shots, "self-attention-n2048")
