"""Export and projector mode in a real browser: the page as HTML opens offline; projector mode grows the charts."""

from __future__ import annotations

import pytest

from . import helpers

pytestmark = pytest.mark.e2e

PROJECTOR = ".st-key-w-projector label"
FONT_SIZE = """(key) => {
  const gd = document.querySelector('.st-key-' + key + ' .js-plotly-plot');
  return gd && gd._fullLayout ? gd._fullLayout.font.size : null;
}"""


def test_the_exported_query_page_draws_every_chart_offline(page, app_url, browser, shots, tmp_path, strings):
    helpers.open_app(page, app_url + "/query?temperature=0.5", min_charts=3)
    charts = page.locator('[data-testid="stPlotlyChart"]').count()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=strings["export.html"]).click()
    path = tmp_path / "query.html"
    download.value.save_as(path)
    assert download.value.suggested_filename == "attention-explorer-query.html"

    # a new browser window with every network request refused: the file must need none
    offline = browser.new_context(viewport={"width": 1366, "height": 768})
    requested = []

    def refuse(route):
        if route.request.url == path.as_uri():  # the file itself
            route.continue_()
            return
        requested.append(route.request.url)
        route.abort()

    offline.route("**/*", refuse)
    try:
        view = offline.new_page()
        errors = []
        view.on("pageerror", lambda exc: errors.append(str(exc)))
        view.goto(path.as_uri())
        view.wait_for_function(
            "(n) => document.querySelectorAll('section.figure .js-plotly-plot .main-svg').length >= n",
            arg=charts,
            timeout=30_000,
        )
        assert view.locator("section.figure").count() == charts
        assert view.locator("h1").inner_text() == "Query attention"
        assert "temperature=0.5" in view.locator("p.meta a").get_attribute("href")
        assert requested == []
        assert errors == []
        helpers.screenshot(view, shots, "export-query-offline")
    finally:
        offline.close()


def test_projector_mode_grows_the_charts_and_goes_into_the_link(page, app_url, shots):
    helpers.open_app(page, app_url + "/query", min_charts=2)
    before = page.evaluate(FONT_SIZE, "chart-weights")
    # the chart's data stays the same (only its fonts change): wait for the larger font itself (a quick
    # rerun can pass without the run counter seeing it, so rerun_after without a changed chart could miss it)
    page.locator(PROJECTOR).click()
    page.wait_for_function(f"(key) => ({FONT_SIZE})(key) > {before}", arg="chart-weights", timeout=30_000)
    helpers.wait_idle(page)
    page.wait_for_function("() => new URL(location.href).searchParams.get('projector') === '1'")
    helpers.wait_charts(page)
    helpers.assert_no_error_box(page)
    helpers.screenshot(page, shots, "query-projector")
    # a link with ?projector=1 opens in projector mode
    helpers.open_app(page, app_url + "/self-attention?projector=1", min_charts=1)
    assert page.locator(".st-key-w-projector input").is_checked()
    assert not page.e2e_js_errors
