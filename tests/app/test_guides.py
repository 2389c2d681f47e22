"""The guided lessons' questions (lessons/*/guide.py): each stated answer is what the numbers imply.

The answers are computed again here, independently, with plain torch and
numpy; the options must be distinct and hold the answer; every string a step
names exists in both languages.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from attention_core.attend import attend
from attention_core.complexity import Measurement
from attention_core.sequences import generate_sequence
from lessons.complexity import guide as complexity_guide
from lessons.image_attention import guide as image_guide
from lessons.query_attention import guide as query_guide
from lessons.self_attention import guide as sa_guide
from lessons.seq2seq import guide as s2s_guide
from lessons.transformer_model import guide as tm_guide
from ui.guide_steps import Step, Word
from ui.i18n import catalogs

SEEDS = range(8)


def check_step(step: Step) -> None:
    """The step's own promises: distinct options holding the answer, strings in both catalogs."""
    if step.options:
        assert len(step.options) >= 2
        assert len(set(step.options)) == len(step.options), step.options
        assert 0 <= step.answer < len(step.options)
    for lang in ("en", "zh"):
        table = catalogs()[lang]
        for part in ("explain", "question", "why"):
            assert table.get(step.key(part)), (lang, step.key(part))
        words = [v for v in step.values.values() if isinstance(v, Word)] + [
            o for o in step.options if isinstance(o, Word)
        ]
        for word in words:
            assert table.get(word.key), (lang, word.key)


def query_case(seed: int, kind="gaussian", temperature=1.0, masked=()):
    """The Query page's numbers for one seeded sequence and query, by plain torch: a = Xq, w = softmax(a / T)."""
    x = np.array(generate_sequence(kind, 8, 4, seed).values)  # a writable copy for torch
    q = np.random.default_rng(seed + 100).standard_normal(4)
    allowed = np.ones(8, dtype=bool)
    allowed[list(masked)] = False
    a = torch.as_tensor(x) @ torch.as_tensor(q)
    w = torch.softmax((a / temperature).masked_fill(~torch.as_tensor(allowed), float("-inf")), dim=-1)
    o = w @ torch.as_tensor(x)
    labels = [f"x{i + 1}" for i in range(8)]
    return x, labels, a.numpy(), w.numpy(), o.numpy(), temperature, allowed


def entropy_bits(w: torch.Tensor) -> float:
    w = w[w > 0]
    return float(-(w * torch.log2(w)).sum())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("temperature, masked", [(1.0, ()), (0.5, (0, 3)), (3.0, (5,))])
def test_query_answers_are_what_the_numbers_imply(seed, temperature, masked):
    x, labels, a, w, o, T, allowed = query_case(seed, temperature=temperature, masked=masked)
    top, temp, by_hand, closest = query_guide.steps(x, labels, a, w, o, T, allowed)
    for step in (top, temp, by_hand, closest):
        check_step(step)

    # which token gets the most weight: argmax of torch's softmax, never a masked token
    best = int(np.argmax(w))
    assert top.options[int(top.answer)] == labels[best] and top.mark == best
    assert all(allowed[labels.index(o)] for o in top.options)

    # halving T: torch's entropy at T/2 against the entropy now
    a_t = torch.as_tensor(a).masked_fill(~torch.as_tensor(allowed), float("-inf"))
    h, h_half = entropy_bits(torch.softmax(a_t / T, -1)), entropy_bits(torch.softmax(a_t / (T / 2), -1))
    expected = "down" if h_half < h - 1e-6 else "up" if h_half > h + 1e-6 else "same"
    assert temp.options[int(temp.answer)] == Word(f"guide.{expected}")
    assert expected == "down"  # random scores never tie: a smaller T always concentrates them

    # the softmax by hand: the runner-up's weight, within the stated tolerance, from the numbers the question gives
    j = labels.index(by_hand.values["token"])
    assert j == int(np.argsort(-w)[1])
    assert by_hand.is_right(float(w[j])) and by_hand.is_right(float(w[j]) + 0.009)
    assert not by_hand.is_right(float(w[j]) + 0.05)
    given = np.exp(by_hand.values["z"]) / by_hand.values["total"]  # what a student computes from the question
    assert abs(given - w[j]) <= by_hand.tolerance

    # the output's nearest token: o = w @ X by torch
    near = int(np.argmin(np.linalg.norm(x - o, axis=1)))
    assert closest.options[int(closest.answer)] == labels[near] and closest.mark == near


