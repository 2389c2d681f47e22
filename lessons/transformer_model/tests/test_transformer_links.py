"""The Transformer page's links open the same view as before its settings were declared once (issue 22).

``transformer_links.json`` (beside this file) holds what the page drew for every teacher preset and a few
hand-made links (every view, a token, hidden specials, a followed word), recorded with the page
before the change (commit 57b2acd).  Each link is opened again here and compared: the link the page
publishes, the numbers of every chart (a fingerprint of them), and the words of its captions, metrics and boxes.

After a change that means to alter what a link shows, record again:
``ATTENTION_EXPLORER_RECORD=1 .venv/bin/python -m pytest -p no:cacheprovider lessons/transformer_model/tests/test_transformer_links.py``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

from lessons.transformer_model import guide
from tests.app.helpers import no_errors
from tests.app.leaks import numbers
from tests.app.pages import open_page

PAGE = "lessons/transformer_model/page.py"
RECORDED = Path(__file__).with_name("transformer_links.json")
RECORD = os.environ.get("ATTENTION_EXPLORER_RECORD") == "1"
HANDMADE = {
    "matrix_hidden": {"layer": "2", "head": "7", "view": "matrix", "hide": "1"},
    "head_token": {"layer": "6", "head": "12", "view": "head", "token": "3"},
    "rollout": {"view": "rollout", "text": "The cat sat on the mat."},
    "stats": {"view": "stats", "layer": "1", "head": "1"},
    "recompute": {"view": "recompute", "layer": "3", "head": "4"},
    "compare_street": {"view": "compare", "follow": "street"},
    "model_chinese": {"view": "model", "text": "猫坐在垫子上。", "text2": ""},
}


def links() -> dict[str, dict[str, str]]:
    """{name: the link's parameters}: every preset as the page offers it, without its question (the views draw), and
    the hand-made links."""
    out = {}
    for name, settings in guide.presets():
        params = {k: str(v) for k, v in settings.items()}
        out[name] = params
        out[name + ".views"] = {k: v for k, v in params.items() if k != "guide"}
    return out | HANDMADE


def drawn(at) -> dict:
    """What a page shows that a link must reproduce: its published link, chart numbers, and words."""
    words = []
    for where in (at.main, at.sidebar):  # in the order each shows them (the page may draw the sidebar first)
        words += [
            str(el.value) for kind in ("markdown", "caption", "info", "warning", "success") for el in where.get(kind)
        ]
        words += [f"{el.label}: {el.value}" for el in where.get("metric")]
    params = {k: at.query_params[k] for k in at.query_params}
    return {
        "link": {k: v[0] if isinstance(v, list) else v for k, v in params.items()},
        "numbers": fingerprint(numbers(at)),
        "words": words,
    }


def fingerprint(values: np.ndarray) -> list[float]:
    """A few sums that change when any number changes or moves (the model view's 20 000 numbers stay out of git)."""
    values = np.asarray(values, dtype=np.float64)
    position = np.arange(1, len(values) + 1) / max(len(values), 1)
    sums = (values.sum(), (values**2).sum(), (values * position).sum(), (values * position**2).sum())
    return [float(len(values))] + [round(float(s), 6) for s in sums]


@pytest.fixture(scope="module")
def recorded() -> dict:
    if RECORD:
        found = {}
        for name, params in links().items():
            at = open_page(PAGE, **params)
            no_errors(at)
            found[name] = {"params": params} | drawn(at)
        RECORDED.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return json.loads(RECORDED.read_text(encoding="utf-8"))


def test_every_link_is_recorded(recorded):
    assert sorted(recorded) == sorted(links())


@pytest.mark.parametrize("name", list(links()))
def test_a_link_opens_the_view_it_opened_before(recorded, name):
    before = recorded[name]
    at = open_page(PAGE, **before["params"])
    no_errors(at)
    now = drawn(at)
    assert now["link"] == before["link"]
    assert round_off(now["words"]) == round_off(before["words"])
    # float32 sums differ by CPU in the 9th digit
    np.testing.assert_allclose(now["numbers"], before["numbers"], rtol=1e-6, atol=1e-5)


def round_off(words: list[str]) -> list[str]:
    """``words`` with float32 round-off ("Largest |difference|: 2.4e-07") written as one symbol: it differs by CPU."""
    return [re.sub(r"\d\.\de-0[6-9]", "<round-off>", w) for w in words]
