"""The lesson's charts start from ``ui.figures.base_layout`` (tests/app/test_figure_layouts.py)."""

from __future__ import annotations

import numpy as np

from lessons.complexity import figures as cfig
from tests.app.test_figure_layouts import assert_shared_fonts


def test_a_chart_carries_the_shared_title_and_hover_fonts():
    w = np.full((3, 3), 1 / 3, dtype=np.float32)
    assert_shared_fonts(cfig.weights_pair(w, w, title="T", left_title="a", right_title="b", x_title="k", y_title="q"))
