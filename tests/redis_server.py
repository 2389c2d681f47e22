"""A throwaway ``redis-server`` for a test session or a benchmark: a temporary folder, a local port, nothing saved.

    with redis_server(folder, port) as url:     # redis://127.0.0.1:<port>/0, stopped (only it) on exit
        ...

The Redis store's tests (tests/classroom/conftest.py) and benchmarks/bench_room_store.py start theirs here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

START_TIMEOUT = 15.0  # seconds until the server must answer PING (it starts in milliseconds)


class RedisServerError(RuntimeError):
    """The server exited or did not answer in time; the message ends with its log's tail."""


def binary() -> str | None:
    """Debian's ``redis-server`` (package redis-server), or None."""
    return shutil.which("redis-server", path=os.environ.get("PATH", "") + ":/usr/sbin:/usr/bin")


@contextlib.contextmanager
def redis_server(folder: Path, port: int) -> Iterator[str]:
    """Start ``redis-server`` on 127.0.0.1:``port`` with its files in ``folder``; yield its URL; stop it."""
    import redis

    log = folder / "redis.log"
    command = [binary() or "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)]
    command += ["--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", str(log)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=1) as client:
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        tail = log.read_text()[-500:] if log.exists() else ""
                        raise RedisServerError(f"redis-server did not start on port {port}: {tail}") from None
                    time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
