"""The lesson's charts start from ``ui.figures.base_layout`` (tests/app/test_figure_layouts.py)."""

from __future__ import annotations

import numpy as np

from lessons.self_attention import figures as safig
from tests.app.test_figure_layouts import assert_shared_fonts


def test_a_chart_carries_the_shared_title_and_hover_fonts():
    assert_shared_fonts(
        safig.head_entropy_chart(
            np.array([1.0, 1.5]),
            ["1", "2"],
            max_bits=1.58,
            title="T",
            x_title="h",
            y_title="H",
            max_label="max",
            unit="bits",
        )
    )
