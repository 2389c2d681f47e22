"""A browser without the drawing: one Streamlit session over the real websocket protocol.

`BrowserSession` does what Streamlit 1.67's frontend does on the wire, so a
load benchmark can drive many sessions from one process:

- connects to ``/_stcore/stream`` with the ``streamlit`` subprotocol;
- opens a page by sending a ``BackMsg`` ``rerun_script`` (a ``ClientState``
  with the query string, the page's url path or script hash, the widget states
  and the hashes of the big messages it already holds);
- reads ``ForwardMsg``\\ s until ``script_finished``, keeping what a browser
  keeps: each widget's current value (learnt from the widget's proto in the
  ``delta`` that draws it; the frontend registers every drawn widget's value
  and sends the *full* list with each rerun), the query string the app wrote,
  the page hashes from the ``navigation`` message, and the cacheable messages
  (``metadata.cacheable``) for ``cached_message_hashes``;
- changes a widget by replacing its value in that list and sending the list
  (with the widget's ``fragment_id`` when it lives in an ``st.fragment``).

Only what the benchmark needs is modelled: widgets are found by their user
``key`` (an element id ends with ``-<key>``), and the common widget types get
their value from the proto (slider, select_slider, selectbox, radio,
number_input, checkbox, toggle, text_input, text_area, and the button groups:
segmented_control and pills, one option at a time).  Unknown widget types
are not sent, so the server keeps their previous value, as for a widget the
user never touched.  Nothing here imports the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

# ForwardMsg.script_finished values that end a rerun (EARLY_FOR_RERUN does not: another run follows).
_FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
}
_MAX_CACHED_MESSAGE_AGE = 2  # streamlit's global.maxCachedMessageAge: the browser drops older cached messages
_WIDGET_TYPES = {
    "slider",
    "selectbox",
    "radio",
    "number_input",
    "checkbox",
    "text_input",
    "text_area",
    "button",
    "button_group",
    "plotly_chart",
    "download_button",
    "multiselect",
    "file_uploader",
}


@dataclass
class Rerun:
    """What one rerun cost and sent: seconds from sending the BackMsg to ``script_finished``."""

    seconds: float
    status: str  # "ok", "compile error", "timeout", "closed: ..."
    bytes_received: int
    exceptions: list[str] = field(default_factory=list)  # first line of each st.exception / uncaught error
    error_alerts: int = 0  # st.error boxes (may be legitimate, e.g. a bad input)
    alerts: list[str] = field(default_factory=list)  # the text of every alert box drawn (info, success, warning, error)
    drawn: set[str] = field(default_factory=set)  # the keys of the widgets this run drew (a fragment's run: its own)

    @property
    def failed(self) -> bool:
        return self.status != "ok" or bool(self.exceptions)


@dataclass
class Widget:
    """A drawn widget: its element type, its proto and the fragment it lives in."""

    kind: str  # the Element oneof name: "slider", "selectbox", ...
    proto: object
    fragment_id: str = ""

    @property
    def options(self) -> list[str]:
        if self.kind == "button_group":  # segmented_control, pills: each option is a proto, sent as its words
            return [option.content for option in self.proto.options]
        return list(getattr(self.proto, "options", []))


def initial_state(widget: Widget) -> WidgetState | None:
    """The value the frontend registers when it draws ``widget`` (the server's value if it set one)."""
    p, kind = widget.proto, widget.kind
    state = WidgetState(id=p.id)
    if kind == "slider":
        if p.options:  # select_slider: the formatted option(s); the server sets them as raw_value
            labels = list(p.raw_value) if p.set_value else [p.options[int(i)] for i in p.default]
            state.string_array_value.data.extend(labels)
        else:
            state.double_array_value.data.extend(p.value if p.set_value else p.default)
    elif kind in ("selectbox", "radio"):
        if p.set_value and p.HasField("raw_value"):
            state.string_value = p.raw_value
        elif p.HasField("default") and 0 <= p.default < len(p.options):
            state.string_value = p.options[p.default]
        else:
            return None
    elif kind == "number_input":
        if p.set_value and p.HasField("value"):
            state.double_value = p.value
        elif p.HasField("default"):
            state.double_value = p.default
        else:
            return None
    elif kind == "checkbox":
        state.bool_value = p.value if p.set_value else p.default
    elif kind == "button_group":  # the chosen options' words (the server's if it set them)
        chosen = list(p.raw_values) if p.set_value else [p.options[int(i)].content for i in p.default]
        state.string_array_value.data.extend(chosen)
    elif kind in ("text_input", "text_area"):
        value = p.value if p.set_value and p.HasField("value") else (p.default if p.HasField("default") else None)
        if value is None:
            return None
        state.string_value = value
    else:
        return None
    return state


class BrowserSession:
    """One browser tab: a websocket, its widgets' values and the page it shows.

    ``cookie`` is sent with the websocket handshake (the nginx recipe hashes a
    cookie to pick a backend, as a browser's cookie would).
    """

    def __init__(self, base_url: str, cookie: str | None = None, timeout: float = 120.0):
        self.ws_url = base_url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self.cookies: dict[str, str] = dict(  # the browser's cookie jar: name → value
            part.strip().split("=", 1) for part in (cookie or "").split(";") if "=" in part
        )
        self.timeout = timeout
        self.ws = None
        self.widgets: dict[str, Widget] = {}  # element id → widget
        self.states: dict[str, WidgetState] = {}  # element id → the value the browser would send
        self.pages: dict[str, str] = {}  # url path → page script hash
        self.page_hash = ""
        self.query_string = ""
        self.cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash → (cacheable message, age)
        self.auto_reruns: dict[str, float] = {}  # fragment id → seconds: the fragments that rerun by themselves

    @property
    def cookie(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    async def connect(self) -> None:
        headers = {"Cookie": self.cookie} if self.cookies else {}
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit"],
            additional_headers=headers,
            max_size=None,
            compression=None,
            open_timeout=self.timeout,
        )
        # a browser keeps the cookies set on the handshake (the class recipe's names the process serving)
        for header in self.ws.response.headers.get_all("Set-Cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0].strip()

    async def reconnect(self, was_running: bool) -> Rerun | None:
        """What the frontend does when its websocket drops: connect again, and rerun if a run was under way.

        Streamlit 1.67's frontend asks for a run after reconnecting only when a run (or a fragment run)
        was under way; then it sends the whole page's rerun with the query string, the page and every
        widget's value, from which a process that never held the session starts a new one.  A tab that
        was idle sends nothing until its next click.
        """
        with contextlib.suppress(Exception):
            await self.ws.close()
        await self.connect()
        return await self._rerun() if was_running else None

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    # ------------------------------------------------------------ the two user actions

    async def open(self, url_path: str, query_string: str = "") -> Rerun:
        """Open a page as following a link does: by url path, with the link's query string."""
        self.page_hash = self.pages.get(url_path, "")
        self.query_string = query_string
        return await self._rerun(page_name=url_path)

    def find(self, key: str) -> Widget:
        """The drawn widget whose user key is ``key`` (its element id ends with ``-<key>``).

        A picker whose options follow the data carries a fingerprint of its labels
        (``ui.settings.labels_tag``): ``w.tm.layer.b310379e`` is found as ``w.tm.layer``.
        """
        for element_id, widget in self.widgets.items():
            user_key = element_id.rsplit("-", 1)[-1]
            if user_key == key or re.fullmatch(re.escape(key) + r"\.[0-9a-f]{8}", user_key):
                return widget
        raise KeyError(f"no widget with key {key!r} on the page; keys: {self.keys()}")

    def keys(self) -> list[str]:
        return sorted(element_id.rsplit("-", 1)[-1] for element_id in self.widgets)

    def value(self, key: str):
        """The value the browser holds for widget ``key`` (as sent: a string, a float, a list …)."""
        state = self.states.get(self.find(key).proto.id)
        if state is None:
            return None
        kind = state.WhichOneof("value")
        value = getattr(state, kind)
        return list(value.data) if hasattr(value, "data") else value

    async def change(self, key: str, value) -> Rerun:
        """Set widget ``key`` to ``value`` as a user would (an option label, a number, a bool, text)."""
        widget = self.find(key)
        state = WidgetState(id=widget.proto.id)
        if widget.kind == "slider" and widget.options:
            state.string_array_value.data.append(value)
        elif widget.kind == "slider":
            state.double_array_value.data.extend([float(value)])
        elif widget.kind in ("selectbox", "radio", "text_input", "text_area"):
            state.string_value = value
        elif widget.kind == "number_input":
            state.double_value = float(value)
        elif widget.kind == "checkbox":
            state.bool_value = bool(value)
        elif widget.kind == "button_group":
            state.string_array_value.data.append(value)
        else:
            raise TypeError(f"changing a {widget.kind} is not modelled")
        self.states[widget.proto.id] = state
        return await self._rerun(fragment_id=widget.fragment_id)

    async def press(self, key: str) -> Rerun:
        """Click button ``key`` (a trigger: sent with this rerun only, as the browser does)."""
        widget = self.find(key)
        return await self._rerun(fragment_id=widget.fragment_id, trigger=widget.proto.id)

    async def click_during_run(self, key: str) -> None:
        """Click button ``key`` while a run is still under way, as a student may (a Cancel while waiting).

        Only sends: the call that started the run under way keeps reading, and returns when the run the click
        asked for has finished (Streamlit ends the first with ``FINISHED_EARLY_FOR_RERUN`` when it gives way).
        """
        widget = self.find(key)
        back = self._back_msg(fragment_id=widget.fragment_id, trigger=widget.proto.id)
        await self.ws.send(back.SerializeToString())

    async def run_fragment(self, fragment_id: str) -> Rerun:
        """What the browser sends when an ``st.fragment(run_every=…)`` is due (``auto_reruns``)."""
        return await self._rerun(fragment_id=fragment_id)

    # ------------------------------------------------------------ the protocol

    def _back_msg(self, page_name: str = "", fragment_id: str = "", trigger: str = "") -> BackMsg:
        """The ``rerun_script`` BackMsg the frontend sends: the page, the query string, every widget's value,
        and the button ``trigger`` (an element id) that was clicked, if one was: true for this message only."""
        back = BackMsg()
        client = back.rerun_script
        client.query_string = self.query_string
        client.page_script_hash = self.page_hash
        client.page_name = page_name
        client.fragment_id = fragment_id
        client.widget_states.widgets.extend(self.states.values())
        if trigger:
            client.widget_states.widgets.add(id=trigger, trigger_value=True)
        client.cached_message_hashes.extend(self.cache)
        client.context_info.timezone = "UTC"
        client.context_info.locale = "en-US"
        return back

    async def _rerun(self, page_name: str = "", fragment_id: str = "", trigger: str = "") -> Rerun:
        back = self._back_msg(page_name, fragment_id, trigger)
        started = time.perf_counter()
        result = Rerun(seconds=0.0, status="timeout", bytes_received=0)
        seen: set[str] = set()  # element ids drawn in this run
        deadline = started + self.timeout
        try:
            await self.ws.send(back.SerializeToString())
        except websockets.ConnectionClosed as exc:  # closed while the tab was idle: nothing was sent
            result.status = f"closed before sending: {exc}"
            return result
        try:
            while True:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    break
                data = await asyncio.wait_for(self.ws.recv(), remaining)
                result.bytes_received += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                finished = self._handle(msg, seen, result)
                if finished is not None:
                    result.drawn = {element_id.rsplit("-", 1)[-1] for element_id in seen}
                    result.status = finished
                    # after a whole page's run, also one a fragment asked for (st.rerun(scope="app"))
                    if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                        self._forget_widgets_not_in(seen)
                    break
        except asyncio.TimeoutError:
            pass
        except websockets.ConnectionClosed as exc:
            result.status = f"closed: {exc}"
        result.seconds = time.perf_counter() - started
        return result

    def _handle(self, msg: ForwardMsg, seen: set[str], result: Rerun) -> str | None:
        """Take in one ForwardMsg; return the run's status when it is the one that ends the run."""
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":  # the server relies on our cache for this one
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                result.exceptions.append(f"ref_hash {msg.ref_hash} not in the browser's cache")
                return None
            self.cache[msg.ref_hash] = (cached[0], 0)
            msg = cached[0]
            kind = msg.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = (msg, 0)
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element, msg.delta.fragment_id, seen, result)
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
        elif kind == "auto_rerun":
            self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            result.exceptions.append(f"page not found: {msg.page_not_found.page_name}")
        elif kind == "script_finished" and msg.script_finished in _FINISHED:
            self._age_cache()
            return _FINISHED[msg.script_finished]
        return None

    def _element(self, element, fragment_id: str, seen: set[str], result: Rerun) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}".splitlines()[0][:300])
        elif kind == "alert":
            result.alerts.append(element.alert.body)
            result.error_alerts += element.alert.format == Alert.ERROR
        elif kind in _WIDGET_TYPES:
            proto = getattr(element, kind)
            if not getattr(proto, "id", ""):
                return
            widget = Widget(kind, proto, fragment_id)
            self.widgets[proto.id] = widget
            seen.add(proto.id)
            # the frontend keeps the value it holds for a widget it already knows, unless the server sets one
            if proto.id not in self.states or getattr(proto, "set_value", False):
                state = initial_state(widget)
                if state is not None:
                    self.states[proto.id] = state

    def _forget_widgets_not_in(self, seen: set[str]) -> None:
        """After a full run the frontend drops the widgets that were not drawn (its removeInactive)."""
        for element_id in list(self.widgets):
            if element_id not in seen:
                del self.widgets[element_id]
                self.states.pop(element_id, None)

    def _age_cache(self) -> None:
        self.cache = {h: (m, age + 1) for h, (m, age) in self.cache.items() if age + 1 <= _MAX_CACHED_MESSAGE_AGE}
