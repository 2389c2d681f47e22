"""The Query page in projector mode: every chart grows, the numbers stay, the link says so; one weight reads the
same on every chart and metric (tests/app/test_projector.py: the styling itself)."""

from __future__ import annotations

import json

import numpy as np

from tests.app.helpers import decode, figure, no_errors
from tests.app.pages import open_page
from ui.i18n import catalogs

QUERY = "lessons/query_attention/page.py"


def sizes(spec: dict) -> tuple[float, float, float]:
    layout = spec["layout"]
    return layout["font"]["size"], layout["xaxis"]["tickfont"]["size"], layout["title"]["font"]["size"]


def test_the_toggle_grows_every_chart_and_goes_into_the_link():
    at = open_page(QUERY)
    before = sizes(figure(at, "chart.weights"))
    assert "projector" not in at.query_params
    at.toggle(key="w.projector").set_value(True).run()
    no_errors(at)
    after = sizes(figure(at, "chart.weights"))
    assert all(a > b for a, b in zip(after, before)), (before, after)
    assert at.query_params["projector"] == "1"
    # the numbers stay as they were: one number, one rounding (the metric, the bars and the cells agree)
    texts = [t for t in figure(at, "chart.scores")["data"][0]["text"] if t]
    assert texts and all(len(t.split(".")[1]) == 2 for t in texts)
    # every chart of the page, not just one
    for el in at.get("plotly_chart"):
        assert json.loads(el.proto.spec)["layout"]["font"]["size"] >= 19
    at.toggle(key="w.projector").set_value(False).run()
    assert sizes(figure(at, "chart.weights")) == before
    assert "projector" not in at.query_params


def _printed(template: str, value: float) -> str:
    """What Plotly prints for ``value`` with a texttemplate such as ``%{z:.2f}``."""
    decimals = int(template.split(":.")[1].split("f")[0])
    return f"{value:.{decimals}f}"


def test_one_weight_reads_the_same_on_every_chart_and_metric_in_projector_mode():
    """x5's weight 0.7455 once read 0.8 on its bar (0.75 rounded again), 0.7 in the strip and 0.746 as a metric."""
    for projector_on in (True, False):
        at = open_page(QUERY, projector=int(projector_on))
        no_errors(at)
        bar = figure(at, "chart.weights")["data"][0]
        heights = decode(bar["y"])
        top = int(np.argmax(heights))
        w_top = float(heights[top])
        assert abs(w_top - 0.7455) < 1e-3  # the default query's favourite, x5
        strip = figure(at, "chart.inputs")["data"][0]
        assert float(decode(strip["z"]).ravel()[top]) == w_top
        (metric,) = [m for m in at.metric if m.label == catalogs()["en"]["query.max_weight"]]
        printed = {bar["text"][top], _printed(strip["texttemplate"], w_top), metric.value}
        assert printed == {"0.75"}, (projector_on, printed)
