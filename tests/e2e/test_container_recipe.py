"""The Dockerfile's commands, run outside docker (no docker daemon on the test machines).

The server starts exactly as the image's CMD says, with the image's ENV (its
/tmp paths moved into a temporary folder); the HEALTHCHECK command must pass;
every page is opened over Streamlit's websocket (benchmarks/st_client.py);
and afterwards no file in the repository is new or changed: the app writes
nothing outside a temporary directory.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.server import free_port, healthy, stop
from ui import layout

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

from st_client import BrowserSession  # noqa: E402

pytestmark = pytest.mark.e2e

PAGES = ("",) + tuple(spec["url_path"] for spec in layout.lessons())  # "": the home page (the default has no path)
NOT_THE_APP = ("screenshots", ".pytest_cache", ".git")  # written by the test run itself


def instructions() -> dict[str, list[str]]:
    text = re.sub(r"\\\n", " ", (REPO / "Dockerfile").read_text())
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            kind, _, args = line.partition(" ")
            found.setdefault(kind.upper(), []).append(args.strip())
    return found


def image_env(tmp: Path) -> dict[str, str]:
    """The ENV lines, with /tmp/... moved into ``tmp``."""
    env = {}
    for args in instructions()["ENV"]:
        for name, value in re.findall(r"(\w+)=(\S+)", args):
            env[name] = str(tmp / value.removeprefix("/tmp/")) if value.startswith("/tmp/") else value
    return env


def snapshot() -> dict[str, tuple[int, int]]:
    files = {}
    for path in REPO.rglob("*"):
        rel = path.relative_to(REPO)
        if rel.parts[0] in NOT_THE_APP or not path.is_file():
            continue
        stat = path.stat()
        files[str(rel)] = (stat.st_size, stat.st_mtime_ns)
    return files


def open_every_page(url: str) -> list[str]:
    async def visit() -> list[str]:
        session = BrowserSession(url, timeout=240)
        await session.connect()
        problems = []
        try:
            for name in PAGES:
                rerun = await session.open(name)
                if rerun.failed or rerun.error_alerts:
                    problems.append(f"{name}: {rerun.status} {rerun.exceptions} {rerun.error_alerts} error boxes")
        finally:
            await session.close()
        return problems

    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright's loop may own the main thread
        return pool.submit(asyncio.run, visit()).result()


def test_the_image_command_serves_every_page_and_writes_only_to_tmp(tmp_path):
    steps = instructions()
    command = json.loads(steps["CMD"][-1])
    port = free_port()
    command[command.index("--server.port") + 1] = str(port)
    command[command.index("--server.address") + 1] = "127.0.0.1"
    assert command[:2] == ["python", "deploy/streamlit_main.py"]  # Streamlit's CLI, metrics kept to localhost
    command = [sys.executable, *command[1:]]
    check = steps["HEALTHCHECK"][-1]  # "--interval=… CMD [exec form]"
    health = json.loads(check[check.index("[") :])
    health = [sys.executable if part == "python" else part.replace("8501", str(port)) for part in health]

    env = dict(os.environ) | image_env(tmp_path)
    before = snapshot()
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while not healthy(base + "/_stcore/health"):
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()[-3000:]
            time.sleep(0.25)
        assert subprocess.run(health, env=env, timeout=30).returncode == 0  # the image's HEALTHCHECK passes
        assert open_every_page(base) == []
    finally:
        stop(proc)
        log.close()
    after = snapshot()
    changed = sorted(k for k in after.keys() | before.keys() if before.get(k) != after.get(k))
    assert changed == [], changed
