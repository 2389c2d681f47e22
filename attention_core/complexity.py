"""Measuring what attention costs: time and real peak memory per method and n, FLOPs, log–log slopes.

Each measurement runs in a worker process (``python -m attention_core.complexity``)
so its memory is its own: the worker allocates the inputs, resets the
kernel's peak-RSS counter (``/proc/self/clear_refs``), runs the method once
and reads the peak (``VmHWM``) back; the extra memory is that peak minus the
resident size just before the call.  Large blocks are mmapped by malloc in
the worker (``MALLOC_MMAP_THRESHOLD_``), so freed memory really leaves and
the next measurement starts clean.  Where the counter cannot be reset (not
Linux), each measurement gets a fresh worker and ``ru_maxrss``.

Jobs and results cross the pipe as JSON lines; nothing is pickled.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .attend import attend
from .efficient import (
    chunked_attention,
    chunked_weights,
    linear_attention,
    linear_weights,
    local_attention,
    local_mask,
    performer_attention,
    performer_weights,
)

METHODS = ("exact", "sdpa", "chunked", "local", "linear", "performer")
QUADRATIC = ("exact", "sdpa", "chunked")  # exact attention: n² work whatever the memory
LINEAR_COST = ("local", "linear", "performer")  # n work: cheap enough to measure much further in n
MIN_FIT_SIZES = 3  # a slope is fitted on at least this many sizes (all of them when there are fewer)
SLOPE_TOLERANCE = 0.25  # a fitted slope this close to a whole number k reads "about k"
MIN_SAMPLE_SECONDS = 0.01  # one timing sample lasts at least this long (the CPU clock counts in ns)
ROOT = Path(__file__).resolve().parent.parent  # where ``python -m attention_core.complexity`` finds the package


@dataclass(frozen=True)
class Job:
    """One measurement: ``method`` on n queries × n keys of dimension d (float32, seeded Gaussian)."""

    method: str
    n: int
    d: int = 64
    block_size: int = 256
    window: int = 64
    num_features: int = 256
    threads: int = 1
    repeats: int = 5  # timing samples; their median is the result, so one noisy sample does not move a slope
    seed: int = 0


@dataclass(frozen=True)
class Measurement:
    """What one job cost: the median time of ``repeats`` calls, and the peak extra memory of one call."""

    method: str
    n: int
    d: int
    block_size: int
    window: int
    num_features: int
    threads: int
    seconds: float
    peak_bytes: int
    flops: float


def matrix_bytes(n: int) -> int:
    """The n × n float32 matrix plain attention materialises (scores or weights): 4 n² bytes."""
    return 4 * n * n


def flops(method: str, n: int, d: int = 64, window: int = 64, num_features: int = 256) -> float:
    """Multiply–adds × 2 of the matrix products (softmax and feature maps' exps not counted).

    Exact attention: QKᵀ and WV, 2·n²·d each.  Local: the same over the 2w + 1
    keys of each window.  Linear (r = d features) and Performer (r features):
    φ(K)ᵀV, φ(Q)(φ(K)ᵀV), and for the Performer the projections ωx of Q and K.
    """
    if method in QUADRATIC:
        return 4.0 * n * n * d
    if method == "local":
        return 4.0 * n * min(2 * window + 1, n) * d
    if method == "linear":
        return 4.0 * n * d * d
    if method == "performer":
        return 8.0 * n * num_features * d
    raise ValueError(f"unknown method {method!r}")


def fit_slope(n, values) -> tuple[float, float]:
    """Least squares on (log n, log value): value ≈ e^b · n^slope; returns (slope, b).

    A slope of 2 means doubling n quadruples the cost (O(n²)); 1 means O(n).
    """
    x, y = np.log(np.asarray(n, dtype=float)), np.log(np.asarray(values, dtype=float))
    slope, intercept = np.polyfit(x, y, 1)
    return float(slope), float(intercept)


def fit_sizes(n) -> np.ndarray:
    """Which sizes a slope is fitted on (bool ``[k]``): the upper half of the range in log n, at least MIN_FIT_SIZES.

    At small n the fixed cost of a call (Python, dispatch into torch,
    allocations) weighs as much as the work and flattens the line; the slope
    is the exponent of the work, so it is read where the work dominates: the
    largest sizes measured.
    """
    log_n = np.log2(np.asarray(n, dtype=float))
    chosen = log_n >= (log_n.min() + log_n.max()) / 2
    if chosen.sum() < MIN_FIT_SIZES:
        chosen = log_n >= np.sort(log_n)[-min(MIN_FIT_SIZES, len(log_n))]
    return chosen


@dataclass(frozen=True)
class Slope:
    """A log–log slope fitted on the upper sizes (``fit_sizes``): ``value`` from ``n_from`` on; ``below``: the
    slope of the sizes up to ``n_from`` (None when fewer than two lie there)."""

    value: float
    n_from: int
    below: float | None


def loglog_slope(n, values) -> Slope | None:
    """The slope of ``values`` against ``n`` where the work dominates, and the slope below (None below two sizes)."""
    n, values = np.asarray(n, dtype=float), np.asarray(values, dtype=float)
    if len(np.unique(n)) < 2:
        return None
    chosen = fit_sizes(n)
    n_from = float(n[chosen].min())
    lower = n <= n_from
    below = fit_slope(n[lower], values[lower])[0] if len(np.unique(n[lower])) >= 2 and not chosen.all() else None
    return Slope(fit_slope(n[chosen], values[chosen])[0], int(n_from), below)


@dataclass(frozen=True)
class Line:
    """One method's measurements against n (sorted by n) on a log–log chart, and its slope (None below two sizes)."""

    method: str
    n: np.ndarray  # [k]
    y: np.ndarray  # [k], at least 1e-12: a log axis has no 0
    fitted: np.ndarray  # bool [k]: the sizes the slope is fitted on
    slope: Slope | None


def loglog_lines(measurements, methods, value) -> list[Line]:
    """One line per method of ``methods`` that has measurements: ``value(m)`` against n, and its fitted slope."""
    out = []
    for method in methods:
        rows = sorted((m for m in measurements if m.method == method), key=lambda m: m.n)
        if not rows:
            continue
        n = np.array([m.n for m in rows])
        y = np.array([max(float(value(m)), 1e-12) for m in rows])
        slope = loglog_slope(n, y)
        out.append(Line(method, n, y, fit_sizes(n) if slope else np.ones(len(n), bool), slope))
    return out


def about(slope: float) -> int | None:
    """The whole number k the slope reads as "about k" (within SLOPE_TOLERANCE), or None: then say the slope itself."""
    k = round(slope)
    return int(k) if abs(slope - k) <= SLOPE_TOLERANCE else None


def flops_order(method: str) -> int:
    """The exponent of n in the method's FLOPs at large n: 2 for exact attention, 1 for the rest."""
    return 2 if method in QUADRATIC else 1


def largest_common_n(measurements) -> int | None:
    """The largest n every method in ``measurements`` was measured at (where a bar chart compares them all)."""
    sizes = [{m.n for m in measurements if m.method == method} for method in {m.method for m in measurements}]
    common = set.intersection(*sizes) if sizes else set()
    return max(common) if common else None


def run_method(job: Job, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """The output of ``job.method`` on q, k, v ``[n, d]``."""
    if job.method == "exact":  # the product's own attend(): keeps the n×n scores and weights
        return attend(q, k, v, method="scaled_dot").output
    if job.method == "sdpa":  # torch's fused kernel, the reference; on CPU only 4-D inputs take the flash path
        return F.scaled_dot_product_attention(q[None, None], k[None, None], v[None, None])[0, 0]
    if job.method == "chunked":
        return chunked_attention(q, k, v, block_size=job.block_size)
    if job.method == "local":
        return local_attention(q, k, v, window=job.window)
    if job.method == "linear":
        return linear_attention(q, k, v)
    if job.method == "performer":
        return performer_attention(q, k, v, num_features=job.num_features, seed=job.seed)
    raise ValueError(f"unknown method {job.method!r}")


def random_qkv(n: int, d: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """q, k, v ``[n, d]`` each, standard normal, drawn in that order from one generator seeded ``seed``."""
    generator = torch.Generator().manual_seed(int(seed))
    return tuple(torch.randn(n, d, generator=generator) for _ in range(3))


@dataclass(frozen=True)
class Errors:
    """How far an approximation's output (and its implied weights) lie from exact attention."""

    max_output: float
    mean_output: float
    max_weights: float
    mean_weights: float


def errors_vs_exact(
    method: str, query, keys, values, window: int = 64, num_features: int = 256, seed: int = 0
) -> Errors:
    """|approximate − exact| of the outputs ``[m, d_v]`` and the weights ``[m, n]`` (max and mean).

    For small n only: the exact weights are materialised.  ``method`` is
    "local", "linear" or "performer".
    """
    exact = attend(query, keys, values, method="scaled_dot")
    if method == "local":
        mask = local_mask(exact.weights.shape[-2], exact.weights.shape[-1], window)
        approx = attend(query, keys, values, method="scaled_dot", mask=mask)
        output, weights = local_attention(query, keys, values, window), approx.weights
    elif method == "linear":
        output, weights = linear_attention(query, keys, values), linear_weights(query, keys)
    elif method == "performer":
        output = performer_attention(query, keys, values, num_features, seed)
        weights = performer_weights(query, keys, num_features, seed)
    else:
        raise ValueError(f"no approximation called {method!r}")
    out_diff = (output - exact.output).abs()
    w_diff = (weights - exact.weights).abs()
    return Errors(float(out_diff.max()), float(out_diff.mean()), float(w_diff.max()), float(w_diff.mean()))


def implied_weights(
    method: str, query, keys, block_size: int = 256, window: int = 64, num_features: int = 256, seed: int = 0
) -> torch.Tensor:
    """The weights ``[m, n]`` a method gives query ``[m, d]`` over keys ``[n, d]`` (small n only: the matrix is built).

    "exact" is softmax(qᵀk/√d); "chunked" the same computed block by block; "local" sees |i − j| ≤ window;
    "linear" and "performer" are the weights their feature maps imply.
    """
    if method == "exact":
        return attend(query, keys, method="scaled_dot").weights
    if method == "chunked":
        return chunked_weights(query, keys, block_size)
    if method == "local":
        m, n = len(query), len(keys)
        return attend(query, keys, method="scaled_dot", mask=local_mask(m, n, window)).weights
    if method == "linear":
        return linear_weights(query, keys)
    if method == "performer":
        return performer_weights(query, keys, num_features, seed)
    raise ValueError(f"unknown method {method!r}")


def run_plan(methods, sizes, linear_max_n: int, **job) -> list[Job]:
    """The jobs of one run: every method at each of ``sizes``; those whose work grows like n (LINEAR_COST) also at
    every doubling of the largest size on to ``linear_max_n``, where their slope shows.

    Smallest n first: a run stopped by a time budget still has whole sizes.  ``job``: the Job's other fields.
    """
    sizes = sorted(sizes)
    longer = list(sizes)
    while longer and longer[-1] < linear_max_n:
        longer.append(longer[-1] * 2)
    sizes_of = {method: longer if method in LINEAR_COST else sizes for method in methods}
    every_n = sorted({n for method in methods for n in sizes_of[method]})
    return [Job(method, n, **job) for n in every_n for method in methods if n in sizes_of[method]]


def error_sweep(query, keys, values, windows, features, seed: int = 0) -> dict[str, dict[str, np.ndarray]]:
    """How far each approximation lies from exact attention as its knob grows (small n only: the weights are built).

    {"local": one row per window, "performer": one per feature count, "linear": one row} of
    {"max_output", "mean_output", "max_weights", "mean_weights": ``[k]``} (the fields of ``Errors``).
    """

    def as_arrays(errors: list[Errors]) -> dict[str, np.ndarray]:
        return {f.name: np.array([getattr(e, f.name) for e in errors]) for f in fields(Errors)}

    q, k, v = query, keys, values
    return {
        "local": as_arrays([errors_vs_exact("local", q, k, v, window=w) for w in windows]),
        "performer": as_arrays([errors_vs_exact("performer", q, k, v, num_features=r, seed=seed) for r in features]),
        "linear": as_arrays([errors_vs_exact("linear", q, k, v)]),
    }


# ---------------------------------------------------------------- the worker's side


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        return int(re.search(rf"^{field}:\s+(\d+)", f.read(), re.MULTILINE).group(1))


def _reset_peak() -> bool:
    """Reset this process's peak RSS to its current RSS (Linux ≥ 4.0); False where it cannot."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _trim() -> None:
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)  # hand freed heap pages back, so RSS is what is alive
    except (OSError, AttributeError):
        pass


def peak_extra_bytes(call) -> int:
    """Bytes the process's resident size rose above its level before ``call()`` at its peak."""
    _trim()
    if _reset_peak():
        before = _status_kb("VmRSS")
        call()
        return max(0, _status_kb("VmHWM") - before) * 1024
    # no resettable counter: ru_maxrss is the peak since the (fresh) worker started
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    call()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(0, peak - before) * (1 if sys.platform == "darwin" else 1024)


def cost_clock(threads: int):
    """The clock a call is timed with: with one thread, the CPU time this process used; with more, the wall clock.

    On a shared server other processes take the cores in turns: the wall
    clock counts the time a call waited for a core, the process's CPU time
    does not, so one thread's measurement stays what the call costs.  With
    several threads the CPU time adds up every thread's, so the wall clock is
    what says how much a second core buys.
    """
    return time.process_time if threads == 1 else time.perf_counter


def measure_here(job: Job) -> Measurement:
    """Measure ``job`` in this process: a warm-up at small n, one call for the memory, then ``repeats`` timed samples (median)."""
    torch.set_num_threads(job.threads)
    generator = torch.Generator().manual_seed(job.seed)
    warm = [torch.randn(64, job.d, generator=generator) for _ in range(3)]
    run_method(job, *warm)  # loads the kernels once, outside the measurement
    q, k, v = (torch.randn(job.n, job.d, generator=generator) for _ in range(3))
    peak = peak_extra_bytes(lambda: run_method(job, q, k, v))  # also the warm-up at size n
    clock = cost_clock(job.threads)
    start = clock()
    run_method(job, q, k, v)
    first = clock() - start
    calls = max(1, int(MIN_SAMPLE_SECONDS / max(first, 1e-9)))  # a fast call is timed in a loop: clock noise is µs
    times = [first] if calls == 1 else []
    for _ in range(max(1, job.repeats) - len(times)):
        start = clock()
        for _ in range(calls):
            run_method(job, q, k, v)
        times.append((clock() - start) / calls)
    return Measurement(
        job.method,
        job.n,
        job.d,
        job.block_size,
        job.window,
        job.num_features,
        job.threads,
        statistics.median(times),
        peak,
        flops(job.method, job.n, job.d, job.window, job.num_features),
    )


def _worker() -> None:
    """Read one JSON list of jobs from stdin; write one JSON line per measurement to stdout."""
    jobs = [Job(**spec) for spec in json.loads(sys.stdin.read())]
    for job in jobs:
        print(json.dumps(asdict(measure_here(job))), flush=True)


# ---------------------------------------------------------------- the caller's side


def _spawn(jobs: list[Job]) -> subprocess.Popen:
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="65536", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "attention_core.complexity"],
        cwd=ROOT,
        env=env,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdin.write(json.dumps([asdict(job) for job in jobs]))
    proc.stdin.close()
    return proc


def _results(proc: subprocess.Popen) -> Iterator[Measurement]:
    try:
        for line in proc.stdout:
            yield Measurement(**json.loads(line))
        if proc.wait() != 0:
            raise RuntimeError(f"the measuring process failed: {proc.stderr.read()[-2000:]}")
    finally:  # also when the caller stops early: no worker is left running
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def measure(jobs: Iterable[Job]) -> Iterator[Measurement]:
    """Measure ``jobs`` in a worker process, yielding each result as soon as it is known (for a progress bar)."""
    jobs = list(jobs)
    if _reset_peak():  # one worker for all: its peak counter is reset before each job
        yield from _results(_spawn(jobs))
    else:
        for job in jobs:
            yield from _results(_spawn([job]))


def thread_scaling(method: str, n: int, **job) -> dict[int, float]:
    """{threads: seconds} at 1 and 2 threads: how much the second core buys."""
    return {m.threads: m.seconds for m in measure(Job(method, n, threads=threads, **job) for threads in (1, 2))}


# ---------------------------------------------------------------- CSV (the page's reference results)


def to_csv(measurements: Iterable[Measurement]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, [f.name for f in fields(Measurement)], lineterminator="\n")
    writer.writeheader()
    for m in measurements:
        writer.writerow(asdict(m) | {"seconds": f"{m.seconds:.6g}", "flops": f"{m.flops:.6g}"})
    return out.getvalue()


def from_csv(text: str) -> list[Measurement]:
    types = {f.name: f.type for f in fields(Measurement)}
    convert = {"str": str, "int": int, "float": float}
    return [
        Measurement(**{name: convert[types[name]](value) for name, value in row.items()})
        for row in csv.DictReader(io.StringIO(text))
    ]


if __name__ == "__main__":
    _worker()
