"""The Self-attention lesson gives no answer away: every view, with each question open, shows neither its value nor its words.

The questions come from the page's own numbers (lessons/self_attention/guide.py);
here they are made again from the core's layer summary for the same settings,
the page is opened on each (``guide=<step>``) and every view is walked with
tests/app/leaks.py.  Also: each teacher preset opens on the question that makes
its point, and the README's rows for this page are the page's own preset links.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import numpy as np
import pytest

from attention_core.layer_summary import summarise
from attention_core.masks import build_mask
from attention_core.sequences import generate_sequence
from lessons.self_attention import controls
from lessons.self_attention import guide as sa_guide
from tests.app.helpers import no_errors
from tests.app.leaks import assert_hidden
from tests.app.pages import ROOT, open_page
from ui.guide_steps import Step, Word
from ui.i18n import catalogs

PAGE = "lessons/self_attention/page.py"
EN = catalogs()["en"]
# one setting that asks every question: the causal row, the top key, the temperature, d_head and the heads' spread
SETTINGS = sa_guide.BASE | {"mask": "causal", "temperature": 0.2}


def lesson(settings: dict) -> list[Step]:
    """The questions the page asks for these settings, made from the core's numbers."""
    x = generate_sequence(settings["kind"], settings["n"], settings["d"], settings["seed"]).values
    n, h, d_model = settings["n"], settings["heads"], settings["d_model"]
    allowed = build_mask(settings["mask"], n, n, pad=1, hidden=frozenset(), cross=False)
    layer = summarise(x, x, d_model, h, settings["wseed"], allowed, settings["temperature"])
    labels = [f"x{i + 1}" for i in range(n)]
    return sa_guide.steps(
        layer.weights, layer.scores, allowed, labels, labels, settings["mask"], False, d_model, settings["temperature"]
    ), layer


def text(step: Step, part: str) -> str:
    """A step's sentence in English, as the panel fills it."""
    values = {k: EN[v.key].format(**dict(v.values)) if isinstance(v, Word) else v for k, v in step.values.items()}
    values = {k: f"{v:.3g}" if isinstance(v, float) and k == "T" else v for k, v in values.items()}
    return EN[step.key(part)].format(**values)


def secrets(step: Step, layer) -> tuple[dict, tuple]:
    """What would give ``step``'s answer away: its numbers (exact or printed) and its words."""
    w = layer.weights[0]
    why = (text(step, "why"),)
    if step.name == "row1":  # the answer is a pattern, [1, 0, …]: the weights of head 1 must not show at all
        return {"w(2,1)": w[1, 0], "w(2,2)": w[1, 1]}, why
    if step.name in ("top_key", "temperature"):
        row, col = step.mark
        return {"w": w[row, col]}, why
    if step.name == "d_head":
        d_head = step.values["d_head"]
        return {}, why + (f"d_head = {d_head}", f"sqrt{{{d_head}}}")
    if step.name == "spread":
        return {"H̄": step.values["h_max"]}, why
    raise AssertionError(f"no secrets listed for the step {step.name}")


STEPS, LAYER = lesson(SETTINGS)


def test_the_setting_asks_every_question():
    assert [step.name for step in STEPS] == ["row1", "top_key", "temperature", "d_head", "spread"]


@pytest.mark.parametrize("step", STEPS, ids=[step.name for step in STEPS])
def test_no_view_shows_the_answer_of_the_open_question(step):
    at = open_page(PAGE, **{k: str(v) for k, v in SETTINGS.items()}, guide=step.name)
    no_errors(at)
    assert any(r.label == text(step, "question") for r in at.radio) or any(
        n.label == text(step, "question") for n in at.number_input
    ), "the page did not open on this question"
    values, words = secrets(step, LAYER)
    for view in controls.VIEWS:
        (picker,) = [w for w in at.segmented_control if (w.key or "").startswith("w.sa.view")]
        picker.set_value(view).run()
        no_errors(at)
        try:
            assert_hidden(at, values, words)
        except AssertionError as exc:
            raise AssertionError(f"view {view}: {exc}") from None


# ---- presets: each opens on the question that makes its point


def open_preset(key: str):
    settings = dict(sa_guide.presets())[key]
    return open_page(PAGE, **{k: str(v) for k, v in settings.items()}), settings


@pytest.mark.parametrize(
    "key, question",
    [
        ("guide.sa.preset.causal", "guide.sa.row1.question"),
        ("guide.sa.preset.heads", "guide.sa.spread.question"),
        ("guide.sa.preset.sharp", "guide.sa.temperature.question"),
        ("guide.sa.preset.cross", "guide.sa.top_key.question"),
    ],
)
def test_each_preset_opens_on_the_question_that_makes_its_point(key, question):
    at, _ = open_preset(key)
    no_errors(at)
    labels = [r.label for r in at.radio if (r.key or "").startswith("w.guide.")]
    pattern = ".+".join(re.escape(part) for part in re.split(r"\{[A-Za-z_0-9]+\}", EN[question]))
    assert len(labels) == 1 and re.fullmatch(pattern, labels[0]), (labels, EN[question])


def test_the_low_temperature_preset_says_what_its_numbers_show():
    """ "each row's favourite key takes more of the weight": at T = 0.2, every row's largest weight beats T = 1's."""
    settings = dict(sa_guide.presets())["guide.sa.preset.sharp"]
    _, cold = lesson(settings | {"mask": "none"})
    _, warm = lesson(settings | {"mask": "none", "temperature": 1.0})
    favourite = warm.weights.argmax(axis=-1)
    gained = np.take_along_axis(cold.weights, favourite[..., None], -1) > np.take_along_axis(
        warm.weights, favourite[..., None], -1
    )
    assert gained.all()
    assert (cold.weights.max(axis=-1) < 0.5).any()  # why the preset no longer says "every row on one key"


def test_the_readme_lists_the_presets_of_this_page():
    """The README's Self-attention rows are the links the page's preset expander gives (no second list)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (?:Self-attention )?\| [^|]+ \| `(self-attention\?[^`]+)` \|$", readme, re.M)
    links = [
        "self-attention?" + urlencode({k: str(v) for k, v in s.items()}, quote_via=quote) for _, s in sa_guide.presets()
    ]
    assert rows == links
