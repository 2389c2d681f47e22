"""A page switch's first run: the server CPU it costs when another student already opened the same page.

    .venv/bin/python benchmarks/bench_page_switch.py                      # every lesson, this tree vs main
    .venv/bin/python benchmarks/bench_page_switch.py --reference HEAD~3 --pages query,seq2seq --repeats 5

Issue 23 item 3: results that many students ask for with the same inputs (the defaults, the presets) are
computed once per server, so a page switch's first run does no work the previous visitor already did.

For each tree (the reference commit, exported with ``git archive`` to a temporary folder, and this working
tree), one fresh Python process per tree: for every lesson, a first visitor opens it (the home page, then a
switch to the lesson: AppTest, as the tests do) — that run fills the server's caches — then ``--repeats``
further visitors do the same, and the CPU seconds of each one's switch run (``time.process_time``: every
thread of the process) are taken; the median is printed, with the first visitor's, and the ratio of this
tree's median to the reference's (< 1: cheaper now).  AppTest's own work is in both trees alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(root: Path, pages: list[str], repeats: int) -> dict[str, dict[str, float]]:
    """{url_path: {first, median}} CPU seconds of a lesson's first run in a fresh session, in this process."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    from streamlit.testing.v1 import AppTest

    from ui import layout

    out = {}
    for spec in layout.lessons():
        if pages and spec["url_path"] not in pages:
            continue
        cpu = []
        for _ in range(repeats + 1):
            at = AppTest.from_file(str(root / "app.py"), default_timeout=300)
            at.run()
            at.switch_page(spec["page"])
            start = time.process_time()
            at.run()
            cpu.append(time.process_time() - start)
            if at.exception:
                raise SystemExit(f"{spec['url_path']}: {at.exception[0].value}")
        out[spec["url_path"]] = {"first": cpu[0], "median": statistics.median(cpu[1:])}
    return out


def run_tree(root: Path, pages: list[str], repeats: int) -> dict[str, dict[str, float]]:
    """``measure`` in a fresh process of the tree at ``root`` (its own imports and caches)."""
    args = [sys.executable, str(Path(__file__).resolve()), "--measure", str(root), "--repeats", str(repeats)]
    args += ["--pages", ",".join(pages)] if pages else []
    done = subprocess.run(args, capture_output=True, text=True, cwd=root, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{root}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def export(ref: str, into: Path) -> Path:
    """The tree of commit ``ref``, written to ``into`` (models included: they are in git)."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", default="main", help="the commit to compare with (default: main)")
    parser.add_argument("--pages", default="", help="url paths, comma-separated (default: every lesson)")
    parser.add_argument("--repeats", type=int, default=3, help="visitors after the first, a lesson")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: measure the tree at this path
    args = parser.parse_args()
    pages = [p for p in args.pages.split(",") if p]
    if args.measure:
        print(json.dumps(measure(Path(args.measure), pages, args.repeats)))
        return
    with tempfile.TemporaryDirectory(prefix="bench_switch_") as tmp:
        before = run_tree(export(args.reference, Path(tmp)), pages, args.repeats)
        after = run_tree(ROOT, pages, args.repeats)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (a busy machine blurs small numbers)")
    print(f"{'lesson':<12} {'first visit':>24} {'a later visitor (median)':>34}")
    print(
        f"{'':<12} {args.reference + ' ms':>11} {'now ms':>8} {'':>3} {args.reference + ' ms':>11} {'now ms':>8} ratio"
    )
    for page, now in after.items():
        ref = before.get(page)
        if ref is None:
            print(f"{page:<12} (not in {args.reference})")
            continue
        ratio = now["median"] / ref["median"] if ref["median"] else float("nan")
        print(
            f"{page:<12} {ref['first'] * 1e3:11.0f} {now['first'] * 1e3:8.0f} {'':>3} "
            f"{ref['median'] * 1e3:11.0f} {now['median'] * 1e3:8.0f} {ratio:5.2f}"
        )


if __name__ == "__main__":
    main()
