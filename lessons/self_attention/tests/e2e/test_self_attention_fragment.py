"""Self-attention's layer controls rerun the lesson's fragment, not the whole page (issue 23 item 1).

A class on one process pays for every full-page rerun: the title, the lesson,
the sequence widgets and app.py around them (~30 % of a Self-attention click
in the profile, docs/performance.md).  The controls (temperature, mask, heads,
d_model, weight seed) live in the ``layer_and_views`` fragment, which draws
them into the sidebar; a click on one must still give the same page: the
setting taken, the link updated, every sidebar control still there.
Through the benchmark's websocket client (benchmarks/st_client.py): it sees
which fragment a widget lives in, as the browser does.
"""

from __future__ import annotations

import sys

import pytest

from tests.e2e.fixtures import REPO
from tests.e2e.helpers import run_async

sys.path.insert(0, str(REPO / "benchmarks"))

from st_client import BrowserSession  # noqa: E402

pytestmark = pytest.mark.e2e

LAYER_CONTROLS = ["w.sa.temperature", "w.sa.mask", "w.sa.heads", "w.sa.d_model", "w.sa.wseed"]
SEQUENCE_CONTROLS = ["w.seq.n"]  # the sequence itself: a new X reruns the page


def test_a_layer_control_reruns_only_the_fragment_and_the_page_stays_whole(class_server):
    async def click() -> dict:
        session = BrowserSession(class_server.url, timeout=180)
        await session.connect()
        try:
            opened = await session.open("self-attention")
            assert not opened.failed, opened
            fragments = {key: session.find(key).fragment_id for key in LAYER_CONTROLS + SEQUENCE_CONTROLS}
            rerun = await session.change("w.sa.temperature", "2.0")
            after = {key: session.find(key).fragment_id for key in LAYER_CONTROLS}  # still drawn, same place
            rerun_heads = await session.change("w.sa.heads", 4)
            return dict(
                fragments=fragments,
                after=after,
                reruns=[rerun, rerun_heads],
                link=session.query_string,
                temperature=session.value("w.sa.temperature"),
            )
        finally:
            await session.close()

    seen = run_async(click())
    layer = {seen["fragments"][key] for key in LAYER_CONTROLS}
    assert "" not in layer, f"a layer control reruns the whole page: {seen['fragments']}"
    assert len(layer) == 1, "the layer controls share one fragment"
    assert seen["after"] == {key: seen["fragments"][key] for key in LAYER_CONTROLS}
    assert all(not r.failed and r.error_alerts == 0 for r in seen["reruns"]), seen["reruns"]
    assert "temperature=2" in seen["link"] and "heads=4" in seen["link"], seen["link"]
    assert seen["fragments"]["w.seq.n"] not in layer  # the sequence stays outside: a new X reruns the page
