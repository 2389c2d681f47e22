"""The model's attention over the default sentence is computed once per server: a later visitor's first run of the
page redoes none of it (tests/app/class_cache.py)."""

from __future__ import annotations

from tests.app.class_cache import assert_a_later_visitor_redoes_none_of_it


def test_a_later_visitor_redoes_none_of_the_lessons_shared_work(monkeypatch):
    assert_a_later_visitor_redoes_none_of_it(
        monkeypatch, "lessons/transformer_model/page.py", "lessons.transformer_model.state", "model_attention"
    )
