"""The Self-attention page in a real browser: change the heads, turn on the causal mask, click a cell, n = 2048."""

from __future__ import annotations

import time

import pytest

from tests.e2e import helpers

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


def keyed(key: str) -> str:
    """CSS for the element with widget key ``key``, or ``key`` plus the fingerprint of its option labels."""
    return f'.st-key-{key}, [class*="st-key-{key}-"]'


def pick(page, key: str, option: str, changes: str | None = None) -> None:
    """Choose ``option`` in the select box with widget key ``key`` (a react-aria combobox)."""
    combobox = page.locator(f"{keyed(key)} >> [role=combobox]").first
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
    box = page.locator(f"{keyed(key)} >> input").first
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


def show_view(page, strings, view: str, changes: str) -> None:
    """Pick a view in the view control (only the picked view is drawn) and wait for its chart."""
    helpers.rerun_after(
        page,
        lambda: page.locator(".st-key-w-sa-view button", has_text=strings[f"sa.tab.{view}"]).click(),
        changes=changes,
    )


def check_clean(page) -> None:
    helpers.assert_no_error_box(page)
    assert not page.e2e_js_errors, page.e2e_js_errors


def test_heads_and_causal_mask(page, app_url, shots, strings):
    helpers.open_app(page, app_url + PATH, min_charts=3)
    check_clean(page)
    assert strings["sa.title"] in page.locator('[data-testid="stMain"] h1').all_inner_texts()
    helpers.screenshot(page, shots, "self-attention-default")
    before = read(page, WEIGHTS)
    assert before["types"][:3] == ["heatmap", "heatmap", "scatter"]
    assert any(v > 0 for r, row in enumerate(before["z"]) for v in row[r + 1 :])

    type_number(page, "w-sa-heads", 4, changes="chart.sa.weights")
    show_view(page, strings, "all", changes="chart.sa.heads")
    check_clean(page)
    heads = read(page, ".st-key-chart-sa-heads .js-plotly-plot")
    assert heads["types"] == ["heatmap"] * 4
    assert helpers.url_params(page.url)["heads"] == "4"
    show_view(page, strings, "head", changes="chart.sa.weights")

    pick(page, "w-sa-mask", strings["sa.mask.causal"], changes="chart.sa.weights")
    check_clean(page)
    z = read(page, WEIGHTS)["z"]
    assert all(v == 0 for r, row in enumerate(z) for v in row[r + 1 :]), "upper triangle not zero"
    assert all(abs(sum(row) - 1) < 1e-6 for row in z)
    assert helpers.url_params(page.url)["mask"] == "causal"
    helpers.screenshot(page, shots, "self-attention-causal-4-heads")


def test_click_a_cell_to_see_its_arithmetic(page, app_url, shots):
    helpers.open_app(page, app_url + PATH, min_charts=3)
    click_cell(page, 2, 4)
    check_clean(page)
    params = helpers.url_params(page.url)
    assert (params["i"], params["j"]) == ("3", "5")
    tex = " ".join(page.locator('annotation[encoding="application/x-tex"]').all_text_contents())
    assert "s_{3,5}" in tex and "w_{3,5}" in tex
    assert page.get_by_text("Query x3 → key x5").count() == 1
    helpers.screenshot(page, shots, "self-attention-clicked")


def test_n_2048_is_drawn_as_images(page, app_url, shots, strings):
    query = "?kind=gaussian&n=2048&d=64&seed=0&d_model=64&heads=8&mask=causal"
    helpers.open_app(page, app_url + PATH + query, min_charts=3, timeout=180_000)
    check_clean(page)
    weights = read(page, WEIGHTS)
    assert weights["types"][0] == "image"
    # a click on the image picks the nearest of its 32 × 32 targets: within 64 tokens of the click
    click_cell(page, 1000, 500)
    check_clean(page)
    params = helpers.url_params(page.url)
    assert abs(int(params["i"]) - 1001) <= 64 and abs(int(params["j"]) - 501) <= 64, params
    show_view(page, strings, "all", changes="chart.sa.heads")
    heads = read(page, ".st-key-chart-sa-heads .js-plotly-plot")
    assert heads["types"].count("image") == 8
    helpers.screenshot(page, shots, "self-attention-n2048")


def choose(page, key: str, option: str) -> None:
    """Click ``option`` of the radio group with widget key ``key``."""
    helpers.rerun_after(page, lambda: page.locator(f".st-key-{key} label", has_text=option).first.click())


def shows(page, key: str, text: str, timeout: float = 10.0) -> str:
    """What the widget ``key`` shows, once it contains ``text`` (or after ``timeout`` s, for the assert to report)."""
    deadline = time.monotonic() + timeout
    while text not in (now := shown(page, key)) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return now


