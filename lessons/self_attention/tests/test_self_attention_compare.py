"""Compare A/B on the Self-attention page: B's settings give what a second layer gives.

The reference is plain torch (the projections and softmax written from the formulas), not attention_core,
so a bug in the core or in the page shows up as a mismatch.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from attention_core.multihead import MultiHeadParams
from tests.app.helpers import figure, metric, no_errors, trace, widget
from tests.app.pages import open_page

PAGE = "lessons/self_attention/page.py"


def sa_weights(x, d_model, heads, seed, allowed, temperature):
    p = MultiHeadParams.random(d_model, heads, seed=seed, d_in=x.shape[1])
    x = torch.as_tensor(x)
    d_head = d_model // heads
    q = (x @ p.w_q.T).reshape(x.shape[0], heads, d_head).transpose(0, 1)
    k = (x @ p.w_k.T).reshape(x.shape[0], heads, d_head).transpose(0, 1)
    s = (q @ k.transpose(1, 2) / math.sqrt(d_head)).masked_fill(~torch.as_tensor(allowed), float("-inf"))
    return torch.nan_to_num(torch.softmax(s / temperature, dim=-1), nan=0.0).numpy()


def test_self_attention_compare_matches_two_layers():
    at = open_page(PAGE)
    found = [w for w in at.segmented_control if (w.key or "").startswith("w.sa.view")]
    found[0].set_value("compare").run()
    no_errors(at)
    widget(at, "select_slider", "w.sa.cmp.temperature").set_value(0.5).run()
    at.number_input(key="w.sa.cmp.wseed").set_value(3).run()
    no_errors(at)
    x = np.array(at.session_state["seq"].values)
    n = x.shape[0]
    w_a = sa_weights(x, 8, 2, 0, np.ones((n, n), bool), 1.0)[0]
    w_b = sa_weights(x, 8, 2, 3, np.tril(np.ones((n, n), bool)), 0.5)[0]  # B's default mask: causal
    np.testing.assert_allclose(trace(at, "chart.sa.compare.a", 0)["z"], w_a, atol=1e-9)
    np.testing.assert_allclose(np.nan_to_num(trace(at, "chart.sa.compare.b", 0)["z"]), w_b, atol=1e-9)
    np.testing.assert_allclose(trace(at, "chart.sa.compare.delta", 0)["z"], w_b - w_a, atol=1e-9)
    assert metric(at, "Largest |Δw|") == f"{np.abs(w_b - w_a).max():.3f}"
    for side in "ab":  # one colour range for both
        assert figure(at, f"chart.sa.compare.{side}")["data"][0]["zmax"] == 1.0
    assert str(at.query_params["b_wseed"]).strip("[]'") == "3"
