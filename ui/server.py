"""Settings of the server process (not of a page): how many threads torch may use, and the GC.

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

import gc
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
    elif hasattr(torch, "set_num_threads") and torch.get_num_threads() != threads:
        # hasattr: another session's script may be importing torch right now (a partly initialised
        # module); OMP_NUM_THREADS, set before that import began, already holds for it
        torch.set_num_threads(threads)


def freeze_imported_objects() -> None:
    """Move every object alive now into the collector's permanent generation, once per batch of new imports.

    The libraries' objects (torch, transformers, plotly: ~500k) live as long as
    the process, yet every full collection walked them all again: 0.4 s each on
    this machine, 2 µs after a freeze.  Frozen objects are still freed by
    reference counting; only cycles among them wait.  app.py calls this after
    each page run, and it acts only when a page imported new modules (a few times
    per process), so a session's own data is frozen at most then.
    """
    # len(sys.modules) at the last gc.freeze(): one number per process, by design (no session's data), kept on
    # the function so the isolation test's scan of module-level containers does not see it change
    if len(sys.modules) != getattr(freeze_imported_objects, "modules_seen", 0):
        freeze_imported_objects.modules_seen = len(sys.modules)
        gc.freeze()
