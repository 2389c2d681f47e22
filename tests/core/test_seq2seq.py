"""The seq2seq lesson's core: toy tasks, the attention inside the model, training, predictions, checkpoints.

One model is trained here (reverse, lengths 5–10, additive attention,
seeded; about 10 CPU-seconds) and shared by the tests that read it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from attention_core.errors import InputError
from attention_core.scoring import ScoreParams, scores
from attention_core.seq2seq import EOS, Scorer, Seq2Seq, Seq2SeqConfig, exact_match, held_out_inputs, train_seq2seq
from attention_core.toy_tasks import make_task

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models" / "seq2seq"
TEST_SEED = 12345  # training/train_seq2seq.py measures the shipped models on this test set


# ------------------------------------------------------------------ tasks


@pytest.mark.parametrize(
    "task, text, expected",
    [
        ("reverse", "attention", "noitnetta"),
        ("copy", "abc", "abc"),
        ("sort", "banana", "aaabnn"),
        ("shift", "xyzabc", "abcdef"),
        ("date", "23 Nov 2026", "2026-11-23"),
        ("date", "1 Jan 1900", "1900-01-01"),
        ("date", "29 Feb 2024", "2024-02-29"),
    ],
)
def test_each_task_follows_its_rule(task, text, expected):
    assert make_task(task).target(text) == expected


@pytest.mark.parametrize(
    "task, text, words",
    [
        ("reverse", "", "empty"),
        ("reverse", "   ", "empty"),
        ("reverse", "abc1", '"1"'),
        ("copy", "héllo", '"é"'),
        ("sort", "a" * 31, "at most 30"),
        ("date", "31 Feb 2026", "does not exist"),
        ("date", "29 Feb 2025", "does not exist"),
        ("date", "23 Foo 2026", "not a month"),
        ("date", "2026-11-23", "like"),
        ("date", "23 Nov 2300", "1900–2099"),
    ],
)
def test_bad_input_is_one_sentence(task, text, words):
    with pytest.raises(InputError) as info:
        make_task(task).check(text, 30)
    message = str(info.value)
    assert words in message and message.count(". ") == 0 and "\n" not in message


def test_check_cleans_the_input():
    assert make_task("reverse").check("  AbC ", 30) == "abc"
    assert make_task("date").check(" 05  nov 2026 ", 30) == "5 Nov 2026"


def test_samples_are_seeded_and_in_range():
    task = make_task("reverse")
    a = task.sample(np.random.default_rng(3), 200, 5, 10)
    assert a == task.sample(np.random.default_rng(3), 200, 5, 10)
    assert {len(x) for x in a} == set(range(5, 11))
    dates = make_task("date")
    for length in (10, 11):
        batch = dates.sample(np.random.default_rng(0), 50, length, length)
        assert {len(x) for x in batch} == {length}
        for x in batch:
            dates.check(x, 30)  # every generated date exists


# ------------------------------------------------------------ the attention


@pytest.mark.parametrize("method", ["additive", "dot", "general"])
def test_the_model_scores_with_the_cores_formula(method):
    """Scorer(s, h) equals attention_core.scores with the same weights given as plain numpy arrays."""
    torch.manual_seed(0)
    scorer = Scorer(method, 8)
    s, h = torch.randn(3, 4, 8), torch.randn(3, 6, 8)
    got = scorer(s, h)
    numpy = lambda p: np.zeros(0) if p is None else p.detach().numpy().astype(np.float64)  # noqa: E731
    params = ScoreParams(w=numpy(scorer.w), w1=numpy(scorer.w1), w2=numpy(scorer.w2), v=numpy(scorer.v))
    for b in range(3):
        expected = scores(s[b].double(), h[b].double(), method=method, params=params)
        torch.testing.assert_close(got[b].double(), expected, atol=1e-5, rtol=1e-5)
    # and by hand, for the formula itself
    if method == "additive":
        by_hand = torch.tanh((s @ scorer.w1.T)[:, :, None] + (h @ scorer.w2.T)[:, None]) @ scorer.v
    elif method == "general":
        by_hand = s @ scorer.w @ h.transpose(1, 2)
    else:
        by_hand = s @ h.transpose(1, 2)
    torch.testing.assert_close(got, by_hand, atol=1e-5, rtol=1e-5)
    if method != "dot":  # the W's and v learn: gradients reach them
        got.sum().backward()
        assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in scorer.parameters())


def test_padding_gets_no_weight_and_rows_sum_to_one():
    model = Seq2Seq(Seq2SeqConfig(task="copy", seed=1))
    src, src_len, tgt_in, tgt_out = model.batch(["abcdefg", "abc", "abcde"])  # three lengths: padded
    with torch.no_grad():
        logits, w = model(src, src_len, tgt_in)
        alone, w_alone = model(*model.batch(["abc"])[:3])
    assert w.shape == (3, tgt_in.shape[1], 7)
    torch.testing.assert_close(w.sum(-1), torch.ones(3, tgt_in.shape[1]))
    assert w[1, :, 3:].abs().max().item() == 0.0  # "abc" never looks at the padding
    # a padded batch gives each input the same answer as a batch of its own
    torch.testing.assert_close(w[1, :4, :3], w_alone[0], atol=1e-5, rtol=1e-5)


def test_exact_match_needs_every_character_and_the_end():
    tgt = torch.tensor([[3, 4, EOS], [3, 4, EOS]])
    logits = torch.nn.functional.one_hot(torch.tensor([[3, 4, EOS], [3, 4, 5]]), 8).float()
    assert exact_match(logits, tgt).tolist() == [True, False]


# ------------------------------------------------------------- training


@pytest.fixture(scope="module")
def reverse_model() -> Seq2Seq:
    """Reverse, lengths 5–10, additive attention: trained until 97 % on a validation set (not the test set)."""
    model = Seq2Seq(Seq2SeqConfig(task="reverse", scoring="additive", min_length=5, max_length=10, hidden=64, seed=0))
    validation = held_out_inputs(model.config, 500, seed=777)
    result = train_seq2seq(model, 2000, callback=lambda p: p.step % 50 == 0 and model.accuracy(validation) >= 0.97)
    print(f"\nreverse 5–10 trained {result.steps_done} steps in {result.seconds:.1f} s")
    return model


def test_training_on_reverse_reaches_95_percent(reverse_model):
    accuracy = reverse_model.accuracy(held_out_inputs(reverse_model.config, 1000, TEST_SEED))
    print(f"reverse 5–10 exact-match accuracy on 1000 new inputs: {accuracy:.3f}")
    assert accuracy >= 0.95


def test_reverse_looks_along_the_anti_diagonal(reverse_model):
    inputs = held_out_inputs(reverse_model.config, 100, seed=99)
    on, total = 0, 0
    for text in inputs:
        w = reverse_model.alignment(text)  # [n, n]
        n = len(text)
        assert w.shape == (n, n)
        np.testing.assert_allclose(w.sum(axis=1), 1.0, atol=1e-5)
        on += int((w.argmax(axis=1) == np.arange(n)[::-1]).sum())  # output t looks at input n − 1 − t
        total += n
    print(f"argmax on the anti-diagonal: {on / total:.3f}")
    assert on / total >= 0.90


def test_predict_gives_the_output_and_its_alignment(reverse_model):
    p = reverse_model.predict("  Attention ")
    assert p.text == "attention" and p.expected == "noitnetta"
    assert p.weights.shape == (len(p.output), len(p.text))
    np.testing.assert_allclose(p.weights.sum(axis=1), 1.0, atol=1e-5)
    assert p.note == ""
    long = reverse_model.predict("abcdefghijklmnop")
    assert "trained on inputs of 5–10 letters" in long.note
    with pytest.raises(InputError):
        reverse_model.predict("abc!")


def test_a_saved_model_loads_with_the_same_answers(reverse_model, tmp_path):
    path = tmp_path / "m.safetensors"
    reverse_model.save(path)
    loaded = Seq2Seq.load(path)
    assert loaded.config == reverse_model.config
    a, b = reverse_model.predict("abcdefg"), loaded.predict("abcdefg")
    assert a.output == b.output
    np.testing.assert_allclose(a.weights, b.weights, atol=2e-2)  # float16 on disk


def test_training_stops_when_asked():
    model = Seq2Seq(Seq2SeqConfig(task="copy", hidden=16, seed=0))
    result = train_seq2seq(model, 100, callback=lambda p: p.step == 3)
    assert result.stopped and result.steps_done == 3 and len(result.losses) == 3
    with pytest.raises(InputError):
        train_seq2seq(model, 0)


def test_bad_configs_are_one_sentence():
    for bad in (dict(hidden=512), dict(min_length=9, max_length=3), dict(task="add"), dict(scoring="cosine")):
        with pytest.raises(InputError):
            Seq2SeqConfig(**bad)


# ------------------------------------------------------- shipped checkpoints


def shipped() -> dict:
    return json.loads((MODELS / "checkpoints.json").read_text())


def test_every_task_ships_with_and_without_attention():
    index = shipped()
    for task in ("reverse", "copy", "sort", "shift", "date"):
        assert f"{task}_additive" in index and f"{task}_none" in index, task
    total = sum(p.stat().st_size for p in MODELS.glob("*.safetensors"))
    assert total <= 4_000_000, total


@pytest.mark.parametrize(
    "name",
    sorted(json.loads((MODELS / "checkpoints.json").read_text())) if (MODELS / "checkpoints.json").exists() else [],
)
def test_shipped_checkpoint_reaches_its_stated_accuracy(name):
    entry = shipped()[name]
    model = Seq2Seq.load(MODELS / entry["file"])  # offline: a local file, no pickle
    config = Seq2SeqConfig(**entry["config"])
    assert model.config == config
    accuracy = model.accuracy(held_out_inputs(config, 1000, TEST_SEED))
    print(f"{name}: {accuracy:.3f} (stated {entry['test_accuracy']:.3f})")
    assert accuracy >= entry["test_accuracy"] - 0.005
    if config.attention:
        assert entry["test_accuracy"] >= 0.85, name


def test_readme_states_each_checkpoints_accuracy():
    readme = (ROOT / "docs" / "development.md").read_text()  # the README's table moved to docs/ (issue 22)
    for name, entry in shipped().items():
        row = re.search(rf"^\|\s*`{name}`.*$", readme, re.M)
        assert row, f"README has no row for {name}"
        assert f"{100 * entry['test_accuracy']:.1f} %" in row.group(0), row.group(0)


def test_without_attention_long_inputs_fail():
    """The lesson of the Why-attention chart, on the shipped reverse models: a fixed-size summary overflows."""
    attention = Seq2Seq.load(MODELS / "reverse_additive.safetensors")
    baseline = Seq2Seq.load(MODELS / "reverse_none.safetensors")
    hi = attention.config.max_length
    long = range(hi - 2, hi + 1)
    with_attention = attention.accuracy_by_length(long)
    without = baseline.accuracy_by_length(long)
    print(f"\nreverse, lengths {list(long)}: with attention {with_attention}, without {without}")
    assert np.mean(list(with_attention.values())) >= np.mean(list(without.values())) + 0.3
