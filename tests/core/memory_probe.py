"""Peak memory of one worst-case input, in a fresh child process (``python -m tests.core.memory_probe CASE [INPUT]``).

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

from attention_core.attend import attend
from attention_core.errors import InputError
from attention_core.scoring import ScoreParams
from attention_core.sequences import generate_sequence
from attention_core.text_parsing import parse_positions, parse_vectors
from attention_core.uploads import load_sequence


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


# The worst upload of each kind for each extension, each under the 50 MB upload cap:
# name → (bytes, a fragment of the sentence it gets, or "ok").  Built in the child
# (``memory_probe worst NAME``), so nothing is written to disk.
EMOJI = "🙂".encode()  # one astral character makes Python store every character of a str in 4 bytes
WORST_UPLOADS = {
    # one line of 16 M two-digit cells (48 MB): +1.19 GB as .txt (issue 24), +92 MB as .csv
    "line.txt": (lambda: b"12 " * 16_000_000, "over 1024 columns"),
    "line.csv": (lambda: b"12," * 16_000_000, "over 1024 columns"),
    "line.tsv": (lambda: b"12\t" * 16_000_000, "over 1024 columns"),
    # one cell of 48 M characters after an emoji: +935 MB as .txt
    "cell.txt": (lambda: b"1 " + EMOJI + b"a" * 48_000_000, "a cell is far too long"),
    "cell.csv": (lambda: b"1," + EMOJI + b"a" * 48_000_000, "a cell is far too long"),
    "cell.tsv": (lambda: b"1\t" + EMOJI + b"a" * 48_000_000, "a cell is far too long"),
    # a cell of 15 M numbers split by a second separator: +1.2 GB
    "mixed.txt": (lambda: b"1 2\n3 " + b"44," * 15_000_000 + b"4", "a cell is far too long"),
    # millions of tiny rows: +230 MB as .csv before the rows were counted in a regex scan
    "rows.csv": (lambda: b"1\n" * 24_000_000, "the limit is 4096"),
    "rows.tsv": (lambda: b"1\t2\n" * 12_000_000, "the limit is 4096"),
    "rows.txt": (lambda: b"1 2\n" * 12_000_000, "the limit is 4096"),
    # 12 million one-number rows: +1.2 GB and 24 s before the lists were counted
    "rows.json": (lambda: b"[" + b"[1]," * 11_999_999 + b"[1]]", "the limit is 4096"),
    # 48 million nested lists
    "deep.json": (lambda: b"[" * 48_000_000, "lists or objects; the limit is 4096"),
    # one row of 4.19 M numbers, under the count of all values: +177 MB
    "line.json": (lambda: b"[[" + b"1.5," * 4_190_000 + b"1.5]]", "A list in the JSON holds over 4,096 values"),
    # one string of 48 M characters after an emoji: +375 MB
    "cell.json": (lambda: b'[["' + EMOJI + b"a" * 48_000_000 + b'"]]', "not a number"),
    # a header claiming 100000 × 40000 float64 (32 GB) over 40 MB of data
    "claims.npy": (lambda: _npy_header((100_000, 40_000)) + b"\1" * 40_000_000, "the limit is 4096"),
    # a well-formed 5 million × 1 array, 40 MB
    "rows.npy": (lambda: _npy_header((5_000_000, 1)) + b"\0" * 40_000_000, "the limit is 4096"),
    # a version-2 header of 48 MB: +94 MB while numpy read it
    "header.npy": (
        lambda: b"\x93NUMPY\x02\x00" + (48_000_000).to_bytes(4, "little") + b" " * 48_000_000,
        "not a valid",
    ),
}


def _npy_header(shape) -> bytes:
    import io

    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "<f8", "fortran_order": False, "shape": shape})
    return buf.getvalue()


# Texts typed into a box or sent in a link, 48 MB each: name → (call on the text, the text's maker)
WORST_TEXTS = {
    "query-line": (lambda text: parse_vectors(text, 4, max_rows=16), lambda: "12 " * 16_000_000),  # +1.7 GB
    "query-rows": (lambda text: parse_vectors(text, 4, max_rows=16), lambda: "12\n" * 16_000_000),  # +1.2 GB
    "positions": (lambda text: parse_positions(text, 4096), lambda: "12," * 16_000_000),  # +1.1 GB, 33 s
}


def _calls(case: str, paths: list[str]):
    """(label, call) pairs to measure, their inputs already built."""
    if case == "upload":
        for path in paths:
            with open(path, "rb") as f:
                data = f.read()
            yield path, lambda: load_sequence(data, path)
            del data
    elif case == "worst":  # names of WORST_UPLOADS
        for name in paths:
            data = WORST_UPLOADS[name][0]()
            yield name, lambda: load_sequence(data, name)
            del data
    elif case == "text":  # names of WORST_TEXTS
        for name in paths:
            call, make = WORST_TEXTS[name]
            text = make()
            yield name, lambda: call(text)
            del text
    elif case == "additive":  # /query?kind=gaussian&n=4096&d=1024&method=additive with 16 queries
        x = generate_sequence("gaussian", 4096, 1024, seed=0).values  # [n, d]
        q = np.random.default_rng(0).normal(size=(16, 1024))  # [m, d]
        params = ScoreParams.random(1024, seed=0)
        yield case, lambda: attend(q, x, method="additive", params=params)
    elif case == "self_attention":  # /self-attention?n=2048&d_model=256&heads=16&mask=causal: the page's largest layer
        from attention_core.layer_summary import summarise

        x = generate_sequence("gaussian", 2048, 64, seed=0).values  # [n, d]
        allowed = np.tril(np.ones((2048, 2048), dtype=bool))
        summarise(x[:64], x[:64], 256, 16, 0, allowed[:64, :64], 1.0)  # a server has loaded and run torch already
        yield case, lambda: summarise(x, x, 256, 16, 0, allowed, 1.0)
    elif case == "image":  # a 25-megapixel PNG (the pixel cap) of each given mode, e.g. RGBA, I;16
        from attention_core.images import load_image

        for mode in paths:
            data = _big_png(mode)
            yield mode, lambda: load_image(data)
            del data
    else:
        raise SystemExit(f"unknown case {case}")


def _big_png(mode: str, side: int = 5000) -> bytes:
    """A smooth side × side PNG in ``mode`` (it compresses under the 50 MB upload cap)."""
    import io

    from PIL import Image

    x = np.arange(side, dtype=np.uint8)[None, :]  # uint8 arithmetic wraps: patterns mod 256
    y = np.arange(side, dtype=np.uint8)[:, None]
    bands = np.stack(np.broadcast_arrays(x * 7 + y, y * 3 + 0 * x, x ^ y, x + y), -1)  # [side, side, 4]
    if mode == "I;16":
        img = Image.fromarray(bands[..., 0].astype(np.uint16) * 257)
    else:
        img = Image.fromarray(bands[..., : len(mode)] if len(mode) > 1 else bands[..., 0], mode)
    del bands
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def main(case: str, *paths: str) -> None:
    """One JSON line a measured call: {"input", "increase_mb", "seconds", "cpu_seconds", "outcome"}."""
    try:
        with open("/proc/self/clear_refs", "w"):
            reset = True
    except OSError:
        reset = False
    if len(paths) > 1:  # memory one call freed stays with the process and hides the next call's peak
        raise SystemExit("one input a process")
    for label, run in _calls(case, list(paths)):
        base = _reset_peak()
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            run()
            outcome = "ok"
        except InputError as exc:
            outcome = str(exc)
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start  # what a loaded machine does not inflate
        increase_mb = (_peak(reset) - base) / 1024
        print(
            json.dumps(
                {
                    "input": label,
                    "increase_mb": round(increase_mb, 1),
                    "seconds": round(seconds, 2),
                    "cpu_seconds": round(cpu_seconds, 2),
                    "outcome": outcome,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
