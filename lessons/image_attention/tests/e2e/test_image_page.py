"""The Image-attention page in a real browser: click a region on the image and the map over it changes."""

from __future__ import annotations

import pytest

from attention_core import scenes
from tests.e2e import helpers

pytestmark = pytest.mark.e2e

PATH = "/image"
OWN = ".st-key-chart-image-own .js-plotly-plot"

# the map (trace 1) of the overlay under a selector, as rows
_READ_MAP = """
(s) => {
  const gd = document.querySelector(s);
  if (!gd || !gd._fullData || gd._fullData.length < 2) return null;
  return Array.from(gd._fullData[1].z, (row) => Array.from(row, Number));
}
"""


def read_map(page) -> list[list[float]]:
    page.wait_for_function(f"(s) => ({_READ_MAP})(s) !== null", arg=OWN)
    return page.evaluate(_READ_MAP, OWN)


def click_region(page, row: int, col: int, patch: int = 16) -> None:
    """Hover, then click the centre of region (row, col) (1-based) on the image (scrolled into view first)."""
    page.locator(OWN).scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([s, x, y]) => { const gd = document.querySelector(s); const L = gd._fullLayout;
             const r = gd.getBoundingClientRect();
             return [r.left + L.xaxis._offset + L.xaxis.l2p(x), r.top + L.yaxis._offset + L.yaxis.l2p(y)]; }""",
        [OWN, (col - 0.5) * patch - 0.5, (row - 0.5) * patch - 0.5],
    )
    page.mouse.move(x - 4, y - 4)
    page.mouse.move(x, y)  # Plotly picks the point on hover; a click without it selects nothing
    page.wait_for_timeout(300)
    helpers.rerun_after(page, lambda: page.mouse.click(x, y))


def check_clean(page) -> None:
    helpers.assert_no_error_box(page)
    assert not page.e2e_js_errors, page.e2e_js_errors


def test_click_a_region_and_the_overlay_follows(page, app_url, shots, strings):
    helpers.open_app(
        page, app_url + PATH + "?sample=red-circle&view=own&features=descriptor&patch=16&row=1&col=1", min_charts=2
    )
    check_clean(page)
    assert strings["image.title"] in page.locator('[data-testid="stMain"] h1').all_inner_texts()
    before = read_map(page)
    assert len(before) == 16 and len(before[0]) == 16
    assert abs(sum(map(sum, before)) - 1) < 1e-4
    # from the background (row 1, column 1) to the red circle: regions like it are now other red regions
    target = scenes.sample_spec("red-circle").shapes[0]
    row, col = int(target.y * 16) + 1, int(target.x * 16) + 1
    click_region(page, row, col)
    check_clean(page)
    after = read_map(page)
    assert after != before
    assert abs(sum(map(sum, after)) - 1) < 1e-4
    assert after[row - 1][col - 1] > before[row - 1][col - 1]
    params = helpers.url_params(page.url)
    assert (params["row"], params["col"]) == (str(row), str(col))
    helpers.screenshot(page, shots, "image-own-query-clicked")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_screenshots(page, app_url, shots, lang, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    shots.mkdir(parents=True, exist_ok=True)
    for view in ("learned", "own", "move"):
        query = (
            f"?view={view}&sample=crowded"
            + ("&move=1" if view == "move" else "")
            + ("&lang=zh" if lang == "zh" else "")
        )
        helpers.open_app(page, app_url + PATH + query, min_charts=1)
        check_clean(page)
        page.screenshot(path=str(shots / f"image-{view}-{lang}-{size[0]}x{size[1]}.png"))  # what the window shows
        helpers.screenshot(page, shots, f"image-{view}-{lang}-{size[0]}x{size[1]}-full")
