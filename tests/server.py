"""One way to start the app for a test, a benchmark or a script: `streamlit run app.py` on a free local port.

The browser tests (tests/e2e/fixtures.py), the benchmarks and scripts/readme_screenshots.py all start
their server here, in its own process group, and stop that group (never anything else) when done.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0  # seconds until /_stcore/health must answer "ok"


class ServerError(RuntimeError):
    """The server exited, or did not answer in time; the message ends with its log's tail."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    """Whether ``url`` (a server's /_stcore/health) answers "ok"."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


def stop(proc: subprocess.Popen) -> None:
    """Terminate the server's whole process group, then make sure it is gone."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


def command(port: int, *options: str, python: str = sys.executable, script: str = "app.py") -> list[str]:
    """`streamlit run app.py` (or ``script``) headless on 127.0.0.1:``port``, no file watching, no usage statistics."""
    return [
        python,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *options,
    ]


@contextlib.contextmanager
def streamlit_server(
    log_path: Path,
    *options: str,
    env: dict | None = None,
    timeout: float = START_TIMEOUT,
    port: int | None = None,
    script: str = "app.py",
) -> Iterator[str]:
    """A running app (or ``script``) on ``port`` (default: a free one; ``options``: more `--name value` flags).

    Yields its base URL.
    """
    port = port or free_port()
    argv = command(port, *options, script=script)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            argv,
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, stopped as a whole at the end
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while not healthy(f"{base}/_stcore/health"):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-3000:]
                why = f"exited with {proc.returncode}" if proc.poll() is not None else f"no 'ok' in {timeout:.0f} s"
                raise ServerError(f"streamlit server {why}: {' '.join(argv)}\n--- log ---\n{tail}")
            time.sleep(0.25)
        yield base
    finally:
        stop(proc)