def shown(page, key: str) -> str:
    """What the widget with key ``key`` shows: an input's value, else its text."""
    box = page.locator(keyed(key)).first
    inputs = box.locator("input")
    return inputs.first.input_value() if inputs.count() else box.inner_text()


def test_cross_to_self_keeps_the_page_and_the_key_picker_follows(page, app_url, shots, strings):
    """Cross → Self once raised "invalid literal for int(): '1 · x1'": the picker held labels of the other mode."""
    helpers.open_app(page, app_url + PATH, min_charts=3)
    for mode in ("cross", "self", "cross"):
        choose(page, "w-sa-attn", strings[f"sa.mode.{mode}"])
        check_clean(page)
    pick(page, "w-sa-j", "3 · y3")
    check_clean(page)
    assert "3 · y3" in shows(page, "w-sa-j", "3 · y3")
    assert helpers.url_params(page.url)["j"] == "3"
    choose(page, "w-sa-attn", strings["sa.mode.self"])
    check_clean(page)
    assert "3 · x3" in shows(page, "w-sa-j", "3 · x3")  # the key is x3 now, and the picker says so
    assert read(page, WEIGHTS)["z"] is not None
    choose(page, "w-sa-attn", strings["sa.mode.cross"])
    check_clean(page)
    assert "3 · y3" in shows(page, "w-sa-j", "3 · y3")
    helpers.screenshot(page, shots, "self-attention-cross-self-cross")


def go_to(page, title: str) -> None:
    """Open the page called ``title`` from the top menu (a section's dropdown), as a user does."""
    sections = page.locator('[data-testid="stTopNavSection"]')
    link = page.locator('[data-testid="stTopNavDropdownLink"]', has_text=title).first
    for k in range(sections.count()):
        sections.nth(k).click()
        try:
            link.wait_for(timeout=3_000)
        except Exception:
            page.keyboard.press("Escape")
            continue
        helpers.rerun_after(page, link.click)
        return
    raise AssertionError(f"no menu entry {title!r}")


SEQUENCE_WIDGETS = ("w-seq-kind", "w-seq-n", "w-seq-d", "w-seq-seed")


def sequence_controls(page, expected: list[str] | None = None, timeout: float = 15.0) -> list[str]:
    """What the four sequence controls show, once each is drawn with a value (and shows ``expected``, if given).

    Under load the browser can draw a number input a moment before its value
    (an empty box), and after a page or language switch the old widgets stay
    on screen until the new run replaces them: wait for what the test checks
    (up to ``timeout``), then return what is shown, for the test to compare.
    """
    deadline = time.monotonic() + timeout
    while True:
        values = [shown(page, key).strip() for key in SEQUENCE_WIDGETS]
        done = values == expected if expected is not None else all(values)
        if done or time.monotonic() > deadline:
            return values
        page.wait_for_timeout(100)


@pytest.mark.parametrize("route", ["query-self-query", "with-language-switch", "from-a-link"])
def test_sequence_controls_agree_with_the_data_after_page_switches(page, app_url, shots, strings, route):
    """Query → Self once showed Gaussian, n = 2, d = 2 beside the clusters; the next edit lost the data."""
    from ui.i18n import catalogs

    zh = catalogs()["zh"]
    start = "/query?kind=gaussian&n=6&d=3&seed=5" if route == "from-a-link" else "/query"
    helpers.open_app(page, app_url + start, min_charts=1)
    kind = strings["seq.kind.gaussian"] if route == "from-a-link" else strings["seq.kind.clusters"]
    expected = [kind, "6", "3", "5"] if route == "from-a-link" else [kind, "8", "4", "0"]
    assert sequence_controls(page, expected) == expected
    go_to(page, strings["nav.self_attention"])
    check_clean(page)
    assert sequence_controls(page, expected) == expected
    if route == "with-language-switch":
        pick(page, "w-lang", "简体中文")
        expected = [zh["seq.kind.clusters"]] + expected[1:]
        assert sequence_controls(page, expected) == expected
        go_to(page, zh["nav.query"])
        assert sequence_controls(page, expected) == expected
        go_to(page, zh["nav.self_attention"])
    else:
        go_to(page, strings["nav.query"])
        assert sequence_controls(page, expected) == expected
        go_to(page, strings["nav.self_attention"])
    check_clean(page)
    assert sequence_controls(page, expected) == expected
    # the next edit starts from what the controls show: only the seed changes
    type_number(page, "w-seq-seed", int(expected[3]) + 1)
    check_clean(page)
    params = helpers.url_params(page.url)
    assert (params["kind"], params["n"], params["d"], params["seed"]) == (
        "gaussian" if route == "from-a-link" else "clusters",
        expected[1],
        expected[2],
        str(int(expected[3]) + 1),
    )
    assert len(read(page, WEIGHTS)["z"]) == int(expected[1])
    helpers.screenshot(page, shots, f"self-attention-after-{route}")
