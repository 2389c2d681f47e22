"""The Self-attention lesson in AppTest: the weights wait for the answer, then outline it; the lesson runs to its
score with four heads (the spread question has heads to compare; tests/app/test_guided_pages.py walks it from the
page's defaults)."""

from __future__ import annotations

import json

from tests.app.helpers import no_errors
from tests.app.pages import open_page
from tests.app.test_guided_pages import EN, assert_runs_to_its_score, button

PAGE = "lessons/self_attention/page.py"


def test_self_attention_lesson_hides_the_weights_then_outlines_the_answer():
    at = open_page(PAGE, guide=1, mask="causal")
    no_errors(at)
    assert not [c for c in at.get("plotly_chart") if c.proto.id.endswith("-chart.sa.weights")]
    (radio,) = [r for r in at.radio if r.key and r.key.startswith("w.guide.self-attention.")]
    assert radio.label == EN["guide.sa.row1.question"].format(head=1)
    radio.set_value(radio.options.index(EN["guide.sa.row1.one_hot"]))
    button(at, "guide.check").click().run()
    no_errors(at)
    assert len(at.success) == 1
    (chart,) = [c for c in at.get("plotly_chart") if c.proto.id.endswith("-chart.sa.weights")]
    spec = json.loads(chart.proto.spec)
    (outline,) = [s for s in spec["layout"]["shapes"] if s.get("line", {}).get("dash") == "dash" and s["x0"] == 0.5]
    assert (outline["x1"], outline["y0"], outline["y1"]) == (1.5, 0.5, 1.5)  # cell (1, 1): token 1 on itself


def test_the_lesson_runs_to_its_score_with_four_heads():
    assert_runs_to_its_score(PAGE, "self-attention", heads=4, d_model=8)
