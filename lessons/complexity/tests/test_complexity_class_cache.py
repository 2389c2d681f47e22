"""The Complexity reference is read once per server: a later visitor's first run of the page redoes none of it
(tests/app/class_cache.py)."""

from __future__ import annotations

from tests.app.class_cache import assert_a_later_visitor_redoes_none_of_it


def test_a_later_visitor_redoes_none_of_the_lessons_shared_work(monkeypatch):
    # attention_core.complexity is imported by the page on every run: its from_csv would read the reference again
    assert_a_later_visitor_redoes_none_of_it(
        monkeypatch, "lessons/complexity/page.py", "attention_core.complexity", "from_csv"
    )
