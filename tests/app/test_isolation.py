"""No module-level mutable state: sessions on one server share every module, so a list, dict or set at
module level that a page run changes would carry one student's data to another.

Every module of attention_core, ui and lessons is imported, every page runs (with a link, in both
languages, with an upload), and every module-level container must hold what it held before.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections import deque

import attention_core
import lessons
import ui
from tests.sources import app_files

from .helpers import no_errors
from .pages import PAGE_SCRIPTS, ROOT, open_page

CONTAINERS = (list, dict, set, bytearray, deque)


def library_modules():
    """Every module of the three layers except the page scripts (a page script runs when imported) and a lesson's
    tests (lessons/<lesson>/tests: not the app)."""
    for package in (attention_core, ui, lessons):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.endswith(".page") and ".tests" not in info.name:
                yield importlib.import_module(info.name)


def module_state() -> dict[str, str]:
    """{module.name: repr} of every module-level container (its contents, not its identity)."""
    state = {}
    for module in library_modules():
        for name, value in vars(module).items():
            if isinstance(value, CONTAINERS) and not name.startswith("__"):
                state[f"{module.__name__}.{name}"] = repr(value)
    return state


def test_no_module_uses_global_statements():
    offenders = [
        str(path.relative_to(ROOT))
        for path in app_files("attention_core", "ui", "lessons")
        if re.search(r"^\s*global\s", path.read_text(), flags=re.M)
    ]
    assert not offenders


def test_no_setting_defaults_to_a_mutable_container():
    """Settings.ensure puts a default into session state as it is: a list default would be one list for all."""
    from ui.settings import Settings

    found = [
        (module.__name__, name)
        for module in library_modules()
        for value in vars(module).values()
        if isinstance(value, Settings)
        for name, default in value.defaults.items()
        if isinstance(default, CONTAINERS)
    ]
    assert not found


def test_running_every_page_changes_no_module_level_container():
    before = module_state()
    assert len(before) > 20  # the scan sees the catalogs, defaults and parsers

    for page in PAGE_SCRIPTS:  # every registered page
        at = open_page(page, lang="zh")  # a link, in the other language: string tables, keyed widgets
        no_errors(at)
        at.selectbox(key="w.lang").set_value("en").run()
        no_errors(at)
        if any(radio.key == "w.seq.source" for radio in at.radio):  # the shared sequence X: its upload path too
            at.radio(key="w.seq.source").set_value("upload").run()
            no_errors(at)

    after = module_state()
    changed = [name for name in before if after.get(name) != before[name]]
    assert not changed, changed
