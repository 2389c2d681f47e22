"""What a projector shows on the Query page: legends whole, titles clear of the toolbar, labels apart, hovers right."""

from __future__ import annotations

import json

import numpy as np

from lessons.query_attention.figures import _PLACES
from tests.app.helpers import decode, figure
from tests.app.pages import open_page
from ui.figures import TOOLBAR_BAND, sub_tags

from .test_query_page import show

PAGE = "lessons/query_attention/page.py"


def test_legend_names_use_real_subscripts():
    # the page font has no ᵢ: the legend clipped it ("score aı")
    at = open_page(PAGE, mask="5")
    names = [t["name"] for t in figure(at, "chart.scores")["data"]] + [
        t["name"] for t in figure(at, "chart.weights")["data"]
    ]
    assert "score a<sub>i</sub>" in names and "weight w<sub>i</sub>" in names
    assert not [name for name in names if "ᵢ" in name]
    assert sub_tags("x₁₂ and wⱼ") == "x<sub>12</sub> and w<sub>j</sub>"


def test_every_title_starts_below_the_toolbar():
    for view in ("inputs", "projection", "steer", "compare"):
        at = open_page(PAGE)
        show(at, view)
        for chart in at.get("plotly_chart"):
            layout = json.loads(chart.proto.spec)["layout"]
            title = layout["title"]
            assert title["yref"] == "container" and title["pad"]["t"] >= TOOLBAR_BAND, (view, chart.proto.id)
            assert layout["margin"]["t"] >= TOOLBAR_BAND + title["font"]["size"], (view, chart.proto.id)


def test_the_bar_hover_names_the_token_once():
    # %{x} shows the tick text ("x4") when the axis names its ticks: "x%{x}" read "xx4"
    at = open_page(PAGE)
    assert figure(at, "chart.weights")["data"][0]["hovertemplate"].startswith("%{x}: ")
    at = open_page(PAGE, n=60)  # no tick labels beyond 48 tokens: the hover names the number
    assert figure(at, "chart.weights")["data"][0]["hovertemplate"].startswith("x%{x}: ")


def test_labels_in_the_2d_picture_keep_apart():
    """x4, x5 and o once printed their labels on top of each other (x5's disc is large: it has the most weight)."""
    for view, key in (("projection", "chart.projection"), ("steer", "chart.steer")):
        at = open_page(PAGE)
        show(at, view)
        spec = figure(at, key)
        keys, q, o = spec["data"][:3]
        xy = np.vstack(
            [
                np.stack([decode(keys["x"]), decode(keys["y"])], axis=1),
                [[q["x"][0], q["y"][0]]],
                [[o["x"][0], o["y"][0]]],
            ]
        )
        places = list(keys["textposition"]) + [q["textposition"], o["textposition"]]
        span = float(np.ptp(xy, axis=0).max())
        anchors = np.array([p + 0.08 * span * np.array(_PLACES[name]) for p, name in zip(xy, places)])
        # the three crowded ones (x4, x5, o) put their labels in different directions, at distinct spots
        crowded = [3, 4, len(xy) - 1]
        assert len({places[i] for i in crowded}) == 3, (view, [places[i] for i in crowded])
        gaps = [np.linalg.norm(anchors[i] - anchors[j]) for i in crowded for j in crowded if i < j]
        assert min(gaps) > 0.05 * span, (view, gaps)
