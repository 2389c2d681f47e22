"""A live class over the wire: a teacher and students as websocket sessions that act as browsers.

Built on ``st_client.BrowserSession``; used by tests/e2e/test_live_class_recipe.py (the class recipe with
a room, a kill -9 during a question) and benchmarks/bench_live_class.py (40 following students).

``LiveSession`` also keeps what the last run drew that a reader looks at: Markdown and captions, alerts,
code blocks, metrics and the Plotly charts' specs by key.  A student follows as the real page does: it reruns its
poll fragment (``ui/live/follow.py``, ``st.fragment(run_every=1 s)``) every second (``poll``).  Widgets
without a user key (a form's submit buttons) are pressed by their label (``press_label``).
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qs

from st_client import _WIDGET_TYPES, BrowserSession, Rerun
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.WidgetStates_pb2 import WidgetState

CODE = re.compile(r"## ([A-Z2-9]{6})")  # the teacher's sidebar shows the room's code as one heading


class LiveSession(BrowserSession):
    """A browser tab in a live class: what its last run drew, and the room's actions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.texts: list[str] = []  # Markdown bodies and captions, in the order drawn
        self.alerts: list[tuple[str, str]] = []  # ("success" | "warning" | "error" | "info", body)
        self.metrics: dict[str, str] = {}  # label → value as shown
        self.charts: dict[str, dict] = {}  # the chart's key (``chart.live.answers``) → its Plotly spec
        self.codes: list[str] = []  # st.code blocks (the room's links)
        self.drawn: set[str] = set()  # the user keys of the widgets the last run drew
        self.code = ""  # the room's code, once a teacher's sidebar showed it

    async def _rerun(self, page_name: str = "", fragment_id: str = "", trigger: str = "") -> Rerun:
        self.texts, self.alerts, self.codes, self.metrics, self.charts, self.drawn = [], [], [], {}, {}, set()
        return await super()._rerun(page_name=page_name, fragment_id=fragment_id, trigger=trigger)

    def _element(self, element, fragment_id, seen, result):
        kind = element.WhichOneof("type")
        if kind == "markdown":
            self.texts.append(element.markdown.body)
            if found := CODE.fullmatch(element.markdown.body):
                self.code = found[1]
        elif kind == "alert":
            self.alerts.append((Alert.Format.Name(element.alert.format).lower(), element.alert.body))
        elif kind == "code":
            self.codes.append(element.code.code_text)
        elif kind == "metric":
            self.metrics[element.metric.label] = element.metric.body
        elif kind == "plotly_chart" and element.plotly_chart.id:
            self.charts[element.plotly_chart.id.rsplit("-", 1)[-1]] = json.loads(element.plotly_chart.spec or "{}")
        if kind in _WIDGET_TYPES and getattr(getattr(element, kind), "id", ""):
            self.drawn.add(getattr(element, kind).id.rsplit("-", 1)[-1])
        super()._element(element, fragment_id, seen, result)

    # ------------------------------------------------------------ what the page holds

    def setting(self, name: str) -> str | None:
        """A setting as the address bar holds it (``temperature``), or None."""
        return parse_qs(self.query_string).get(name, [None])[0]

    def has_key(self, key: str) -> bool:
        """Whether the last run drew widget ``key`` (a fragment's run draws only the fragment's widgets)."""
        return key in self.drawn

    @property
    def poll_id(self) -> str:
        """The fragment that reruns by itself every second: a follower's poll of the room."""
        (fragment,) = [f for f, seconds in self.auto_reruns.items() if seconds <= 1.0]
        return fragment

    async def poll(self) -> Rerun:
        """What the browser does every second while following: rerun the poll fragment."""
        return await self.run_fragment(self.poll_id)

    async def press_label(self, label: str) -> Rerun:
        """Click the button labelled ``label`` (a form's submit button has no user key)."""
        (widget,) = [w for w in self.widgets.values() if w.kind == "button" and w.proto.label == label]
        state = WidgetState(id=widget.proto.id)
        state.trigger_value = True
        self.states[widget.proto.id] = state
        try:
            return await self._rerun(fragment_id=widget.fragment_id)
        finally:
            self.states.pop(widget.proto.id, None)

    # ------------------------------------------------------------ the class

    async def start_class(self, page: str, query: str = "") -> str:
        """As a teacher: open ``page`` and start a live class there; the room's code."""
        await self.connect()
        ok(await self.open(page, query), "the teacher's page")
        ok(await self.press("w.live.start"), "Start a live class")
        if not self.code:
            raise AssertionError(f"no room code on the teacher's page: {self.texts}")
        return self.code

    async def join(self, code: str) -> None:
        """As a student: open the join link (the home page, ``?room=CODE``), which opens the teacher's page."""
        await self.connect()
        ok(await self.open("", f"room={code}"), "the join link")
        if "seat=" not in self.query_string:
            raise AssertionError(f"the student did not join room {code}: {self.query_string}")
        self.poll_id  # noqa: B018 - a follower's page polls


def ok(rerun: Rerun, what: str) -> Rerun:
    """``rerun``, or an AssertionError naming ``what`` failed and how."""
    if rerun.failed:
        raise AssertionError(f"{what}: {rerun.status} {rerun.exceptions}")
    return rerun


async def follow_until(student: LiveSession, done, timeout: float, every: float = 1.0) -> float | None:
    """Poll as the page does until ``done(student)``; seconds it took (None: not within ``timeout``).

    The first poll goes out at once: the caller measures from the teacher's change, and a real
    browser's next poll is due anywhere within ``every`` of it (the p95 the benchmark prints adds that).
    """
    started = time.monotonic()
    while True:
        if done(student):
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            return None
        ok(await student.poll(), "a follower's poll")
        if not done(student):
            await _sleep_until(started, every)


async def _sleep_until(started: float, every: float) -> None:
    import asyncio

    elapsed = time.monotonic() - started
    await asyncio.sleep(every - elapsed % every)
