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


def _calls(case: str, paths: list[str]):
    """(label, call) pairs to measure, their inputs already built."""
    if case == "upload":
        for path in paths:
            with open(path, "rb") as f:
                data = f.read()
            yield path, lambda: load_sequence(data, path)
            del data
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
    """One JSON line a measured call: {"input", "increase_mb", "seconds", "outcome"}."""
    try:
        with open("/proc/self/clear_refs", "w"):
            reset = True
    except OSError:
        reset = False
    if len(paths) > 1:  # memory one call freed stays with the process and hides the next call's peak
        raise SystemExit("one input a process")
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
