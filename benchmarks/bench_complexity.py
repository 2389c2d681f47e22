"""Benchmark of the Complexity lesson: chunked attention against torch's SDPA, attend() against plain torch, slopes.

    .venv/bin/python benchmarks/bench_complexity.py [--repeats 5] [--quick] [--no-csv]

float32, d = 64, CPU, torch.set_num_threads(2) (the machine's cores) unless
--threads says otherwise.  Every target is a ratio against a reference
measured in the same run, with the two sides interleaved (round-robin) and
the median taken.  Targets (issue #12):

(a) n = 16384: chunked_attention's peak extra memory ≤ 1/8 of the n×n float32
    matrix (goal 1/16), measured as real peak RSS in a worker process; its
    time ≤ 1.5× torch.nn.functional.scaled_dot_product_attention on the same
    inputs (goal 1.2×).  Block sizes are tuned (the winner is printed), and
    each method's GFLOP/s is printed beside a plain matmul of the same FLOPs.
(b) attend(method="scaled_dot") at n = 4096 ≤ 1.1× plain torch that also
    materialises the weights (matmul, softmax, matmul).
(c) fitted log–log slopes of time: exact attention over n = 512 … 8192, the methods whose work grows
    like n (local, linear, Performer) over n = 512 … 65536, so their cost outweighs the fixed cost of a call
    on the upper sizes; each slope is fitted on the upper half of a method's sizes (attention_core.complexity.
    fit_sizes), each point the median of --repeats samples.  Targets: exact 2 ± 0.25; the others are
    printed as measured (about 1, or what they are).  At --csv-threads, 1 by default like the page:
    single-threaded runs do not stall on thread barriers when the machine is busy.

It also writes the page's reference results, reference.csv beside the Complexity page's script
(every method over its sizes above, measured by attention_core.complexity).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from attention_core.attend import attend  # noqa: E402
from attention_core.complexity import LINEAR_COST, METHODS, Job, about, loglog_slope, matrix_bytes, measure, to_csv  # noqa: E402
from attention_core.efficient import chunked_attention  # noqa: E402
from ui import layout  # noqa: E402

D = 64
CSV_PATH = ROOT / Path(layout.script("complexity")).parent / "reference.csv"  # beside the page (ui/layout.py PAGES)
CSV_NS = (512, 1024, 2048, 4096, 8192)  # exact attention: 8192 takes seconds a call
LINEAR_NS = CSV_NS + (16384, 32768, 65536)  # local, linear, Performer: milliseconds at 8192, so go 8× further


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(named: dict, repeats: int) -> dict[str, float]:
    """{name: median seconds} of the callables in ``named``, one warm-up each, then round-robin in rotating order."""
    for fn in named.values():
        fn()
    times = {name: [] for name in named}
    names = list(named)
    for r in range(repeats):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            times[name].append(timed(named[name]))
    return {name: statistics.median(ts) for name, ts in times.items()}


def inputs(n: int, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(n, D, generator=g) for _ in range(3)]


def sdpa(q, k, v):
    # on CPU only 4-D inputs take torch's flash kernel (2-D ones materialise the n×n matrix)
    return F.scaled_dot_product_attention(q[None, None], k[None, None], v[None, None])[0, 0]


def section_a(repeats: int, threads: int, quick: bool) -> None:
    n = 4096 if quick else 16384
    print(f"\n(a) n = {n}, d = {D}, float32, {threads} threads — load {load()}")
    q, k, v = inputs(n)
    flop = 4.0 * n * n * D
    side = round((flop / 2) ** (1 / 3))  # a square matmul of the same FLOPs: 2·side³ = 4·n²·d
    a, b = torch.randn(side, side), torch.randn(side, side)

    # tune the block sizes: one timing each (tiles around the size of one core's L2), then the best few interleaved
    candidates = [(128, 2048), (256, 1024), (512, 512), (512, 2048), (1024, 1024)]  # 1–8 MiB tiles: L2 … L3
    if quick:
        candidates = candidates[:3]
    chunked_attention(q, k, v, 256)
    first = {}
    for bk, bq in candidates:
        first[bk, bq] = timed(lambda: chunked_attention(q, k, v, bk, query_block_size=bq))
        print(f"    tune: block {bk:4d} keys × {bq:4d} queries  {first[bk, bq]:7.3f} s", flush=True)
    best = sorted(first, key=first.get)[:2]
    named = {"sdpa": lambda: sdpa(q, k, v), "matmul": lambda: a @ b}
    named |= {
        f"chunked {bk}×{bq}": (lambda bk=bk, bq=bq: chunked_attention(q, k, v, bk, query_block_size=bq))
        for bk, bq in best
    }
    med = interleaved(named, repeats)
    win = min(best, key=lambda c: med[f"chunked {c[0]}×{c[1]}"])
    t_chunked, t_sdpa, t_mm = med[f"chunked {win[0]}×{win[1]}"], med["sdpa"], med["matmul"]
    err = float((chunked_attention(q[:2048], k, v, win[0], query_block_size=win[1]) - sdpa(q[:2048], k, v)).abs().max())
    print(f"    winning block: {win[0]} keys × {win[1]} queries (max |chunked − sdpa| on 2048 rows = {err:.1e})")
    for name, s in (("matmul (same FLOPs)", t_mm), ("sdpa", t_sdpa), ("chunked", t_chunked)):
        print(f"    {name:20s} {s:7.3f} s   {flop / s / 1e9:6.1f} GFLOP/s   {t_mm / s:5.0%} of matmul")
    ratio = t_chunked / t_sdpa
    print(
        f"    time  chunked / sdpa = {ratio:.2f}×   target ≤ 1.5× {verdict(ratio <= 1.5)}   goal ≤ 1.2× {verdict(ratio <= 1.2)}"
    )

    mems = {
        m.method: m
        for m in measure(
            [
                Job("chunked", n, D, block_size=win[0], threads=threads, repeats=1),
                Job("sdpa", n, D, threads=threads, repeats=1),
            ]
        )
    }
    full = matrix_bytes(n)
    for name, m in mems.items():
        print(
            f"    peak extra memory {name:8s} {m.peak_bytes / 2**20:8.1f} MiB = 1/{full / max(m.peak_bytes, 1):.0f} of the n×n matrix ({full / 2**20:.0f} MiB)"
        )
    frac = mems["chunked"].peak_bytes / full
    print(
        f"    memory chunked / n×n = 1/{1 / max(frac, 1e-12):.0f}   target ≤ 1/8 {verdict(frac <= 1 / 8)}   goal ≤ 1/16 {verdict(frac <= 1 / 16)}"
    )
    print(f"    (chunked_attention's default query block for block {win[0]}: {2**18 // win[0]})")


def section_b(repeats: int) -> None:
    n = 4096
    print(f"\n(b) attend() vs plain torch at n = {n}, d = {D} — load {load()}")
    q, k, v = inputs(n)

    def plain():
        a = (q / math.sqrt(D)) @ k.T
        return torch.softmax(a, dim=-1) @ v

    med = interleaved({"attend": lambda: attend(q, k, v, method="scaled_dot"), "plain": plain}, max(repeats, 7))
    ratio = med["attend"] / med["plain"]
    print(
        f"    attend {med['attend'] * 1e3:7.1f} ms   plain {med['plain'] * 1e3:7.1f} ms   "
        f"ratio {ratio:.2f}×   target ≤ 1.1× {verdict(ratio <= 1.1)}"
    )


def sizes(method: str, quick: bool) -> tuple[int, ...]:
    ns = LINEAR_NS if method in LINEAR_COST else CSV_NS
    return ns[:3] if quick else ns


def section_c(repeats: int, threads: int, quick: bool) -> list:
    print(f"\n(c) every method, {threads} thread(s), median of {repeats} (the page's reference CSV) — load {load()}")
    # smallest n first and the methods interleaved, so a busy spell of the machine touches every method alike
    jobs = sorted(
        (Job(method, n, D, threads=threads, repeats=repeats) for method in METHODS for n in sizes(method, quick)),
        key=lambda job: (job.n, METHODS.index(job.method)),
    )
    results, start = [], time.monotonic()
    for m in measure(jobs):
        results.append(m)
        print(
            f"    {m.method:9s} n = {m.n:6d}  {m.seconds * 1e3:9.2f} ms  {m.peak_bytes / 2**20:8.1f} MiB  "
            f"{m.flops / m.seconds / 1e9:6.1f} GFLOP/s",
            flush=True,
        )
    print(f"    measured in {time.monotonic() - start:.0f} s")
    for method in METHODS:
        rows = sorted((m for m in results if m.method == method), key=lambda m: m.n)
        slope = loglog_slope([m.n for m in rows], [m.seconds for m in rows])
        mem = loglog_slope([m.n for m in rows], [max(m.peak_bytes, 1) for m in rows])
        below = f"(below: {slope.below:5.2f})" if slope.below is not None else ""
        check = f"target 2 ± 0.25 {verdict(about(slope.value) == 2)}" if method == "exact" else ""
        reads = f"about {about(slope.value)}" if about(slope.value) else "not a whole number"
        print(
            f"    slope {method:9s} time {slope.value:5.2f} on n ≥ {slope.n_from:5d} {below:14s} {reads:18s} "
            f"memory {mem.value:5.2f}   {check}"
        )
    return results


def thread_scaling(threads_max: int) -> None:
    n = 4096
    print(f"\n(d) thread scaling at n = {n}: 1 vs {threads_max} threads — load {load()}")
    for method in ("exact", "sdpa", "chunked"):
        got = {m.threads: m.seconds for m in measure(Job(method, n, D, threads=t, repeats=3) for t in (1, threads_max))}
        print(
            f"    {method:8s} 1 thread {got[1] * 1e3:7.1f} ms   {threads_max} threads {got[threads_max] * 1e3:7.1f} ms   "
            f"speed-up {got[1] / got[threads_max]:.2f}×"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="threads for (a), (b) and (d)")
    parser.add_argument(
        "--csv-threads",
        type=int,
        default=1,
        help="threads for (c), the page's reference (the page measures with 1 thread by default)",
    )
    parser.add_argument("--quick", action="store_true", help="small n, few candidates: a smoke run")
    parser.add_argument("--no-csv", action="store_true", help="do not rewrite the page's reference CSV")
    parser.add_argument("--only", choices=("a", "b", "c", "d"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {args.threads} threads, {os.cpu_count()} CPUs, load {load()}")
    if args.only in (None, "a"):
        section_a(args.repeats, args.threads, args.quick)
    if args.only in (None, "b"):
        section_b(args.repeats)
    if args.only in (None, "c"):
        results = section_c(args.repeats, args.csv_threads, args.quick)
        if not args.no_csv and not args.quick:
            CSV_PATH.parent.mkdir(parents=True, exist_ok=True)
            CSV_PATH.write_text(to_csv(results))
            print(f"    wrote {CSV_PATH.relative_to(ROOT)} ({len(results)} rows)")
    if args.only in (None, "d"):
        thread_scaling(args.threads)
    print(f"\nload at the end {load()}")


if __name__ == "__main__":
    main()
