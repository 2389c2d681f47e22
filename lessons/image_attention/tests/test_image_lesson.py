"""The Image page's guided lesson (issue 21): every view has questions, none shows its answer, presets, NoFit.

The answers are recomputed here from the core (predict, region_features and a
plain-torch cosine softmax), and each open question's answer — its numbers
and its wording — must appear nowhere on the page (tests/app/leaks.py).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from attention_core import scenes
from attention_core.image_model import load_image_model, predict
from attention_core.images import region_features
from lessons.image_attention import guide
from lessons.image_attention.controls import SAMPLE_SIZE, SAMPLES
from tests.app.helpers import no_errors
from tests.app.leaks import assert_hidden, shows_words
from tests.app.lesson_walk import EN, answer_box, check, next_step, open_on_step
from tests.app.pages import open_page
from ui.i18n import catalogs

SCRIPT, PAGE = "lessons/image_attention/page.py", "image"
ZH = catalogs()["zh"]
POINTING = ("most-attended region lies on", "is not on the red object")


@pytest.fixture(scope="module")
def model():
    return load_image_model()


def scene(move: int = 0, name: str = SAMPLES[0]) -> scenes.Scene:
    spec = scenes.sample_spec(name)
    for k in range(1, move + 1):
        spec = scenes.move_target(spec, seed=k)
    return scenes.render(spec, SAMPLE_SIZE)


def cosine_map(x: np.ndarray, qi: int, temperature: float = 0.1) -> np.ndarray:
    x = torch.as_tensor(x, dtype=torch.float64)
    a = torch.nn.functional.cosine_similarity(x[qi][None], x, dim=-1)
    return torch.softmax(a / temperature, dim=-1).numpy()


def learned_secrets(model) -> list[tuple[dict, tuple]]:
    """Per step of the learned view: the answer's numbers and its words."""
    p = predict(model, scene().image)
    w = np.asarray(p.weights, dtype=np.float64)
    r, c = np.unravel_index(int(w.argmax()), w.shape)
    g = w.shape[0]
    return [
        ({"p": float(p.probabilities.max())}, ("The red object is a", "It says")),
        ({"top w": float(w.max())}, (f"row {r + 1}, column {c + 1}", *POINTING)),
        ({}, (f"{g} × {g}", f"{g * g} regions", f"= {g * g}", f"{g}\u00d7{g}")),
    ]


def moved_secrets(model) -> list[tuple[dict, tuple]]:
    p = predict(model, scene(1).image)
    return [
        ({"top w": float(np.max(p.weights))}, (*POINTING, "inside the dotted box", "outside the dotted box")),
        ({"p": float(p.probabilities.max())}, ("the model says", "It says")),
    ]


def own_secrets(at) -> list[tuple[dict, tuple]]:
    """The own view's answers, from the region the page chose (16 × 16 regions of 16 px, colour + edges, cosine)."""
    r, c = int(at.session_state["image.row"]) - 1, int(at.session_state["image.col"]) - 1
    x, (rows, cols) = region_features(scene().image, 16, "descriptor")
    w = cosine_map(x, r * cols + c).reshape(rows, cols)
    itself, similar = guide.own_steps(w, (r, c))
    count = int(similar.answer)
    half = w.max() / 2
    return [
        ({"own w": float(w[r, c]), "top w": float(w.max())}, ("Its own weight is",)),
        ({"half": float(half), "share": float(w[w >= half].sum())}, (f"{count} regions get",)),
    ]


@pytest.mark.parametrize("index", range(3))
def test_the_learned_view_hides_each_answer(index, model):
    at = open_on_step(SCRIPT, PAGE, index, view="learned")
    values, words = learned_secrets(model)[index]
    assert_hidden(at, values, words=words)


@pytest.mark.parametrize("index", range(2))
def test_the_move_view_asks_and_hides_each_answer(index, model):
    at = open_on_step(SCRIPT, PAGE, index, view="move", move=1)
    values, words = moved_secrets(model)[index]
    assert_hidden(at, values, words=words)


