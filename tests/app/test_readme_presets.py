"""The teacher presets the README promises: the table is the pages' own presets, and each opens on a question.

The README's table is read here (no second list): every link in it must be a
preset the page offers in its sidebar, every page's presets must be in it, and
opening a link must show the lesson's question — the one the link names with
``guide=<step>``, or the first (issue 21, item 1 and 3).
"""

from __future__ import annotations

import importlib
import re
import string
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.app.helpers import no_errors
from tests.app.pages import open_page
from ui.i18n import catalogs
from ui.layout import PAGES

ROOT = Path(__file__).resolve().parents[2]
TABLE_HEADER = "| page | preset | the link (after `…/`) |"


def readme_presets() -> list[tuple[str, str]]:
    """[(the page's row name, the link)] from the README's preset table."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(TABLE_HEADER)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        (link,) = re.findall(r"`([^`]+)`", cells[-1])
        rows.append((cells[1], link))
    return rows


SCRIPTS = {spec["url_path"]: spec["page"] for specs in PAGES.values() for spec in specs}


def split(link: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(link)
    return parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))


def page_presets(url_path: str) -> list[dict[str, str]]:
    """The settings of every preset the page offers in its sidebar (``lessons/<lesson>/guide.presets()``)."""
    guide = importlib.import_module(SCRIPTS[url_path].removesuffix("page.py").replace("/", ".") + "guide")
    out = []
    for _, settings in guide.presets():
        params = {k: str(v) for k, v in settings.items()}
        params.setdefault("guide", "1")  # as ui/guided.preset_url
        out.append(params)
    return out


def test_the_readme_table_is_every_page_s_presets():
    rows = readme_presets()
    assert len(rows) >= 20
    in_readme: dict[str, list[dict]] = {}
    for _, link in rows:
        path, params = split(link)
        assert path in SCRIPTS, f"{link}: no page at {path}"
        in_readme.setdefault(path, []).append(params)
    for path, found in in_readme.items():
        offered = page_presets(path)
        assert len(found) == len(offered), f"{path}: the README lists {len(found)} presets, the page {len(offered)}"
        chosen = []
        for params in found:
            # the page's link may also set what the README's leaves to the page (mask=, scale=1.0, the default text):
            # the README's row is the page's preset that adds the least to it
            matches = sorted((len(p) - len(params), i) for i, p in enumerate(offered) if params.items() <= p.items())
            assert matches, f"{path}?{params}: not one of the page's presets"
            chosen.append(matches[0][1])
        assert sorted(chosen) == list(range(len(offered))), f"{path}: the README misses one of the page's presets"


def question_label(at, url_path: str) -> str | None:
    """The label of the open guided question's answer widget (a radio or a number box), if one is shown."""
    for widget in list(at.radio) + list(at.number_input):
        if widget.key and widget.key.startswith("w.guide."):
            return widget.label
    return None


def step_matches(label: str, step: str) -> bool:
    """Whether ``label`` is the question of a step named ``step`` (its English text up to the first field)."""
    for key, text in catalogs()["en"].items():
        if key.startswith("guide.") and key.endswith(f".{step}.question"):
            literal = next(iter(string.Formatter().parse(text)))[0]
            if label.startswith(literal.strip()):
                return True
    return False


@pytest.mark.parametrize("name, link", readme_presets(), ids=[link.split("&guide")[0] for _, link in readme_presets()])
def test_every_readme_preset_opens_on_its_question(name, link):
    path, params = split(link)
    at = open_page(SCRIPTS[path], **params)
    no_errors(at)
    label = question_label(at, path)
    assert label, f"{link} opens without a guided question"
    step = params.get("guide", "1")
    if step != "1":
        assert step_matches(label, step), f"{link} should open on the step '{step}', shows: {label}"
