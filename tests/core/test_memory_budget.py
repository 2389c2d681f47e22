"""The per-rerun memory budget: additive scores in blocks (same numbers), and the peak memory of the worst inputs.

Each peak is measured in a fresh child process (tests/core/memory_probe.py)
so that nothing this test process holds counts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import torch

import attention_core.scoring as scoring
from attention_core.errors import InputError
from attention_core.limits import MEMORY_BUDGET_BYTES, MEMORY_BUDGET_MB, check_memory
from attention_core.scoring import ScoreParams, scores
from attention_core.uploads import UPLOAD_EXTENSIONS
from tests.core.memory_probe import WORST_TEXTS, WORST_UPLOADS

ROOT = Path(__file__).resolve().parents[2]


def additive_in_one_piece(q: torch.Tensor, k: torch.Tensor, p: ScoreParams) -> torch.Tensor:
    """vᵀ tanh(W₁q + W₂k) with the whole [..., m, n, h] hidden tensor: the formula as written."""
    w1, w2, v = (torch.as_tensor(a, dtype=q.dtype) for a in (p.w1, p.w2, p.v))
    hidden = torch.tanh(
        torch.nn.functional.linear(q, w1).unsqueeze(-2) + torch.nn.functional.linear(k, w2).unsqueeze(-3)
    )
    return torch.einsum("...mnh,h->...mn", hidden, v)


@pytest.mark.parametrize("block_bytes", [1, 8 * 16 * 3 * 7, 10**9])  # one key a block, a ragged last block, one block
@pytest.mark.parametrize("batch", [(), (2,)])
def test_additive_scores_in_blocks_equal_the_formula_in_one_piece(monkeypatch, block_bytes, batch):
    monkeypatch.setattr(scoring, "ADDITIVE_BLOCK_BYTES", block_bytes)
    g = torch.Generator().manual_seed(0)
    q = torch.randn(*batch, 3, 16, dtype=torch.float64, generator=g)  # [..., m, d]
    k = torch.randn(*batch, 23, 16, dtype=torch.float64, generator=g)  # [..., n, d]
    p = ScoreParams.random(16, seed=1, hidden=7)
    got = scores(q, k, method="additive", params=p)
    torch.testing.assert_close(got, additive_in_one_piece(q, k, p), rtol=1e-12, atol=1e-12)
    # one query [d] over batched keys, and float32
    q0 = q.reshape(-1, 16)[0].float()  # [d]
    got = scores(q0, k.float(), method="additive", params=p)  # [..., n]
    torch.testing.assert_close(got, additive_in_one_piece(q0.unsqueeze(0), k.float(), p).squeeze(-2))


def test_additive_scores_with_gradients_are_refused_beyond_the_budget():
    q = torch.zeros(64, 256, dtype=torch.float64, requires_grad=True)
    k = torch.zeros(2048, 256, dtype=torch.float64)  # [64, 2048, 256] hidden vectors: 268 MB, and tanh's as many
    with pytest.raises(
        InputError,
        match=f"The additive score with gradients would need about 537 MB of memory; the limit is {MEMORY_BUDGET_MB} MB",
    ):
        scores(q, k, method="additive")
    scores(q[:8], k, method="additive").sum().backward()  # 67 MB: fine, and differentiable
    assert q.grad is not None


def test_check_memory_states_the_cap():
    check_memory(MEMORY_BUDGET_BYTES, "This")
    with pytest.raises(InputError, match=f"about 300 MB of memory; the limit is {MEMORY_BUDGET_MB} MB"):
        check_memory(300_000_000, "This setting")


# ------------------------------------------------------------ peak memory of the worst inputs


def peaks(case: str, inputs: list = ()) -> dict[str, dict]:
    """Run tests/core/memory_probe.py, one child process an input: {input: {"increase_mb", "seconds", "outcome"}}.

    One child each, not one for all: memory freed by one call stays with the
    process and would hide the next call's peak.  Two children at a time
    (each measures only itself).
    """

    def probe(one) -> dict:
        args = [sys.executable, "-m", "tests.core.memory_probe", case] + ([str(one)] if one is not None else [])
        run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr[-2000:]
        return json.loads(run.stdout.strip().splitlines()[-1])

    with ThreadPoolExecutor(2) as pool:
        lines = list(pool.map(probe, list(inputs) or [None]))
    return {Path(line.pop("input")).name: line for line in lines}


def test_the_worst_upload_of_each_kind_for_every_extension_is_refused_within_the_budget():
    """One huge line, one huge cell, millions of tiny rows, deep nesting, a huge header: a sentence, in seconds."""
    assert {name.rsplit(".", 1)[1] for name in WORST_UPLOADS} == set(UPLOAD_EXTENSIONS)
    got = peaks("worst", list(WORST_UPLOADS))
    for name, (_, fragment) in WORST_UPLOADS.items():
        assert fragment in got[name]["outcome"], (name, got[name])
        assert got[name]["cpu_seconds"] < 5, (name, got[name])  # ≤ 0.5 s on an idle machine
    over = {name: run["increase_mb"] for name, run in got.items() if run["increase_mb"] > MEMORY_BUDGET_MB}
    assert not over, f"over {MEMORY_BUDGET_MB} MB: {over}"


def test_the_largest_table_loads_within_the_budget_as_csv_and_as_json(tmp_path):
    x = np.round(np.random.default_rng(0).normal(size=(4096, 1024)), 4)
    labels = [f"t{i}" for i in range(4096)]
    labels[0] = "🙂"  # one emoji label: the whole text as a str was 4 bytes a character (+214 MB)
    # 4096 × 1024 numbers as CSV (31 MB) with a label column: +415 MB once, +214 MB with the emoji
    with open(tmp_path / "largest.csv", "w", encoding="utf-8") as f:
        for label, row in zip(labels, x):
            f.write(label + "," + ",".join(f"{v:g}" for v in row) + "\n")
    # as a JSON list (35 MB): +228 MB once
    with open(tmp_path / "largest.json", "w") as f:
        f.write("[" + ",\n".join(json.dumps(row) for row in x.tolist()) + "]")
    # as a JSON object with labels, decoded whole before: +262 MB
    with open(tmp_path / "labelled.json", "w", encoding="utf-8") as f:
        f.write(json.dumps({"labels": labels}, ensure_ascii=False)[:-1] + ', "values": [')
        f.write(",\n".join(json.dumps(row) for row in x.tolist()) + "]}")
    got = peaks("upload", [tmp_path / name for name in ["largest.csv", "largest.json", "labelled.json"]])
    assert all(run["outcome"] == "ok" for run in got.values()), got
    over = {name: run["increase_mb"] for name, run in got.items() if run["increase_mb"] > MEMORY_BUDGET_MB}
    assert not over, f"over {MEMORY_BUDGET_MB} MB: {over}"


def test_48_mb_of_typed_query_or_positions_text_is_refused_within_the_budget():
    got = peaks("text", list(WORST_TEXTS))
    assert "The query text is 48,000,000 characters long" in got["query-line"]["outcome"], got
    assert "The query text is 48,000,000 characters long" in got["query-rows"]["outcome"], got
    assert "The positions are 48,000,000 characters long" in got["positions"]["outcome"], got
    assert all(run["cpu_seconds"] < 1 for run in got.values()), got
    over = {name: run["increase_mb"] for name, run in got.items() if run["increase_mb"] > MEMORY_BUDGET_MB}
    assert not over, f"over {MEMORY_BUDGET_MB} MB: {over}"


def test_additive_scores_of_16_queries_over_4096_by_1024_stay_within_the_budget():
    # /query?kind=gaussian&n=4096&d=1024&method=additive with 16 queries: +1.1 GB before
    got = peaks("additive")["additive"]
    assert got["outcome"] == "ok"
    assert got["increase_mb"] <= MEMORY_BUDGET_MB, got


def test_the_largest_self_attention_layer_stays_within_the_budget():
    # n = 2048, 16 heads, d_model = 256, causal: +303 MB before CELL_BUDGET came from the budget
    got = peaks("self_attention")["self_attention"]
    assert got["outcome"] == "ok"
    assert got["increase_mb"] <= MEMORY_BUDGET_MB, got


def test_25_megapixel_images_decode_within_the_budget():
    # 5000 × 5000 PNGs: +381 MB (RGBA), +620 MB (16-bit grey), +205 MB (RGB) before
    got = peaks("image", ["RGBA", "I;16", "RGB"])
    assert all(run["outcome"] == "ok" for run in got.values()), got
    over = {mode: run["increase_mb"] for mode, run in got.items() if run["increase_mb"] > MEMORY_BUDGET_MB}
    assert not over, f"over {MEMORY_BUDGET_MB} MB: {over}"


@pytest.mark.parametrize(
    "mode, shape", [("RGB", (2100, 1999, 3)), ("L", (1500, 3001)), ("I;16", (1100, 2500)), ("RGBA", (2100, 2100, 4))]
)
def test_an_image_reduced_in_strips_equals_it_reduced_whole(mode, shape):
    from PIL import Image

    from attention_core.images import _reduce_early

    rng = np.random.default_rng(3)
    array = rng.integers(0, 65535 if mode == "I;16" else 256, shape).astype(np.uint16 if mode == "I;16" else np.uint8)
    img = Image.fromarray(array) if mode == "I;16" else Image.fromarray(array, mode)
    factor = max(img.size) // 1024
    wide = {"I;16": "I", "RGBA": "RGBa"}.get(mode, mode)
    whole = img.convert(wide).reduce(factor).convert(mode)
    got = _reduce_early(img)
    assert got.mode == mode and got.size == whole.size
    np.testing.assert_array_equal(np.asarray(got), np.asarray(whole))
