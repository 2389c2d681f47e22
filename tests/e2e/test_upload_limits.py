"""Streamlit's uploader and the loader refuse files at the same size: MAX_UPLOAD_MB counted in 10⁶ bytes."""

from __future__ import annotations

import pytest

from attention_core.uploads import MAX_UPLOAD_BYTES

from . import helpers

pytestmark = pytest.mark.e2e

CAPTION = '[data-testid="stSidebar"] [data-testid="stCaptionContainer"]'


def sequence_caption(page) -> str:
    """The sidebar's "n = … tokens, d = … · from <file>" line."""
    return page.locator(CAPTION).filter(has_text="tokens, d =").first.inner_text()


def padded_csv(path, size: int):
    """A valid 2×2 CSV padded with trailing spaces to exactly ``size`` bytes."""
    head = b"1,2\n3,4\n"
    path.write_bytes(head + b" " * (size - len(head)))
    return path


def test_the_uploader_takes_the_loaders_largest_file_and_refuses_one_byte_more(page, app_url, strings, tmp_path):
    helpers.open_app(page, app_url + "/query", min_charts=2)
    source = page.locator(".st-key-w-seq-source")
    helpers.rerun_after(page, lambda: source.locator("label").filter(has_text=strings["seq.source.upload"]).click())
    file_input = page.locator('[class*="st-key-w-seq-file"] input[type="file"]')

    # one byte over: refused in the browser, so no run starts and the data stays
    over = padded_csv(tmp_path / "over.csv", MAX_UPLOAD_BYTES + 1)
    runs = helpers.finished_runs(page)
    caption = sequence_caption(page)
    file_input.set_input_files(str(over))
    refusal = page.locator('[data-testid="stFileUploader"] [role="alert"]')
    refusal.wait_for(state="attached")
    assert "50.0MB" in refusal.inner_text(), refusal.inner_text()
    page.wait_for_function(f"() => ({helpers._SETTLED})()")
    assert helpers.finished_runs(page) == runs and sequence_caption(page) == caption
    page.locator('[data-testid="stFileChipDeleteBtn"] button').first.click()

    # exactly the cap: the uploader sends it and the loader takes it
    at_cap = padded_csv(tmp_path / "at-cap.csv", MAX_UPLOAD_BYTES)
    helpers.rerun_after(page, lambda: file_input.set_input_files(str(at_cap)), changes="chart.weights", timeout=90_000)
    helpers.assert_no_error_box(page)
    assert "at-cap.csv" in sequence_caption(page)
    assert len(helpers.bar_values(helpers.chart(page, "chart.weights"))) == 2
