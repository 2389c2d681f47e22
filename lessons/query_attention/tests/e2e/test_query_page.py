"""The query page in a real browser: moving q changes the charts, links restore a view, bad uploads are refused."""

from __future__ import annotations

import math

import pytest

from tests.e2e import helpers

pytestmark = pytest.mark.e2e

QUERY_TEXT = ".st-key-w-q-text textarea"  # st.text_area(key="w.q.text")


def weights(page) -> list[float]:
    return helpers.bar_values(helpers.chart(page, "chart.weights"))


def scores(page) -> list[float]:
    return helpers.bar_values(helpers.chart(page, "chart.scores"))


def assert_consistent(page, w: list[float]) -> None:
    """The weights are a distribution, and the softmax of the scores chart at the URL's temperature."""
    assert all(v >= 0 for v in w), w
    assert math.isclose(sum(w), 1.0, abs_tol=1e-6), sum(w)
    params = helpers.url_params(page.url)
    if params.get("method", "dot") == "dot" and "mask" not in params:
        expected = helpers.softmax(scores(page), float(params.get("temperature", 1.0)))
        assert all(math.isclose(a, b, abs_tol=1e-6) for a, b in zip(w, expected)), (w, expected)


def test_typing_a_query_updates_the_charts(page, app_url, shots):
    helpers.open_app(page, app_url + "/query", min_charts=2)
    before = weights(page)
    box = page.locator(QUERY_TEXT)
    old_q = helpers.numbers(helpers.filled_value(box).splitlines()[0])
    new_q = [round(1.5 - v, 2) for v in old_q]  # differs from the old query in every number
    text = ", ".join(f"{v:g}" for v in new_q)

    box.fill(text)
    helpers.rerun_after(page, lambda: box.press("Control+Enter"), changes="chart.weights")
    after = weights(page)

    helpers.assert_no_error_box(page)
    assert len(after) == len(before)
    assert_consistent(page, after)
    assert helpers.numbers(helpers.filled_value(box)) == pytest.approx(new_q)
    # the address bar follows the widgets, so the view can be shared
    page.wait_for_function("(q) => new URL(location.href).searchParams.get('q') !== null", arg=None)
    assert helpers.numbers(helpers.url_params(page.url)["q"]) == pytest.approx(new_q)
    helpers.screenshot(page, shots, "query-typed-q")
    assert not page.e2e_js_errors


def test_random_button_and_slider_update_the_charts(page, app_url, strings):
    helpers.open_app(page, app_url + "/query", min_charts=2)
    before = weights(page)

    button = page.locator(".st-key-w-q-random button").or_(
        page.locator('[data-testid="stButton"] button').filter(has_text=strings["query.random"])
    )
    helpers.rerun_after(page, button.first.click, changes="chart.weights")
    after_random = weights(page)
    assert after_random != before
    assert_consistent(page, after_random)

    slider = page.locator(".st-key-w-q-dim-0")  # st.slider(key="w.q.dim.0"), the q₁ slider
    shown = slider.locator('[data-testid="stSliderThumbValue"]')
    value = float(shown.inner_text())
    slider.locator('input[type="range"]').focus()  # react-aria keeps the thumb's keyboard input here
    key = "ArrowLeft" if value > 0 else "ArrowRight"
    helpers.rerun_after(page, lambda: page.keyboard.press(key), changes="chart.weights")
    after_slider = weights(page)
    assert float(shown.inner_text()) != value
    assert_consistent(page, after_slider)
    helpers.assert_no_error_box(page)
    assert not page.e2e_js_errors


def test_shared_link_restores_the_view(page, app_url, shots):
    helpers.open_app(page, app_url + "/query?kind=gaussian&n=6&d=3&seed=1&q=1,0,0", min_charts=2)
    helpers.screenshot(page, shots, "query-link-n6-d3")
    helpers.assert_no_error_box(page)
    assert not page.locator('[data-testid="stAlertContentWarning"]').count(), "a URL parameter was rejected"

    assert page.url.split("?")[0].rstrip("/").endswith("/query")
    params = helpers.url_params(page.url)
    assert {k: params.get(k) for k in ("kind", "n", "d", "seed")} == {
        "kind": "gaussian",
        "n": "6",
        "d": "3",
        "seed": "1",
    }
    assert helpers.numbers(params["q"]) == [1.0, 0.0, 0.0]
    assert helpers.numbers(helpers.filled_value(page.locator(QUERY_TEXT))) == [1.0, 0.0, 0.0]

    assert len(scores(page)) == 6
    w = weights(page)
    assert len(w) == 6
    assert_consistent(page, w)


