"""Server-process settings (ui/server.py): torch gets one thread per process unless told otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT = "from ui.server import limit_torch_threads; limit_torch_threads(); "


def torch_threads_in_fresh_process(code: str, setting: str | None = None) -> int:
    """Run ``code`` (which ends by printing torch.get_num_threads()) in a new interpreter."""
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "ATTENTION_EXPLORER_TORCH_THREADS")}
    env["OMP_NUM_THREADS"] = "2"  # as if the machine's default were 2: the setting must win
    if setting is not None:
        env["ATTENTION_EXPLORER_TORCH_THREADS"] = setting
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_one_thread_by_default_even_before_torch_is_imported():
    # the server's order: app.py runs first, a page imports torch later (the home page never does)
    code = LIMIT + "import torch; print(torch.get_num_threads())"
    assert torch_threads_in_fresh_process(code) == 1


@pytest.mark.parametrize("setting, expected", [("3", 3), ("nonsense", 1), ("0", 1)])
def test_the_setting_holds_from_the_run_after_torch_was_imported(setting, expected):
    # before the import only OMP_NUM_THREADS decides, and torch caps it at the cores;
    # every run calls limit_torch_threads again, and then torch.set_num_threads decides
    code = LIMIT + "import torch; limit_torch_threads(); print(torch.get_num_threads())"
    assert torch_threads_in_fresh_process(code, setting) == expected


def test_torch_already_imported_is_limited_too():
    # AppTest, or a page imported before the entrypoint ran: torch.set_num_threads is the only lever
    code = "import torch; torch.set_num_threads(3); " + LIMIT + "print(torch.get_num_threads())"
    assert torch_threads_in_fresh_process(code) == 1


def test_no_full_gc_after_every_script_run():
    # Streamlit's default gc.collect(2) after each run cost 100–400 ms a click with torch loaded (issue 9)
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_imported_objects_are_frozen_once_per_batch_of_imports():
    code = (
        "import gc; from ui.server import freeze_imported_objects as f; "
        "f(); a = gc.get_freeze_count(); "
        "junk = [[i] for i in range(1000)]; f(); b = gc.get_freeze_count(); "  # no new module: no freeze
        "import wave; f(); c = gc.get_freeze_count(); "  # a page imported something: freeze again
        "print(a > 0, b == a, c > b)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True"]


def test_the_home_page_needs_no_torch_and_no_plotly_chart():
    # issue 9: a first visit should not wait ~1 s for torch, nor for the browser's 4.7 MB Plotly chart component
    # (plotly the Python package is no cost of ours: streamlit imports it), nor for Streamlit's emoji regex
    # (~0.1 s to compile on first use): the page icon is a file and the links' icons are Material icons
    code = (
        "import sys; from streamlit.testing.v1 import AppTest; at = AppTest.from_file('app.py', default_timeout=60); "
        "at.run(); print(not at.exception, 'torch' in sys.modules, 'streamlit.emojis' in sys.modules, "
        "len(at.get('plotly_chart')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-4:] == ["True", "False", "False", "0"]


def test_a_torch_being_imported_by_another_session_does_not_break_a_run():
    # a class opening pages at once: one session's script imports torch while another's app.py
    # runs limit_torch_threads and finds the partly initialised module (seen as an app error)
    code = (
        "import sys, types; sys.modules['torch'] = types.ModuleType('torch'); "
        "from ui.server import limit_torch_threads; limit_torch_threads(); print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
