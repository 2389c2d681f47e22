"""Fixtures for the browser tests: a real `streamlit run` server and headless Chromium.

A pytest plugin, loaded for every test by the root conftest.py, so the browser tests in tests/e2e and in a
lesson's own folder (lessons/<lesson>/tests/e2e) share one server and one browser.
Run:   .venv/bin/python -m pytest -m e2e tests/e2e lessons -q   (make test-e2e)
Needs: Debian's Chromium (`sudo apt-get install chromium`) and the `playwright`
       Python package (`pip install -r requirements-dev.txt`); no `playwright install`.
       Without them the tests are skipped, or fail when CI=true.
Env:   E2E_SCREENSHOTS  folder for the pictures (default: screenshots/ at the repo root)
       E2E_CHROMIUM     the browser binary (default: /usr/bin/chromium)
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
from pathlib import Path

import pytest

from tests import server
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

from . import helpers

REPO = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1400, "height": 900}
SERVER_START_TIMEOUT = 60.0  # seconds until /_stcore/health must answer "ok"
INSTALL_HINT = (
    "The browser tests need Chromium and the playwright package: "
    "`sudo apt-get install chromium` and `pip install -r requirements-dev.txt` "
    "(no `playwright install` needed; set E2E_CHROMIUM if Chromium lives elsewhere)."
)


_SHOTS_TAKEN = pytest.StashKey[bool]()  # set when a test asked for the screenshots' folder


def screenshot_dir() -> Path:
    return Path(os.environ.get("E2E_SCREENSHOTS") or REPO / "screenshots").resolve()


# ------------------------------------------------------------------ reporting


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects: the marker must be there when it looks
def pytest_collection_modifyitems(items):
    """Every test in an ``e2e`` folder is a browser test, marked or not.

    ``make test`` splits its two runs by the marker (``-m "not e2e"`` on both cores, ``-m e2e`` one at a time):
    a browser test whose file forgot ``pytestmark`` would otherwise run in neither or in the wrong one.
    """
    for item in items:
        if "e2e" in Path(str(item.path)).parts[:-1]:
            item.add_marker(pytest.mark.e2e)


def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the item, so the page fixture can picture failures."""
    if call.when == "call":
        item.e2e_failed = (
            call.excinfo is not None
            and not call.excinfo.errisinstance(pytest.skip.Exception)
            and item.get_closest_marker("xfail") is None
        )


def pytest_terminal_summary(terminalreporter):
    folder = screenshot_dir()
    taken = terminalreporter.config.stash.get(_SHOTS_TAKEN, False)  # a run without browser tests says nothing
    if taken and folder.is_dir() and any(folder.glob("*.png")):
        terminalreporter.write_sep("-", "e2e screenshots")
        terminalreporter.write_line(f"screenshots: {folder}")


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="session")
def browser_available():
    """Skip (or, with CI=true, fail) when Chromium or the playwright package is missing."""
    problems = []
    if importlib.util.find_spec("playwright") is None:
        problems.append("the `playwright` Python package is not installed")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        problems.append(f"no Chromium at {CHROMIUM}")
    if problems:
        message = "; ".join(problems) + ". " + INSTALL_HINT
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@contextlib.contextmanager
def streamlit_server(log_path: Path, port: int | None = None, env: dict | None = None):
    """The app on a local port (tests/server.py; default a free one); a server that does not start fails the test."""
    try:
        with server.streamlit_server(log_path, timeout=SERVER_START_TIMEOUT, port=port, env=env) as base:
            yield base
    except server.ServerError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    """The app as ``make run`` serves it, one process (benchmarks/bench_class_load.py ``start_server``), for the
    tests that speak Streamlit's websocket protocol themselves (benchmarks/st_client.py): no browser needed.
    One for each test module, stopped after it."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import bench_class_load

    served = bench_class_load.start_server(1, None, tmp_path_factory.mktemp("served") / "server.log")
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="session")
def server_url(browser_available, tmp_path_factory):
    """Base URL of the session's server, before any browser has opened it."""
    with streamlit_server(tmp_path_factory.mktemp("streamlit") / "server.log") as base:
        yield base


FIRST_VISIT_PATH = "/query?kind=gaussian&n=6&d=3&seed=1&q=1,0,0"


@pytest.fixture(scope="session")
def first_visit(server_url, browser, shots) -> dict:
    """The server's very first visitor opens a shared deep link; what they saw is kept for a test.

    This also warms the server up: the first run pays for the heavy imports
    (torch), so no test's time limit has to allow for it.
    """
    seen: dict = {"url": server_url + FIRST_VISIT_PATH, "problem": None, "boxes": {}}
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.add_init_script(helpers.INIT_SCRIPT)
    try:
        page = context.new_page()
        try:
            helpers.open_app(page, seen["url"], min_charts=1, timeout=90_000)
        except Exception as exc:  # the tests of the query page will say what is wrong
            seen["problem"] = f"{type(exc).__name__}: {exc}"
        seen["boxes"] = helpers.error_boxes(page)
        helpers.screenshot(page, shots, "first-visit-deep-link")
    finally:
        context.close()
    return seen


@pytest.fixture(scope="session")
def app_url(server_url, first_visit) -> str:
    """Base URL of the session's server, after its first (warm-up) visit."""
    return server_url


@pytest.fixture(scope="session")
def browser(browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def shots(request) -> Path:
    """Where the screenshots go (created on first use)."""
    request.config.stash[_SHOTS_TAKEN] = True
    return screenshot_dir()


@pytest.fixture
def page(browser, app_url, shots, request):
    """A fresh browser context (so a fresh Streamlit session) with a 1400×900 window.

    Uncaught JavaScript errors are collected in ``page.e2e_js_errors``; a
    failing test leaves a ``FAILED-<test>.png`` picture behind.
    """
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(30_000)
    context.add_init_script(helpers.INIT_SCRIPT)
    pg = context.new_page()
    pg.e2e_js_errors = []
    pg.on("pageerror", lambda exc: pg.e2e_js_errors.append(str(exc)))
    try:
        yield pg
        if getattr(request.node, "e2e_failed", False):
            try:
                helpers.screenshot(pg, shots, f"FAILED-{request.node.name}")
            except Exception:  # a picture of a broken page is a bonus, never a second error
                pass
    finally:
        context.close()


@pytest.fixture(scope="session")
def strings() -> dict[str, str]:
    """The English UI strings, so tests find widgets by the same words the app shows."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from ui.i18n import catalogs

    return catalogs()["en"]
