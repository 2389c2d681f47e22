"""Compare A/B on the Self-attention page in a real browser: the view opens from a link and draws its charts."""

from __future__ import annotations

import pytest

from tests.e2e import helpers

pytestmark = pytest.mark.e2e


def test_self_attention_compare_view(page, app_url, shots):
    helpers.open_app(page, app_url + "/self-attention?view=compare", min_charts=3)
    helpers.chart(page, "chart.sa.compare.delta")
    helpers.assert_no_error_box(page)
    helpers.pictures(page, shots, "sa-compare-en")
    assert not page.e2e_js_errors
