"""The store of this server's rooms, one a process, shared by every session, and the rules over it.

``classroom.open_store.open_store()`` picks the store (SQLite on one machine,
Redis on several); until that module is in, a process-wide ``MemoryStore``
(one process only: a class on the 2-process recipe needs the real store).
"""

from __future__ import annotations

import streamlit as st

from classroom.memory_store import MemoryStore
from classroom.rooms import Limits, Rooms
from classroom.store import Store

LIMITS = Limits()


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The process's store (a connection pool, not a session's data: st.cache_resource is what it is for)."""
    try:
        from classroom.open_store import open_store
    except ImportError:
        return MemoryStore()
    return open_store()


def rooms() -> Rooms:
    """The rules of every room over the process's store."""
    return Rooms(store(), LIMITS)
