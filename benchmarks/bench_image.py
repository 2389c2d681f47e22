"""Benchmark of the Image-attention page: rerun time for a 256×256 image with 16-px regions, and one model forward.

    .venv/bin/python benchmarks/bench_image.py [--repeats 9]

Printed against a reference measured in the same run — an (almost) empty
Streamlit script run the same way — so a busy machine shows up in both.
Budgets (issue #10):

- a rerun of the page (256×256 sample, 16-px regions → 16 × 16 = 256 regions):
  median ≤ 300 ms, for each view, and when a new query region is chosen;
- the model's forward pass on one image (resize to 64 px, CNN, attention
  pooling, classifier; ``attention_core.predict``): median ≤ 50 ms.

Scripts are run with ``streamlit.testing.v1.AppTest`` (no browser, no network).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from ui import layout  # noqa: E402

PAGE = layout.script("image")  # the page, found through the registry (ui/layout.py PAGES)
RERUN_BUDGET_S = 0.300
FORWARD_BUDGET_S = 0.050
EMPTY_SCRIPT = "import streamlit as st\nst.write('reference')\n"


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def open_page(settings: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    for name, value in settings.items():
        at.query_params[name] = str(value)
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    k = args.repeats
    logging.disable(logging.WARNING)  # AppTest's bare mode warns at every widget change
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    ref = AppTest.from_string(EMPTY_SCRIPT, default_timeout=60)
    ref.run()
    ref_s = statistics.median(timed(ref.run) for _ in range(max(k, 31)))
    print(f"reference (empty script): rerun median {ref_s * 1e3:7.1f} ms")

    ok = True
    rows = []
    for view, features in (("learned", None), ("own", "pixels"), ("own", "descriptor"), ("own", "cnn"), ("move", None)):
        settings = dict(sample="crowded", view=view, patch=16) | ({"features": features} if features else {})
        at = open_page(settings)
        plain = statistics.median(timed(at.run) for _ in range(k))
        label = view + (f" ({features})" if features else "")
        rows.append((label + ", nothing changed", plain))
        if view == "own":
            cells = iter([(r % 16) + 1 for r in range(1, 1000)])
            change = statistics.median(
                timed(lambda: at.number_input(key="w.image.row").set_value(next(cells)).run()) for _ in range(k)
            )
            assert not at.exception, [e.value for e in at.exception]
            rows.append((label + ", new query region", change))
    print("page rerun (256×256 sample, 16-px regions = 256 regions):")
    for label, seconds in rows:
        good = seconds <= RERUN_BUDGET_S
        ok &= good
        print(
            f"  {label:38s} median {seconds * 1e3:7.1f} ms = {seconds / ref_s:6.1f} × reference  "
            f"{'OK' if good else 'OVER'} (budget {RERUN_BUDGET_S * 1e3:.0f} ms)"
        )

    import torch

    from attention_core import scenes
    from attention_core.image_model import load_image_model, predict

    model = load_image_model()
    images = [scenes.render(scenes.make_spec(s), 256).image for s in range(k + 3)]
    for image in images[:3]:  # warm-up
        predict(model, image)
    forward = statistics.median(timed(lambda im=im: predict(model, im)) for im in images[3:])
    good = forward <= FORWARD_BUDGET_S
    ok &= good
    print(
        f"model forward on one 256×256 image (torch threads {torch.get_num_threads()}): "
        f"median {forward * 1e3:6.1f} ms = {forward / ref_s:5.1f} × reference  "
        f"{'OK' if good else 'OVER'} (budget {FORWARD_BUDGET_S * 1e3:.0f} ms)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
