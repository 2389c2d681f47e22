"""The store of this server's rooms, one a process, shared by every session, and the rules over it.

``classroom.open_store.open_store()`` opens the store the server is set up with (SQLite on one
machine by default, Redis for several; ``ATTENTION_EXPLORER_ROOMS``, docs/live-class-deploy.md).
A store that cannot be opened raises ``InputError`` (one sentence); it is tried again on the next use.
"""

from __future__ import annotations

import streamlit as st

from classroom.open_store import open_store
from classroom.rooms import Limits, Rooms
from classroom.store import Store

LIMITS = Limits()


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The process's store (a connection, not a session's data: st.cache_resource is what it is for)."""
    return open_store()


def rooms() -> Rooms:
    """The rules of every room over the process's store."""
    return Rooms(store(), LIMITS)
