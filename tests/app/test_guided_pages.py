"""The guided lessons in AppTest: every registered lesson, walked to its score (a lesson's own steps are tested in
its folder, lessons/<lesson>/tests)."""

from __future__ import annotations

import pytest

from ui import layout
from ui.i18n import catalogs

from .helpers import no_errors
from .pages import open_page

EN = catalogs()["en"]


def button(at, label_key: str):
    (found,) = [b for b in at.button if b.label == EN[label_key]]
    return found


def walk_to_the_score(at, page: str) -> int:
    """Answer every step of a page's lesson with its first option (or 0), Next after each; the number of steps."""
    count = 0
    while True:
        radios = [r for r in at.radio if r.key and r.key.startswith(f"w.guide.{page}.")]
        boxes = [n for n in at.number_input if n.key and n.key.startswith(f"w.guide.{page}.")]
        if not radios and not boxes:
            return count
        (radios[0] if radios else boxes[0]).set_value(0)
        button(at, "guide.check").click().run()
        no_errors(at)
        right = [e for e in at.success if e.value.startswith(EN["guide.right"][:6])]
        wrong = [e for e in at.warning if e.value.startswith(EN["guide.wrong"][:10])]
        assert len(right) + len(wrong) == 1  # the reveal (the page may show its own success boxes too)
        count += 1
        nexts = [b for b in at.button if b.label in (EN["guide.next"], EN["guide.score_button"])]
        nexts[0].click().run()
        no_errors(at)


def assert_runs_to_its_score(page: str, name: str, **link) -> None:
    """The lesson of ``page`` (``name``: its url_path), opened from a link with guide=1, answered to its score."""
    at = open_page(page, guide=1, **link)
    no_errors(at)
    steps = walk_to_the_score(at, name)
    assert 3 <= steps <= 6
    assert any(m.value.startswith("#### ") and f" {steps}" in m.value for m in at.markdown), "no score shown"
    assert [b for b in at.button if b.label == EN["guide.again"]]


# every registered lesson, from its defaults (a lesson's own tests walk it from other settings too)
@pytest.mark.parametrize("lesson", layout.lessons(), ids=lambda s: s["url_path"])
def test_every_lesson_runs_to_its_score(lesson):
    assert_runs_to_its_score(lesson["page"], lesson["url_path"])
