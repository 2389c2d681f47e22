"""Following the teacher: the teacher's page written to the room once, and every follower applying it.

The teacher's side: ``url_state.publish`` hands every run's page state to
``published``, which writes (page, state, data) to the room only when it
changed: one write a change, whatever the number of students.

A follower's side (a student, or the projector view): ``poll`` is a small
``st.fragment(run_every=1 s)`` that reads the room's version, one number.
When it is what this session last took in, the fragment ends there and the
page does not rerun.  When the teacher changed something, the session reads
the room once and, for a new view, applies the teacher's state
(``url_state.apply_state``) and data and goes to the teacher's page
(``st.switch_page``) or reruns it.  A question, a reveal or a lock reruns
the page without touching its settings.

Most of a teacher's changes are one click in one of the page's fragments (q,
the temperature, the method): the teacher's own page reran only that
fragment, and the room says which (``RoomView.scope``).  A follower showing
the teacher's previous view then takes the state in and reruns that fragment
only (``_one_fragment``): forty followers rerun on every change, and a
fragment's run is a fraction of the page's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
from urllib.parse import parse_qsl

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import RerunData, RerunException, get_script_run_ctx

from attention_core.errors import InputError
from attention_core.uploads import load_sequence
from classroom.errors import BadInput, RoomError, RoomGoneError
from ui import boundary, layout, projector, sequence_input, url_state
from ui.feedback import error_text
from ui.i18n import t

from . import place
from .room_store import LIMITS, rooms

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0  # a teacher's change shows on every laptop within this and one page run
# an uploaded or edited X bigger than this is over the page-state limit however it is written (≥ 4 characters
# a number): refused before it is turned into text
MAX_SENT_VALUES = LIMITS.state_bytes // 4


# ---------------------------------------------------------------------- the teacher writes


@place.shielded
def published(query: str) -> None:
    """The page state a run just published (``url_state.publish``): a teacher's room shows it, written once.

    A state over the room's limit is refused before anything is read or written, and said on every
    run while it stays (the students keep the previous view).
    """
    here = place.get()
    if here is None or here.role != place.TEACHER:
        return
    try:
        view = (layout.current_page(), query, teachers_data())
        if view != here.written:
            rooms().set_view(here.code, here.key, *view, scope=boundary.rerun_scope())
            here.written = view
    except BadInput as exc:
        st.warning(error_text(exc), icon=":material/cloud_off:")
    except RoomError as exc:  # the room ended or expired
        place.leave()
        st.warning(error_text(exc), icon=":material/cloud_off:")


def teachers_data() -> str | None:
    """The teacher's X as CSV when the page shows an uploaded or edited one (no link holds it); else None."""
    seq = sequence_input.unlinked()
    if seq is None:
        return None
    if seq.values.size > MAX_SENT_VALUES:
        size = math.ceil(seq.values.size * 10 / 1000)  # about ten characters a number
        raise BadInput("room.state_too_big", size=size, limit=LIMITS.state_bytes // 1000)
    return sequence_input.per_sequence("live.csv", lambda: sequence_input.x_csv(seq))


# ---------------------------------------------------------------------- followers read


@st.fragment(run_every=POLL_SECONDS)
@place.shielded
def poll() -> None:
    """One version read a second; the page reruns only when the teacher changed something."""
    here = place.get()
    if here is not None and here.role != place.TEACHER:
        check(here, rerun=True)


def check(here: place.Place, rerun: bool) -> None:
    """Take in the room's changes since this session last looked (one version read when there are none).

    ``rerun``: called from the poll, so a change reruns the page; in a page's own run (before the page
    draws) the change is simply there when the page draws.
    """
    version = rooms().version(here.code)
    if version == here.seen:
        return
    try:
        take_in(here, rerun)
    except RoomGoneError as exc:
        place.leave()
        place.notify(error_text(exc))
        if rerun:
            st.rerun(scope="app")


def take_in(here: place.Place, rerun: bool) -> None:
    view = rooms().view(here.code)
    if rerun:
        _one_fragment(here, view)  # when it can: only the fragment the teacher's change came from reruns
    here.room, here.seen = view, view.version
    if here.role == place.STUDENT and view.question is not None:
        _own_result(here, view.question)
    if view.locked and not here.following:  # eyes on the projector: everyone back to the teacher
        keep_own(here)
        here.following = True
    if here.following and view.view_n != here.view_seen:
        show(here, view, rerun)
    if rerun:
        st.rerun(scope="app")


def _one_fragment(here: place.Place, view) -> None:
    """When the teacher's one change since this screen's view came from one fragment of the page: take the
    change in now and rerun only that fragment (a fraction of the page's run: forty followers rerun on every
    change); this run ends there.  Returns, with nothing done, for anything else (the whole page reruns).

    Only when this screen shows exactly the teacher's previous view: the same page and data, its settings
    as the teacher's were (a student who moved a slider while following gets the whole page), and no other
    change in the room (a question, the lock) since.  The guided step the class is to predict may have moved
    with the change (``RoomView.step``): the guided panel that hides it is drawn by the same fragment.
    """
    before = here.room
    if (
        view.scope is None
        or before is None
        or not here.following
        or before.version != here.seen
        or (view.locked, view.question) != (before.locked, before.question)
        or view.view_n != here.view_seen + 1
        or before.view_n != here.view_seen
        or (view.page, view.data) != (before.page, before.data)
        or view.page != layout.current_page()
        or url_state.page_state() != before.query
    ):
        return
    request = _fragment_rerun(view.scope)  # made before anything is taken in: when it cannot be, the page reruns
    address = None if request is None else url_state.take_change_now(view.page, before.query, view.query)
    if address is None:
        return
    here.room, here.seen, here.view_seen = view, view.version, view.view_n
    raise RerunException(dataclasses.replace(request, query_string=address))  # the run reads the new address


def _fragment_rerun(key: str) -> RerunData | None:
    """The request that reruns only this session's fragment drawn with ``key`` (``ui.boundary.fragment``), as
    ``st.rerun("key")`` makes it from a widget's callback; None when there is not exactly one such fragment.

    Streamlit 1.67 allows a rerun of a named fragment only from a callback.  The poll is a fragment's own run
    that has drawn nothing, and raising the request (``RerunException``) ends it as ``st.rerun`` does.  These
    are Streamlit's internals (requirements.txt pins the version): anything unexpected gives None, and the
    follower reruns the whole page as before.
    """
    try:
        ctx = get_script_run_ctx()
        fragments = list(ctx.fragment_storage.resolve_target(key))
        if len(fragments) != 1:
            return None
        return RerunData(
            query_string=ctx.query_string,
            page_script_hash=ctx.page_script_hash,
            fragment_id_queue=fragments,
            is_fragment_scoped_rerun=True,
            cached_message_hashes=ctx.cached_message_hashes,
            context_info=ctx.context_info,
        )
    except StreamlitAPIException:  # not drawn in this session (yet)
        return None
    except Exception:
        log.exception("live class: a fragment's rerun could not be asked for; the whole page reruns")
        return None


def _own_result(here: place.Place, question) -> None:
    """A student's own answer (after a move to another process, from the room) and, once revealed, their result."""
    if question.revealed and question.qid not in here.results:
        here.results[question.qid] = rooms().own(here.code, here.seat, question.qid)
    elif not question.revealed and question.qid not in here.mine:
        given = rooms().own(here.code, here.seat, question.qid).value
        if given is not None:
            here.mine[question.qid] = given


def show(here: place.Place, view, rerun: bool) -> None:
    """Make this session show the teacher's view: data, settings, page (does not return when it switches pages)."""
    if view.page not in {spec["url_path"] for spec in layout.entries()}:
        return
    here.view_seen = view.view_n
    _take_data(here, view.data)
    url_state.apply_state(view.query)
    if view.page != layout.current_page():
        st.switch_page(layout.page_path(view.page), query_params=_link(view.query))
    if rerun:
        st.rerun(scope="app")


def _link(query: str) -> dict[str, str]:
    """The address bar's parameters for ``query``: the state, the reader's language and projector mode, the room."""
    lang = st.session_state.get("lang")
    return (
        dict(parse_qsl(query, keep_blank_values=True))
        | ({"lang": lang} if lang and lang != "en" else {})
        | projector.url_values()
        | url_state.session_values()
    )


def _take_data(here: place.Place, data: str | None) -> None:
    """The teacher's uploaded or edited X, read like an upload (its limits and checks), when it is new here."""
    digest = None if data is None else hashlib.blake2b(data.encode(), digest_size=8).hexdigest()
    if digest == here.data_seen:
        return
    here.data_seen = digest
    if data is None:  # generated data: the state's generator settings make it
        return
    try:
        seq = load_sequence(data.encode(), "teacher.csv")
    except InputError as exc:
        place.notify(error_text(exc))
        return
    sequence_input.set_sequence(seq, {"type": "file", "name": t("live.teachers_data")})


# ---------------------------------------------------------------------- a student leaves and comes back


def keep_own(here: place.Place) -> None:
    """Remember what the student has on screen, so that leaving the teacher again brings it back."""
    here.own = place.OwnView(
        page=layout.current_page(),
        query=url_state.page_state(),
        sequence=st.session_state.get(sequence_input.SEQUENCE_KEY),
        origin=dict(st.session_state.get(sequence_input.ORIGIN_KEY, {})),
    )


def explore(here: place.Place) -> None:
    """ "Explore on my own": stop following; the student's own view comes back when they had one."""
    here.following = False
    here.view_seen = -1  # what is on screen is no longer the teacher's view: coming back applies it again
    own, here.own = here.own, None
    if own is None:
        return
    if own.sequence is not None:
        sequence_input.set_sequence(own.sequence, own.origin)
    here.data_seen = "own"  # the teacher's data must be applied again when they come back
    url_state.apply_state(own.query)
    if own.page != layout.current_page():
        st.switch_page(layout.page_path(own.page), query_params=_link(own.query))
    st.rerun(scope="app")


def back(here: place.Place) -> None:
    """ "Back to the teacher": keep the student's own view, then show the teacher's."""
    keep_own(here)
    here.following = True
    here.view_seen = -1
    view = rooms().view(here.code)
    here.room, here.seen = view, view.version
    show(here, view, rerun=True)
