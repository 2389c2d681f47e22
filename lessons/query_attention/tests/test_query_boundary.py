"""The Query page behind the page boundary: its reset brings back the page's defaults and keeps the sequence X;
a second failure offers to reset X too (tests/app/test_boundary.py: the boundary on any page)."""

from __future__ import annotations

import numpy as np

import attention_core.attend as attend_module
from tests.app.helpers import bars, no_errors
from tests.app.pages import open_page
from tests.app.test_boundary import failing

QUERY = "lessons/query_attention/page.py"
_boom = failing(attend_module.attend, QUERY)  # attend() with a bug that only the Query page meets


def test_reset_restores_the_page_defaults_and_keeps_the_data(monkeypatch):
    at = open_page(QUERY)
    at.text_area(key="w.q.text").set_value("1, 0, 0, 0").run()
    at.selectbox(key="w.score.method").set_value("cosine").run()
    no_errors(at)
    sequence = at.session_state["seq"]

    monkeypatch.setattr(attend_module, "attend", _boom)
    at.run()
    assert at.error and not at.exception
    monkeypatch.undo()  # the bug is "fixed"; the reset must bring the page back
    at.button(key="w.boundary.reset").click().run()

    no_errors(at)
    assert at.session_state["score.method"] == "dot", "the page's settings were not reset"
    assert at.session_state["seq"] is sequence, "the reset threw away the user's sequence"
    assert not np.array_equal(at.session_state["q.values"], [[1.0, 0.0, 0.0, 0.0]]), "the typed query survived"
    assert len(bars(at, "chart.weights")) == sequence.n


def test_a_second_failure_after_a_reset_offers_to_reset_the_data_too(monkeypatch):
    at = open_page(QUERY, kind="gaussian", n=5, d=3, seed=7)
    linked = at.session_state["seq"]
    monkeypatch.setattr(attend_module, "attend", _boom)
    at.run()
    at.button(key="w.boundary.reset").click().run()  # the page alone: still broken
    assert at.session_state["seq"] is linked and at.error and not at.exception
    button = at.button(key="w.boundary.reset")
    assert "sequence X" in button.label

    monkeypatch.undo()
    button.click().run()
    no_errors(at)
    seq = at.session_state["seq"]
    assert (seq.n, seq.d) == (8, 4) and at.session_state["seq.kind"] == "clusters"  # the default sequence
    assert len(bars(at, "chart.weights")) == 8
