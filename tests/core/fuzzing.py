"""What every fuzzed call must hold, the case counts, and the size of a run.

Used by tests/core/test_fuzz*.py.  ``FUZZ_EXAMPLES`` (environment) sets
how many examples each fuzz test draws: a few in the normal test run, many
in ``make fuzz``, which also loads this module as a pytest plugin
(``-p tests.core.fuzzing``) so that the run ends with the total counts.
"""

from __future__ import annotations

import os
import resource
import time
from collections import Counter

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
MAX_SECONDS = 2.0  # per case
MAX_MB = 200  # per case: the peak resident memory it may add (attention_core.limits.MEMORY_BUDGET_MB)

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # timed below, with the 2 s rule, so that a slow shrink does not count
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# cases run and failures, by parser; only the fuzz tests write here and only the summary reads it
COUNTS: Counter[str] = Counter()
FAILURES: Counter[str] = Counter()


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


def _reset_peak() -> int | None:
    """Reset the kernel's peak-RSS mark (Linux); the RSS now in kB, or None where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return _status_kb("VmRSS")
    except OSError:
        return None


def holds(parser: str, call, allowed: tuple[type[BaseException], ...], message: bool = True):
    """Run ``call()``: it returns, or raises one of ``allowed`` (with a message unless ``message=False``),
    in ≤ 2 s and ≤ 200 MB.

    Returns what ``call`` returned (None when it raised an allowed error).
    """
    COUNTS[parser] += 1
    base = _reset_peak()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = None
    try:
        result = call()
    except allowed as exc:
        if message and not str(exc):
            FAILURES[parser] += 1
            raise AssertionError(f"{type(exc).__name__} without a message") from exc
    except BaseException:
        FAILURES[parser] += 1
        raise
    seconds = time.perf_counter() - start
    peak_mb = (
        (_status_kb("VmHWM") - base)
        if base is not None
        else (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
    ) / 1024
    if seconds > MAX_SECONDS or peak_mb > MAX_MB:
        FAILURES[parser] += 1
        raise AssertionError(f"{parser}: {seconds:.2f} s, +{peak_mb:.0f} MB (limits {MAX_SECONDS} s, {MAX_MB} MB)")
    return result


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """``make fuzz``: the counts of the whole run, by parser and in total."""
    if not COUNTS:
        return
    terminalreporter.section("fuzz")
    for parser in sorted(COUNTS):
        terminalreporter.write_line(f"{parser:>28}: {COUNTS[parser]:>7,} cases, failures: {FAILURES[parser]}")
    total, failed = sum(COUNTS.values()), sum(FAILURES.values())
    terminalreporter.write_line(f"fuzz: {total:,} cases run, failures: {failed}")
