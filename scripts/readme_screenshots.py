"""The README's pictures: one screenshot a lesson, taken in headless Chromium from a real server.

    make screenshots          # or: .venv/bin/python scripts/readme_screenshots.py

Starts the app (tests/server.py), opens every lesson of the registry (ui/layout.py PAGES) 1366 px wide, the
width of a classroom laptop, waits until the page has finished drawing (tests/e2e/helpers.py), and photographs
the lesson's column (not the sidebar's controls) from its title to the bottom of its first chart.  It writes
docs/images/<url path>.png, at most IMAGE_WIDTH wide, on a 256-colour palette, so each stays small (well
under 150 kB) in the repository.  A new lesson gets its picture from its registry entry alone.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from tests.e2e import helpers  # noqa: E402
from tests.server import streamlit_server  # noqa: E402
from ui import layout  # noqa: E402

OUT = ROOT / "docs" / "images"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
WINDOW = {"width": 1366, "height": 768}
IMAGE_WIDTH = 960  # px: sharp on GitHub's README column (~900 px wide), a fraction of the bytes
MAX_HEIGHT = 1500  # px of page: a chart further down than this is cut, not shrunk to nothing
# the lesson's column from its title to the bottom of its first chart, in the window's pixels (the sidebar's
# controls are left out: the picture is of the lesson)
_TITLE_TO_CHART = """() => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect();
    const title = document.querySelector('[data-testid="stMain"] h1').getBoundingClientRect();
    const chart = document.querySelector('[data-testid="stMain"] .js-plotly-plot').getBoundingClientRect();
    return {left: Math.max(0, title.left - 24), right: Math.min(window.innerWidth, main.right - 24),
            top: Math.max(0, title.top - 16), bottom: chart.bottom + 12};
}"""


def photograph(page, path: Path) -> None:
    """The page from its title to the bottom of its first chart: the window is made tall enough first."""
    box = page.evaluate(_TITLE_TO_CHART)
    page.set_viewport_size({"width": WINDOW["width"], "height": min(MAX_HEIGHT, int(box["bottom"]) + 40)})
    page.wait_for_timeout(800)  # the charts redraw for the new window
    box = page.evaluate(_TITLE_TO_CHART)
    clip = {"x": box["left"], "y": box["top"], "width": box["right"] - box["left"]}
    page.screenshot(path=str(path), clip=clip | {"height": min(MAX_HEIGHT, box["bottom"]) - box["top"]})


def small_png(shot: Path, out: Path) -> int:
    """``shot`` scaled to IMAGE_WIDTH, on an adaptive 256-colour palette; the bytes written."""
    with Image.open(shot) as image:
        image = image.convert("RGB")
        width = min(IMAGE_WIDTH, image.width)  # never enlarged
        small = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
        small.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
    return out.stat().st_size


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as tmp,
        streamlit_server(Path(tmp) / "server.log", timeout=120) as base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for lesson in layout.lessons():
            context = browser.new_context(viewport=WINDOW, locale="en-US")  # a fresh session a page
            context.add_init_script(helpers.INIT_SCRIPT)
            page = context.new_page()
            helpers.open_app(page, f"{base}/{lesson['url_path']}", min_charts=1, timeout=180_000)
            shot = Path(tmp) / "shot.png"
            photograph(page, shot)
            out = OUT / f"{lesson['url_path']}.png"
            print(f"{out.relative_to(ROOT)}: {small_png(shot, out) / 1000:.0f} kB")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
