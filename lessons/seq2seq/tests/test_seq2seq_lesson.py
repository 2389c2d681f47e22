"""The Seq2seq page's guided lesson (issue 21): questions on the Alignment and Why views, none showing its answer.

The answers are recomputed from the shipped checkpoint (its own weights) and
the shipped accuracy curves; each open question's numbers and wording must
appear nowhere on the page (tests/app/leaks.py), the task's hint under the
hidden alignment included.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from attention_core.seq2seq import Seq2Seq
from lessons.seq2seq import guide
from tests.app.helpers import no_errors
from tests.app.leaks import assert_hidden
from tests.app.lesson_walk import EN, answer_box, check, next_step, open_on_step
from tests.app.pages import ROOT, open_page

SCRIPT, PAGE = "lessons/seq2seq/page.py", "seq2seq"
MODELS = ROOT / "models" / "seq2seq"
HINTS = {  # what the task's hint and the presets' names said about the alignment's shape
    "reverse": ("first output character looks at the last input", "alignment runs along", "bright cells run along"),
    "copy": ("each output character looks at", "alignment runs along", "bright cells run along"),
}


def try_secrets(task: str, text: str = "attention") -> list[tuple[dict, tuple]]:
    p = Seq2Seq.load(MODELS / f"{task}_additive.safetensors").predict(text)
    w = np.asarray(p.weights, dtype=np.float64)
    first, last = int(w[0].argmax()), int(w[-1].argmax())
    reason = EN[f"guide.s2s.shape.reason.{'anti' if task == 'reverse' else 'diagonal'}"]
    return [
        ({"first w": w[0, first]}, (*HINTS[task], f"on the input letter {text[first]} ({first + 1})")),
        ({"last w": w[-1, last]}, (*HINTS[task], f"on the input letter {text[last]} ({last + 1})")),
        ({}, (*HINTS[task], reason)),
    ]


def why_secrets(task: str = "reverse") -> list[tuple[dict, tuple]]:
    index = json.loads((MODELS / "checkpoints.json").read_text())
    att, base = index[f"{task}_additive"]["accuracy_by_length"], index[f"{task}_none"]["accuracy_by_length"]
    n = max(int(k) for k in att)
    claims = ("Short inputs fit", "the fixed vector holds", f"At {n} letters")
    return [
        ({"without": base[str(n)], "without %": 100 * base[str(n)]}, (*claims, "come out exactly right")),
        ({"with": att[str(n)], "with %": 100 * att[str(n)]}, (*claims, "come out exactly right")),
        ({}, (*claims, "The largest gap")),
    ]


@pytest.mark.parametrize("task", ["reverse", "copy"])
@pytest.mark.parametrize("index", range(3))
def test_the_alignment_view_hides_each_answer(task, index):
    at = open_on_step(SCRIPT, PAGE, index, task=task, view="try", text="attention")
    values, words = try_secrets(task)[index]
    assert_hidden(at, values, words=words)


@pytest.mark.parametrize("index", range(3))
def test_the_why_view_asks_and_hides_each_answer(index):
    at = open_on_step(SCRIPT, PAGE, index, task="reverse", view="why")
    values, words = why_secrets()[index]
    assert_hidden(at, values, words=words)


@pytest.mark.parametrize("view, secrets", [("try", try_secrets("reverse")), ("why", why_secrets())])
def test_no_reveal_gives_a_later_answer_away(view, secrets):
    at = open_page(SCRIPT, guide=1, task="reverse", view=view, text="attention")
    for index in range(len(secrets)):
        revealed = check(at, PAGE)
        later = {w for _, words in secrets[index + 1 :] for w in words} - set(secrets[index][1])
        for phrase in later:
            assert not [s for s in revealed if phrase.lower() in s.lower()], (index, phrase, revealed)
        next_step(at)
    assert answer_box(at, PAGE) is None


def test_after_the_reveal_the_curves_and_their_sentence_come_back():
    at = open_on_step(SCRIPT, PAGE, 0, task="reverse", view="why")
    assert not [c for c in at.get("plotly_chart") if c.proto.id.endswith("-chart.s2s.why")]
    check(at, PAGE)
    assert [c for c in at.get("plotly_chart") if c.proto.id.endswith("-chart.s2s.why")]
    assert any(m.value.startswith("At 12 letters the model with attention") for m in at.markdown)


@pytest.mark.parametrize(
    "task, says",
    [
        (
            "reverse",
            "At 12 letters the model with attention is exactly right on 87.5\u00a0% of the inputs, the one "
            "without on 0.5\u00a0%",
        ),
        (
            "copy",
            "At 12 letters the model with attention is exactly right on 96.5\u00a0% of the inputs, the one "
            "without on 0.0\u00a0%",
        ),
        ("sort", "At 12 letters the model without attention does better (89.5\u00a0%, against 72.0\u00a0%"),
        ("date", "At 11 letters the two are about as accurate (100.0\u00a0% with attention, 100.0\u00a0% without)"),
    ],
)
def test_the_why_sentence_follows_the_curves(task, says):
    """The sentence under the curves reads the shipped numbers (models/seq2seq/checkpoints.json), task by task."""
    at = open_page(SCRIPT, task=task, view="why")
    no_errors(at)
    assert [m.value for m in at.markdown if m.value.startswith(says)], [m.value for m in at.markdown]


@pytest.mark.parametrize("index", range(len(guide.presets())))
def test_each_preset_opens_on_the_question_that_makes_its_point(index):
    _, settings = guide.presets()[index]
    at = open_page(SCRIPT, **{"guide": "1"} | {k: str(v) for k, v in settings.items()})
    no_errors(at)
    box = answer_box(at, PAGE)
    assert box is not None, settings
    step = settings.get("guide", "without" if settings["view"] == "why" else "first")
    assert box.label.startswith(EN[f"guide.s2s.{step}.question"].split("{")[0]), box.label


@pytest.mark.parametrize(
    "params, reason, check_setting",
    [
        ({"scoring": "none"}, "guide.s2s.nofit.baseline", lambda at: at.session_state["s2s.scoring"] == "additive"),
        ({"text": "a"}, "guide.s2s.nofit.short", lambda at: at.session_state["s2s.text"] == "attention"),
        ({"view": "train"}, "guide.s2s.nofit.train", lambda at: at.session_state["s2s.view"] == "try"),
    ],
)
def test_where_no_question_fits_the_button_changes_the_setting(params, reason, check_setting):
    at = open_page(SCRIPT, guide=1, **params)
    no_errors(at)
    assert answer_box(at, PAGE) is None
    assert any(EN[reason] in i.value for i in at.info)
    (fix,) = [b for b in at.button if b.key == "w.guide.seq2seq.fix"]
    fix.click().run()
    no_errors(at)
    assert check_setting(at)
    assert answer_box(at, PAGE).label.startswith(EN["guide.s2s.first.question"].split("{")[0])
