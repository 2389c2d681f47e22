"""First visit: how long until the home page is fully drawn in Chromium after the server starts, and how many bytes it costs.

    .venv/bin/python benchmarks/bench_first_load.py               # app vs a one-line app, direct and through nginx
    .venv/bin/python benchmarks/bench_first_load.py --repeats 1 --no-nginx

For each configuration, ``--repeats`` times (interleaved, medians reported):
start the server (class settings: headless, no file watching), wait for
``/_stcore/health``, open ``/`` in a fresh headless Chromium context (no
cache) and wait until the script has finished and every formula, bar and
chart has drawn.  Printed: seconds from the server's start until drawn (and the part
after health answered), the CPU seconds the Streamlit processes spent on
the visit (from health until drawn and 0.5 s more: the script run and every
file they sent), and the bytes the first load transferred (HTTP
responses as sent on the wire, i.e. compressed when the server compressed
them, headers included, plus websocket frames), with the largest responses.

Configurations, all started the same way in the same run:
- ``one-line app``: ``st.write("Hello")`` — the reference for Streamlit itself;
- ``app``: ``streamlit run app.py`` directly (what ``make run`` serves);
- ``app via nginx``: deploy/serve_class.py with 2 processes (nginx sends the
  static frontend files itself, gzipped), and ``one-line via nginx``, the same
  recipe serving the one-line app; unless ``--no-nginx`` or nginx is missing.
Target (issue 9): home page drawn ≤ 2 s after server start on a quiet machine.
The load average is printed: on a busy machine absolute times mean little.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))

import procfs  # noqa: E402
import serve_class  # noqa: E402

sys.path.insert(0, str(ROOT))
from tests.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

ONE_LINE_APP = 'import streamlit as st\nst.write("Hello")\n'
# What "fully drawn" waits for, at least: [Plotly charts, KaTeX formulas, progress bars].  The home page
# has 6 formulas (the three rules and the live example's a, w and o) and its live example's 3 weight bars;
# since issue 9 it has no Plotly chart (the chart component is 4.7 MB of JavaScript).
DRAWN_MIN = {"one-line app": [0, 0, 0], "app": [0, 6, 3], "one-line via nginx": [0, 0, 0], "app via nginx": [0, 6, 3]}

# Drawn: the first script run has finished, something is in the main area, at least that many
# Plotly charts exist and every one has its SVG (the chart component is loaded lazily, so "every
# chart" alone is true before the first one is mounted), the formulas are typeset (KaTeX is
# loaded lazily too), the bars are there, and no element is still a grey loading placeholder
# (Streamlit draws one until the element kind's JavaScript has arrived: the language menu, the
# sliders, the page links).
DRAWN = """([charts, formulas, bars]) => {
  const SKELETONS = '[data-testid="stSkeleton"], [data-testid="stSkeletonElement"], [data-testid="stAppSkeleton"]';
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')) return false;
  if (document.querySelector(SKELETONS)) return false;
  if (document.querySelectorAll('[data-testid="stMain"] .katex').length < formulas) return false;
  if (document.querySelectorAll('[data-testid="stMain"] [data-testid="stProgress"]').length < bars) return false;
  const drawn = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'));
  return drawn.length >= charts && drawn.every((b) => {
    const gd = b.querySelector('.js-plotly-plot');
    return gd && gd._fullData && gd.querySelector('.main-svg');
  });
}"""


def start(config: str, script_dir: Path) -> tuple[subprocess.Popen, str]:
    port = serve_class.free_port()
    env = dict(os.environ)
    if config.endswith("via nginx"):
        command = [
            sys.executable,
            str(ROOT / "deploy" / "serve_class.py"),
            "--procs",
            "2",
            "--port",
            str(port),
            "--address",
            "127.0.0.1",
        ]
        if config.startswith("one-line"):
            command += ["--script", str(script_dir / "hello.py")]
    else:
        command = serve_class.streamlit_command(port)
        if config == "one-line app":
            command[command.index("app.py")] = str(script_dir / "hello.py")
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    return proc, f"http://127.0.0.1:{port}"


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # the launcher stops its children itself
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # its own process group: only what we started
    except ProcessLookupError:
        pass
    proc.wait()


def server_cpu_seconds(proc: subprocess.Popen) -> float:
    """CPU seconds used so far by the Streamlit processes we started (the launcher's, behind nginx)."""
    return sum(procfs.cpu_seconds(pid) for pid in procfs.streamlit_pids(proc.pid))


def measure(browser, config: str, script_dir: Path, timeout: float) -> dict:
    t0 = time.perf_counter()
    proc, url = start(config, script_dir)
    try:
        while not serve_class.healthy(url + "/_stcore/health"):
            if proc.poll() is not None or time.perf_counter() - t0 > timeout:
                raise RuntimeError(f"{config}: the server did not start")
            time.sleep(0.05)
        healthy = time.perf_counter() - t0
        cpu_before = server_cpu_seconds(proc)  # from here on, the Python servers' CPU is the visit's
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        responses: list[tuple[int, str]] = []
        frames = [0]
        page = context.new_page()

        def finished(request):
            try:
                sizes = request.sizes()
                responses.append((sizes["responseBodySize"] + sizes["responseHeadersSize"], request.url))
            except Exception:  # noqa: BLE001 - a request without a response (cancelled) has no size
                pass

        page.on("requestfinished", finished)
        page.on(
            "websocket",
            lambda ws: ws.on("framereceived", lambda payload: frames.__setitem__(0, frames[0] + len(payload))),
        )
        page.goto(url + "/", wait_until="domcontentloaded", timeout=timeout * 1000)
        page.wait_for_function(DRAWN, arg=DRAWN_MIN[config], timeout=timeout * 1000, polling=50)
        drawn = time.perf_counter() - t0
        page.wait_for_timeout(500)  # let late requests (fonts, icons) finish so they are counted
        server_cpu = server_cpu_seconds(proc) - cpu_before
        context.close()
        http = sum(size for size, _ in responses)
        return {
            "drawn": drawn,
            "after_health": drawn - healthy,
            "health": healthy,
            "bytes": http + frames[0],
            "ws_bytes": frames[0],
            "server_cpu": server_cpu,
            "largest": sorted(responses, reverse=True)[:3],
        }
    finally:
        stop(proc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Home page drawn after server start, and its bytes.")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-nginx", action="store_true")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    configs = ["one-line app", "app"]
    if not args.no_nginx and (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        configs += ["one-line via nginx", "app via nginx"]
    print(f"# bench_first_load: repeats={args.repeats} load={procfs.loadavg()} cores={os.cpu_count()}")
    results: dict[str, list[dict]] = {c: [] for c in configs}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        script_dir = Path(tmp)
        (script_dir / "hello.py").write_text(ONE_LINE_APP)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for r in range(args.repeats):
                for config in configs[r % len(configs) :] + configs[: r % len(configs)]:  # rotate the order
                    results[config].append(measure(browser, config, script_dir, args.timeout))
                    print(f"#   {config}: drawn {results[config][-1]['drawn']:.2f} s", file=sys.stderr, flush=True)
        finally:
            browser.close()
    print(
        f"{'':<20}{'drawn after start':>20}{'after health':>15}{'health':>10}{'first load':>14}{'of it websocket':>18}{'server CPU':>13}"
    )
    reference = statistics.median(m["drawn"] for m in results["one-line app"])
    for config, runs in results.items():
        drawn = statistics.median(m["drawn"] for m in runs)
        print(
            f"{config:<20}{drawn:>12.2f} s ({drawn / reference:.1f}×)"
            f"{statistics.median(m['after_health'] for m in runs):>13.2f} s"
            f"{statistics.median(m['health'] for m in runs):>8.2f} s"
            f"{statistics.median(m['bytes'] for m in runs) / 1e6:>11.2f} MB"
            f"{statistics.median(m['ws_bytes'] for m in runs) / 1e3:>15.0f} kB"
            f"{statistics.median(m['server_cpu'] for m in runs):>11.2f} s"
        )
    for config, runs in results.items():
        largest = ", ".join(f"{Path(u.split('?')[0]).name} {s / 1e6:.2f} MB" for s, u in runs[-1]["largest"])
        print(f"  largest responses ({config}): {largest}")
    load = procfs.loadavg()
    for config in ("app", "app via nginx"):
        if config in results:
            drawn = statistics.median(m["drawn"] for m in results[config])
            verdict = "PASS" if drawn <= 2 else "FAIL"
            print(f"home page drawn ≤ 2 s after server start, {config}: {verdict} ({drawn:.2f} s; load {load})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
