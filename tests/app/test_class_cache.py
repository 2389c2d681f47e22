"""What a class shares is computed once per server: a later student's first run of a lesson redoes none of the
previous visitor's work (the shipped seq2seq prediction, the image model on a bundled sample, the Transformer's
default sentence, the Complexity reference)."""

from __future__ import annotations

import pytest

from .conftest import open_page
from .helpers import no_errors


def counted(monkeypatch, owner, name: str) -> list:
    """Count the calls of ``owner.name`` (still calling it)."""
    calls, real = [], getattr(owner, name)

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def test_the_shipped_seq2seq_prediction_is_computed_once_per_server(monkeypatch):
    from attention_core.seq2seq import Seq2Seq

    first = open_page("lessons/seq2seq/page.py")  # the previous visitor (it may already be cached: fine)
    no_errors(first)
    calls = counted(monkeypatch, Seq2Seq, "predict")
    later = open_page("lessons/seq2seq/page.py")
    no_errors(later)
    assert later.metric[0].value == first.metric[0].value == "noitnetta"
    assert calls == []  # the later student's first run predicted nothing: the server had the answer


@pytest.mark.parametrize(
    "page, module, name",
    [
        ("lessons/image_attention/page.py", "lessons.image_attention.compute", "predict"),
        ("lessons/transformer_model/page.py", "lessons.transformer_model.state", "model_attention"),
        ("lessons/complexity/page.py", "attention_core.complexity", "from_csv"),  # imported by the page each run
    ],
)
def test_a_later_visitor_redoes_none_of_the_lessons_shared_work(monkeypatch, page, module, name):
    import importlib

    open_page(page)
    calls = counted(monkeypatch, importlib.import_module(module), name)
    no_errors(open_page(page))
    assert calls == []
