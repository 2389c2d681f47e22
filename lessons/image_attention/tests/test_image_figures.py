"""The lesson's charts start from ``ui.figures.base_layout`` (tests/app/test_figure_layouts.py)."""

from __future__ import annotations

import numpy as np

from lessons.image_attention import figures as ifig
from tests.app.test_figure_layouts import assert_shared_fonts


def test_a_chart_carries_the_shared_title_and_hover_fonts():
    assert_shared_fonts(ifig.probabilities(np.array([0.2, 0.8]), ["cat", "dog"], title="T", y_title="p", predicted=1))
