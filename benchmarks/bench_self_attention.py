"""Benchmark of the Self-attention page: rerun time at n = 256 and payload at n = 2048.

    .venv/bin/python benchmarks/bench_self_attention.py [--repeats 7]

Both numbers are printed as ratios against a reference measured in the same
run — an (almost) empty Streamlit script run the same way — so a slow or busy
machine shows up in the reference too.  Budgets (issue #3):

- a rerun of the page at n = 256, d_model = 64, 8 heads: median ≤ 400 ms;
- everything the page sends to the browser at n = 2048: ≤ 3 MB;
- bytes a real server sends for one change (head, picked query) at n = 256: ≤ 150 kB
  (printed, measured with benchmarks/change_bytes.py; the matrices' PNGs alone are ~110 kB).

Scripts are run with ``streamlit.testing.v1.AppTest`` (no browser, no network).
The payload is the total size of the ForwardMsgs one script run emits (every
delta, uncompressed, before Streamlit's message cache could spare any): an
upper bound on what a first visit downloads.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from streamlit.testing.v1 import AppTest, app_test  # noqa: E402
from streamlit.testing.v1.local_script_runner import LocalScriptRunner  # noqa: E402

from ui import layout  # noqa: E402

PAGE = layout.script("self-attention")  # the page, found through the registry (ui/layout.py PAGES)
RERUN_BUDGET_S = 0.400
PAYLOAD_BUDGET_B = 3 * 1024 * 1024
RERUN_SETTINGS = dict(kind="gaussian", n=256, d=64, seed=0, d_model=64, heads=8)
PAYLOAD_SETTINGS = dict(kind="gaussian", n=2048, d=64, seed=0, d_model=64, heads=8, mask="causal")
EMPTY_SCRIPT = "import streamlit as st\nst.write('reference')\n"


class _MeasuringRunner(LocalScriptRunner):
    """Counts the bytes of every ForwardMsg of the latest script run."""

    last_bytes = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._bytes = 0

        def count(sender, event, **data):
            name = getattr(event, "name", "")
            if name == "SCRIPT_STARTED":
                self._bytes = 0
            elif name == "ENQUEUE_FORWARD_MSG":
                self._bytes += data["forward_msg"].ByteSize()
                _MeasuringRunner.last_bytes = self._bytes

        self.on_event.connect(count, weak=False)


app_test.LocalScriptRunner = _MeasuringRunner  # AppTest builds its runner by this name


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def open_page(settings: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    for name, value in settings.items():
        at.query_params[name] = str(value)
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    k = args.repeats
    logging.disable(logging.WARNING)  # AppTest's bare mode warns at every widget change

    # ---- reference: an almost empty script, run and rerun the same way
    ref = AppTest.from_string(EMPTY_SCRIPT, default_timeout=60)
    ref.run()
    ref_bytes = _MeasuringRunner.last_bytes
    ref_s = statistics.median(timed(ref.run) for _ in range(max(k, 31)))  # cheap, and noisy: many repeats
    print(f"reference (empty script): rerun median {ref_s * 1e3:7.1f} ms, payload {ref_bytes:,} B")

    # ---- rerun at n = 256
    at = open_page(RERUN_SETTINGS)
    plain = statistics.median(timed(at.run) for _ in range(k))
    seeds = iter(range(1, 10_000))
    recompute = statistics.median(
        timed(lambda: at.number_input(key="w.sa.wseed").set_value(next(seeds)).run()) for _ in range(k)
    )
    assert not at.exception, [e.value for e in at.exception]
    worst = max(plain, recompute)
    label = ", ".join(f"{a}={b}" for a, b in RERUN_SETTINGS.items())
    print(f"page rerun ({label}):")
    print(f"  nothing changed      median {plain * 1e3:7.1f} ms = {plain / ref_s:6.1f} × reference")
    print(f"  new weights (seed+1) median {recompute * 1e3:7.1f} ms = {recompute / ref_s:6.1f} × reference")
    rerun_ok = worst <= RERUN_BUDGET_S
    print(
        f"  budget {RERUN_BUDGET_S * 1e3:.0f} ms: {'OK' if rerun_ok else 'OVER'} ({worst / RERUN_BUDGET_S:.2f} of budget)"
    )

    # ---- payload at n = 2048
    big = []
    first = timed(lambda: big.append(open_page(PAYLOAD_SETTINGS)))
    payload = _MeasuringRunner.last_bytes
    again = statistics.median(timed(big[0].run) for _ in range(3))
    label = ", ".join(f"{a}={b}" for a, b in PAYLOAD_SETTINGS.items())
    print(f"page payload ({label}):")
    print(f"  {payload / 1e6:6.2f} MB = {payload / max(ref_bytes, 1):8.0f} × reference")
    print(
        f"  (for information: first open {first:.1f} s with the layer computed; "
        f"rerun {again * 1e3:.0f} ms = {again / ref_s:.0f} × reference once it is cached)"
    )
    payload_ok = payload <= PAYLOAD_BUDGET_B
    print(f"  budget 3 MB: {'OK' if payload_ok else 'OVER'} ({payload / PAYLOAD_BUDGET_B:.2f} of budget)")

    # ---- bytes per change at n = 256, as a browser receives them (fragment reruns included)
    import asyncio

    import change_bytes

    with change_bytes.running_server() as url:
        path, query, changes = change_bytes.SELF_ATTENTION
        change_bytes.print_sizes(
            f"bytes sent per change ({query}):",
            asyncio.run(change_bytes.bytes_per_change(url, path, query, changes)),
            budget=150_000,
        )
    return 0 if rerun_ok and payload_ok else 1


if __name__ == "__main__":
    sys.exit(main())
