"""A lesson is named only by its own folder and the registry (issue 22): outside ``lessons/<lesson>/`` at most two
tracked files name it (``lessons/<lesson>`` or ``lessons.<lesson>``): ui/layout.py PAGES, and the test data that
recorded what its links drew.  Its tests live in its folder (lessons/<lesson>/tests), the tests of every page walk
the registry, and a benchmark finds its page there (``layout.script(url_path)``)."""

from __future__ import annotations

import functools
import re
import subprocess
from pathlib import Path

import pytest

from tests.sources import ROOT
from ui import layout

MOST = 2  # the registry and its test data


@functools.cache
def tracked_texts() -> dict[str, str]:
    """{path: text} of every file git tracks (binary files and files deleted in the work tree left out)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: which files are tracked is unknown")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    texts = {}
    for name in filter(None, listed.decode().split("\0")):
        try:
            texts[name] = (ROOT / name).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return texts


def files_naming(folder: str) -> list[str]:
    """The tracked files outside ``lessons/<folder>/`` whose text names that folder."""
    pattern = re.compile(rf"lessons[./]{re.escape(folder)}\b")
    return sorted(
        name
        for name, text in tracked_texts().items()
        if not name.startswith(f"lessons/{folder}/") and pattern.search(text)
    )


@pytest.mark.parametrize("page", [spec["page"] for spec in layout.entries()], ids=lambda page: page.split("/")[1])
def test_a_lesson_is_named_only_by_its_folder_and_the_registry(page):
    folder = Path(page).parent.name
    named = files_naming(folder)
    assert "ui/layout.py" in named, "the scan does not see the registry"
    assert len(named) <= MOST, f"{len(named)} files outside lessons/{folder}/ name it: {', '.join(named)}"