def test_bad_upload_shows_one_error_and_keeps_the_charts(page, app_url, shots, strings):
    helpers.open_app(page, app_url + "/query", min_charts=2)
    before = weights(page)

    source = page.locator(".st-key-w-seq-source")  # st.radio(key="w.seq.source")
    helpers.rerun_after(page, lambda: source.locator("label").filter(has_text=strings["seq.source.upload"]).click())
    file_input = page.locator('[class*="st-key-w-seq-file"] input[type="file"]')  # st.file_uploader(key="w.seq.file")
    helpers.rerun_after(
        page,
        lambda: file_input.set_input_files(files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"1,2\n3\n"}]),
    )
    alerts = page.locator('[data-testid="stAlertContentError"]')
    alerts.first.wait_for()
    helpers.screenshot(page, shots, "query-bad-upload")

    assert alerts.count() == 1, alerts.all_inner_texts()
    assert "bad.csv" in alerts.first.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert helpers.wait_charts(page, min_count=2) >= 2
    assert weights(page) == before, "a refused file must leave the previous sequence in place"
    assert not page.e2e_js_errors


def test_editing_a_cell_of_x_moves_the_scores(page, app_url, shots):
    """The Data view's table: type a new value into x2's first dimension; with q = e1 the scores are X's first column."""
    helpers.open_app(page, app_url + "/query?kind=one_hot&n=4&d=4&seed=0&q=1,0,0,0", min_charts=2)
    assert scores(page) == [1.0, 0.0, 0.0, 0.0]
    views = page.locator("[data-testid=stButtonGroup] button")
    helpers.rerun_after(page, lambda: views.filter(has_text="Data").first.click())
    grid = page.locator("[data-testid=stDataFrameResizable]").first
    grid.wait_for(state="visible")
    box = grid.bounding_box()
    row_height = box["height"] / 5  # a header row and four token rows
    # columns: token | d1 | d2 | d3 | d4 (the token column is about as wide as the others)
    editor = page.locator("#portal .gdg-input")  # glide-data-grid's cell editor, opened asynchronously
    for _ in range(3):  # under load a double click may land before the grid listens: open it again
        grid.dblclick(position={"x": box["width"] * 0.3, "y": row_height * 2.5})  # relative to the grid: scroll-proof
        try:
            editor.wait_for(state="visible", timeout=10_000)
            break
        except Exception:
            page.keyboard.press("Escape")
    editor.fill("5")
    helpers.rerun_after(page, lambda: editor.press("Enter"), changes="chart.scores")
    assert scores(page) == [1.0, 5.0, 0.0, 0.0]
    helpers.assert_no_error_box(page)
    helpers.screenshot(page, shots, "query-edited-cell")


# ---------------------------------------------------------------- issue 7: classroom sizes

HIDDEN_FORMULAS = """() => Array.from(document.querySelectorAll('.katex-display')).filter((el) => el.offsetParent !== null)
    .map((el) => {
      // a formula wider than its column sits in a scroll area: its end (the result) is hidden
      const right = Math.max(...Array.from(el.querySelectorAll('.base'), (b) => b.getBoundingClientRect().right));
      const column = el.closest('[data-testid="stElementContainer"]') || el.parentElement;
      const room = column.getBoundingClientRect().right;
      return {text: el.textContent.slice(0, 60), right, room, hidden: right > room + 1};
    })"""


@pytest.mark.parametrize("width", [1280, 1366])
def test_every_result_of_the_arithmetic_is_visible(page, app_url, shots, width):
    """Each a_i, w_i and o line ends with its result: none may sit in a hidden scroll area."""
    page.set_viewport_size({"width": width, "height": 800})
    helpers.open_app(page, app_url + "/query?q=2.61,-0.584,-0.916,0.718", min_charts=2)
    views = page.locator("[data-testid=stButtonGroup] button")
    helpers.rerun_after(page, lambda: views.filter(has_text="The arithmetic").first.click())
    page.locator(".katex-display").first.wait_for(state="visible")
    formulas = page.evaluate(HIDDEN_FORMULAS)
    helpers.screenshot(page, shots, f"query-arithmetic-{width}")
    assert len(formulas) >= 6, formulas  # three scores, the softmax, the output, Σw, H(w)
    assert not [f for f in formulas if f["hidden"]], [f for f in formulas if f["hidden"]]


def test_copy_keeps_the_charts_on_the_first_screen(page, app_url, shots, strings):
    """At 1366×768 "Copy xᵢ → q" and the bar charts share the first screen, and the reason x1 loses shows."""
    page.set_viewport_size({"width": 1366, "height": 768})
    helpers.open_app(page, app_url + "/query", min_charts=2)
    button = page.locator(".st-key-w-q-copy button")
    helpers.rerun_after(page, button.click, changes="chart.weights")
    helpers.screenshot(page, shots, "query-after-copy-1366x768")
    # the button and both charts on one screen: a student need not scroll between pressing and seeing
    for key in ("w-q-copy", "chart-scores", "chart-weights"):
        box = page.locator(f".st-key-{key}").bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 768, (key, box)
    ticks = page.evaluate(
        "() => Array.from(document.querySelectorAll('.st-key-chart-weights .xtick text, .st-key-chart-weights .ytick text'))"
        ".map((e) => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert ticks and min(ticks) >= 12, ticks
    reason = page.locator('[data-testid="stAlertContentInfo"]')
    assert reason.count() == 1 and "wins although q = x1" in reason.inner_text()
    helpers.assert_no_error_box(page)
