"""Every figure module starts from ``ui.figures.base_layout``: one place sets a chart's title, fonts and
background, so a change there (a larger title, the hover font) reaches every chart of every lesson (each lesson
checks a chart of its own with ``assert_shared_fonts``, in its folder)."""

from __future__ import annotations

import re

import plotly.graph_objects as go

from ui.figures import base_layout

from .pages import ROOT


def test_every_figure_module_starts_from_base_layout_and_writes_no_title_of_its_own():
    for path in sorted((ROOT / "lessons").glob("*/figures.py")):
        text = path.read_text()
        shared = "base_layout" in text or re.search(r"from ui\.figures import \([^)]*\b_layout\b", text)  # its alias
        assert shared, path
        assert not re.search(r"title=dict\(text=\w+, x=0, xanchor=", text), (
            f"{path}: a chart title beside base_layout's"
        )
        for private in re.findall(r"def _layout\(.*?\n\n\n", text, flags=re.S):
            assert "base_layout(" in private, f"{path}: a private copy of base_layout"


def test_extra_settings_override_the_shared_ones():
    layout = base_layout("t", 300, margin=dict(l=1), plot_bgcolor="black", legend=dict(x=0))
    assert layout["margin"] == dict(l=1) and layout["plot_bgcolor"] == "black" and layout["legend"] == dict(x=0)
    assert layout["title"]["text"] == "t" and layout["height"] == 300


def assert_shared_fonts(fig) -> None:
    """A lesson's chart (titled "T") carries base_layout's title and hover fonts; each lesson calls this in its folder."""
    shared = base_layout("x", 100)
    layout = go.Figure(fig).to_dict()["layout"]
    assert layout["title"]["text"] == "T"
    assert layout["title"]["font"] == shared["title"]["font"]
    assert layout["hoverlabel"] == shared["hoverlabel"]
