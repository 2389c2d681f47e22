"""Reading what a page drew: Plotly specs out of AppTest, typed arrays decoded."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import urlencode

import numpy as np
from streamlit.testing.v1 import AppTest

from ui import url_state

DTYPES = {"f8": "<f8", "f4": "<f4", "i1": "<i1", "i2": "<i2", "i4": "<i4", "u1": "<u1", "u2": "<u2", "u4": "<u4"}


def decode(value):
    """Plotly ≥ 6 ships numpy arrays as {"dtype", "bdata", "shape"}; lists stay lists."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=DTYPES[value["dtype"]])
        if "shape" in value:
            shape = value["shape"]
            array = array.reshape([int(s) for s in (shape.split(",") if isinstance(shape, str) else shape)])
        return array.astype(np.float64)
    if isinstance(value, list):
        try:
            return np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return value
    return value


def figure(at: AppTest, key: str) -> dict:
    """The Plotly spec of the chart drawn with ``key=key``."""
    charts = [el for el in at.get("plotly_chart") if el.proto.id.endswith(f"-{key}")]
    assert len(charts) == 1, f"expected one chart '{key}', found {len(charts)}"
    return json.loads(charts[0].proto.spec)


def trace(at: AppTest, key: str, index: int = 0) -> dict:
    data = figure(at, key)["data"][index]
    return {k: decode(v) for k, v in data.items()}


def bars(at: AppTest, key: str) -> np.ndarray:
    """All bar heights of a token bar chart, in token order (masked tokens included)."""
    spec = figure(at, key)
    xs, ys = [], []
    for data in spec["data"]:
        xs.append(decode(data["x"]))
        ys.append(decode(data["y"]))
    x, y = np.concatenate(xs), np.concatenate(ys)
    return y[np.argsort(x)]


def widget(at: AppTest, kind: str, key: str):
    """The one ``kind`` widget keyed ``key`` (or ``key`` + the fingerprint of its option labels)."""
    found = [w for w in getattr(at, kind) if w.key == key or (w.key or "").startswith(key + ".")]
    assert len(found) == 1, [w.key for w in getattr(at, kind)]
    return found[0]


def metric(at: AppTest, label: str) -> str:
    """The value of the one metric labelled ``label``."""
    found = [m.value for m in at.metric if m.label == label]
    assert len(found) == 1, [m.label for m in at.metric]
    return found[0]


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def shown(markdown: str) -> str:
    """The text a Markdown element shows: AppTest hands back its source, where user text is escaped (ui/text.py)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def page_state(at: AppTest) -> str:
    """``url_state.page_state()`` of the session ``at`` (what it last published, without its language)."""
    return urlencode(at.session_state[url_state.STATE_KEY])
