"""The Chromium every browser check drives: Debian's package (``E2E_CHROMIUM`` elsewhere) and its flags.

One place for the browser tests (tests/e2e/fixtures.py) and the first-load benchmark
(benchmarks/bench_first_load.py): headless, no sandbox (root in a container), and nothing that
reaches the network on its own (this machine reaches only package registries).
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
