"""Medians of repeated bench_class_load.py runs, side by side: which code is faster on a shared, noisy machine.

    .venv/bin/python benchmarks/compare_runs.py old=p1_old_*.json new=p1_new_*.json

Each argument is ``name=file[,file…]`` (a shell glob is expanded before it
arrives; files without a name join the previous name).  For every name it
prints the median over its runs of the load phase's figures (the last row of
each file): p50/p95 of a click, reruns/s, server CPU a rerun, errors (summed),
peak RSS and the load average before the run.  The median, not the mean: one
run beside another helper's test suite should not decide.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

FIGURES = [  # (label, key in a row, how runs combine)
    ("runs", None, len),
    ("click p50, s", "click_p50_s", statistics.median),
    ("click p95, s", "click_p95_s", statistics.median),
    ("click max, s", "click_max_s", statistics.median),
    ("open p50, s", "open_p50_s", statistics.median),
    ("reruns/s", "reruns_per_s", statistics.median),
    ("CPU a rerun, ms", "server_cpu_ms_per_rerun", statistics.median),
    ("errors (all runs)", "errors", sum),
    ("peak RSS, MB", "server_peak_rss_MB", statistics.median),
    ("load avg before (1 min)", "load1", statistics.median),
]


def load_row(path: Path) -> dict:
    row = json.loads(path.read_text())["rows"][-1]  # the load phase (the reference, if any, comes first)
    row["load1"] = float(row["loadavg_before"].split()[0])
    return row


def group(args: list[str]) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    name = "runs"
    for arg in args:
        if "=" in arg:
            name, arg = arg.split("=", 1)
        for part in filter(None, arg.split(",")):
            groups.setdefault(name, []).append(load_row(Path(part)))
    return groups


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    groups = group(argv)
    print(f"{'(medians)':<26}" + "".join(f"{name:>12}" for name in groups))
    for label, key, combine in FIGURES:
        cells = [combine(rows) if key is None else combine([r[key] for r in rows]) for rows in groups.values()]
        print(f"{label:<26}" + "".join(f"{c:>12.3g}" if isinstance(c, float) else f"{c:>12}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
