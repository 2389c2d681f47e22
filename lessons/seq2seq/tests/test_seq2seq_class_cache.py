"""The shipped seq2seq prediction is computed once per server (tests/app/class_cache.py)."""

from __future__ import annotations

from tests.app.class_cache import counted
from tests.app.helpers import no_errors
from tests.app.pages import open_page


def test_the_shipped_seq2seq_prediction_is_computed_once_per_server(monkeypatch):
    from attention_core.seq2seq import Seq2Seq

    first = open_page("lessons/seq2seq/page.py")  # the previous visitor (it may already be cached: fine)
    no_errors(first)
    calls = counted(monkeypatch, Seq2Seq, "predict")
    later = open_page("lessons/seq2seq/page.py")
    no_errors(later)
    assert later.metric[0].value == first.metric[0].value == "noitnetta"
    assert calls == []  # the later student's first run predicted nothing: the server had the answer
