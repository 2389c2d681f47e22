"""The class recipe (deploy/serve_class.py): nginx in front of 2 Streamlit processes, in a real browser.

What stickiness is for: an upload is an HTTP request of its own, and it must
reach the process that holds the browser's session.  Several browsers (each
with its own cookie, so spread over both processes) upload a file through
nginx, and each must see its own data in the chart.  And Streamlit's frontend
files come from nginx itself, not from the Python processes that run the
students' scripts.  Streamlit's metrics stay on the processes' own 127.0.0.1
ports.  And when the process holding a browser dies, the browser reconnects
to the live one and its uploads follow it there, also after the dead process
is back (the cookie names the process serving, not a hash).  Skipped without
nginx (Debian: `apt-get install nginx`), failed under CI=true (.ci/run
installs it).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.server import free_port as _free_port
from tests.server import healthy as _healthy

from . import helpers
from .fixtures import REPO, VIEWPORT
from .test_fault import backend_ports

sys.path.insert(0, str(REPO / "deploy"))
sys.path.insert(0, str(REPO / "benchmarks"))
import procfs  # noqa: E402
import serve_class  # noqa: E402

HAS_NGINX = bool(shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"))
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not HAS_NGINX and os.environ.get("CI") != "true", reason="nginx is not installed"),
]
BROWSERS = 4  # nginx sends each new browser to the process with fewer open websockets: 2 on each


@pytest.fixture(scope="module")
def class_server(browser_available, tmp_path_factory):
    """(the URL nginx serves the class on, the launcher's process)."""
    assert HAS_NGINX, "the class recipe needs nginx (Debian: apt-get install nginx; .ci/run installs it)"
    port = _free_port()
    log = tmp_path_factory.mktemp("serve_class") / "serve_class.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "deploy/serve_class.py", "--procs", "2", "--port", str(port), "--address", "127.0.0.1"],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _healthy(url + "/_stcore/health"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve_class did not start:\n{log.read_text(errors='replace')[-3000:]}", pytrace=False)
            time.sleep(0.25)
        proc.log_path = log  # the launcher's start line names the processes' ports (b0, b1, ...)
        yield url, proc
    finally:
        proc.send_signal(signal.SIGTERM)  # the launcher stops nginx and both Streamlit processes
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def class_url(class_server):
    return class_server[0]


def test_uploads_through_nginx_reach_each_browsers_own_process(browser, class_url, shots, strings):
    contexts = [browser.new_context(viewport=VIEWPORT, locale="en-US") for _ in range(BROWSERS)]
    try:
        cookies = set()  # the processes serving the browsers, as the stickiness cookie names them
        for i, context in enumerate(contexts):
            context.add_init_script(helpers.INIT_SCRIPT)
            page = context.new_page()
            helpers.open_app(page, class_url + "/query", min_charts=2, timeout=120_000)
            cookies.add(next(c["value"] for c in context.cookies() if c["name"] == "ae_backend"))

            source = page.locator(".st-key-w-seq-source")
            helpers.rerun_after(
                page, lambda: source.locator("label").filter(has_text=strings["seq.source.upload"]).click()
            )
            n = 3 + i  # each browser its own sequence length, so a mix-up would show
            rows = "\n".join(f"{k},{k + 1}" for k in range(n)).encode()
            file_input = page.locator('[class*="st-key-w-seq-file"] input[type="file"]')
            helpers.rerun_after(
                page,
                lambda: file_input.set_input_files(
                    files=[{"name": f"x{n}.csv", "mimeType": "text/csv", "buffer": rows}]
                ),
                timeout=60_000,
            )
            helpers.assert_no_error_box(page)
            assert len(helpers.bar_values(helpers.chart(page, "chart.weights"))) == n
        helpers.screenshot(page, shots, "serve-class-upload")
        assert cookies == {"b0", "b1"}, "new browsers spread over both processes; the cookie names the one serving"
    finally:
        for context in contexts:
            context.close()


def test_nginx_sends_the_frontend_files_while_the_python_processes_are_busy(class_server):
    # Paused Python processes stand for processes busy with a class's scripts: the ~150 JavaScript,
    # CSS and font files of a first visit must not wait for them (deploy/nginx.conf.template).
    class_url, launcher = class_server
    pids = procfs.streamlit_pids(launcher.pid)
    assert len(pids) == 2
    static = Path(serve_class.streamlit_static_dir(sys.executable))
    script = next((static / "static" / "js").glob("index.*.js"))
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        with urllib.request.urlopen(f"{class_url}/static/js/{script.name}", timeout=5) as response:
            body = response.read()
            cache = response.headers["Cache-Control"]
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
    assert body == script.read_bytes()
    assert "immutable" in cache  # content-hashed names: a browser keeps them for good
    assert _healthy(class_url + "/_stcore/health"), "the processes answer again once resumed"


def backend_port(launcher: subprocess.Popen, pid: int) -> int:
    args = procfs.cmdline(pid).split(b"\0")
    return int(args[args.index(b"--server.port") + 1])