def test_the_answers_follow_the_data():
    """A new seed makes a new exercise: the questions differ."""
    prints = {tuple(s.fingerprint() for s in query_guide.steps(*query_case(seed))) for seed in SEEDS}
    assert len(prints) == len(SEEDS)


def test_even_scores_keep_the_entropy():
    x = np.ones((4, 3))
    a = x @ np.ones(3)
    w = np.full(4, 0.25)
    step = query_guide.steps(x, list("abcd"), a, w, w @ x, 1.0, np.ones(4, dtype=bool))[1]
    assert step.options[int(step.answer)] == Word("guide.same")


def test_huge_scores_are_written_shifted():
    x, labels, a, w, o, T, allowed = query_case(1)
    a = a * 1000
    w = torch.softmax(torch.as_tensor(a), -1).numpy()
    step = query_guide.steps(x, labels, a, w, w @ x, T, allowed)[2]
    assert step.name == "softmax_shifted"
    assert abs(np.exp(step.values["z"]) / step.values["total"] - w[labels.index(step.values["token"])]) < 0.01


def test_repeated_labels_make_distinct_options():
    x, labels, a, w, o, T, allowed = query_case(2)
    steps = query_guide.steps(x, ["a"] * 8, a, w, o, T, allowed)
    for step in steps:
        check_step(step)


def test_no_questions_when_the_query_sees_one_token():
    x, labels, a, w, o, T, allowed = query_case(0, masked=range(1, 8))
    assert query_guide.steps(x, labels, a, w, o, T, allowed) == []


def test_query_presets_make_their_point():
    """Each preset link's settings do what its name says (computed with attend, the page's own call)."""
    x = query_guide._tokens()
    presets = dict(query_guide.presets())

    def weights(name):
        p = presets[f"guide.query.preset.{name}"]
        q = np.array([float(v) for v in p["q"].split(",")])
        allowed = np.ones(len(x), dtype=bool)
        if p["mask"]:
            allowed[int(p["mask"]) - 1] = False
        return attend(q, x, method=p["method"], temperature=p["temperature"], mask=allowed).weights.numpy()

    np.testing.assert_allclose(
        [float(v) for v in presets["guide.query.preset.copy"]["q"].split(",")], np.round(x[2], 2)
    )
    assert np.argmax(weights("copy")) == 5  # x6 beats the copy of x3
    split = weights("split")
    assert abs(split[3] - split[4]) < 0.05 and split[3] + split[4] > 0.95
    assert weights("sharp").max() > 0.95 and weights("flat").max() < 0.5
    assert np.argmax(weights("mask")) == 3 and weights("mask")[4] == 0


def test_catalogs_have_the_same_guide_keys_and_no_empty_value():
    en, zh = catalogs()["en"], catalogs()["zh"]
    guide_en = {k for k in en if k.startswith("guide.")}
    assert guide_en == {k for k in zh if k.startswith("guide.")}
    assert all(str(table[k]).strip() for table in (en, zh) for k in guide_en)


# ---- Self-attention


