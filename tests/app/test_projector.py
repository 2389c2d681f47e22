"""Projector mode's styling: larger fonts and thicker lines in every chart, the same numbers; the dark theme's colours.
(A page in projector mode, and its link: lessons/<lesson>/tests.)"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui import projector
from ui.figures import bar_chart, heatmap


def test_lines_get_thicker_and_numbers_stay():
    fig = go.Figure(
        [go.Scatter(x=[1, 2], y=[1, 2], mode="lines", line=dict(width=2)), go.Scatter(x=[1], y=[1], mode="markers")],
        dict(title=dict(text="t")),
    ).to_dict()
    projector.projector_style(fig)
    assert fig["data"][0]["line"]["width"] == 4
    assert "line" not in fig["data"][1]  # markers only: nothing to thicken
    cells = heatmap(np.eye(3), ["a", "b", "c"], ["a", "b", "c"], "w").to_dict()
    assert cells["data"][0]["texttemplate"] == "%{z:.2f}"
    projector.projector_style(cells)
    assert cells["data"][0]["texttemplate"] == "%{z:.2f}"  # rounding the printed text again gave 0.75 → 0.8


def test_the_dark_theme_swaps_the_colours_set_for_a_white_page():
    fig = bar_chart(np.array([0.2, 0.8]), ["a", "b"], "w", "w")
    fig.update_layout(plot_bgcolor="white")
    spec = fig.to_dict()
    projector.dark_colors(spec)
    assert spec["layout"]["plot_bgcolor"] == "rgba(0,0,0,0)"
    assert spec["layout"]["yaxis"]["gridcolor"] == projector.DARK_GRID
