"""What the shipped configuration promises a classroom: no tracebacks, a viewer's toolbar, no file watcher."""

from __future__ import annotations

import shutil
import subprocess
import tomllib

import pytest

from attention_core.uploads import MAX_UPLOAD_MB

from .pages import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_students_see_no_error_details_and_no_developer_toolbar():
    assert CONFIG["client"]["showErrorDetails"] == "none"  # 1.67 accepts full, stacktrace, type, none
    assert CONFIG["client"]["toolbarMode"] in ("viewer", "minimal")


def test_the_uploader_cap_is_the_loader_cap():
    assert CONFIG["server"]["maxUploadSize"] == MAX_UPLOAD_MB  # both in 10⁶ bytes


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_does_not_watch_files():
    commands = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    run = [line for line in commands.splitlines() if "streamlit run" in line]
    assert len(run) == 1 and "--server.fileWatcherType none" in run[0], commands
