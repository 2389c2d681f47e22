"""The Transformer-model page in a real browser, with the bundled all-MiniLM-L6-v2.

One session walks the page: switch layer and head, visit every view (a
screenshot of each), click a head in the model view to open it.
"""

from __future__ import annotations

import math

import pytest

from tests.e2e import helpers

pytestmark = pytest.mark.e2e

FIRST_LOAD = 120_000  # ms: the first visit imports transformers and loads the model
VIEWS = ("head", "model", "matrix", "rollout", "recompute", "stats", "compare")


def choose(page, key: str, option: str, changes: str | None = None) -> None:
    """Pick ``option`` (its visible text) in the selectbox ``key`` and wait for the rerun (and the chart ``changes``)."""
    # the key, or the key plus the fingerprint of its option labels (ui.settings); Streamlit 1.67: a react-aria ComboBox
    page.locator(f'.st-key-{key} [role="combobox"], [class*="st-key-{key}-"] [role="combobox"]').first.click()
    helpers.rerun_after(page, lambda: page.get_by_role("option", name=option, exact=True).click(), changes=changes)


def test_transformer_page_layers_heads_and_views(page, app_url, shots, strings):
    helpers.open_app(page, app_url + "/model", min_charts=2, timeout=FIRST_LOAD)
    helpers.assert_no_error_box(page)
    assert strings["tm.title"] in page.locator('[data-testid="stMain"] h1').all_inner_texts()

    received = helpers.bar_values(helpers.chart(page, "chart.tm.row"))
    assert len(received) == 16 and math.isclose(
        sum(received), 1.0, abs_tol=1e-5
    )  # column means of a row-stochastic matrix

    choose(page, "w-tm-layer", "1", changes="chart.tm.head")
    choose(page, "w-tm-head", "3", changes="chart.tm.head")
    params = helpers.url_params(page.url)
    assert (params["layer"], params["head"]) == ("1", "3")
    assert "layer 1, head 3" in helpers.chart(page, "chart.tm.head")["title"]
    after = helpers.bar_values(helpers.chart(page, "chart.tm.row"))
    assert after != received and math.isclose(sum(after), 1.0, abs_tol=1e-5)

    for view in VIEWS:
        button = page.locator(".st-key-w-tm-view button", has_text=strings[f"tm.view.{view}"])
        if view != "head":
            helpers.rerun_after(page, lambda: button.click())
        helpers.assert_no_error_box(page)
        assert helpers.url_params(page.url)["view"] == view
        helpers.screenshot(page, shots, f"model-{view}")

    # the model view: a click on a head's square opens it in the matrix view
    helpers.rerun_after(
        page, lambda: page.locator(".st-key-w-tm-view button", has_text=strings["tm.view.model"]).click()
    )
    target = page.evaluate(
        """() => {
          const gd = document.querySelector('.st-key-chart-tm-model .js-plotly-plot');
          const heads = gd._fullData[1], xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
          const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
          const i = 5 * 12 + 10;  // layer 6, head 11
          return {x: box.left + xa.l2p(heads.x[i]), y: box.top + ya.l2p(heads.y[i])};
        }"""
    )
    helpers.rerun_after(page, lambda: page.mouse.click(target["x"], target["y"]), changes="chart.tm.matrix")
    params = helpers.url_params(page.url)
    assert (params["view"], params["layer"], params["head"]) == ("matrix", "6", "11")
    assert "layer 6, head 11" in helpers.chart(page, "chart.tm.matrix")["title"]
    helpers.assert_no_error_box(page)
    assert not page.e2e_js_errors, page.e2e_js_errors
