"""open_store(): which store a server's rooms live in, from the argument, the environment, secrets or the default."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from attention_core.errors import InputError
from classroom import open_store as opening
from classroom.memory_store import MemoryStore
from classroom.open_store import open_store
from classroom.redis_store import RedisStore
from classroom.sqlite_store import SQLiteStore
from tests.server import REPO
from ui.feedback import say

SETTINGS = (opening.ROOMS_ENV, opening.DATA_ENV, opening.IDLE_ENV)


@pytest.fixture(autouse=True)
def no_server_settings(monkeypatch):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)


def test_memory_and_sqlite_addresses_open_their_stores(tmp_path):
    assert isinstance(open_store("memory"), MemoryStore)
    path = tmp_path / "a folder" / "rooms.sqlite3"  # the folder is made, a space in it is fine
    store = open_store(f"sqlite://{path}")
    assert isinstance(store, SQLiteStore) and store.path == path and path.exists()
    store.close()


def test_a_redis_address_opens_the_redis_store(redis_url):
    store = open_store(redis_url)
    assert isinstance(store, RedisStore)
    store.close()


def test_the_environment_names_the_store_and_its_idle_time(monkeypatch, tmp_path):
    monkeypatch.setenv(opening.ROOMS_ENV, f"sqlite://{tmp_path}/class.sqlite3")
    monkeypatch.setenv(opening.IDLE_ENV, "90")
    store = open_store()
    assert store.path == tmp_path / "class.sqlite3" and store.idle_s == 90.0
    store.close()
    assert isinstance(open_store("memory"), MemoryStore)  # the argument comes first


def test_without_settings_the_rooms_are_a_sqlite_file_in_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv(opening.DATA_ENV, str(tmp_path / "data"))
    store = open_store()
    assert store.path == tmp_path / "data" / "rooms.sqlite3" and store.idle_s == 4 * 3600
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700  # nicknames are in it: this user's only
    store.close()


def test_the_default_data_folder_is_under_the_system_temp_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(opening.tempfile, "tempdir", None)  # tempfile reads TMPDIR again
    assert opening.default_url() == f"sqlite://{tmp_path.resolve()}/attention-explorer/rooms.sqlite3"


def _open_in(folder, secrets: str | None) -> str:
    """The kind and path of the store a fresh process opens in ``folder`` (its .streamlit/secrets.toml: ``secrets``)."""
    if secrets is not None:
        (folder / ".streamlit").mkdir()
        (folder / ".streamlit" / "secrets.toml").write_text(secrets)
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS} | {
        "PYTHONPATH": str(REPO),
        "HOME": str(folder),  # no ~/.streamlit/secrets.toml of the machine's
        opening.DATA_ENV: str(folder / "data"),
    }
    code = (
        "from classroom.open_store import open_store; s = open_store(); print(type(s).__name__, getattr(s, 'path', ''))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_streamlit_secret_names_the_store(tmp_path):
    assert _open_in(tmp_path, 'rooms_url = "memory"\n') == "MemoryStore"


def test_a_secrets_file_that_does_not_parse_is_no_setting(tmp_path):
    assert _open_in(tmp_path, "rooms_url = [unclosed\n") == f"SQLiteStore {tmp_path}/data/rooms.sqlite3"


@pytest.mark.parametrize(
    "url",
    ["mysql://db/rooms", "sqlite:rooms.sqlite3", "sqlite://host/rooms.sqlite3", "redis://", "redis://h:port/0", "x"],
)
def test_an_address_of_no_accepted_form_is_one_sentence_in_both_languages(url):
    with pytest.raises(InputError) as caught:
        open_store(url)
    assert caught.value.key == "rooms.bad_url"
    assert str(caught.value).startswith(f"The live-class store {url} is not one this server can use; set it to one of")
    assert '"sqlite:///…", "redis://…", "rediss://…", "memory"' in str(caught.value)
    assert "实时课堂" in say(caught.value, "zh")


def test_a_store_that_cannot_be_reached_is_one_sentence_without_its_password():
    with pytest.raises(InputError) as caught:
        open_store("redis://:s3cret@127.0.0.1:1/0")  # nothing listens on port 1
    assert caught.value.key == "rooms.unreachable"
    assert "s3cret" not in str(caught.value) and "s3cret" not in json.dumps(caught.value.params)
    assert "redis://…@127.0.0.1:1/0" in str(caught.value)
    with pytest.raises(InputError, match="cannot be reached or written"):
        open_store("sqlite:///proc/no-such-folder/rooms.sqlite3")


@pytest.mark.parametrize("idle", ["soon", "0", "-5", "inf", "nan"])
def test_an_idle_time_that_is_not_a_positive_number_is_one_sentence(monkeypatch, idle):
    monkeypatch.setenv(opening.IDLE_ENV, idle)
    with pytest.raises(InputError) as caught:
        open_store("memory")
    assert str(caught.value) == (
        f"The rooms' idle time ATTENTION_EXPLORER_ROOM_IDLE_S must be a number of seconds above 0, not {idle}."
    )
