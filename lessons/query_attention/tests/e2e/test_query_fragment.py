"""Query's scoring controls rerun only the charts' fragment, not the query editor (issue 23 item 1).

The page has two fragments: ``interactive`` draws the query editor and calls ``charts``,
which draws the scoring sidebar (method, temperature, mask), computes and draws every
chart.  A class clicks the scoring controls most: a click there reruns ``charts`` only,
so the editor's dozen widgets are not rebuilt and resent (a third of a click's CPU).
The page must stay whole: the setting taken, the link updated, the editor still there.
Through the benchmark's websocket client (benchmarks/st_client.py): it sees which
fragment a widget lives in and which widgets a run drew, as the browser does.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.e2e.helpers import run_async

REPO = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(REPO / "benchmarks"))

from st_client import BrowserSession  # noqa: E402

pytestmark = pytest.mark.e2e

SCORING = ["w.score.method", "w.score.temperature", "w.score.mask"]
EDITOR = ["w.q.copy_i", "w.q.scale", "w.q.m", "w.q.text", "w.q.dim.0"]


def test_a_scoring_click_reruns_only_the_charts_and_the_editor_stays(class_server):
    async def click() -> dict:
        session = BrowserSession(class_server.url, timeout=180)
        await session.connect()
        try:
            opened = await session.open("query")
            assert not opened.failed, opened
            fragments = {key: session.find(key).fragment_id for key in SCORING + EDITOR}
            scoring = await session.change("w.score.temperature", "2.0")
            link_after_scoring = session.query_string
            editor = await session.change("w.q.dim.0", 1.5)  # an editor click: the charts follow it
            return dict(fragments=fragments, scoring=scoring, editor=editor, link=link_after_scoring)
        finally:
            await session.close()

    seen = run_async(click())
    scoring_fragment = {seen["fragments"][key] for key in SCORING}
    editor_fragment = {seen["fragments"][key] for key in EDITOR}
    assert len(scoring_fragment) == 1 and "" not in scoring_fragment, seen["fragments"]
    assert len(editor_fragment) == 1 and "" not in editor_fragment, seen["fragments"]
    assert scoring_fragment != editor_fragment  # two fragments: the charts' and the editor's
    assert not seen["scoring"].failed and seen["scoring"].error_alerts == 0
    assert set(SCORING) <= seen["scoring"].drawn and not set(EDITOR) & seen["scoring"].drawn
    assert "temperature=2" in seen["link"], seen["link"]
    assert not seen["editor"].failed and set(SCORING + EDITOR) <= seen["editor"].drawn  # the editor reruns both
