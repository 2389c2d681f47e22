"""The seq2seq page in a real browser: press Train, see the progress and the live heatmap, then predict."""

from __future__ import annotations

import pytest

from tests.e2e import helpers

pytestmark = pytest.mark.e2e

PATH = "/seq2seq?view=train&steps=100&hidden=32"

# {type, rows, cols} of the first trace of the chart under a selector (the live heatmap's key changes as it redraws)
_HEATMAP = """
(s) => {
  const gd = document.querySelector(s);
  if (!gd || !gd._fullData || !gd._fullData.length) return null;
  const t = gd._fullData[0];
  return {type: t.type, rows: t.z ? t.z.length : 0, cols: t.z && t.z.length ? t.z[0].length : 0};
}
"""


def test_train_shows_progress_and_the_alignment_then_predicts(page, app_url, shots, strings):
    helpers.open_app(page, app_url + PATH)
    helpers.assert_no_error_box(page)
    before = helpers.finished_runs(page)
    page.locator(".st-key-w-s2s-train button").click()
    # while it trains: the progress bar, then a heatmap of the example drawn by the running script
    page.locator('[data-testid="stProgress"]').wait_for(state="visible", timeout=60_000)
    live = '[class*="st-key-chart-s2s-live"] .js-plotly-plot'
    page.wait_for_function(
        f"(s) => {{ const r = ({_HEATMAP})(s); return r && r.type === 'heatmap'; }}", arg=live, timeout=120_000
    )
    helpers.screenshot(page, shots, "seq2seq-training")
    # the run ends by itself (100 steps): the final charts carry the fixed keys
    page.wait_for_function(
        "(n) => window.__e2e.received > n && document.querySelector('[data-testid=\"stApp\"]')"
        ".getAttribute('data-test-script-state') === 'notRunning'",
        arg=before[1],
        timeout=180_000,
    )
    helpers.wait_charts(page, min_count=2)
    final = page.evaluate(_HEATMAP, ".st-key-chart-s2s-live .js-plotly-plot")
    assert final == {"type": "heatmap", "rows": 10, "cols": 10}  # "abcdefghij" → its reverse
    assert "Trained 100 steps" in page.locator('[data-testid="stAlertContentSuccess"]').inner_text()
    assert len(helpers.chart(page, "chart.s2s.curve")["traces"][0]["x"]) == 100
    helpers.assert_no_error_box(page)

    # then the Alignment view with the model just trained: type an input, see its alignment
    view = page.locator(".st-key-w-s2s-view button", has_text=strings["seq2seq.view.try"])
    helpers.rerun_after(page, view.click)
    box = page.locator(".st-key-w-s2s-text input")
    helpers.rerun_after(page, lambda: (box.fill("abcdef"), box.press("Enter")))
    helpers.assert_no_error_box(page)
    assert (
        page.locator(".st-key-w-s2s-model button[aria-checked='true']").inner_text() == strings["seq2seq.model.yours"]
    )
    shape = page.evaluate(_HEATMAP, ".st-key-chart-s2s-alignment .js-plotly-plot")
    if shape is not None:  # a barely trained model may write nothing: then there is nothing to align
        assert shape["type"] == "heatmap" and shape["cols"] == 6
    assert helpers.url_params(page.url)["text"] == "abcdef"
    helpers.screenshot(page, shots, "seq2seq-after-training")

    # the pretrained model reverses it at once
    pretrained = page.locator(".st-key-w-s2s-model button", has_text=strings["seq2seq.model.shipped"])
    helpers.rerun_after(page, pretrained.click)
    assert page.evaluate(_HEATMAP, ".st-key-chart-s2s-alignment .js-plotly-plot") == {
        "type": "heatmap",
        "rows": 6,
        "cols": 6,
    }
    assert "fedcba" in page.locator('[data-testid="stMetricValue"]').first.inner_text()
    assert not page.e2e_js_errors, page.e2e_js_errors


def test_stop_ends_a_training_and_keeps_the_model(page, app_url, strings):
    helpers.open_app(page, app_url + "/seq2seq?view=train&steps=2000")
    page.locator(".st-key-w-s2s-train button").click()
    page.wait_for_function(
        f"(s) => ({_HEATMAP})(s) !== null", arg='[class*="st-key-chart-s2s-live"] .js-plotly-plot', timeout=120_000
    )  # it is training
    # not rerun_after: it first waits for the app to settle, i.e. for the training to end on its own
    page.locator(".st-key-w-s2s-stop button").click()
    done = page.locator('[data-testid="stAlertContentSuccess"]')
    done.wait_for(state="visible", timeout=60_000)
    helpers.wait_idle(page, timeout=60_000)
    status = done.inner_text()
    assert status.startswith("Stopped after"), status
    steps = int(status.split("Stopped after")[1].split()[0])
    assert 0 < steps < 2000
    assert len(helpers.chart(page, "chart.s2s.curve")["traces"][0]["x"]) == steps  # the curve so far stays
    helpers.assert_no_error_box(page)
