"""Record what a page draws for a list of links, with the code of the tree it runs in (old or new).

``tests/app/test_preset_links.py`` compares the pages with what they drew before issue 22 (commit 409818d).  This
script runs in a worktree of that commit too, so it imports nothing from ``tests/`` (whose helpers changed since):

    git worktree add /tmp/old-presets 409818d && ln -s "$PWD/.venv" /tmp/old-presets/.venv
    git show 409818d:README.md > /tmp/old-readme.md
    .venv/bin/python -m tests.app.test_preset_links /tmp/old-readme.md > /tmp/links.json   # the links to record
    (cd /tmp/old-presets && .venv/bin/python "$OLDPWD/tests/data/record_links.py") < /tmp/links.json \
        > tests/data/preset_links_before.json

stdin: ``{name: {"page": script, "params": {...}}}``; stdout: ``{name: what the page drew}`` (see ``drawn``).
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

ROOT = Path.cwd()
DTYPES = {"f8": "<f8", "f4": "<f4", "i1": "<i1", "i2": "<i2", "i4": "<i4", "u1": "<u1", "u2": "<u2", "u4": "<u4"}


def open_link(page: str, params: dict[str, str]) -> AppTest:
    """A fresh session opened from a link to ``page`` (as ``open_page`` does in both trees: tests/app/pages.py, tests/app/conftest.py before)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.query_params.update(params)
    at.switch_page(page).run()
    return at


def _numbers(value, out: list[float]) -> None:
    """Every number in a chart trace, in order (Plotly ≥ 6 ships arrays as base64 "bdata")."""
    if isinstance(value, dict):
        if "bdata" in value:
            out.extend(np.frombuffer(base64.b64decode(value["bdata"]), dtype=DTYPES[value["dtype"]]).astype(float))
            return
        for key in sorted(value):
            _numbers(value[key], out)
    elif isinstance(value, list):
        for item in value:
            _numbers(item, out)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out.append(float(value))


def fingerprint(values: list[float]) -> list[float]:
    """A few sums that change when any number changes or moves: keeps large charts out of git."""
    values = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=-7.0, posinf=7e9, neginf=-7e9)
    position = np.arange(1, len(values) + 1) / max(len(values), 1)
    sums = (values.sum(), np.abs(values).sum(), (values * position).sum(), (values * position**2).sum())
    return [float(len(values))] + [round(float(s), 6) for s in sums]


def plain_marker(marker):
    """A marker without the colour range of a single named colour (``cmin``/``cmax`` colour nothing there)."""
    if isinstance(marker, dict) and isinstance(marker.get("color"), str):
        return {k: v for k, v in marker.items() if k not in ("cmin", "cmax", "cmid", "cauto")}
    return marker


def charts(at: AppTest) -> list[list[float]]:
    """One fingerprint per chart, in page order: the numbers of its traces (not its layout: margins and fonts may
    change on purpose, e.g. figures now start from ``ui/figures.base_layout``)."""
    out = []
    for chart in at.get("plotly_chart"):
        found: list[float] = []
        for trace in json.loads(chart.proto.spec).get("data", []):
            trace = trace | {"marker": plain_marker(trace.get("marker"))}
            _numbers({k: v for k, v in trace.items() if k not in ("line", "hoverlabel", "textfont")}, found)
        out.append(fingerprint(found))
    return out


def drawn(at: AppTest) -> dict:
    """What a link must reproduce: the link the page publishes, its charts' numbers, its words and metrics."""
    words = []
    for where in (at.main, at.sidebar):
        for kind in ("markdown", "caption", "info", "warning", "success", "error"):
            words += [str(el.value) for el in where.get(kind)]
        words += [f"{el.label}: {el.value}" for el in where.get("metric")]
    link = {k: at.query_params[k] for k in at.query_params}
    return {
        "link": {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in link.items()},
        "charts": charts(at),
        "words": words,
        "errors": [str(e.value) for e in list(at.exception) + list(at.error)],
    }


def main() -> None:
    sys.path.insert(0, str(ROOT))
    links = json.load(sys.stdin)
    out = {}
    for name, link in links.items():
        print(name, file=sys.stderr)
        out[name] = {"page": link["page"], "params": link["params"]} | drawn(open_link(link["page"], link["params"]))
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
