"""The deploy recipes: Community Cloud's entry folder (CPU-only torch) and the Dockerfile.

Docker cannot build on the test machines (a client without a daemon), so the
Dockerfile is read here and its commands are run outside docker in
``tests/e2e/test_container_recipe.py``.
"""

from __future__ import annotations

import json
import re
import shlex

from streamlit.testing.v1 import AppTest

from .conftest import ROOT, TIMEOUT
from .helpers import no_errors

CLOUD = ROOT / "deploy" / "cloud"


def pins(path) -> dict[str, str]:
    """{package: version} of a requirements file's ``name==version`` lines (comments and options skipped)."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            name, version = line.split("==")
            found[name.strip().lower()] = version.strip()
    return found


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def exec_form(arguments: str) -> list[str]:
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


def test_cloud_requirements_pin_the_cpu_build_of_the_same_torch_and_everything_else_alike():
    root, cloud = pins(ROOT / "requirements.txt"), pins(CLOUD / "requirements.txt")
    assert cloud["torch"] == root["torch"] + "+cpu"
    assert {k: v for k, v in cloud.items() if k != "torch"} == {k: v for k, v in root.items() if k != "torch"}
    options = [line.strip() for line in (CLOUD / "requirements.txt").read_text().splitlines() if line.startswith("-")]
    assert options == ["--extra-index-url https://download.pytorch.org/whl/cpu"]


def test_the_cloud_entry_point_runs_the_app_with_every_page():
    at = AppTest.from_file(str(CLOUD / "streamlit_app.py"), default_timeout=TIMEOUT)
    at.run()
    no_errors(at)
    assert at.title and at.title[0].value  # the home page drew
    # pages are named from the repository root, so they resolve from this folder too
    at.switch_page(str(ROOT / "lessons" / "query_attention" / "page.py")).run()
    no_errors(at)
    assert [el for el in at.get("plotly_chart") if el.proto.id.endswith("-chart.weights")]


def test_the_dockerfile_runs_cpu_torch_as_a_non_root_user_with_a_healthcheck():
    steps = dockerfile()
    kinds = [kind for kind, _ in steps]
    assert steps[0] == ("FROM", "python:3.11-slim")
    # torch from the CPU index: the image installs the cloud requirements file
    install = next(args for kind, args in steps if kind == "RUN" and "pip install" in args)
    assert "-r /tmp/requirements.txt" in install
    assert ("COPY", "deploy/cloud/requirements.txt /tmp/requirements.txt") in steps
    # a non-root user, set after every RUN, and the app's files not writable by it (copied as root)
    user = [args for kind, args in steps if kind == "USER"]
    assert user and user[-1] not in ("root", "0")
    assert kinds.index("USER") > max(i for i, kind in enumerate(kinds) if kind in ("RUN", "COPY"))
    # the healthcheck asks Streamlit's health endpoint on the served port
    health = next(args for kind, args in steps if kind == "HEALTHCHECK")
    assert "/_stcore/health" in health and "127.0.0.1:8501" in health
    command = exec_form(next(args for kind, args in steps if kind == "CMD"))
    assert command[:3] == ["streamlit", "run", "app.py"]
    flags = dict(zip(command[3::2], command[4::2]))
    assert flags["--server.port"] == "8501" and flags["--server.fileWatcherType"] == "none"
    assert flags["--server.headless"] == "true"
    # every cache under /tmp, no bytecode next to the sources
    env = " ".join(args for kind, args in steps if kind == "ENV")
    for name in ("HOME", "XDG_CACHE_HOME", "HF_HOME"):
        assert re.search(rf"\b{name}=/tmp/", env), name
    assert "PYTHONDONTWRITEBYTECODE=1" in env


def test_the_image_leaves_out_what_the_app_does_not_need():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".git", ".venv", "tests", "screenshots"} <= ignored
    assert not ignored & {"models", "lessons", "ui", "attention_core", "deploy", ".streamlit"}


def test_the_app_writes_files_only_through_downloads_and_proc():
    """No file is opened for writing in the app's code, except the kernel's /proc interface of the memory meter."""
    writes = []
    for path in [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py")), *sorted((ROOT / "lessons").rglob("*.py"))]:
        writes += [
            f"{path.name}: {m[0]}"
            for m in re.finditer(
                r".*(open\([^)]*['\"][wa]b?['\"]|\.write_(text|bytes)\(|np\.save\((?!buffer)|\.to_csv\(['\"]).*",
                path.read_text(),
            )
        ]
    core = (ROOT / "attention_core").rglob("*.py")
    for path in core:
        for m in re.finditer(r".*open\(([^)]*)['\"][wa]b?['\"].*", path.read_text()):
            if "/proc/self/" not in m[0]:
                writes.append(f"{path.name}: {m[0]}")
    assert writes == []
