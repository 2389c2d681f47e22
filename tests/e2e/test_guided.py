"""The guided lesson in a real browser: take the Query page's lesson to its score; a preset link opens its lesson."""

from __future__ import annotations

import math
import re

import pytest

from . import helpers

pytestmark = pytest.mark.e2e

FORM = '[data-testid="stMain"] [data-testid="stForm"]'  # the guided lesson's (the sidebar has the live class's)


def weights(page) -> list[float]:
    return helpers.bar_values(helpers.chart(page, "chart.weights"))


def answer_step(page, strings, choose) -> str:
    """Answer the current step with ``choose(options)`` (an option index) or a number, press Check; the reveal text."""
    form = page.locator(FORM)
    options = form.locator('[data-testid="stRadioOption"]')
    # the question's widget is drawn a moment after the form (its component may still be loading): wait for
    # one, then read which kind it is (a run once read no options yet and typed into a number box it lacked)
    form.locator('[data-testid="stRadioOption"], input[type="number"]').first.wait_for(state="visible")
    if options.count():
        labels = [options.nth(i).inner_text().strip() for i in range(options.count())]
        options.nth(choose(labels)).click()
    else:
        form.locator('input[type="number"]').fill(str(choose(None)))
    helpers.rerun_after(page, lambda: form.get_by_role("button", name=strings["guide.check"]).click())
    reveal = page.locator('[data-testid="stAlert"]').last
    reveal.wait_for()
    return reveal.locator('[data-testid="stMarkdownContainer"]').inner_text().strip()


def test_query_lesson_to_its_score(page, app_url, shots, strings):
    helpers.open_app(page, app_url + "/query?guide=1", min_charts=1)
    helpers.assert_no_error_box(page)
    assert page.locator(".st-key-chart-weights").count() == 0  # the weights wait for the prediction
    scores = helpers.bar_values(helpers.chart(page, "chart.scores"))
    w = helpers.softmax(scores)
    top = max(range(len(w)), key=w.__getitem__)

    # 1 · the top token, answered right from the scores
    text = answer_step(page, strings, lambda labels: labels.index(f"x{top + 1}"))
    assert text.startswith(strings["guide.right"].format(answer=f"x{top + 1}"))
    assert weights(page) == pytest.approx(w, abs=1e-6)  # the chart is back at the reveal
    helpers.screenshot(page, shots, "guided-query-reveal")
    helpers.rerun_after(page, lambda: page.get_by_role("button", name=strings["guide.next"]).click())

    # 2 · halving T: answered wrong on purpose ("up"), the reveal says "down" and why
    text = answer_step(page, strings, lambda labels: labels.index(strings["guide.up"]))
    assert strings["guide.down"] in text and strings["guide.query.temperature.reason.down"] in text
    helpers.rerun_after(page, lambda: page.get_by_role("button", name=strings["guide.next"]).click())

    # 3 · the runner-up's weight by hand
    runner_up = sorted(w)[-2]
    text = answer_step(page, strings, lambda _: f"{runner_up:.3f}")
    assert text.startswith(strings["guide.right"].format(answer=f"{runner_up:.3f}")[:6])
    helpers.rerun_after(page, lambda: page.get_by_role("button", name=strings["guide.next"]).click())

    # 4 · the output's nearest token, answered wrong: any option but the revealed one is wrong, so take the first
    text = answer_step(page, strings, lambda labels: 0)
    nearest = re.search(r"‖o − (\S+)‖", text).group(1)
    right_first = text.startswith(strings["guide.right"][:5])
    helpers.rerun_after(page, lambda: page.get_by_role("button", name=strings["guide.score_button"]).click())

    score = strings["guide.score"].format(right=2 + right_first, total=4)
    page.get_by_text(score).wait_for()
    assert nearest
    helpers.assert_no_error_box(page)
    helpers.screenshot(page, shots, "guided-query-score")
    assert math.isclose(sum(weights(page)), 1.0, abs_tol=1e-6)

    helpers.rerun_after(page, lambda: page.get_by_role("button", name=strings["guide.again"]).click())
    page.get_by_text(strings["guide.step_of"].format(k=1, n=4)).wait_for()
    assert not page.e2e_js_errors


def test_a_preset_link_opens_the_page_with_its_settings_and_the_lesson(page, app_url, strings):
    helpers.open_app(page, app_url + "/query", min_charts=2)
    page.get_by_text(strings["guide.presets"]).click()
    link = page.get_by_role("link", name=strings["guide.query.preset.mask"])
    href = link.get_attribute("href")
    assert link.get_attribute("target") == "_blank"  # a new tab: a new session starts from the link
    # what that tab does, in this one (a fresh page load is a fresh session)
    helpers.open_app(page, f"{app_url}/{href}", min_charts=1)
    page.locator(FORM).wait_for()
    params = helpers.url_params(page.url)
    assert params["mask"] == "5" and params["guide"] == "1"
    assert len(helpers.bar_values(helpers.chart(page, "chart.scores"))) == 8
    helpers.assert_no_error_box(page)
