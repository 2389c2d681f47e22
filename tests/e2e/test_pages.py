"""Every page opens in a real browser without an error box, shows its title, and is photographed."""

from __future__ import annotations

import math

import pytest

from . import helpers

pytestmark = pytest.mark.e2e


def registered_paths() -> set[str]:
    """The URL paths of ui.layout.PAGES: "/" for the default page, "/<url_path>" for the others."""
    from ui.layout import PAGES

    return {"/" if spec.get("default") else "/" + spec["url_path"] for specs in PAGES.values() for spec in specs}


def test_every_page_opens_without_errors(page, app_url, shots, strings):
    helpers.open_app(page, app_url + "/")
    pages = helpers.discover_pages(page, app_url)
    assert "/" in pages and "/query" in pages, f"navigation menu lists {pages}"
    missing = registered_paths() - pages.keys()
    assert not missing, f"pages registered in ui.layout.PAGES but not in the navigation menu: {missing}"

    expected_heading = {"/": strings["home.title"], "/query": strings["query.title"]}
    problems = []
    for path, nav_title in sorted(pages.items()):
        try:
            if path != "/":  # the home page is open already
                helpers.open_app(page, app_url + path)
        except AssertionError as exc:  # a crashed page: note it, picture it, go on with the others
            problems.append(str(exc))
        name = "page-home" if path == "/" else "page" + path.replace("/", "-")
        helpers.screenshot(page, shots, name)
        headings = [h.strip() for h in page.locator('[data-testid="stMain"] h1').all_inner_texts()]
        wanted = expected_heading.get(path)
        if wanted is not None and wanted not in headings:
            problems.append(f"{path}: heading {wanted!r} not among {headings}")
        elif wanted is None and not any(nav_title.lower() in h.lower() for h in headings + [page.title()]):
            problems.append(
                f"{path}: the menu title {nav_title!r} is in no heading {headings} nor the tab title {page.title()!r}"
            )
        boxes = helpers.error_boxes(page)
        if boxes:
            problems.append(f"{path}: error boxes {boxes}")
        if page.e2e_js_errors:
            problems.append(f"{path}: JavaScript errors {page.e2e_js_errors}")
            page.e2e_js_errors.clear()
    assert not problems, "\n".join(problems)


def test_a_page_is_drawn_only_when_no_placeholder_is_left(page, app_url):
    """The e2e helpers wait for Streamlit's grey loading placeholders to go (photos of drawn pages, not of
    placeholders): one that stays makes the wait fail with a sentence."""
    helpers.open_app(page, app_url + "/")
    assert page.locator(helpers._SKELETONS).count() == 0
    page.evaluate(
        """() => { const d = document.createElement('div'); d.id = 'e2e-stuck';
                 d.setAttribute('data-testid', 'stSkeleton'); document.body.appendChild(d); }"""
    )
    with pytest.raises(AssertionError, match="1 element.* placeholders"):
        helpers.wait_no_placeholders(page, timeout=1_000)
    page.evaluate("() => document.getElementById('e2e-stuck').remove()")
    helpers.wait_no_placeholders(page, timeout=1_000)


@pytest.mark.parametrize(
    "name, query, n",
    [
        ("default", "", None),
        ("gaussian-n4096-d64", "?kind=gaussian&n=4096&d=64&seed=0", 4096),
    ],
    ids=["default", "gaussian-n4096-d64"],
)
def test_query_page_settings(page, app_url, shots, name, query, n):
    # n = 4096 is ~20× the default's work: on a loaded 2-core machine its first run takes a minute or more
    helpers.open_app(page, app_url + "/query" + query, min_charts=2, timeout=180_000 if n else 60_000)
    helpers.screenshot(page, shots, f"query-{name}")
    helpers.assert_no_error_box(page)
    assert not page.e2e_js_errors

    params = helpers.url_params(page.url)
    if n is not None:
        assert {k: params.get(k) for k in ("kind", "n", "d", "seed")} == {
            "kind": "gaussian",
            "n": "4096",
            "d": "64",
            "seed": "0",
        }
    weights = helpers.bar_values(helpers.chart(page, "chart.weights"))
    scores = helpers.bar_values(helpers.chart(page, "chart.scores"))
    assert len(weights) == len(scores) == int(params.get("n", n or len(weights)))
    assert all(w >= 0 for w in weights)
    assert math.isclose(sum(weights), 1.0, abs_tol=1e-6)


def test_first_visit_after_start_to_a_deep_link(first_visit):
    """A shared link must work even when it is the first thing a freshly started server serves.

    The session's server is opened first of all at such a link (see ``first_visit`` in fixtures.py).
    """
    assert first_visit["problem"] is None, first_visit["problem"]
    assert first_visit["boxes"] == {}, f"{first_visit['url']}: {first_visit['boxes']}"


def test_the_run_counter_reads_one_script_finished_message_per_run(page, app_url, strings):
    """rerun_after relies on window.__e2e.received: one per finished run (page run or fragment run), no more."""
    helpers.open_app(page, app_url + "/self-attention", min_charts=2)
    assert helpers.finished_runs(page)[1] == 1  # the page's first run
    view = page.locator(".st-key-w-sa-view button", has_text=strings["sa.tab.all"])
    helpers.rerun_after(page, view.click, changes="chart.sa.heads")  # a fragment run
    assert helpers.finished_runs(page)[1] == 2
