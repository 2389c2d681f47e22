"""The storage contract in Redis: the rooms of a class served by several machines.

Keys, all under ``ae:`` so one Redis can serve other things (one Redis, not a
Cluster: the scripts name keys they build):

    ae:room:<code>         hash  doc (JSON), version, rev        rev counts every write, for optimistic updates
    ae:qids:<code>         set   the question ids that have answers
    ae:ans:<code>:<qid>    hash  student → value
    ae:live                zset  code → when it expires (ms): counts live rooms for ``max_rooms``
    ae:hit:<bucket>        int   a rate-limit window's count, expiring with the window

Every touch (create, update, put_answer) gives all of a room's keys the same
fresh TTL, in one Lua script, so a room and its answers expire together.  Times
are Redis's own clock (``TIME``), the one clock every machine shares.  ``update``
is optimistic: read the document and its ``rev``, run ``change`` here, and write
only if ``rev`` is unchanged (a script), else read again.
"""

from __future__ import annotations

import json
from typing import Callable

import redis

from .store import RoomGone, StoreFull, doc_version

PREFIX = "ae:"
MAX_TRIES = 1000  # update's optimistic rounds; each lost round means another writer won, so the class moves on

# touch(code, ttl): every key of the room gets the same TTL, and ae:live its expiry (prefix P, now in ms)
_LIB = """
local P = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function touch(code, ttl)
  redis.call('PEXPIRE', P .. 'room:' .. code, ttl)
  redis.call('PEXPIRE', P .. 'qids:' .. code, ttl)
  for _, q in ipairs(redis.call('SMEMBERS', P .. 'qids:' .. code)) do
    redis.call('PEXPIRE', P .. 'ans:' .. code .. ':' .. q, ttl)
  end
  redis.call('ZADD', P .. 'live', now + ttl, code)
end
"""
# ARGV: prefix, code, ttl, max_rooms, doc, version → 1 made, 0 code taken, -1 full
_CREATE = """
local code, ttl = ARGV[2], tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', P .. 'live', '-inf', now)
if redis.call('EXISTS', P .. 'room:' .. code) == 1 then return 0 end
if redis.call('ZCARD', P .. 'live') >= tonumber(ARGV[4]) then return -1 end
redis.call('HSET', P .. 'room:' .. code, 'doc', ARGV[5], 'version', ARGV[6], 'rev', 0)
touch(code, ttl)
return 1
"""
# ARGV: prefix, code, ttl, rev read, doc, version → 1 written, 0 rev moved on (read again), -1 no room
_WRITE = """
local code, key = ARGV[2], P .. 'room:' .. ARGV[2]
local rev = redis.call('HGET', key, 'rev')
if not rev then return -1 end
if rev ~= ARGV[4] then return 0 end
redis.call('HSET', key, 'doc', ARGV[5], 'version', ARGV[6], 'rev', tonumber(rev) + 1)
touch(code, tonumber(ARGV[3]))
return 1
"""
# ARGV: prefix, code, ttl, qid, student, value → 1 recorded, -1 no room
_ANSWER = """
local code = ARGV[2]
if redis.call('EXISTS', P .. 'room:' .. code) == 0 then return -1 end
redis.call('SADD', P .. 'qids:' .. code, ARGV[4])
redis.call('HSET', P .. 'ans:' .. code .. ':' .. ARGV[4], ARGV[5], ARGV[6])
touch(code, tonumber(ARGV[3]))
return 1
"""
# ARGV: prefix, code
_DELETE = """
local code = ARGV[2]
for _, q in ipairs(redis.call('SMEMBERS', P .. 'qids:' .. code)) do redis.call('DEL', P .. 'ans:' .. code .. ':' .. q) end
redis.call('DEL', P .. 'room:' .. code, P .. 'qids:' .. code)
redis.call('ZREM', P .. 'live', code)
"""
# KEYS: the bucket; ARGV: window in ms → the count in the current window
_HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
"""


class RedisStore:
    def __init__(self, url: str, idle_s: float = 4 * 3600):
        self.idle_s = idle_s
        # a client is a thread-safe pool of connections: one per store, shared by every session of the process
        self._r = redis.Redis.from_url(url, decode_responses=True, socket_timeout=5, socket_connect_timeout=5)
        self._create, self._write_doc, self._answer, self._delete = (
            self._r.register_script(_LIB + body) for body in (_CREATE, _WRITE, _ANSWER, _DELETE)
        )
        self._hit = self._r.register_script(_HIT)
        self._r.ping()  # fail here, at opening, when Redis cannot be reached

    def _run(self, script, code: str, *args) -> int:
        return script(args=[PREFIX, code, max(1, int(self.idle_s * 1000)), *args])

    def create(self, code: str, doc: dict, max_rooms: int) -> bool:
        made = self._run(self._create, code, max_rooms, json.dumps(doc), doc_version(doc))
        if made == -1:
            raise StoreFull(max_rooms)
        return made == 1

    def read(self, code: str) -> dict | None:
        doc = self._r.hget(PREFIX + "room:" + code, "doc")
        return json.loads(doc) if doc is not None else None

    def version(self, code: str) -> int | None:
        version = self._r.hget(PREFIX + "room:" + code, "version")
        return int(version) if version is not None else None

    def update(self, code: str, change: Callable[[dict], dict]) -> dict:
        for _ in range(MAX_TRIES):
            doc, rev = self._r.hmget(PREFIX + "room:" + code, ["doc", "rev"])
            if doc is None:
                raise RoomGone(code)
            new = change(json.loads(doc))
            written = self._run(self._write_doc, code, rev, json.dumps(new), doc_version(new))
            if written == -1:
                raise RoomGone(code)
            if written == 1:
                return new
        raise RuntimeError(f"room {code}: {MAX_TRIES} updates in a row lost to other writers")

    def put_answer(self, code: str, qid: int, student: str, value: str) -> None:
        if self._run(self._answer, code, int(qid), student, str(value)) == -1:
            raise RoomGone(code)

    def answers(self, code: str, qid: int) -> dict[str, str]:
        return self._r.hgetall(f"{PREFIX}ans:{code}:{int(qid)}")

    def delete(self, code: str) -> None:
        self._run(self._delete, code)

    def hit(self, bucket: str, window_s: float) -> int:
        return int(self._hit(keys=[PREFIX + "hit:" + bucket], args=[max(1, int(window_s * 1000))]))

    def close(self) -> None:
        self._r.close()
