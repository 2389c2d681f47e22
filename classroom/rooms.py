"""The rules of a live class's room over any store: codes and keys, who may do what, limits, questions, answers.

No Streamlit here (``ui/live/`` draws the room).  A room is one JSON document
in the store (``store.py``) and the answers given in it:

    doc = {"version": 7,                    # bumped by the teacher's changes only: what followers poll
           "key": sha256(teacher key),      # the key itself is never stored
           "anonymous": False,              # True: no nicknames, and none in the results
           "view": {"page": "query", "query": "n=6&q=1,0", "data": None, "n": 3,  # what students follow
                    "scope": "query_attention.page.charts"},  # the fragment the change came from (None: the page)
           "locked": False,                 # "eyes on the projector": students cannot leave
           "step": {"page", "step", "fingerprint"} or None,  # the guided step the teacher's class is to predict
           "students": {sid: {"n": 1, "nick": "Ann"}},  # sid = a hash of the student's seat token
           "joined": 1,                     # students ever joined (their numbers)
           "questions": [question, …], "current": qid or None}

A question is what the teacher's page asked (``ask``; ``questions.py``): the
page, the guided step's name and fingerprint, its options' labels (none: a
number), and the right answer, which only ``reveal`` lets students see.  Answers live in the
store apart from the document (``Store.put_answer``), one a student a
question, replaced until the reveal freezes them into the question.

Who may do what: every teacher action needs the teacher key (compared in
constant time with ``hmac.compare_digest``); a student acts with their seat
token and reads the room's public view (``view``), the aggregate (``tally``,
``scores``) and their own answer (``own``), never another student's.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import math
import re
import secrets
import unicodedata
from dataclasses import dataclass

from .errors import BadInput, NotAllowed, RoomGoneError
from .questions import (
    NewQuestion,
    Own,
    Question,
    Score,
    Tally,
    check_step,
    checked_answer,
    is_right,
    number_bins,
    public,
    said,
    spreadsheet_safe,
    stored,
)
from .store import RoomGone, Store, StoreFull

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, no 1/I: read off a projector without doubt
CODE_LENGTH = 6  # 32⁶ ≈ 10⁹ codes; joins per minute per browser are limited, so guessing one takes years
CODE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
TEACHER_KEY = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16): 128 bits
SEAT = re.compile(r"[A-Za-z0-9_-]{16}")  # secrets.token_urlsafe(12): a student's own token, 96 bits
JOIN_WINDOW_S = 60.0


@dataclass(frozen=True)
class Limits:
    """What one room and one server allow (issue 26, "Safety")."""

    students: int = 60  # students in one room
    rooms: int = 200  # live rooms on one server (its store)
    joins_per_minute: int = 10  # join attempts per browser (right or wrong codes)
    state_bytes: int = 32_000  # a page state the teacher sends, its data (an uploaded or edited X) included
    nickname_chars: int = 20
    options: int = 12  # options of a question
    question_bytes: int = 8_000  # a question's words and labels, as JSON


@dataclass(frozen=True)
class Seat:
    """A student's place in a room: ``token`` acts as them (kept in their link), ``number`` names them."""

    code: str
    token: str
    number: int
    nickname: str | None


@dataclass(frozen=True)
class RoomView:
    """What every member of a room may read: the teacher's view, the lock, the current question."""

    code: str
    version: int
    page: str
    query: str
    data: str | None
    view_n: int  # counts the teacher's view changes (a question or the lock bump ``version`` only)
    scope: str | None  # the page's fragment the last view change came from: a follower reruns only it (None: all)
    locked: bool
    step: tuple[str, str, str] | None  # (page, step, fingerprint): the teacher's open guided step, not sent yet
    anonymous: bool
    students: int
    question: Question | None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def student_id(token: str) -> str:
    """The id a student's answers are kept under: a hash of their token, so the document holds no token."""
    return _hash("seat:" + token)[:24]


def clean_nickname(text: str | None, limit: int) -> str | None:
    """A nickname as kept: NFC, trimmed, at most ``limit`` characters, no control or invisible characters.

    None or blank: anonymous.  Raises ``BadInput`` (one sentence) otherwise.
    """
    if text is None or not str(text).strip():
        return None
    nick = unicodedata.normalize("NFC", str(text)).strip()
    if len(nick) > limit:
        raise BadInput("room.nickname_long", limit=limit, count=len(nick))
    # C*: controls, formats (bidi overrides, zero-width), surrogates, private use, unassigned
    if any(unicodedata.category(c).startswith("C") for c in nick):
        raise BadInput("room.nickname_chars")
    return nick


