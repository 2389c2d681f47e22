"""The Query lesson gives no answer away: with each question open, every view of the page is searched for it.

The rule (ui/guided.py): a question names the quantities it asks about
(``Step.asks``), and every chart, caption, metric and hover text that shows
one of them waits until the reveal.  This walks the lesson (answer, Next)
and, with each question open, switches to every view and looks for the
answer's numbers and its reveal sentence anywhere on the page
(``tests/app/leaks.py``: element texts, chart strings, chart data).
"""

from __future__ import annotations

import numpy as np

from lessons.query_attention import guide as query_guide
from tests.app.leaks import assert_hidden, shows_number
from tests.app.pages import open_page
from ui.guide_steps import Word
from ui.i18n import catalogs

PAGE = "lessons/query_attention/page.py"
EN = catalogs()["en"]
VIEWS = ("inputs", "projection", "steer", "compare", "arithmetic", "all", "data")
TWO_QUERIES = "-0.32,-0.49,1.68,1.97;0.5,0.2,-0.3,0.8"  # "all" is a view only with several queries


def filled(step, part: str) -> str:
    """A step's sentence in English as the panel writes it (its Word values filled in too)."""
    plain = {k: v for k, v in step.values.items() if not isinstance(v, Word)}
    words = {k: EN[v.key].format(**plain) for k, v in step.values.items() if isinstance(v, Word)}
    return EN[step.key(part)].format(**plain, **words)


def page_steps(at):
    """The lesson's steps from the page's own numbers (the first query, no mask, T = 1, dot scoring)."""
    x = np.array(at.session_state["seq"].values)
    q = np.asarray(at.session_state["q.values"])[0]
    a = x @ q
    w = np.exp(a - a.max()) / np.exp(a - a.max()).sum()
    o = w @ x
    labels = [f"x{i + 1}" for i in range(len(x))]
    return query_guide.steps(x, labels, a, w, o, 1.0, np.ones(len(x), dtype=bool)), w, o


def secrets(step, w, o, x) -> tuple[dict, list[str]]:
    """The numbers that answer ``step`` (unrounded: a chart carries them exactly) and the sentences that say it."""
    ranked = np.argsort(-w, kind="stable")
    if step.name == "top":
        values = {"w": w[ranked[0]]}
    elif step.name == "temperature":
        a = np.log(w)  # the scores up to a constant: softmax(2a) is the weights at T / 2
        w_half = np.exp(2 * a - 2 * a.max()) / np.exp(2 * a - 2 * a.max()).sum()
        values = {"w_half": w_half[ranked[0]], "h_half": -(w_half * np.log2(w_half)).sum()}
    elif step.name == "softmax":
        values = {"w": w[ranked[1]]}
    else:  # closest; o itself too: from its components the nearest token can be worked out
        values = {"dist": np.linalg.norm(x - o, axis=1).min()} | {f"o{k + 1}": v for k, v in enumerate(o)}
    return values, [filled(step, "why")]


def answer_and_next(at) -> None:
    radios = [r for r in at.radio if r.key and r.key.startswith("w.guide.query.")]
    if radios:
        radios[0].set_value(0)
    else:
        (box,) = [n for n in at.number_input if n.key and n.key.startswith("w.guide.query.")]
        box.set_value(0.5)
    (check,) = [b for b in at.button if b.label == EN["guide.check"]]
    check.click().run()
    (nxt,) = [b for b in at.button if b.label in (EN["guide.next"], EN["guide.score_button"])]
    nxt.click().run()


def test_no_view_shows_the_open_questions_answer():
    at = open_page(PAGE, guide=1, q=TWO_QUERIES)
    assert not at.exception
    steps, w, o = page_steps(at)
    assert [s.name for s in steps] == ["top", "temperature", "softmax", "closest"]
    for step in steps:
        values, words = secrets(step, w, o, np.array(at.session_state["seq"].values))
        for name in VIEWS:
            (views,) = at.button_group
            views.set_value(name).run()
            assert not at.exception, (step.name, name, at.exception)
            assert views.value == name
            try:
                assert_hidden(at, {}, words=words)
                # 3 decimals, and any chart carrying the exact value (bar labels print 2 decimals of the bar's
                # height): 2 printed decimals meet the page's other numbers by chance (0.21 in a preset's q)
                leaks = {k: shows_number(at, v, decimals=(3,)) for k, v in values.items()}
                assert not any(leaks.values()), {k: where[:3] for k, where in leaks.items() if where}
            except AssertionError as leak:
                raise AssertionError(f"question {step.name!r}, view {name!r}: {leak}") from None
        answer_and_next(at)


def test_the_reveal_shows_what_was_hidden():
    """Once answered, the weights are back (the test above could pass on a page that hides them for good)."""
    at = open_page(PAGE, guide=1)
    steps, w, o = page_steps(at)
    assert not shows_number(at, steps[0].values["w"], decimals=(3,))
    radios = [r for r in at.radio if r.key and r.key.startswith("w.guide.query.")]
    radios[0].set_value(0)
    (check,) = [b for b in at.button if b.label == EN["guide.check"]]
    check.click().run()
    assert shows_number(at, float(w.max()), decimals=(3,))
