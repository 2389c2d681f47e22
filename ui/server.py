"""Settings of the server process (not of a page): how many threads torch may use.

A Streamlit server runs every session's script in its own thread of one
process, and a class makes many scripts run at once.  torch's default, one
thread per core for each operation, then has the sessions' threads fight over
the same cores: on a busy 2-core machine a 64-token forward pass took 254 ms
with 2 threads and 27 ms with 1 (issue 9).  One thread per process lets the
processes (deploy/serve_class.py runs about one per core) use the cores.
``ATTENTION_EXPLORER_TORCH_THREADS`` overrides it, e.g. for one teacher alone
on a big machine.
"""

from __future__ import annotations

import os
import sys

TORCH_THREADS_ENV = "ATTENTION_EXPLORER_TORCH_THREADS"


def torch_threads() -> int:
    """The number of torch threads this process should use (≥ 1; default 1)."""
    try:
        return max(1, int(os.environ.get(TORCH_THREADS_ENV, "1")))
    except ValueError:
        return 1


def limit_torch_threads() -> None:
    """Give torch ``torch_threads()`` threads, without importing torch (the home page does not need it).

    Before torch is imported, OMP_NUM_THREADS decides its thread count (torch
    caps it at the number of cores); after, only ``torch.set_num_threads``
    does.  app.py calls this on every run, so a page that imports torch runs
    with the setting from the next run on.  Cheap: no import, two lookups.
    """
    threads = torch_threads()
    torch = sys.modules.get("torch")
    if torch is None:
        os.environ["OMP_NUM_THREADS"] = str(threads)
    elif torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
