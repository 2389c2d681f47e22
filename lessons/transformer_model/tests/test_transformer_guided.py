"""The Transformer lesson gives no answer away, fits its sentences, and each preset opens on its question.

The questions are made again here from the bundled model's weights
(lessons/transformer_model/guide.py); the page is opened on each
(``guide=<step>``) and every view is walked with tests/app/leaks.py.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import numpy as np
import pytest

from attention_core.attention_statistics import head_statistics
from attention_core.model_attention import load_model, model_attention
from lessons.transformer_model import guide as tm_guide
from lessons.transformer_model import state
from tests.app.helpers import no_errors, shown
from tests.app.leaks import assert_hidden, shows_number
from tests.app.pages import ROOT, open_page
from ui.guide_steps import Step, Word
from ui.i18n import catalogs

PAGE = "lessons/transformer_model/page.py"
EN = catalogs()["en"]
PRESETS = dict(tm_guide.presets())


@pytest.fixture(scope="module")
def model():
    return load_model(None)


def lesson(model, settings: dict) -> tuple[list[Step], object, object]:
    """The questions the page asks for a preset's settings, from the model's own weights."""
    one, two = model_attention(model, settings["text"]), model_attention(model, settings["text2"])
    layer, head = settings.get("layer", 4) - 1, settings.get("head", 2) - 1
    follow = settings.get("follow", "it")
    steps = tm_guide.steps(
        one.attentions, one.tokens, layer, head, follow, "[CLS]", "[SEP]", two.attentions, two.tokens
    )
    return steps, one, two


def text(step: Step, part: str) -> str:
    """A step's sentence in English as the panel fills it (Words translated, filled with the plain values)."""
    plain = {k: v for k, v in step.values.items() if not isinstance(v, Word)}
    words = {k: EN[v.key].format(**plain) for k, v in step.values.items() if isinstance(v, Word)}
    return EN[step.key(part)].format(**plain, **words)


def secrets(step: Step, one, two, layer: int, head: int) -> dict:
    """The numbers that would give ``step``'s answer away (exact, or printed with 2–3 decimals)."""
    a, a2 = one.attentions[layer, head].astype(np.float64), two.attentions[layer, head].astype(np.float64)
    if step.name in ("follow_top", "follow_top2"):
        res, w = (one, a) if step.name == "follow_top" else (two, a2)
        i = [tok.lower() for tok in res.tokens].index(re.sub(r" \(#\d+\)$", "", str(step.values["word"])).lower())
        return {"w": w[i].max()}
    if step.name == "special":
        stats = head_statistics(one.attentions, one.tokens)
        # the share itself (the answer's value; [SEP] alone, about 0.01, would match any small printed weight)
        return {"share on [CLS] and [SEP]": stats["to_cls"][layer, head] + stats["to_sep"][layer, head]}
    if step.name == "second":
        return {"w1": step.values["w1"], "w2": step.values["w2"]}
    if step.name == "broad_layer":
        return {"H̄": step.values["h_max"]}
    raise AssertionError(f"no secrets listed for {step.name}")


def preset_params(settings: dict, **changes) -> dict:
    return {k: str(v) for k, v in (settings | changes).items()}


CASES = [("guide.tm.preset.coref", name) for name in ("follow_top", "special", "second", "broad_layer")] + [
    ("guide.tm.preset.bank", "follow_top"),
    ("guide.tm.preset.bank", "follow_top2"),
]


@pytest.mark.parametrize("preset, name", CASES)
def test_no_view_shows_the_answer_of_the_open_question(model, preset, name):
    settings = PRESETS[preset]
    steps, one, two = lesson(model, settings)
    (step,) = [s for s in steps if s.name == name]
    at = open_page(PAGE, **preset_params(settings, guide=name))
    no_errors(at)
    assert [shown(r.label) for r in at.radio if (r.key or "").startswith("w.guide.")] == [text(step, "question")]
    values = secrets(step, one, two, settings["layer"] - 1, settings["head"] - 1) if "layer" in settings else {}
    for view in state.VIEWS:
        at.segmented_control(key="w.tm.view").set_value(view).run()
        no_errors(at)
        try:
            assert_hidden(at, values, words=(text(step, "why"),))
            if step.name == "special":  # the statistics carry the two shares exactly (charts' data, hover)
                stats = head_statistics(one.attentions, one.tokens)
                for name in ("to_cls", "to_sep"):
                    assert not shows_number(at, stats[name][3, 1], decimals=()), (name, "in a chart")
        except AssertionError as exc:
            raise AssertionError(f"view {view}: {exc}") from None


