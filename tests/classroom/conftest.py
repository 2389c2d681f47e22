"""A real ``redis-server`` for the Redis store's tests, started here on a free local port in a temporary folder.

Without the ``redis-server`` binary the Redis tests are skipped with one sentence saying how to
install it; under CI (``CI=true``, as ``.ci/run`` sets it, and installs the package) they fail instead.
``REDIS_TEST_PORT`` picks the port (each pytest-xdist worker adds its number) where free ports are
not welcome; the server saves nothing to disk and is stopped after the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from tests.server import free_port

INSTALL = (
    "redis-server is not installed; install it (Debian/Ubuntu: apt-get install redis-server) to test the Redis store."
)


def redis_server_binary() -> str | None:
    return shutil.which("redis-server", path=os.environ.get("PATH", "") + ":/usr/sbin:/usr/bin")


def _port(worker_id: str) -> int:
    base = os.environ.get("REDIS_TEST_PORT")
    if not base:
        return free_port()
    return int(base) + (int(worker_id[2:]) if worker_id.startswith("gw") else 0)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory, worker_id) -> str:
    """``redis://127.0.0.1:<port>/0`` of a redis-server started for this test session (this xdist worker)."""
    binary = redis_server_binary()
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(INSTALL + " Under CI it must be there: .ci/run installs it.")
        pytest.skip(INSTALL)
    import redis

    folder, port = tmp_path_factory.mktemp("redis"), _port(worker_id)
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)]
    command += ["--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", str(folder / "redis.log")]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log = (folder / "redis.log").read_text() if (folder / "redis.log").exists() else ""
                pytest.fail(f"redis-server did not start on port {port}: {log[-500:]}")
            time.sleep(0.05)
    client.close()
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
