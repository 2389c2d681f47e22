"""Timings of the Transformer-model page: model load, a 64-token forward pass, reruns on layer / head switches.

Run:  .venv/bin/python benchmarks/bench_transformer.py [--repeats 15]

Budgets (issue #4): after the first load, switching layer or head reruns the
page in ≤ 300 ms (median); a 64-token forward pass takes ≤ 1 s.  Absolute
times depend on the machine, so every time is also printed as a ratio to a
reference measured in the same run: the rerun of an empty Streamlit script
(AppTest), and, for the forward pass, a 64×384 @ 384×384 float32 matmul.
Page reruns are measured with streamlit.testing's AppTest: the script run
and its element tree, without the browser's drawing.  ``--browser`` adds the
whole round trip in headless Chromium (needs playwright and /usr/bin/chromium),
with the home page's slider as that measurement's reference.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the bundled model only: never the network

from ui import layout  # noqa: E402

RERUN_BUDGET = 0.300  # s, median
FORWARD_BUDGET = 1.0  # s, median
TEXT_64 = " ".join(["word"] * 62)  # + [CLS] + [SEP] = 64 tokens


def picker(at, key: str):
    """The selectbox whose key is ``key`` plus the fingerprint of its option labels (settings.labels_tag)."""
    return next(w for w in at.selectbox if w.key == key or (w.key or "").startswith(key + "."))


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold_load() -> dict[str, float]:
    """A fresh interpreter: import transformers, then load the bundled model (what a new server pays once)."""
    code = (
        "import time, json; t0 = time.perf_counter(); import attention_core.attend; t1 = time.perf_counter();"
        "import transformers; t2 = time.perf_counter();"
        "from attention_core.model_attention import load_model; load_model(); t3 = time.perf_counter();"
        "print(json.dumps({'import attention_core (torch)': t1 - t0, 'import transformers (lazy)': t2 - t1,"
        " 'load_model() (+ BERT modules)': t3 - t2, 'total': t3 - t0}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--no-bytes", action="store_true", help="skip the bytes-per-change measurement (a real server)")
    parser.add_argument(
        "--browser",
        action="store_true",
        help="also time click → rerun → charts drawn in headless Chromium against a real `streamlit run`",
    )
    args = parser.parse_args()
    r = args.repeats

    import torch
    from streamlit.testing.v1 import AppTest

    from attention_core.model_attention import load_model, model_attention

    print(
        f"python {sys.version.split()[0]}, torch {torch.__version__}, threads {torch.get_num_threads()}, "
        f"cpus {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}"
    )

    # ---- references, measured now, on this machine
    empty = AppTest.from_string("", default_timeout=60)
    empty.run()
    t_empty = median_time(empty.run, r)
    a, b = torch.randn(64, 384), torch.randn(384, 384)
    t_matmul = median_time(lambda: [a @ b for _ in range(100)], r) / 100
    print(f"\nreference: empty Streamlit script rerun  {t_empty * 1000:8.1f} ms")
    print(f"reference: 64×384 @ 384×384 matmul       {t_matmul * 1e6:8.1f} µs")

    # ---- model load
    print("\nmodel load (fresh interpreter, once per server):")
    cold = cold_load()
    for name, seconds in cold.items():
        print(f"  {name:32s} {seconds:6.2f} s   ({seconds / t_empty:7.0f}× empty rerun)")
    load_model()  # this process: import the model code once
    start = time.perf_counter()
    model = load_model()
    t_warm = time.perf_counter() - start
    print(f"  {'load_model() again (warm)':32s} {t_warm:6.2f} s   ({t_warm / t_empty:7.0f}× empty rerun)")

    # ---- forward pass
    assert model_attention(model, TEXT_64).num_tokens == 64
    print()
    threads = torch.get_num_threads()
    # On a busy machine torch's intra-op threads wait for each other: one thread is often faster and steadier.
    for n_threads in sorted({threads, 1}, reverse=True):
        torch.set_num_threads(n_threads)
        t_forward = median_time(lambda: model_attention(model, TEXT_64), r)
        ok = "ok" if t_forward <= FORWARD_BUDGET else "OVER BUDGET"
        print(
            f"64-token forward pass, {n_threads} torch thread(s)  {t_forward * 1000:8.1f} ms  median of {r}  "
            f"({t_forward / t_matmul:6.0f}× matmul, {t_forward / t_empty:5.1f}× empty rerun)  "
            f"budget {FORWARD_BUDGET * 1000:.0f} ms: {ok}"
        )
    torch.set_num_threads(threads)

    # ---- the page: first run, then layer / head switches in each view
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(layout.script("model"))  # the page, found through the registry (ui/layout.py PAGES)
    start = time.perf_counter()
    at.run()
    t_first = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    print(f"\npage, first run (warm load_model)         {t_first * 1000:8.1f} ms")

    worst = 0.0
    for view in ("head", "model", "matrix", "rollout", "recompute", "stats", "compare"):
        at.segmented_control(key="w.tm.view").set_value(view).run()
        layers = [0, 5]
        heads = [0, 11]
        for i in range(2):  # warm the caches (recompute is cached per layer)
            picker(at, "w.tm.layer").set_value(layers[i]).run()
        state = {"i": 0}

        def switch_layer():
            state["i"] += 1
            picker(at, "w.tm.layer").set_value(layers[state["i"] % 2]).run()

        def switch_head():
            state["i"] += 1
            picker(at, "w.tm.head").set_value(heads[state["i"] % 2]).run()

        t_layer = median_time(switch_layer, r)
        t_head = median_time(switch_head, r)
        assert not at.exception, [e.value for e in at.exception]
        worst = max(worst, t_layer, t_head)
        print(
            f"rerun on switch, {view:9s}  layer {t_layer * 1000:6.1f} ms ({t_layer / t_empty:5.1f}×)"
            f"   head {t_head * 1000:6.1f} ms ({t_head / t_empty:5.1f}×)"
        )
    ok = "ok" if worst <= RERUN_BUDGET else "OVER BUDGET"
    print(
        f"slowest median rerun: {worst * 1000:.1f} ms ({worst / t_empty:.1f}× empty rerun); "
        f"budget {RERUN_BUDGET * 1000:.0f} ms: {ok}"
    )

    # ---- a long sentence: the largest figures the page draws
    long_text = " ".join(["word"] * 126)  # 128 tokens, the cap
    at.text_area(key="w.tm.text").set_value(long_text).run()
    for view in ("head", "model", "matrix"):
        at.segmented_control(key="w.tm.view").set_value(view).run()
        state = {"i": 0}

        def switch_head_long():
            state["i"] += 1
            picker(at, "w.tm.head").set_value([0, 11][state["i"] % 2]).run()

        t = median_time(switch_head_long, max(3, r // 3))
        size = sum(len(el.proto.spec) for el in at.get("plotly_chart"))
        print(
            f"128 tokens, {view:6s} view: rerun on head switch {t * 1000:6.1f} ms ({t / t_empty:5.1f}×), "
            f"figures {size / 1e6:.2f} MB"
        )

    if not args.no_bytes:
        import asyncio

        import change_bytes

        print("\nbytes sent per change, a real server and a websocket client (fragments included):")
        with change_bytes.running_server() as url:
            for path, query, changes in (change_bytes.MODEL_VIEW, change_bytes.HEAD_VIEW):
                change_bytes.print_sizes(
                    f"  {path}?{query}", asyncio.run(change_bytes.bytes_per_change(url, path, query, changes))
                )

    if args.browser:
        browser_round_trips(max(5, r // 2))


# ---------------------------------------------------------------- optional: in a real browser

# Records, in the page, when a pointer/key press happened and when the script run it started finished.
_TIMING_JS = """
(() => {
  window.__t = {};
  const start = () => { window.__t = {down: performance.now()}; };
  document.addEventListener('pointerdown', start, true);
  document.addEventListener('keydown', start, true);
  new MutationObserver((recs) => { for (const r of recs) {
    const s = r.target.getAttribute('data-test-script-state');
    if (s === 'running' && window.__t.down && !window.__t.running) window.__t.running = performance.now();
    if (s === 'notRunning' && window.__t.running && !window.__t.done) window.__t.done = performance.now();
  } }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
})();
"""


def browser_round_trips(repeats: int) -> None:
    """Click → rerun → charts drawn, in headless Chromium; the home page's slider is the reference."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from tests.chromium import CHROMIUM, CHROMIUM_ARGS
    from tests.e2e import helpers
    from tests.server import streamlit_server

    with tempfile.TemporaryDirectory() as tmp, streamlit_server(Path(tmp) / "server.log", timeout=120) as base:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = chromium.new_context(viewport={"width": 1400, "height": 900})
            context.add_init_script(helpers.INIT_SCRIPT)
            context.add_init_script(_TIMING_JS)
            page = context.new_page()

            def timed(action) -> float:
                helpers.rerun_after(page, action)
                return page.evaluate("() => performance.now()") - page.evaluate("() => window.__t.down")

            helpers.open_app(page, base + "/", min_charts=1, timeout=120_000)
            slider = page.locator(".st-key-w-home-q1 input[type='range']")
            times = []
            for i in range(repeats):
                slider.focus()
                times.append(timed(lambda: page.keyboard.press("ArrowRight" if i % 2 else "ArrowLeft")))
            reference = statistics.median(times)
            print(
                f"\nbrowser (headless Chromium, software rendering): key/click → rerun → charts drawn, median of {repeats}"
            )
            print(f"reference: home page slider             {reference:7.0f} ms")
            for view in ("head", "model", "matrix", "stats"):
                helpers.open_app(page, f"{base}/model?view={view}", min_charts=1, timeout=120_000)
                for key, options in (("w-tm-layer", (0, 5)), ("w-tm-head", (0, 11))):
                    times = []
                    for i in range(repeats):
                        page.locator(f".st-key-{key} [role='combobox']").click()
                        option = page.get_by_role("option").nth(options[i % 2])
                        times.append(timed(lambda: option.click()))
                    t = statistics.median(times)
                    print(
                        f"{view:7s} view, {key[5:]:5s} switch            {t:7.0f} ms  ({t / reference:4.1f}× reference)"
                    )
            chromium.close()


if __name__ == "__main__":
    main()