def check_code(code: str) -> str:
    """``code`` in upper case when it has the shape of a class code; ``BadInput`` otherwise."""
    text = str(code).strip().upper()
    if not CODE.fullmatch(text):
        raise BadInput("room.bad_code", length=CODE_LENGTH, example="K7MWQ3", code=str(code)[:20])
    return text


class Rooms:
    """The rules of every room kept in ``store``."""

    def __init__(self, store: Store, limits: Limits = Limits()):
        self.store = store
        self.limits = limits

    # ------------------------------------------------------------------ reading
    def _doc(self, code: str) -> dict:
        doc = self.store.read(code)
        if doc is None:
            raise RoomGoneError("room.gone", code=code)
        return doc

    def _update(self, code: str, change) -> dict:
        try:
            return self.store.update(code, change)
        except RoomGone:
            raise RoomGoneError("room.gone", code=code) from None

    def version(self, code: str) -> int | None:
        """The room's version (one small read: what a follower polls), or None when there is no such room."""
        return self.store.version(code)

    def view(self, code: str) -> RoomView:
        doc = self._doc(code)
        view, current = doc["view"], _current(doc)
        return RoomView(
            code=code,
            version=int(doc["version"]),
            page=view["page"],
            query=view["query"],
            data=view.get("data"),
            view_n=int(view["n"]),
            scope=view.get("scope"),
            locked=bool(doc["locked"]),
            step=None if doc.get("step") is None else tuple(doc["step"]),
            anonymous=bool(doc["anonymous"]),
            students=len(doc["students"]),
            question=None if current is None else public(current),
        )

    # ------------------------------------------------------------------ opening and joining
    def open(self, anonymous: bool = False) -> tuple[str, str]:
        """A new room: (its code, the teacher key).  Only a hash of the key is kept."""
        key = secrets.token_urlsafe(16)
        doc = {
            "version": 1,
            "key": _hash(key),
            "anonymous": bool(anonymous),
            "view": {"page": "home", "query": "", "data": None, "n": 0},
            "locked": False,
            "step": None,
            "students": {},
            "joined": 0,
            "questions": [],
            "current": None,
        }
        for _ in range(20):  # a clash is one in millions; twenty in a row means the generator is broken
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            try:
                if self.store.create(code, doc, self.limits.rooms):
                    return code, key
            except StoreFull:
                raise NotAllowed("room.server_full", limit=self.limits.rooms) from None
        raise RuntimeError("no free room code after 20 draws")

    def is_teacher(self, code: str, key: str) -> bool:
        """Whether ``key`` is the teacher key of room ``code`` (a teacher link opened on another device)."""
        doc = self.store.read(code)
        return doc is not None and _key_fits(doc, key)

    def join(self, code: str, browser: str, nickname: str | None = None, seat: str | None = None) -> Seat:
        """A seat in room ``code`` for a student; ``seat``: their token from before (a reload, a move), kept.

        ``browser`` identifies the browser for the join limit (every try counts, right code or not).
        Joining does not bump the room's version: forty followers do not rerun when one more joins.
        """
        tries = self.store.hit("join:" + _hash(browser)[:24], JOIN_WINDOW_S)
        if tries > self.limits.joins_per_minute:
            raise NotAllowed("room.too_many_joins", limit=self.limits.joins_per_minute)
        code = check_code(code)
        nick = clean_nickname(nickname, self.limits.nickname_chars)
        token = seat if seat is not None and SEAT.fullmatch(seat) else secrets.token_urlsafe(12)
        sid = student_id(token)

        def take_seat(doc: dict) -> dict:
            if sid in doc["students"]:
                return doc
            if len(doc["students"]) >= self.limits.students:
                raise NotAllowed("room.full", code=code, limit=self.limits.students)
            doc["joined"] += 1
            doc["students"][sid] = {"n": doc["joined"], "nick": None if doc["anonymous"] else nick}
            return doc

        doc = self._update(code, take_seat)
        me = doc["students"][sid]
        return Seat(code=code, token=token, number=int(me["n"]), nickname=me["nick"])

    def rename(self, code: str, seat: str, nickname: str | None) -> str | None:
        """Set a student's nickname (None: anonymous); returns it as kept.  Not a teacher change: no bump."""
        nick = clean_nickname(nickname, self.limits.nickname_chars)
        sid = student_id(seat)

        def rename(doc: dict) -> dict:
            if sid not in doc["students"]:
                raise NotAllowed("room.not_joined", code=code)
            doc["students"][sid]["nick"] = None if doc["anonymous"] else nick
            return doc

        return self._update(code, rename)["students"][sid]["nick"]

    # ------------------------------------------------------------------ the teacher's changes
    def _as_teacher(self, code: str, key: str, change, bump: bool = True) -> dict:
        """Apply ``change(doc)`` when ``key`` is the room's teacher key; bump the version when asked."""

        def checked(doc: dict) -> dict:
            if not _key_fits(doc, key):
                raise NotAllowed("room.not_teacher", code=code)
            doc = change(doc)
            if bump:
                doc["version"] = int(doc["version"]) + 1
            return doc

        return self._update(code, checked)

    def set_view(
        self, code: str, key: str, page: str, query: str, data: str | None = None, scope: str | None = None
    ) -> bool:
        """The teacher's page, its state (``url_state.page_state()``) and data: what every follower shows.

        ``scope``: the page's fragment (``ui.boundary.fragment_key``) whose run made the change, when only
        it ran; a follower that showed the previous view reruns just that fragment.
        Returns False when it is what the room shows already (nothing written).
        ``BadInput`` when it is over ``Limits.state_bytes``: the room keeps its previous view.
        """
        size = len(query.encode()) + len((data or "").encode()) + len(page.encode())
        if size > self.limits.state_bytes:
            raise BadInput("room.state_too_big", size=math.ceil(size / 1000), limit=self.limits.state_bytes // 1000)
        doc = self._doc(code)
        if not _key_fits(doc, key):
            raise NotAllowed("room.not_teacher", code=code)
        if (doc["view"]["page"], doc["view"]["query"], doc["view"].get("data")) == (page, query, data):
            return False

        def show(doc: dict) -> dict:
            n = int(doc["view"]["n"]) + 1
            doc["view"] = {"page": page, "query": query, "data": data, "n": n, "scope": _scope(scope)}
            return doc

        self._as_teacher(code, key, show)
        return True

    def lock(self, code: str, key: str, on: bool) -> None:
        """ "Eyes on the projector": while on, every student follows and cannot leave."""
        self._as_teacher(code, key, lambda doc: doc | {"locked": bool(on)})

    def set_step(self, code: str, key: str, page: str | None = None, step: str = "", fingerprint: str = "") -> None:
        """The guided step the teacher's page stands at (``page`` None: none): followers hide what it asks.

        So the class predicts before anyone sees the answer, as the teacher's own page does.
        """
        mark = None if page is None else [page, step, fingerprint]
        if mark is not None:
            check_step(page, step, fingerprint)
        self._as_teacher(code, key, lambda doc: doc | {"step": mark})

    def ask(self, code: str, key: str, question: NewQuestion) -> int:
        """Send ``question`` to the room (it replaces the current one); returns its id."""
        entry = stored(question, self.limits.options, self.limits.question_bytes)

        def ask(doc: dict) -> dict:
            entry["qid"] = len(doc["questions"]) + 1
            doc["questions"] = doc["questions"] + [entry]
            doc["current"] = entry["qid"]
            return doc

        return int(self._as_teacher(code, key, ask)["current"])

    def show_answers(self, code: str, key: str, qid: int, on: bool) -> None:
        """Show the answers' distribution (teacher and projector only: students need no rerun, so no bump)."""
        self._as_teacher(code, key, lambda doc: _with_question(doc, qid, shown=bool(on)), bump=False)

    def reveal(self, code: str, key: str, qid: int) -> None:
        """Freeze the question's answers and let everyone see the right answer and their own result."""
        answers = self.store.answers(code, qid)

        def reveal(doc: dict) -> dict:
            final = {sid: value for sid, value in answers.items() if sid in doc["students"]}
            if doc.get("step") is not None and doc["step"][2] == _question(doc, qid)["fingerprint"]:
                doc["step"] = None  # predicted and revealed: nothing left to hide
            return _with_question(doc, qid, revealed=True, final=final)

        self._as_teacher(code, key, reveal)

    def close_question(self, code: str, key: str) -> None:
        """No current question any more (its answers and results stay in the room)."""
        self._as_teacher(code, key, lambda doc: doc | {"current": None})

    def close(self, code: str, key: str) -> None:
        """End the class: the room and its answers are deleted now."""
        doc = self._doc(code)
        if not _key_fits(doc, key):
            raise NotAllowed("room.not_teacher", code=code)
        self.store.delete(code)

    # ------------------------------------------------------------------ answers
    def answer(self, code: str, seat: str, qid: int, value) -> str:
        """Record a student's answer (replacing theirs) to the open question; returns it as kept.

        ``value`` is an option's index or a number, checked against the question.  A question is open
        from ``ask`` until ``reveal`` (or another question, or ``close_question``).
        """
        doc = self._doc(code)
        sid = student_id(seat)
        if sid not in doc["students"]:
            raise NotAllowed("room.not_joined", code=code)
        question = _current(doc)
        if question is None or question["qid"] != int(qid) or question["revealed"]:
            raise NotAllowed("room.question_closed")
        kept = checked_answer(question, value)
        try:
            self.store.put_answer(code, int(qid), sid, kept)
        except RoomGone:
            raise RoomGoneError("room.gone", code=code) from None
        return kept

    def own(self, code: str, seat: str, qid: int) -> Own:
        """A student's own answer to question ``qid`` and, once it is revealed, whether it was right."""
        doc = self._doc(code)
        question = _question(doc, qid)
        sid = student_id(seat)
        if question["revealed"]:
            value = question["final"].get(sid)
            return Own(value=value, right=is_right(question, value))
        return Own(value=self.store.answers(code, qid).get(sid), right=None)

    def tally(self, code: str, qid: int) -> Tally:
        """How many answered and how they spread (aggregate only), with the right answer once revealed."""
        doc = self._doc(code)
        question = _question(doc, qid)
        revealed = bool(question["revealed"])
        given = question["final"] if revealed else self.store.answers(code, qid)
        values = [v for sid, v in given.items() if sid in doc["students"]]
        right = sum(is_right(question, v) for v in values) if revealed else None
        if question["labels"]:
            counts = [0] * len(question["labels"])
            for value in values:
                counts[int(value)] += 1
            answer_index = int(question["answer"]) if revealed else None
            return Tally(int(qid), len(values), tuple(counts), tuple(question["labels"]), revealed, right, answer_index)
        labels, counts = number_bins([float(v) for v in values], int(question["decimals"]))
        return Tally(int(qid), len(values), counts, labels, revealed, right, None)

    def scores(self, code: str) -> list[Score]:
        """The class's result on every revealed question, in the order they were asked."""
        doc = self._doc(code)
        out = []
        for question in doc["questions"]:
            if question["revealed"]:
                values = [v for sid, v in question["final"].items() if sid in doc["students"]]
                right = sum(is_right(question, v) for v in values)
                out.append(Score(question["qid"], question["page"], question["step"], len(values), right))
        return out

    def results_csv(self, code: str, key: str) -> str:
        """One row per student per question (the teacher's download); no nickname column when anonymous."""
        doc = self._doc(code)
        if not _key_fits(doc, key):
            raise NotAllowed("room.not_teacher", code=code)
        names = not doc["anonymous"]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        header = (
            ["student"] + (["nickname"] if names else []) + ["question", "page", "step", "answer", "correct", "right"]
        )
        writer.writerow(header)
        students = sorted(doc["students"].items(), key=lambda item: item[1]["n"])
        for question in doc["questions"]:
            given = question["final"] if question["revealed"] else self.store.answers(code, question["qid"])
            correct = said(question, question["answer"]) if question["revealed"] else ""
            for sid, student in students:
                value = given.get(sid)
                right = "" if not question["revealed"] else int(is_right(question, value))
                name = [spreadsheet_safe(student["nick"] or "")] if names else []
                answer = "" if value is None else said(question, value)
                row = [student["n"], *name, question["qid"], question["page"], question["step"], answer, correct, right]
                writer.writerow(row)
        return out.getvalue()


# ---------------------------------------------------------------------- helpers on the document


_SCOPE = re.compile(r"[A-Za-z0-9_.]{1,120}")


def _scope(scope) -> str | None:
    """A fragment's key as the room keeps it, or None (anything else: the followers rerun the whole page)."""
    return scope if isinstance(scope, str) and _SCOPE.fullmatch(scope) else None


def _key_fits(doc: dict, key) -> bool:
    return isinstance(key, str) and hmac.compare_digest(_hash(key), doc["key"])


def _current(doc: dict) -> dict | None:
    current = doc.get("current")
    return None if current is None else _question(doc, current)


def _question(doc: dict, qid: int) -> dict:
    qid = int(qid)
    if not 1 <= qid <= len(doc["questions"]):
        raise NotAllowed("room.question_closed")
    return doc["questions"][qid - 1]


def _with_question(doc: dict, qid: int, **fields) -> dict:
    question = _question(doc, qid)
    question.update(fields)
    return doc
