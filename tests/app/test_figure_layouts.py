"""Every figure module starts from ``ui.figures.base_layout``: one place sets a chart's title, fonts and
background, so a change there (a larger title, the hover font) reaches every chart of every lesson."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from lessons.complexity import figures as cfig
from lessons.image_attention import figures as ifig
from lessons.self_attention import figures as safig
from lessons.seq2seq import figures as sfig
from lessons.transformer_model import figures as tfig
from ui.figures import base_layout

from .conftest import ROOT


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


def test_a_chart_of_each_lesson_carries_the_shared_title_and_hover_fonts():
    shared = base_layout("x", 100)
    w = np.full((3, 3), 1 / 3, dtype=np.float32)
    figs = {
        "self_attention": safig.head_entropy_chart(
            np.array([1.0, 1.5]),
            ["1", "2"],
            max_bits=1.58,
            title="T",
            x_title="h",
            y_title="H",
            max_label="max",
            unit="bits",
        ),
        "seq2seq": sfig.empty_alignment_figure(title="T", empty_note="none yet"),
        "transformer": tfig.head_view(w, ["a", "b", "c"], None, title="T", left="l", right="r", hover="h"),
        "complexity": cfig.weights_pair(w, w, title="T", left_title="a", right_title="b", x_title="k", y_title="q"),
        "image": ifig.probabilities(np.array([0.2, 0.8]), ["cat", "dog"], title="T", y_title="p", predicted=1),
    }
    for lesson, fig in figs.items():
        layout = go.Figure(fig).to_dict()["layout"]
        assert layout["title"]["text"] == "T", lesson
        assert layout["title"]["font"] == shared["title"]["font"], lesson
        assert layout["hoverlabel"] == shared["hoverlabel"], lesson
