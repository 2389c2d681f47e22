"""Which store this server's rooms live in: one function, ``open_store()``, read from the server's settings.

The store's address, the first found of:

1. the ``url`` argument;
2. the environment variable ``ATTENTION_EXPLORER_ROOMS``;
3. the Streamlit secret ``rooms_url`` (``.streamlit/secrets.toml``, or Community Cloud's *Secrets*);
4. SQLite at ``<data dir>/rooms.sqlite3``, the data dir being ``ATTENTION_EXPLORER_DATA`` or else
   ``<system temp dir>/attention-explorer`` (writable on Streamlit Community Cloud and in the container).

Accepted addresses: ``sqlite:///abs/path.sqlite3`` (every process on one machine),
``redis://[:password@]host[:port][/db]`` or ``rediss://…`` (several machines), and ``memory``
(this process only: a lone ``streamlit run``, or tests).  A room lives ``ATTENTION_EXPLORER_ROOM_IDLE_S``
seconds untouched (default 4 hours).  A bad address or idle time, or a store that cannot be
reached, raises ``InputError``: one sentence, without the address's password.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from attention_core.errors import InputError, Quoted, clip

from .memory_store import MemoryStore
from .store import Store

ROOMS_ENV = "ATTENTION_EXPLORER_ROOMS"
DATA_ENV = "ATTENTION_EXPLORER_DATA"
IDLE_ENV = "ATTENTION_EXPLORER_ROOM_IDLE_S"
ROOMS_SECRET = "rooms_url"
DEFAULT_IDLE_S = 4 * 3600.0  # a school day's lesson and then some; the room and its answers are deleted after
FORMS = Quoted(("sqlite:///…", "redis://…", "rediss://…", "memory"))


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (or the server's setting, see above), opened and checked."""
    url = configured_url(url)
    idle_s = idle_seconds()
    if url == "memory":
        return MemoryStore(idle_s)
    parts = urlsplit(url)
    if parts.scheme == "sqlite" and not parts.netloc and parts.path.startswith("/"):
        from .sqlite_store import SQLiteStore

        path = Path(parts.path)
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # nicknames are in it: for this user only
            return SQLiteStore(path, idle_s)
        except (OSError, sqlite3.Error) as exc:
            raise InputError("rooms.unreachable", url=shown(url)) from exc
    if parts.scheme in ("redis", "rediss") and parts.hostname:
        import redis

        from .redis_store import RedisStore

        try:
            return RedisStore(url, idle_s)
        except ValueError:  # a port or database that is not a number, an unknown option
            pass
        except redis.RedisError as exc:
            raise InputError("rooms.unreachable", url=shown(url)) from exc
    raise InputError("rooms.bad_url", url=shown(url), forms=FORMS)


def configured_url(url: str | None = None) -> str:
    """The store's address: ``url``, else the environment, else the secret, else the default SQLite file."""
    return (url or os.environ.get(ROOMS_ENV) or _secret(ROOMS_SECRET) or default_url()).strip()


def data_dir() -> Path:
    """Where the app keeps its files: ``ATTENTION_EXPLORER_DATA``, else a folder under the system's temp dir."""
    return Path(os.environ.get(DATA_ENV) or Path(tempfile.gettempdir()) / "attention-explorer")


def default_url() -> str:
    return f"sqlite://{data_dir().resolve() / 'rooms.sqlite3'}"


def idle_seconds() -> float:
    """``ATTENTION_EXPLORER_ROOM_IDLE_S`` (seconds a room lives untouched), default 4 hours."""
    raw = os.environ.get(IDLE_ENV, "").strip()
    if not raw:
        return DEFAULT_IDLE_S
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise InputError("rooms.idle_s", name=IDLE_ENV, value=clip(raw))
    return value


def shown(url: str) -> str:
    """``url`` as a message may show it: no password (``redis://:…@host``), at most 60 characters."""
    return clip(re.sub(r"//[^/@]*@", "//…@", url), 60)


def _secret(name: str) -> str | None:
    """A top-level Streamlit secret, or None (no secrets file, a file that does not parse, no Streamlit)."""
    try:
        import streamlit as st  # only here: the stores themselves know nothing of Streamlit

        if not st.secrets.load_if_toml_exists():
            return None
        value = st.secrets.get(name)
    except (ImportError, OSError):
        return None
    return value if isinstance(value, str) else None