# ---- presets: each opens on the question that makes its point


@pytest.mark.parametrize(
    "preset, question",
    [
        ("guide.tm.preset.coref", "follow_top"),
        ("guide.tm.preset.compare", "second"),
        ("guide.tm.preset.bank", "follow_top"),
        ("guide.tm.preset.model", "broad_layer"),
    ],
)
def test_each_preset_opens_on_the_question_that_makes_its_point(model, preset, question):
    settings = PRESETS[preset]
    steps, _, _ = lesson(model, settings)
    (step,) = [s for s in steps if s.name == question]
    at = open_page(PAGE, **preset_params(settings))
    no_errors(at)
    assert [shown(r.label) for r in at.radio if (r.key or "").startswith("w.guide.")] == [text(step, "question")]


def test_the_bank_lesson_fits_its_sentences(model):
    """Layer 1, head 5: "bank" looks at "deposit" by the money and at "river" by the river; the words fit."""
    steps, one, two = lesson(model, PRESETS["guide.tm.preset.bank"])
    by_name = {s.name: s for s in steps}
    assert set(by_name) == {"follow_top", "special", "follow_top2", "broad_layer"}  # not "differs in a word or two"
    first, second = by_name["follow_top"], by_name["follow_top2"]
    assert first.options[int(first.answer)] == "deposit" and second.options[int(second.answer)] == "river"
    for step in (first, second):
        # the hint follows the options: "use your sense of the sentence" only when every option is a word
        special = [o for o in step.options if not tm_guide.is_word(re.sub(r" \(#\d+\)$", "", o), ("[CLS]", "[SEP]"))]
        hint = step.values["hint"].key
        assert hint == ("guide.tm.hint.words" if not special else "guide.tm.hint.mixed"), (step.options, hint)
        # an option that occurs several times in its sentence says which one
        tokens = one.tokens if step is first else two.tokens
        for option in step.options:
            assert tokens.count(option) <= 1, option


def test_the_second_sentence_question_names_the_change_and_a_word_that_occurs_once(model):
    steps, one, two = lesson(model, PRESETS["guide.tm.preset.compare"])
    second = next(s for s in steps if s.name == "second")
    assert second.values["changes"] == "“tired” → “wide”"
    assert one.tokens.count(second.values["token"]) == 1 and two.tokens.count(second.values["token"]) == 1
    assert "tired" in text(second, "explain") and "wide" in text(second, "explain")
    # two sentences that share "the" three times and differ everywhere else: no "up or down" question about "the"
    a, b = model_attention(model, tm_guide.BANK), model_attention(model, tm_guide.RIVER)
    names = {
        s.name for s in tm_guide.steps(a.attentions, a.tokens, 0, 4, "bank", "[CLS]", "[SEP]", b.attentions, b.tokens)
    }
    assert "second" not in names and "follow_top2" in names


def test_the_compare_intro_speaks_of_the_sentences_shown(model):
    at = open_page(PAGE, **preset_params(PRESETS["guide.tm.preset.bank"], guide="0"))
    no_errors(at)
    (intro,) = [shown(m.value) for m in at.main.markdown if shown(m.value).startswith("The same word")]
    assert intro == EN["tm.compare.intro"].format(word="bank") + " " + EN["tm.compare.note.bank"]
    at = open_page(PAGE, view="compare", text="The cat sat on the mat.", text2="A cat sat on a mat.", follow="cat")
    (intro,) = [shown(m.value) for m in at.main.markdown if shown(m.value).startswith("The same word")]
    assert intro == EN["tm.compare.intro"].format(word="cat")  # no note about "it", tired and wide


def test_the_readme_lists_the_presets_of_this_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (?:Transformer model )?\| [^|]+ \| `(model\?[^`]+)` \|$", readme, re.M)
    assert rows == [
        "model?" + urlencode({k: str(v) for k, v in s.items()}, quote_via=quote) for _, s in tm_guide.presets()
    ]
