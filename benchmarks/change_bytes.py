"""Bytes a real server sends for one widget change, as a browser receives them (websocket, fragments included).

Used by bench_self_attention.py and bench_transformer.py:

    with running_server() as url:
        sizes = asyncio.run(bytes_per_change(url, "self-attention", "n=256&d_model=64&heads=8", changes))

``changes`` is a list of (label, key prefix, pick) where ``pick(options, current)``
returns the option label to set.  Widgets are found by key prefix because
widgets whose labels follow the data carry the labels' fingerprint in their key.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from st_client import BrowserSession  # noqa: E402

from tests.server import streamlit_server  # noqa: E402


@contextlib.contextmanager
def running_server():
    """One `streamlit run app.py` on a free port (tests/server.py), stopped (its process group only) when done."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        streamlit_server(Path(tmp) / "server.log", env=dict(os.environ, HF_HUB_OFFLINE="1"), timeout=120) as url,
    ):
        yield url


def _key(session: BrowserSession, prefix: str) -> str:
    for key in session.keys():
        if key == prefix or key.startswith(prefix + "."):
            return key
    raise KeyError(f"no widget {prefix!r}; keys: {session.keys()}")


async def bytes_per_change(url: str, url_path: str, query: str, changes, rounds: int = 3) -> dict[str, int]:
    """{change label: median bytes received for that change} after the page is open (and warm)."""
    session = BrowserSession(url)
    await session.connect()
    try:
        first = await session.open(url_path, query)
        assert not first.failed, first
        out = {"open page": first.bytes_received}
        for label, prefix, pick in changes:
            sizes = []
            for _ in range(rounds):
                key = _key(session, prefix)
                widget = session.find(key)
                rerun = await session.change(key, pick(widget.options, session.value(key)))
                assert not rerun.failed, (label, rerun)
                sizes.append(rerun.bytes_received)
            out[label] = sorted(sizes)[len(sizes) // 2]
        return out
    finally:
        await session.close()


def other(options, current):
    """The next option after the current one (wrapping): a change every time."""
    current = current[0] if isinstance(current, list) else current
    return options[(options.index(current) + 1) % len(options)] if current in options else options[1]


def print_sizes(title: str, sizes: dict[str, int], budget: int | None = None) -> bool:
    print(title)
    ok = True
    for label, size in sizes.items():
        over = budget is not None and label != "open page" and size > budget
        ok &= not over
        print(f"  {label:28s} {size / 1e3:8.1f} kB" + (" OVER" if over else ""))
    if budget is not None:
        print(f"  budget per change {budget / 1e3:.0f} kB: {'OK' if ok else 'OVER'}")
    return ok


SELF_ATTENTION = (
    "self-attention",
    "kind=gaussian&n=256&d=64&seed=0&d_model=64&heads=8",
    [("head", "w.sa.head", other), ("query i", "w.sa.i", other)],
)
QUERY_4096 = ("query", "kind=gaussian&n=4096&d=64&seed=0", [("temperature", "w.score.temperature", other)])
MODEL_VIEW = ("model", "view=model", [("head", "w.tm.head", other), ("layer", "w.tm.layer", other)])
HEAD_VIEW = ("model", "", [("head", "w.tm.head", other), ("layer", "w.tm.layer", other)])

if __name__ == "__main__":
    pages = {"self-attention": [SELF_ATTENTION], "query": [QUERY_4096], "model": [MODEL_VIEW, HEAD_VIEW]}
    wanted = sys.argv[1:] or list(pages)
    with running_server() as url:
        for name in wanted:
            for path, query, changes in pages[name]:
                print_sizes(f"{path}?{query}", asyncio.run(bytes_per_change(url, path, query, changes)))
