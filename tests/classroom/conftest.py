"""A real ``redis-server`` for the Redis store's tests, started here on a free local port in a temporary folder.

Without the ``redis-server`` binary the Redis tests are skipped with one sentence saying how to
install it; under CI (``CI=true``, as ``.ci/run`` sets it, and installs the package) they fail instead.
``REDIS_TEST_PORT`` picks the port (each pytest-xdist worker adds its number) where free ports are
not welcome; the server saves nothing to disk and is stopped after the session.
"""

from __future__ import annotations

import os

import pytest

from tests import redis_server
from tests.server import free_port

INSTALL = (
    "redis-server is not installed; install it (Debian/Ubuntu: apt-get install redis-server) to test the Redis store."
)


def _port(worker_id: str) -> int:
    base = os.environ.get("REDIS_TEST_PORT")
    if not base:
        return free_port()
    return int(base) + (int(worker_id[2:]) if worker_id.startswith("gw") else 0)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory, worker_id) -> str:
    """``redis://127.0.0.1:<port>/0`` of a redis-server started for this test session (this xdist worker)."""
    if redis_server.binary() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(INSTALL + " Under CI it must be there: .ci/run installs it.")
        pytest.skip(INSTALL)
    with redis_server.redis_server(tmp_path_factory.mktemp("redis"), _port(worker_id)) as url:
        yield url
