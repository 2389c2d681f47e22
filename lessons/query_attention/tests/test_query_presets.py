"""The Query presets: the README's rows are the sidebar's links, and each opens on the question that makes its point."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pytest

from lessons.query_attention import guide as query_guide
from tests.app.pages import ROOT, open_page

PAGE = "lessons/query_attention/page.py"
README = ROOT / "README.md"
ORDER = ("top", "temperature", "softmax", "closest")  # the lesson's steps, in order
# the question that makes each preset's point
POINT = {"copy": "top", "split": "softmax", "sharp": "temperature", "flat": "temperature", "mask": "top"}


def readme_links() -> list[str]:
    """The Query rows of the README's preset table: from "| Query attention |" to the next page's row."""
    rows, inside = [], False
    for line in README.read_text().splitlines():
        if line.startswith("| Query attention |"):
            inside = True
        elif inside and not line.startswith("| |"):
            break
        if inside:
            rows.append(re.search(r"`(query\?[^`]*)`", line)[1])
    return rows


def preset_params() -> list[dict]:
    return [{k: str(v) for k, v in ({"guide": 1} | settings).items()} for _, settings in query_guide.presets()]


def test_the_readme_rows_are_the_sidebar_links():
    readme = [dict(parse_qsl(link.split("?", 1)[1], keep_blank_values=True)) for link in readme_links()]
    assert readme == preset_params()


@pytest.mark.parametrize("index", range(len(POINT)))
def test_each_preset_opens_on_the_question_that_makes_its_point(index):
    key, settings = query_guide.presets()[index]
    params = preset_params()[index]
    at = open_page(PAGE, **params)
    assert not at.exception and not at.error
    progress = at.session_state["guide.query.progress"]
    assert ORDER[progress["step"]] == POINT[key.rsplit(".", 1)[1]], (key, progress)
    assert not progress["revealed"]
