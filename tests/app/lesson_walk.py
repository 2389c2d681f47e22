"""Walking a page's guided lesson in AppTest: open a link, answer up to a step, read the reveal (issue 21)."""

from __future__ import annotations

from ui.i18n import catalogs

from .helpers import no_errors
from .pages import open_page

EN = catalogs()["en"]


def answer_box(at, page: str):
    """The open question's answer widget (a radio or a number box), or None."""
    found = [w for w in list(at.radio) + list(at.number_input) if w.key and w.key.startswith(f"w.guide.{page}.")]
    return found[0] if found else None


def button(at, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


def check(at, page: str, given=0) -> list[str]:
    """Answer the open question with ``given`` and press Check; the reveal's sentences (success or warning)."""
    answer_box(at, page).set_value(given)
    button(at, EN["guide.check"]).click().run()
    no_errors(at)
    return [e.value for e in list(at.success) + list(at.warning)]


def next_step(at) -> None:
    [b for b in at.button if b.label in (EN["guide.next"], EN["guide.score_button"])][0].click().run()
    no_errors(at)


def open_on_step(script: str, page: str, index: int, **params):
    """The page opened by a link with the lesson on, steps before ``index`` answered (first option), ``index`` open."""
    at = open_page(script, guide=1, **params)
    no_errors(at)
    for _ in range(index):
        check(at, page)
        next_step(at)
    assert answer_box(at, page) is not None, f"no question open at step {index + 1}"
    return at
