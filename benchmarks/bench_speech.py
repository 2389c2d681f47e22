"""The Speech page's cost: one clip to transcript plus every attention, and a class pressing record at once.

    .venv/bin/python benchmarks/bench_speech.py            # the 5-s clip on one core, then 40 clips on 2 processes
    .venv/bin/python benchmarks/bench_speech.py --class-clips 0   # the timing only

1. One core (torch.set_num_threads(1)): the median of ``--repeats`` runs of ``transcribe`` on a 5-s clip (the
   bundled "attention" sentence padded with silence to 5 s): encoder over the clip's frames, language, greedy
   decoding, the teacher-forced pass with every attention. Printed against the model's bare forward pass in the
   same run: the 30-s window's encoder and one decoder pass over the same tokens (what openai/whisper computes),
   and against the same transcription over the whole window. The process's RSS after loading the model.
2. A class: ``--class-clips`` clips submitted at the same instant to ``--procs`` worker processes (as the class
   recipe's nginx spreads sessions over Streamlit processes), each with one model and the page's ``Line``
   (one transcription at a time); every clip waits for its turn. Printed: how many were served (none may be
   lost), the last one's wait, and, in each process, the p95 latency of another page's work during the load
   (the Query page's attention over n = 512, d = 64, every 0.2 s) against the same with no load.
A benchmark, not a test: it prints and exits 0.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def five_second_clip() -> np.ndarray:
    from attention_core.speech.audio import decode_audio

    samples = decode_audio((ROOT / "assets" / "speech" / "attention.wav").read_bytes()).samples
    return np.concatenate([samples, np.zeros(5 * 16_000 - len(samples), np.float32)])


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def median_seconds(call, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_forward(whisper, samples: np.ndarray, tokens: tuple[int, ...]) -> None:
    """The model alone: the 30-s window's encoder and one decoder pass over the tokens, no attentions kept."""
    import torch

    from attention_core.speech.audio import log_mel

    with torch.inference_mode():
        features = torch.from_numpy(log_mel(samples))[None]
        whisper.model(input_features=features, decoder_input_ids=torch.tensor([tokens]))


def timing(repeats: int) -> None:
    import torch

    from attention_core.speech.model import load_whisper
    from attention_core.speech.transcribe import transcribe

    torch.set_num_threads(1)
    start = time.perf_counter()
    whisper = load_whisper()
    print(f"model loaded in {time.perf_counter() - start:.1f} s; process RSS after loading: {rss_mb():.0f} MB")
    samples = five_second_clip()
    heard = transcribe(whisper, samples)  # warm-up, and the tokens for the bare pass
    print(f"5-s clip heard as: {heard.text!r} ({len(heard.text_tokens)} tokens)")
    ours = median_seconds(lambda: transcribe(whisper, samples), repeats)
    window = median_seconds(lambda: transcribe(whisper, samples, whole_window=True), repeats)
    bare = median_seconds(lambda: bare_forward(whisper, samples, heard.tokens), repeats)
    print(f"one core, median of {repeats}:")
    print(f"  transcript + every attention (the page, clip's own frames): {ours:6.2f} s   (budget 2 s)")
    print(f"  the same over the whole 30-s window:                         {window:6.2f} s")
    print(f"  the bare forward pass (30-s encoder + one decoder pass):     {bare:6.2f} s")
    print(f"  page / bare forward: {ours / bare:.2f}×")


def worker(clips: int, start_at: float, results, procs_index: int) -> None:
    """One server process: a model, the page's Line, ``clips`` students pressing record at ``start_at``."""
    import torch

    from attention_core.attend import attend
    from attention_core.speech.model import load_whisper
    from attention_core.speech.transcribe import transcribe
    from attention_core.work_line import Line

    torch.set_num_threads(1)
    whisper, line, samples = load_whisper(), Line(1), five_second_clip()
    rng = np.random.default_rng(procs_index)
    x, q = torch.tensor(rng.normal(size=(512, 64)), dtype=torch.float32), torch.randn(64)

    def other_page(until: float, out: list) -> None:
        while time.time() < until:
            begin = time.perf_counter()
            attend(q, x, method="scaled_dot")
            out.append(time.perf_counter() - begin)
            time.sleep(0.2)

    quiet: list[float] = []
    other_page(time.time() + 3, quiet)
    served, waits = [], []

    def student(i: int) -> None:
        pressed = time.time()
        with line.turn():
            waits.append(time.time() - pressed)
            served.append(len(transcribe(whisper, samples).text_tokens) > 0)

    while time.time() < start_at:
        time.sleep(0.01)
    students = [threading.Thread(target=student, args=(i,)) for i in range(clips)]
    loaded: list[float] = []
    began = time.time()
    for thread in students:
        thread.start()
    watcher_stop = [False]

    def watch() -> None:
        while not watcher_stop[0]:
            begin = time.perf_counter()
            attend(q, x, method="scaled_dot")
            loaded.append(time.perf_counter() - begin)
            time.sleep(0.2)

    watcher = threading.Thread(target=watch)
    watcher.start()
    for thread in students:
        thread.join()
    watcher_stop[0] = True
    watcher.join()
    results.put(
        dict(
            served=sum(served),
            last_wait=max(waits),
            seconds=time.time() - began,
            p95_quiet=float(np.percentile(quiet, 95)),
            p95_loaded=float(np.percentile(loaded, 95)),
        )
    )


def a_class(clips: int, procs: int) -> None:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.time() + 60  # every process has loaded its model by then
    shares = [clips // procs + (i < clips % procs) for i in range(procs)]
    workers = [context.Process(target=worker, args=(n, start_at, results, i)) for i, n in enumerate(shares)]
    for process in workers:
        process.start()
    found = [results.get(timeout=900) for _ in workers]
    for process in workers:
        process.join()
    served = sum(r["served"] for r in found)
    print(f"{clips} clips pressed at once on {procs} processes (one transcription at a time each):")
    print(f"  served {served} of {clips}, lost {clips - served}")
    print(f"  the last one waited {max(r['last_wait'] for r in found):.1f} s in line before its turn")
    for i, r in enumerate(found):
        print(
            f"  process {i + 1}: {r['served']} clips in {r['seconds']:.1f} s; another page's work p95 "
            f"{1000 * r['p95_loaded']:.1f} ms during the load vs {1000 * r['p95_quiet']:.1f} ms quiet"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--class-clips", type=int, default=40)
    parser.add_argument("--procs", type=int, default=2)
    args = parser.parse_args()
    timing(args.repeats)
    if args.class_clips:
        a_class(args.class_clips, args.procs)


if __name__ == "__main__":
    main()