def sa_case(seed: int, h: int = 3, n: int = 6, causal: bool = False, temperature: float = 1.0):
    """Per-head weights softmax(QKᵀ/√d_head / T) by plain torch, Q and K seeded: ``[h, n, n]`` and the scores."""
    g = torch.Generator().manual_seed(seed)
    d_head = 4
    q, k = torch.randn(h, n, d_head, generator=g), torch.randn(h, n, d_head, generator=g)
    s = q @ k.transpose(-1, -2) / d_head**0.5
    allowed = torch.ones(n, n, dtype=torch.bool).tril() if causal else torch.ones(n, n, dtype=torch.bool)
    w = torch.softmax((s / temperature).masked_fill(~allowed, float("-inf")), dim=-1)
    return w.numpy(), s.numpy(), allowed.numpy(), [f"x{i + 1}" for i in range(n)]


def sa_steps(seed, h=3, causal=False, temperature=1.0):
    w, s, allowed, labels = sa_case(seed, h=h, causal=causal, temperature=temperature)
    mask = "causal" if causal else "none"
    return sa_guide.steps(w, s, allowed, labels, labels, mask, False, 4 * h), (w, s, allowed, labels)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("causal", [False, True])
def test_self_attention_answers_are_what_the_numbers_imply(seed, causal):
    head = 0  # the questions are about head 1 and the last row, whatever the page has picked
    steps, (w, s, allowed, labels) = sa_steps(seed, causal=causal)
    by_name = {step.name: step for step in steps}
    for step in steps:
        check_step(step)

    # row 1 after the causal mask: all weight on token 1 itself, whatever the head
    row1 = by_name["row1" if causal else "row1_if"]
    assert row1.options[int(row1.answer)] == Word("guide.sa.row1.one_hot")
    if causal:
        np.testing.assert_allclose(w[head, 0], np.eye(6)[0], atol=1e-7)
        assert row1.mark == (0, 0)

    # which key token i attends to most in the picked head: torch's argmax of that row
    top = by_name["top_key"]
    row = labels.index(top.values["token"])
    assert row == 5
    best = int(torch.as_tensor(w[head, row]).argmax())
    assert top.options[int(top.answer)] == labels[best] and top.mark == (row, best)
    assert all(allowed[row, labels.index(o)] for o in top.options)

    # d_head = d_model / h
    assert by_name["d_head"].is_right(4) and not by_name["d_head"].is_right(12)

    # the most spread head: the highest mean entropy, by torch
    wt = torch.as_tensor(w)
    h_mean = torch.where(wt > 0, -wt * torch.log2(wt.clamp_min(1e-300)), torch.zeros_like(wt)).sum(-1).mean(-1)
    spread = by_name.get("spread")
    if spread is not None:
        assert spread.options[int(spread.answer)] == Word("guide.sa.head", (("k", int(h_mean.argmax()) + 1),))


def test_one_head_asks_nothing_about_heads_and_cross_attention_asks_no_causal_row():
    steps, _ = sa_steps(0, h=1)
    assert "spread" not in {s.name for s in steps}
    w, s, allowed, labels = sa_case(1)
    names = {step.name for step in sa_guide.steps(w, s, allowed, labels, labels, "none", True, 8)}
    assert not names & {"row1", "row1_if"}


def test_a_causal_first_row_is_never_the_question_row():
    """Token 1 sees one key under the causal mask: the top-key question takes a row with a choice."""
    steps, (w, s, allowed, labels) = sa_steps(3, causal=True)
    top = next(step for step in steps if step.name == "top_key")
    assert allowed[labels.index(top.values["token"])].sum() >= 2


# ---- Transformer model (the bundled model's real weights)


@pytest.fixture(scope="module")
def coref():
    from attention_core.model_attention import load_model, model_attention

    model = load_model(None)
    return [model_attention(model, text) for text in (tm_guide.TIRED, tm_guide.WIDE)]


