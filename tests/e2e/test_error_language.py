"""A refused upload on a Chinese page says why in Chinese (issue 21, item 8), in a real browser."""

from __future__ import annotations

import re
import sys

import pytest

from . import helpers

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def zh() -> dict[str, str]:
    from .fixtures import REPO

    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from ui.i18n import catalogs

    return catalogs()["zh"]


def test_a_bad_upload_on_a_chinese_page_is_refused_in_chinese(page, app_url, shots, zh):
    helpers.open_app(page, app_url + "/query?lang=zh", min_charts=2)
    source = page.locator('[class*="st-key-w-seq-source"]')
    helpers.rerun_after(page, lambda: source.locator("label").filter(has_text=zh["seq.source.upload"]).click())
    file_input = page.locator('[class*="st-key-w-seq-file"] input[type="file"]')
    helpers.rerun_after(
        page,
        lambda: file_input.set_input_files(files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"1,2\n3\n"}]),
    )
    alerts = page.locator('[data-testid="stAlertContentError"]')
    alerts.first.wait_for()
    helpers.wait_idle(page)
    helpers.screenshot(page, shots, "query-bad-upload-zh")
    text = alerts.first.inner_text()
    # the core's sentence, said in Chinese with the file's own numbers: row 2 has 1 number, row 1 has 2
    assert "第 2 行有 1 个数，而第 1 行有 2 个" in text, text
    assert "bad.csv" in text and "已保留之前的序列" in text, text
    assert not re.search(r"\b(Row|row|number|numbers|every)\b", text), text
    assert page.locator('[data-testid="stException"]').count() == 0
