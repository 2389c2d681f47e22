"""The app's own Python files, for the tests that read its code: a lesson's tests (lessons/<lesson>/tests) are
not the app."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def app_files(*folders: str) -> list[Path]:
    """Every Python file of the app under ``folders`` (paths from the repository root, at any depth), sorted by
    folder; the tests kept in a lesson's folder are left out."""
    return [
        path
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "tests" not in path.relative_to(ROOT).parts
    ]