@pytest.mark.parametrize("layer, head", [(3, 1), (0, 0), (5, 11), (2, 7)])
def test_transformer_answers_are_what_the_weights_imply(coref, layer, head):
    first, second = coref
    steps = tm_guide.steps(
        first.attentions, first.tokens, layer, head, "it", "[CLS]", "[SEP]", second.attentions, second.tokens
    )
    by_name = {step.name: step for step in steps}
    assert set(by_name) == {"follow_top", "special", "second", "broad_layer"}
    for step in steps:
        check_step(step)
    a, a2 = first.attentions[layer, head].astype(np.float64), second.attentions[layer, head].astype(np.float64)
    i, i2 = first.tokens.index("it"), second.tokens.index("it")

    top = by_name["follow_top"]
    assert top.options[int(top.answer)] == first.tokens[int(np.argmax(a[i]))]

    share = a[:, [0, len(first.tokens) - 1]].sum(axis=1).mean()
    expected = "low" if share < 0.1 else "middle" if share < 0.5 else "high"
    assert by_name["special"].options[int(by_name["special"].answer)] == Word(f"guide.tm.special.{expected}")

    second_step = by_name["second"]
    word = second_step.values["token"]
    delta = a2[i2, second.tokens.index(word)] - a[i, first.tokens.index(word)]
    # among the words that occur once in each sentence ("the" occurs twice: the question could not say which)
    once = [w for w in first.tokens if first.tokens.count(w) == 1 and second.tokens.count(w) == 1]
    assert first.tokens.count(word) == 1 and second.tokens.count(word) == 1
    assert abs(delta) >= max(
        abs(a2[i2, second.tokens.index(w)] - a[i, first.tokens.index(w)])
        for w in once
        if w.isalnum() and w not in ("[CLS]", "[SEP]", "it")
    )
    assert second_step.options[int(second_step.answer)] == Word("guide.up" if delta > 0 else "guide.down")

    # the broadest layer: the highest entropy, by torch, averaged over heads and rows
    wt = torch.as_tensor(first.attentions, dtype=torch.float64)
    h_layer = (-(wt * torch.log2(wt.clamp_min(1e-300))).sum(-1)).mean(dim=(-1, -2))
    broad = by_name["broad_layer"]
    assert broad.options[int(broad.answer)] == Word("guide.tm.layer", (("k", int(h_layer.argmax()) + 1),))


def test_the_coreference_preset_shows_it_looking_at_the_animal(coref):
    """The preset's claim, on the model's own weights: in layer 4, head 2, "it" attends to "animal" most."""
    first, _ = coref
    params = dict(tm_guide.presets())["guide.tm.preset.coref"]
    layer, head, token = params["layer"] - 1, params["head"] - 1, params["token"] - 1
    assert first.tokens[token] == "it"
    assert first.tokens[int(np.argmax(first.attentions[layer, head, token]))] == "animal"


def test_no_follow_word_no_follow_question(coref):
    first, _ = coref
    names = {s.name for s in tm_guide.steps(first.attentions, first.tokens, 3, 1, "zebra", "[CLS]", "[SEP]")}
    assert names == {"special", "broad_layer"}


# ---- Complexity (measurements)


