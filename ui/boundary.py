"""The page boundary: an unexpected error becomes one friendly message, a reset button and a log entry.

Bad input is handled where it is read (``InputError``: one sentence, the
previous data kept); what reaches this boundary is a bug.  A student must not
see a traceback (server paths, Streamlit's "Ask" links), and one broken page
must not take the others with it.  The traceback goes to the server log.

Streamlit's own control flow (``st.rerun``, ``st.stop``, ``st.switch_page``)
raises ``BaseException`` subclasses, which ``except Exception`` lets through
untouched.
"""

from __future__ import annotations

import functools
import logging
from contextvars import ContextVar
from pathlib import Path

import streamlit as st
from streamlit.errors import FragmentHandledException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from . import export
from .i18n import t

log = logging.getLogger(__name__)

# {page url_path: the session-state prefixes of that page's own settings}.
# "<prefix>.*" are the canonical values, "w.<prefix>.*" their widgets.
PAGE_STATE = {"home": ("home",), "query": ("q", "score", "query"), "self-attention": ("sa",), "model": ("tm",)}
SEQUENCE_STATE = ("seq",)  # the sequence X every lesson shares: reset only when the page alone did not help
ALWAYS_RESET = ("chart.", "_errors")  # chart selections (on_select) and messages queued for the broken page
_RESETS_KEY = "_boundary.resets"  # {page: resets since the page last ran without an error}


def run_page(page) -> None:
    """``page.run()`` (the page st.navigation picked) inside the boundary."""
    name = page.url_path or "home"
    body = st.empty()  # a failed page is replaced by the message, not left half drawn
    try:
        with body.container():
            page.run()
    except Exception as exc:
        # an error in an st.fragment arrives wrapped, once a fragment it was in (Streamlit has drawn it; the
        # container below replaces that)
        error = exc
        while isinstance(error, FragmentHandledException) and error.args:
            error = error.args[0]
        log.error("Unexpected error on page %r", name, exc_info=(type(error), error, error.__traceback__))
        with body.container():
            _show_failure(name)
    else:
        st.session_state.get(_RESETS_KEY, {}).pop(name, None)


def fragment(func):
    """``st.fragment`` inside the boundary: an error in a fragment-only rerun reruns the page, whose boundary shows it.

    (A fragment rerun does not pass through ``run_page``; the page's full run
    meets the same error again and shows the friendly message.)  The fragment is keyed by where it is
    defined (``fragment_key``): a live class's teacher writes which fragment a change came from
    (``rerun_scope``), and each follower reruns that fragment only, not the whole page (ui/live/follow.py).
    """
    key = fragment_key(func)

    @functools.wraps(func)
    def guarded(*args, **kwargs):
        running = _RUNNING.set((*_RUNNING.get(), key))
        try:
            with export.section(func.__qualname__):  # this fragment's charts replace the ones it drew before
                return func(*args, **kwargs)
        except Exception:
            ctx = get_script_run_ctx()
            if ctx is None or not ctx.fragment_ids_this_run:
                raise  # a full run: run_page's boundary is on the stack
            log.exception("Unexpected error in a fragment rerun; rerunning the page")
            st.rerun(scope="app")
        finally:
            _RUNNING.reset(running)

    return st.fragment(guarded, key=key)


# the keys of the app's fragments running in this script thread, outermost first
_RUNNING: ContextVar[tuple[str, ...]] = ContextVar("ae_fragments_running", default=())


def fragment_key(func) -> str:
    """``<lesson folder>.<file>.<function>``: the same in every session (a page script's ``__module__`` is
    ``__main__``, so its folder names it)."""
    path = Path(func.__code__.co_filename)
    return f"{path.parent.name}.{path.stem}.{func.__qualname__}"


def rerun_scope() -> str | None:
    """The key of the fragment this run reruns (the outermost of the app's fragments running), or None in a
    whole run: what a change made now would need on another screen showing the same state."""
    ctx = get_script_run_ctx()
    running = _RUNNING.get()
    if ctx is None or not ctx.fragment_ids_this_run or not running:
        return None
    return running[0]


def _show_failure(name: str) -> None:
    with_data = st.session_state.get(_RESETS_KEY, {}).get(name, 0) > 0
    st.error(t("boundary.message"), icon=":material/sentiment_dissatisfied:")
    st.button(
        t("boundary.reset_with_data" if with_data else "boundary.reset"),
        on_click=reset_page,
        args=(name, with_data),
        key="w.boundary.reset",
        type="primary",
        icon=":material/restart_alt:",
    )
    st.caption(t("boundary.resets_with_data" if with_data else "boundary.resets"))


def state_keys(name: str, with_data: bool = False) -> list[str]:
    """The session-state keys that resetting page ``name`` removes (the sequence's too when ``with_data``)."""
    prefixes = PAGE_STATE.get(name, ()) + (SEQUENCE_STATE if with_data else ())
    starts = tuple(f"{p}." for p in prefixes) + tuple(f"w.{p}." for p in prefixes) + ALWAYS_RESET
    return [k for k in st.session_state if k in prefixes or k.startswith(starts)]


def reset_page(name: str, with_data: bool = False) -> None:
    """Forget page ``name``'s settings (and, when ``with_data``, the sequence X); the page rebuilds its defaults."""
    for key in state_keys(name, with_data):
        del st.session_state[key]
    resets = st.session_state.setdefault(_RESETS_KEY, {})
    resets[name] = resets.get(name, 0) + 1
