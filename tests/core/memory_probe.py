"""Peak memory of one worst-case input, run in a fresh child process (``python -m tests.core.memory_probe CASE [FILE]``).

The child builds its input, resets the kernel's peak-RSS mark (or, where it
cannot, takes ``ru_maxrss`` as the baseline), runs one call and prints one
JSON line: the peak increase in MB over that baseline, the seconds, and how
it ended ("ok" or the InputError's sentence).  A subprocess, so that what
other tests allocated never counts.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np

import attention_core as ac
from attention_core import InputError


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


def _reset_peak() -> int:
    """Reset the peak-RSS mark and return the baseline in kB (the RSS now, or the peak so far)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # Linux: VmHWM := VmRSS
        return _status_kb("VmRSS")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak(reset: bool) -> int:
    return _status_kb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _calls(case: str, paths: list[str]):
    """(label, call) pairs to measure, their inputs already built."""
    if case == "upload":
        for path in paths:
            with open(path, "rb") as f:
                data = f.read()
            yield path, lambda: ac.load_sequence(data, path)
            del data
    elif case == "additive":  # /query?kind=gaussian&n=4096&d=1024&method=additive with 16 queries
        x = ac.generate_sequence("gaussian", 4096, 1024, seed=0).values  # [n, d]
        q = np.random.default_rng(0).normal(size=(16, 1024))  # [m, d]
        params = ac.ScoreParams.random(1024, seed=0)
        yield case, lambda: ac.attend(q, x, method="additive", params=params)
    else:
        raise SystemExit(f"unknown case {case}")


def main(case: str, *paths: str) -> None:
    """One JSON line a measured call: {"input", "increase_mb", "seconds", "outcome"}."""
    try:
        with open("/proc/self/clear_refs", "w"):
            reset = True
    except OSError:
        reset = False
    if not reset and len(paths) > 1:
        raise SystemExit(2)  # ru_maxrss cannot be reset: one input a process
    for label, run in _calls(case, list(paths)):
        base = _reset_peak()
        start = time.perf_counter()
        try:
            run()
            outcome = "ok"
        except InputError as exc:
            outcome = str(exc)
        seconds = time.perf_counter() - start
        increase_mb = (_peak(reset) - base) / 1024
        print(
            json.dumps(
                {"input": label, "increase_mb": round(increase_mb, 1), "seconds": round(seconds, 2), "outcome": outcome}
            ),
            flush=True,
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
