"""The Complexity page in a real browser: press Run, see the time and memory log–log plots hold the new run."""

from __future__ import annotations

import pytest

from tests.e2e import helpers

pytestmark = pytest.mark.e2e

PATH = "/complexity?n=256-512&methods=exact,chunked,linear&threads=1"


def view_button(page, label: str):
    return page.locator(".st-key-w-complexity-view button").filter(has_text=label).first


def test_run_then_both_log_log_plots(page, app_url, shots, strings):
    helpers.open_app(page, app_url + PATH, min_charts=1)
    before = helpers.chart(page, "chart.complexity.time")
    assert before["xTitle"] == "n" and before["yTitle"] == strings["complexity.ms"]
    assert 8192 in [x for tr in before["traces"] for x in tr["x"]]  # the shipped reference reaches n = 8192

    run = page.locator(".st-key-w-complexity-run button")
    helpers.rerun_after(page, run.click, timeout=90_000)
    page.locator('[data-testid="stAlertContentSuccess"]').wait_for()  # "Your run: n = 256 … 512"
    after = helpers.chart(page, "chart.complexity.time")
    names = [tr["name"] for tr in after["traces"]]
    assert names == [strings[f"complexity.method.{m}"] for m in ("exact", "chunked", "linear")]
    linear_ns = [2**k for k in range(8, 16)]  # work ∝ n: measured on to n = 32768, where its slope shows
    assert [tr["x"] for tr in after["traces"]] == [[256, 512], [256, 512], linear_ns]
    assert all(y > 0 for tr in after["traces"] for y in tr["y"])
    helpers.assert_no_error_box(page)
    helpers.screenshot(page, shots, "complexity-time-after-run")

    helpers.rerun_after(page, view_button(page, strings["complexity.view.memory"]).click)
    memory = helpers.chart(page, "chart.complexity.memory")
    assert memory["yTitle"] == strings["complexity.mib"]
    matrix = [tr for tr in memory["traces"] if tr["name"] == strings["complexity.matrix"]][0]
    assert matrix["x"] == linear_ns and matrix["y"] == pytest.approx([4 * n**2 / 2**20 for n in linear_ns])
    assert helpers.url_params(page.url)["view"] == "memory"
    helpers.assert_no_error_box(page)
    helpers.screenshot(page, shots, "complexity-memory-after-run")
    assert not page.e2e_js_errors
