"""Two students on one server: each session sees only its own upload, also after the other uploads again."""

from __future__ import annotations

import pytest

from . import helpers
from .fixtures import VIEWPORT

pytestmark = pytest.mark.e2e

CAPTION = '[data-testid="stSidebar"] [data-testid="stCaptionContainer"]'


def student(browser):
    """A fresh browser context: its own cookies, so its own Streamlit session."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(30_000)
    context.add_init_script(helpers.INIT_SCRIPT)
    return context, context.new_page()


def csv(path, labels, width: int):
    """A CSV with a header row and a first column of token labels: one row a token, ``width`` numbers each."""
    rows = [",".join(["token"] + [f"f{j}" for j in range(width)])]
    rows += [
        ",".join([label] + [str((i + 1) * (j + 2) % 7 - 3) for j in range(width)]) for i, label in enumerate(labels)
    ]
    path.write_text("\n".join(rows) + "\n")
    return path


def upload(page, strings, path) -> None:
    source = page.locator(".st-key-w-seq-source")
    radio = source.locator("label").filter(has_text=strings["seq.source.upload"])
    if not radio.locator("input").is_checked():
        helpers.rerun_after(page, radio.click)
    file_input = page.locator('[class*="st-key-w-seq-file"] input[type="file"]')
    helpers.rerun_after(page, lambda: file_input.set_input_files(str(path)), changes="chart.weights")
    helpers.assert_no_error_box(page)


def seen(page) -> tuple[str, list[str]]:
    """The sidebar's sequence line and the token labels of the weights chart."""
    caption = page.locator(CAPTION).filter(has_text="tokens, d =").first.inner_text()
    helpers.chart(page, "chart.weights")  # drawn
    ticks = page.locator(helpers._chart_selector("chart.weights") + " .xtick text").all_text_contents()
    return caption, ticks


def test_two_sessions_never_see_each_others_uploads(browser, app_url, strings, tmp_path):
    ana_words = ["apple", "banana", "cherry"]
    bo_words = ["lion", "tiger", "zebra", "panda", "koala"]
    ana_file = csv(tmp_path / "ana.csv", ana_words, 3)
    bo_file = csv(tmp_path / "bo.csv", bo_words, 6)
    ana_ctx, ana = student(browser)
    bo_ctx, bo = student(browser)
    try:
        for page in (ana, bo):
            helpers.open_app(page, app_url + "/query", min_charts=2)
        upload(ana, strings, ana_file)
        upload(bo, strings, bo_file)

        def check(page, mine, theirs, n, d, name):
            caption, labels = seen(page)
            assert f"n = {n} tokens, d = {d}" in caption and name in caption, caption
            text = " ".join(labels)
            assert all(w in text for w in mine), (mine, labels)
            assert not any(w in text for w in theirs), (theirs, labels)
            assert len(helpers.bar_values(helpers.chart(page, "chart.weights"))) == n

        check(ana, ana_words, bo_words, 3, 3, "ana.csv")
        check(bo, bo_words, ana_words, 5, 6, "bo.csv")

        # Bo uploads again (a new file), then Ana asks for a random query: her rerun still holds her own data
        bo_again = csv(tmp_path / "bo2.csv", ["wolf", "bear"], 2)
        upload(bo, strings, bo_again)
        random_query = ana.locator(".st-key-w-q-random button").or_(
            ana.locator('[data-testid="stButton"] button').filter(has_text=strings["query.random"])
        )
        helpers.rerun_after(ana, random_query.first.click, changes="chart.weights")
        check(ana, ana_words, bo_words + ["wolf", "bear"], 3, 3, "ana.csv")
        check(bo, ["wolf", "bear"], ana_words, 2, 2, "bo2.csv")
    finally:
        ana_ctx.close()
        bo_ctx.close()