def measurements(exponents: dict[str, float], ns=(256, 512, 1024, 2048), seed=0):
    """Fake runs whose time grows like n^exponent (with a little seeded noise), memory like the n × n matrix."""
    rng = np.random.default_rng(seed)
    return [
        Measurement(method, n, 64, 256, 64, 256, 1, 1e-9 * n**p * rng.uniform(0.9, 1.1), 4 * n * n, 0.0)
        for method, p in exponents.items()
        for n in ns
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_complexity_answers_are_what_the_measurements_imply(seed):
    results = measurements({"exact": 2.0, "linear": 1.0}, seed=seed)
    by_name = {step.name: step for step in complexity_guide.steps(results)}
    assert set(by_name) == {"time", "memory", "fast", "matrix"}
    for step in by_name.values():
        check_step(step)

    def factor(method, value):  # 2^slope of a least-squares line through log n, log value
        rows = [m for m in results if m.method == method]
        slope = np.polyfit(np.log([m.n for m in rows]), np.log([value(m) for m in rows]), 1)[0]
        return min(complexity_guide.FACTORS, key=lambda f: abs(np.log2(f) - slope))

    def chosen(step):
        return step.options[int(step.answer)]

    assert chosen(by_name["time"]) == Word("guide.complexity.times", (("k", factor("exact", lambda m: m.seconds)),))
    assert chosen(by_name["time"]) == Word("guide.complexity.times", (("k", 4),))
    assert chosen(by_name["memory"]) == Word("guide.complexity.times", (("k", 4),))
    assert chosen(by_name["fast"]) == Word("guide.complexity.times", (("k", factor("linear", lambda m: m.seconds)),))
    assert by_name["matrix"].is_right(4 * 2048**2 / 1e6) and not by_name["matrix"].is_right(2 * 2048**2 / 1e6)


def test_complexity_lesson_on_the_shipped_reference():
    """The shipped measurements: exact attention about 4× per doubling, in time and in memory."""
    from pathlib import Path

    from attention_core.complexity import from_csv

    csv = Path(complexity_guide.__file__).with_name("reference.csv").read_text()
    by_name = {step.name: step for step in complexity_guide.steps(from_csv(csv))}
    four = Word("guide.complexity.times", (("k", 4),))
    assert by_name["time"].options[int(by_name["time"].answer)] == four
    assert by_name["memory"].options[int(by_name["memory"].answer)] == four


# ---- Seq2seq (the shipped models' alignments)


@pytest.mark.parametrize("task, shape", [("reverse", "anti"), ("copy", "diagonal")])
@pytest.mark.parametrize("text", ["attention", "reverse", "letters"])
def test_seq2seq_answers_are_what_the_alignment_implies(task, shape, text):
    from attention_core.seq2seq import Seq2Seq

    model = Seq2Seq.load(Path(__file__).resolve().parents[2] / "models" / "seq2seq" / f"{task}_additive.safetensors")
    p = model.predict(text)
    steps = s2s_guide.steps(p.text, p.output, p.weights)
    assert [s.name for s in steps] == ["first", "last", "shape"]
    for step in steps:
        check_step(step)
    w = np.asarray(p.weights)
    for step, t in zip(steps[:2], (0, len(p.output) - 1)):
        best = int(np.argmax(w[t]))
        assert step.options[int(step.answer)] == f"{p.text[best]} ({best + 1})" and step.mark == (t, best)
    # the shape from the argmax positions' correlation, by numpy: a trained model reverses or copies
    looked = w.argmax(axis=1)
    rho = np.corrcoef(np.arange(len(looked)), looked)[0, 1]
    assert (rho < -0.8) == (shape == "anti") and (rho > 0.8) == (shape == "diagonal")
    assert steps[2].options[int(steps[2].answer)] == Word(f"guide.s2s.shape.{shape}")


def test_seq2seq_without_an_alignment_asks_nothing():
    assert s2s_guide.steps("abc", "cba", None) == []
    assert s2s_guide.steps("a", "a", np.ones((1, 1))) == []


@pytest.mark.parametrize("task", ["reverse", "copy", "sort", "date"])
def test_seq2seq_why_answers_are_what_the_curves_say(task):
    import json

    index = json.loads((Path(__file__).resolve().parents[2] / "models" / "seq2seq" / "checkpoints.json").read_text())
    att, base = index[f"{task}_additive"]["accuracy_by_length"], index[f"{task}_none"]["accuracy_by_length"]
    lengths = sorted(int(n) for n in att)
    a, b = np.array([att[str(n)] for n in lengths]), np.array([base[str(n)] for n in lengths])
    without, with_, gap = s2s_guide.why_steps(lengths, a, b)
    for step in (without, with_, gap):
        check_step(step)
    bands = [0.1, 0.5, 0.9]
    assert int(without.answer) == sum(b[-1] >= x for x in bands) and int(with_.answer) == sum(a[-1] >= x for x in bands)
    k = int(np.argmax(a - b))
    half = (len(lengths) + 1) // 2
    expected = "nowhere" if (a - b)[k] < 0.05 else ("short" if k < half else "long")
    assert gap.options[int(gap.answer)].key == f"guide.s2s.gap.{expected}"
    if task in ("reverse", "copy"):
        assert expected == "long" and int(without.answer) == 0  # the baseline fails on long inputs
    if task in ("sort", "date"):
        assert expected == "nowhere"


# ---- Image attention (the shipped CNN)


@pytest.mark.parametrize("sample", ["red-circle", "red-square", "crowded", "striped"])
def test_image_answers_are_what_the_model_computed(sample):
    from attention_core import scenes
    from attention_core.image_model import load_image_model, predict

    model = load_image_model()
    scene = scenes.render(scenes.sample_spec(sample), 256)
    p = predict(model, scene.image)
    steps = image_guide.steps(p.weights, p.probabilities, model.classes, model.model.size, 3)
    assert [s.name for s in steps] == ["shape", "quarter", "regions"]
    for step in steps:
        check_step(step)
    by_name = {s.name: s for s in steps}
    best = int(torch.as_tensor(p.probabilities).argmax())
    assert by_name["shape"].options[int(by_name["shape"].answer)] == Word(f"image.class.{model.classes[best]}")
    w = np.asarray(p.weights)
    r, c = divmod(int(np.argmax(w)), w.shape[1])
    quarter = ("top" if r < w.shape[0] / 2 else "bottom") + "_" + ("left" if c < w.shape[1] / 2 else "right")
    assert by_name["quarter"].options[int(by_name["quarter"].answer)] == Word(f"guide.image.quarter.{quarter}")
    # the regions: the model's input size halved by its stride-2 layers, squared
    assert by_name["regions"].is_right(w.size) and (model.model.size // 2**3) ** 2 == w.size


@pytest.mark.parametrize("move", [1, 2, 3])
def test_image_moved_scene_answers(move):
    from attention_core import scenes
    from attention_core.image_model import load_image_model, predict

    model = load_image_model()
    spec = scenes.sample_spec("red-triangle")
    for k in range(1, move + 1):
        spec = scenes.move_target(spec, seed=k)
    scene = scenes.render(spec, 256)
    p = predict(model, scene.image)
    follows, shape = image_guide.move_steps(p.weights, p.probabilities, model.classes, scene.target_mask)
    for step in (follows, shape):
        check_step(step)
    # the pointing game by hand: at least 10 % of the most attended region's pixels lie on the object
    w = np.asarray(p.weights)
    r, c = divmod(int(np.argmax(w)), w.shape[1])
    cell = scene.target_mask.shape[0] // w.shape[0]
    on = bool(scene.target_mask[r * cell : (r + 1) * cell, c * cell : (c + 1) * cell].mean() >= 0.10)
    assert follows.options[int(follows.answer)] == Word("guide.image.yes" if on else "guide.image.no")
    best = int(np.argmax(p.probabilities))
    assert shape.options[int(shape.answer)] == Word(f"image.class.{model.classes[best]}")


def test_image_own_query_answers():
    rng = np.random.default_rng(0)
    w = rng.random((4, 5))
    w /= w.sum()
    r, c = divmod(int(np.argmax(w)), 5)
    itself, similar = image_guide.own_steps(w, (r, c))
    check_step(itself)
    check_step(similar)
    assert itself.options[int(itself.answer)] == Word("guide.image.itself.yes")
    elsewhere = (r + 1) % 4, c
    assert image_guide.own_steps(w, elsewhere)[0].options[0] == Word("guide.image.itself.yes")
    assert int(image_guide.own_steps(w, elsewhere)[0].answer) == 1
    assert similar.is_right(int((w >= w.max() / 2).sum()))
    # a look-alike region that ties the query's own weight still counts as "itself"
    tie = np.full((2, 2), 0.25)
    assert int(image_guide.own_steps(tie, (1, 1))[0].answer) == 0
