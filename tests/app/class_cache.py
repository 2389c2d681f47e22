"""What a class shares is computed once per server: a later student's first run of a lesson redoes none of the
previous visitor's work (the shipped seq2seq prediction, the image model on a bundled sample, the Transformer's
default sentence, the Complexity reference).  Each lesson's test, in its folder, calls these."""

from __future__ import annotations

import importlib

from .helpers import no_errors
from .pages import open_page


def counted(monkeypatch, owner, name: str) -> list:
    """Count the calls of ``owner.name`` (still calling it)."""
    calls, real = [], getattr(owner, name)

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def assert_a_later_visitor_redoes_none_of_it(monkeypatch, page: str, module: str, name: str) -> None:
    """``page`` opened by a first visitor, then by a later one: the later one's run calls ``module.name`` never."""
    open_page(page)
    calls = counted(monkeypatch, importlib.import_module(module), name)
    no_errors(open_page(page))
    assert calls == []
