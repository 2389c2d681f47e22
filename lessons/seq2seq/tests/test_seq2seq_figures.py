"""The lesson's charts start from ``ui.figures.base_layout`` (tests/app/test_figure_layouts.py)."""

from __future__ import annotations

from lessons.seq2seq import figures as sfig
from tests.app.test_figure_layouts import assert_shared_fonts


def test_a_chart_carries_the_shared_title_and_hover_fonts():
    assert_shared_fonts(sfig.empty_alignment_figure(title="T", empty_note="none yet"))
