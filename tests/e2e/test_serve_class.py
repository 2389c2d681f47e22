"""The class recipe (deploy/serve_class.py): nginx in front of 2 Streamlit processes, in a real browser.

What stickiness is for: an upload is an HTTP request of its own, and it must
reach the process that holds the browser's session.  Several browsers (each
with its own cookie, so spread over both processes) upload a file through
nginx, and each must see its own data in the chart.  And Streamlit's frontend
files come from nginx itself, not from the Python processes that run the
students' scripts.  Skipped without nginx (Debian: `apt-get install nginx`);
CI does not need it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from . import helpers
from .conftest import REPO, VIEWPORT, _free_port, _healthy

sys.path.insert(0, str(REPO / "deploy"))
sys.path.insert(0, str(REPO / "benchmarks"))
import procfs  # noqa: E402
import serve_class  # noqa: E402

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")), reason="nginx is not installed"
    ),
]
BROWSERS = 4  # with 2 processes, the chance that all land on one is 1/8


@pytest.fixture(scope="module")
def class_server(browser_available, tmp_path_factory):
    """(the URL nginx serves the class on, the launcher's process)."""
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
        cookies = set()
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
        assert len(cookies) == BROWSERS, "every browser gets its own stickiness cookie"
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
