"""Steer the query and Compare A/B in a real browser: a step moves the weights chart, compare mode opens and follows B."""

from __future__ import annotations

import pytest

from tests.e2e import helpers

pytestmark = pytest.mark.e2e

QUERY_TEXT = ".st-key-w-q-text textarea"


def weights(page, key: str = "chart.weights") -> list[float]:
    return helpers.bar_values(helpers.chart(page, key))


def arrows(page, key: str) -> int:
    """How many arrow annotations the chart ``key`` draws (in the browser's own layout)."""
    return page.evaluate(
        """(sel) => { const gd = document.querySelector(sel + ' .js-plotly-plot');
             return gd ? (gd._fullLayout.annotations || []).filter((a) => a.showarrow).length : -1; }""",
        ".st-key-" + key.replace(".", "-"),
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_step_raises_the_weight_in_the_chart(page, app_url, shots, lang):
    helpers.open_app(page, app_url + f"/query?view=steer&steer_to=3&steer_step=0.5&lang={lang}", min_charts=3)
    assert arrows(page, "chart.steer") == 1
    before = weights(page)
    q_before = helpers.numbers(helpers.filled_value(page.locator(QUERY_TEXT)))

    step = page.locator(".st-key-w-query-steer-go button")
    helpers.rerun_after(page, step.click, changes="chart.weights")
    after = weights(page)

    helpers.assert_no_error_box(page)
    assert after[2] > before[2], (before, after)
    q_after = helpers.numbers(helpers.filled_value(page.locator(QUERY_TEXT)))
    assert q_after != q_before
    page.wait_for_function(
        "(q) => new URL(location.href).searchParams.get('q') !== q", arg=",".join(map(str, q_before))
    )
    assert helpers.numbers(helpers.url_params(page.url)["q"]) == pytest.approx(q_after)
    assert arrows(page, "chart.steer") == 1
    helpers.pictures(page, shots, f"steer-{lang}")
    assert not page.e2e_js_errors


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_mode_opens_and_follows_b(page, app_url, shots, strings, lang):
    helpers.open_app(page, app_url + f"/query?lang={lang}", min_charts=2)
    label = {"en": "Compare A/B", "zh": "对比 A/B"}[lang]
    option = page.locator('[data-testid="stButtonGroup"] button').filter(has_text=label)
    helpers.rerun_after(page, option.first.click)
    a, b = weights(page, "chart.compare.a"), weights(page, "chart.compare.b")
    assert len(a) == len(b) == 8 and a != b  # B's default temperature is 0.5

    mask = page.locator('[class*="st-key-w-query-cmp-mask"] input')  # keyed per language (…-mask-zh)
    mask.fill("5")
    helpers.rerun_after(page, lambda: mask.press("Enter"), changes="chart.compare.b")
    b = weights(page, "chart.compare.b")
    assert b[4] == 0.0 and sum(b) == pytest.approx(1.0)
    delta = weights(page, "chart.compare.delta_w")
    assert delta == pytest.approx([y - x for x, y in zip(a, b)], abs=1e-6)
    assert helpers.url_params(page.url).get("b_mask") == "5"
    helpers.assert_no_error_box(page)
    helpers.pictures(page, shots, f"compare-{lang}")
    assert not page.e2e_js_errors