@pytest.mark.parametrize("index", range(2))
def test_the_own_view_asks_and_hides_each_answer(index):
    at = open_on_step(SCRIPT, PAGE, index, view="own")
    values, words = own_secrets(at)[index]
    assert_hidden(at, values, words=words)


@pytest.mark.parametrize("view, params", [("learned", {}), ("move", {"move": 1}), ("own", {})])
def test_no_reveal_gives_a_later_answer_away(view, params, model):
    """Each reveal (and each question's words) says nothing a later question asks: e.g. no "row 5, column 5"
    before the quarter question, no "8 × 8" before the regions one."""
    at = open_page(SCRIPT, guide=1, view=view, **params)
    secrets = {"learned": learned_secrets, "move": moved_secrets}.get(view, lambda _: own_secrets(at))(model)
    for index in range(len(secrets)):
        revealed = check(at, PAGE)
        later = [w for _, words in secrets[index + 1 :] for w in words]
        for phrase in later:
            assert not [s for s in revealed if phrase.lower() in s.lower()], (index, phrase, revealed)
        next_step(at)
    assert answer_box(at, PAGE) is None  # the score


def test_after_the_reveal_the_map_and_its_sentence_come_back(model):
    at = open_on_step(SCRIPT, PAGE, 1, view="learned")
    assert not [c for c in at.get("plotly_chart") if c.proto.id.endswith("-chart.image.learned")]
    check(at, PAGE)
    assert [c for c in at.get("plotly_chart") if c.proto.id.endswith("-chart.image.learned")]
    assert any(shows_words(at, phrase) for phrase in POINTING)


@pytest.mark.parametrize("index", range(len(guide.presets())))
def test_each_preset_opens_on_the_question_that_makes_its_point(index):
    _, settings = guide.presets()[index]
    at = open_page(SCRIPT, **{"guide": "1"} | {k: str(v) for k, v in settings.items()})
    no_errors(at)
    box = answer_box(at, PAGE)
    assert box is not None, settings
    step = settings.get("guide", {"learned": "shape", "move": "follows", "own": "itself"}[settings["view"]])
    question = EN[f"guide.image.{step}.question"]
    assert box.label.startswith(question.split("{")[0]), (box.label, question)


def test_a_still_object_says_so_and_its_button_moves_it():
    at = open_page(SCRIPT, view="move", guide=1)
    no_errors(at)
    assert answer_box(at, PAGE) is None
    assert any(EN["guide.image.nofit.still"] in i.value for i in at.info)
    (fix,) = [b for b in at.button if b.key == "w.guide.image.fix"]
    assert fix.label == EN["image.move.button"]
    fix.click().run()
    no_errors(at)
    assert at.session_state["image.move"] == 1
    assert answer_box(at, PAGE).label == EN["guide.image.follows.question"]


def test_an_upload_on_the_move_view_offers_the_sample_back():
    at = open_page(SCRIPT, view="move", guide=1)
    at.session_state["image.pixels"] = scene(0, "crowded").image
    at.run()
    no_errors(at)
    assert any(EN["guide.image.nofit.upload"] in i.value for i in at.info)
    (fix,) = [b for b in at.button if b.key == "w.guide.image.fix"]
    assert fix.label == EN["guide.image.nofit.sample"]
    fix.click().run()
    no_errors(at)
    assert at.session_state["image.pixels"] is None  # the upload gave way to the sample
    # the sample stands still: the lesson now says the next setting to change
    assert any(EN["guide.image.nofit.still"] in i.value for i in at.info)


def test_the_percent_sign_stays_with_its_number_in_both_languages():
    at = open_page(SCRIPT)
    (line,) = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert re.search(r"\d\u00a0%", line) and not re.search(r"\d %", line), line
    at.selectbox(key="w.lang").set_value("zh").run()
    (line,) = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert re.search(r"\d%", line), line


def test_the_formula_words_come_from_the_catalog():
    at = open_page(SCRIPT)
    formula = at.latex[0].value
    assert EN["image.formula.score"] in formula and "region" in formula
    at.selectbox(key="w.lang").set_value("zh").run()
    formula = at.latex[0].value
    assert ZH["image.formula.score"] in formula and "区域" in formula
    assert "score" not in formula and "region" not in formula