def test_metrics_stay_on_the_processes_own_localhost_ports(class_server):
    # /_stcore/metrics names the cached functions and counts the sessions: not for the school network
    class_url, launcher = class_server
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{class_url}/_stcore/metrics", timeout=5)
    assert refused.value.code == 404
    for pid in procfs.streamlit_pids(launcher.pid):
        args = procfs.cmdline(pid).split(b"\0")
        assert args[args.index(b"--server.address") + 1] == b"127.0.0.1"  # nothing else reaches the process
        with urllib.request.urlopen(f"http://127.0.0.1:{backend_port(launcher, pid)}/_stcore/metrics") as response:
            assert b"session" in response.read()  # an admin on the machine still has them


def test_each_process_may_use_every_core_and_one_thread_for_torch_and_blas(class_server):
    # not pinned by default (--pin opts in: docs/serving.md); each process's numerical libraries get one thread,
    # so a process's matrix work never spreads over the other's core
    class_url, launcher = class_server
    pids = procfs.streamlit_pids(launcher.pid)
    cores = [os.sched_getaffinity(pid) for pid in pids]
    assert all(c == os.sched_getaffinity(0) for c in cores), cores
    for pid in pids:
        env = dict(item.split("=", 1) for item in Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in item)
        assert env["OMP_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == env["ATTENTION_EXPLORER_TORCH_THREADS"] == "1"


def test_a_browser_whose_process_died_comes_back_on_the_live_one_and_uploads_there_after_the_return(
    browser, class_server, shots, strings
):
    # Last in this module: it kills one of the class server's processes.
    class_url, launcher = class_server
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    try:
        context.add_init_script(helpers.INIT_SCRIPT)
        page = context.new_page()
        helpers.open_app(page, class_url + "/query?n=9&seed=4&temperature=2.0", min_charts=2, timeout=120_000)

        def serving() -> str:
            return next(c["value"] for c in context.cookies() if c["name"] == "ae_backend")

        first = serving()
        ports = backend_ports(launcher.log_path)
        pid = next(p for p in procfs.streamlit_pids(launcher.pid) if backend_port(launcher, p) == ports[first])
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while serving() == first:  # the frontend reconnects by itself; nginx names the live process now
            assert time.monotonic() < deadline, "the browser did not reconnect to the live process within 10 s"
            time.sleep(0.2)
        helpers.wait_idle(page)
        assert helpers.url_params(page.url)["n"] == "9" and helpers.url_params(page.url)["temperature"] == "2.0"
        assert len(helpers.bar_values(helpers.chart(page, "chart.weights"))) == 9

        deadline = time.monotonic() + 15
        while not _healthy(f"http://127.0.0.1:{ports[first]}/_stcore/health"):  # the dead process is back
            assert time.monotonic() < deadline, "the killed process was not back within 15 s"
            time.sleep(0.2)
        time.sleep(1)  # and nginx has taken it in again

        helpers.screenshot(page, shots, "serve-class-after-a-process-died")
        # The first click after the move runs the page on the new process, which applies the link's settings
        # over that click (the app's part, tests/e2e/test_fault.py's xfail): a first click that needs no value.
        helpers.rerun_after(page, lambda: page.locator(".st-key-w-query-zoom label").click())
        source = page.locator(".st-key-w-seq-source")
        helpers.rerun_after(page, lambda: source.locator("label").filter(has_text=strings["seq.source.upload"]).click())
        rows = "\n".join(f"{k},{k + 1}" for k in range(6)).encode()
        file_input = page.locator('[class*="st-key-w-seq-file"] input[type="file"]')
        helpers.rerun_after(
            page,
            lambda: file_input.set_input_files(files=[{"name": "x6.csv", "mimeType": "text/csv", "buffer": rows}]),
            timeout=60_000,
        )
        helpers.assert_no_error_box(page)  # before the fix: "AxiosError: Request failed with status code 400"
        assert len(helpers.bar_values(helpers.chart(page, "chart.weights"))) == 6
        assert serving() != first, "the upload and the websocket stay on the process that serves the browser"
        helpers.screenshot(page, shots, "serve-class-upload-after-a-process-died")
    finally:
        context.close()


def network_address() -> str | None:
    """An address of this machine that is not loopback (None when it has none)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_without_nginx_the_metrics_still_answer_only_this_machine(tmp_path):
    # --procs 1 --no-nginx: Streamlit itself listens on the network (deploy/streamlit_main.py guards the metrics)
    address = network_address()
    if address is None:
        pytest.skip("this machine has no network address besides loopback")
    port = _free_port()
    with open(tmp_path / "serve_class.log", "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "deploy/serve_class.py", "--procs", "1", "--no-nginx", "--port", str(port)],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while not _healthy(f"http://127.0.0.1:{port}/_stcore/health"):
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "serve_class.log").read_text()
            time.sleep(0.25)
        assert _healthy(f"http://{address}:{port}/_stcore/health")  # the app itself answers the network
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://{address}:{port}/_stcore/metrics", timeout=5)
        assert refused.value.code == 404
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=5) as response:
            assert response.status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
