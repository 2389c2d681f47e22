"""The rules of a room (classroom/rooms.py) on the in-memory store: keys, limits, validation, expiry, results."""

from __future__ import annotations

import csv
import io

import pytest

from classroom.errors import MESSAGES, BadInput, NotAllowed, RoomError, RoomGoneError
from classroom.memory_store import MemoryStore
from classroom.questions import NewQuestion
from classroom.rooms import ALPHABET, CODE, SEAT, TEACHER_KEY, Limits, Rooms, clean_nickname


class Clock:
    """A store's clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def rooms(clock) -> Rooms:
    return Rooms(MemoryStore(idle_s=3600, clock=clock), Limits(students=3, rooms=2, joins_per_minute=5))


def choice(page="query", step="max_weight", answer=2, labels=("x1", "x2", "x3", "x4")) -> NewQuestion:
    return NewQuestion(page=page, step=step, fingerprint="ab12cd34ef56", labels=list(labels), answer=answer)


def number(answer=0.5, tolerance=0.05) -> NewQuestion:
    return NewQuestion(
        page="query", step="entropy", fingerprint="0123456789ab", answer=answer, tolerance=tolerance, decimals=2
    )


# ---------------------------------------------------------------------- codes and keys


def test_codes_and_keys_have_their_shapes_and_only_a_hash_of_the_key_is_stored(rooms):
    code, key = rooms.open()
    assert CODE.fullmatch(code) and TEACHER_KEY.fullmatch(key)
    assert not set(code) & set("0O1I")
    doc = rooms.store.read(code)
    assert key not in repr(doc)
    assert rooms.is_teacher(code, key)
    assert not rooms.is_teacher(code, key[:-1] + ("A" if key[-1] != "A" else "B"))
    assert not rooms.is_teacher("ZZZZZZ", key)


def test_codes_are_drawn_at_random_from_the_unambiguous_alphabet(rooms):
    many = Rooms(MemoryStore(), Limits(rooms=500))
    codes = {many.open()[0] for _ in range(300)}
    assert len(codes) == 300
    assert set("".join(codes)) <= set(ALPHABET)
    assert len(set("".join(codes))) > 25  # every letter turns up: not a counter, not a narrow range


def test_every_teacher_action_needs_the_key(rooms):
    code, key = rooms.open()
    seat = rooms.join(code, "browser-1")
    qid = rooms.ask(code, key, choice())
    for wrong in ("", "x" * 22, seat.token, None):
        for act in (
            lambda k: rooms.set_view(code, k, "query", "n=5"),
            lambda k: rooms.lock(code, k, True),
            lambda k: rooms.set_step(code, k),
            lambda k: rooms.ask(code, k, choice()),
            lambda k: rooms.show_answers(code, k, qid, True),
            lambda k: rooms.reveal(code, k, qid),
            lambda k: rooms.close_question(code, k),
            lambda k: rooms.results_csv(code, k),
            lambda k: rooms.close(code, k),
        ):
            with pytest.raises(NotAllowed) as info:
                act(wrong)
            assert info.value.key == "room.not_teacher"
    assert rooms.view(code).question.revealed is False  # nothing was changed
    assert rooms.view(code).locked is False


def test_the_server_opens_at_most_its_limit_of_rooms(rooms):
    rooms.open(), rooms.open()
    with pytest.raises(NotAllowed) as info:
        rooms.open()
    assert info.value.key == "room.server_full" and "2 classes" in str(info.value)


# ---------------------------------------------------------------------- joining


def test_a_student_joins_with_an_optional_nickname_and_the_version_stays(rooms):
    code, _ = rooms.open()
    before = rooms.version(code)
    ann = rooms.join(code.lower(), "browser-1", nickname="  Ann  ")
    anon = rooms.join(code, "browser-2")
    assert (ann.number, ann.nickname, anon.number, anon.nickname) == (1, "Ann", 2, None)
    assert SEAT.fullmatch(ann.token) and ann.token != anon.token
    assert rooms.version(code) == before  # forty followers do not rerun because one more joined
    assert rooms.view(code).students == 2
    assert ann.token not in repr(rooms.store.read(code))  # the document holds hashes of the tokens only


def test_a_student_coming_back_with_their_seat_keeps_it(rooms):
    code, _ = rooms.open()
    ann = rooms.join(code, "browser-1", nickname="Ann")
    again = rooms.join(code, "browser-9", seat=ann.token)  # a reload, or a move to another server process
    assert again == ann
    assert rooms.view(code).students == 1


def test_a_room_holds_at_most_its_limit_of_students(rooms):
    code, _ = rooms.open()
    seats = [rooms.join(code, f"b{i}") for i in range(3)]
    with pytest.raises(NotAllowed) as info:
        rooms.join(code, "b4")
    assert info.value.key == "room.full" and "3 students" in str(info.value)
    assert rooms.join(code, "b0", seat=seats[0].token) == seats[0]  # a student already in comes back


def test_joins_per_minute_per_browser_are_limited_right_codes_or_not(rooms, clock):
    code, _ = rooms.open()
    for _ in range(3):
        with pytest.raises(RoomGoneError):
            rooms.join("ZZZZZZ", "guesser")
    seat = rooms.join(code, "guesser")
    rooms.join(code, "guesser", seat=seat.token)
    with pytest.raises(NotAllowed) as info:
        rooms.join(code, "guesser", seat=seat.token)
    assert info.value.key == "room.too_many_joins"
    rooms.join(code, "another browser")  # another browser is not held back
    clock.now += 61
    assert rooms.join(code, "guesser", seat=seat.token) == seat  # a minute later


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("a" * 21, "room.nickname_long"),
        ("Ann\u202e", "room.nickname_chars"),  # a right-to-left override
        ("A\x00B", "room.nickname_chars"),
        ("zero\u200bwidth", "room.nickname_chars"),
        ("line\nbreak", "room.nickname_chars"),
    ],
)
def test_a_nickname_is_plain_text_of_at_most_20_characters(rooms, text, key):
    code, _ = rooms.open()
    with pytest.raises(BadInput) as info:
        rooms.join(code, "b1", nickname=text)
    assert info.value.key == key
    assert rooms.view(code).students == 0


def test_a_nickname_keeps_what_a_student_may_type():
    assert clean_nickname("<b>Zoë</b> 🙂", 20) == "<b>Zoë</b> 🙂"  # shown as text by the UI, never as HTML
    assert clean_nickname("张伟", 20) == "张伟"
    assert clean_nickname("   ", 20) is None
    assert clean_nickname("a" * 20, 20) == "a" * 20


@pytest.mark.parametrize("code", ["", "ABC", "ABCDEFG", "ABCD0E", "abc-12", "٣٣٣٣٣٣", "<scrip"])
def test_a_code_of_the_wrong_shape_is_one_sentence(rooms, code):
    with pytest.raises(BadInput) as info:
        rooms.join(code, "b1")
    assert info.value.key == "room.bad_code"


def test_an_anonymous_room_keeps_no_nicknames(rooms):
    code, key = rooms.open(anonymous=True)
    ann = rooms.join(code, "b1", nickname="Ann")
    assert ann.nickname is None
    assert rooms.rename(code, ann.token, "Ann") is None
    assert "Ann" not in repr(rooms.store.read(code))


# ---------------------------------------------------------------------- the teacher's view


def test_only_the_teachers_changes_bump_the_version(rooms):
    code, key = rooms.open()
    seat = rooms.join(code, "b1")
    v0 = rooms.version(code)
    assert rooms.set_view(code, key, "query", "n=6&q=1,0") is True
    v1 = rooms.version(code)
    assert rooms.set_view(code, key, "query", "n=6&q=1,0") is False  # the same view: nothing written
    assert rooms.version(code) == v1 > v0
    view = rooms.view(code)
    assert (view.page, view.query, view.view_n) == ("query", "n=6&q=1,0", 1)
    rooms.rename(code, seat.token, "Bo")
    qid = rooms.ask(code, key, choice())
    v2 = rooms.version(code)
    rooms.answer(code, seat.token, qid, 1)
    rooms.show_answers(code, key, qid, True)  # only the teacher and the projector draw it
    assert rooms.version(code) == v2
    rooms.lock(code, key, True)
    assert rooms.version(code) == v2 + 1 and rooms.view(code).locked
    assert rooms.view(code).view_n == 1  # a lock is not a new view


def test_a_view_says_which_fragment_it_came_from_and_nothing_else(rooms):
    """``scope`` names the page's fragment whose run made the change (followers rerun only it): kept when it is
    a fragment key, None for a whole run, and anything that is not a key is kept as None (the whole page)."""
    code, key = rooms.open()
    assert rooms.view(code).scope is None
    rooms.set_view(code, key, "query", "temperature=2.0", scope="query_attention.page.charts")
    assert rooms.view(code).scope == "query_attention.page.charts"
    rooms.set_view(code, key, "query", "temperature=0.5")  # a whole run
    assert rooms.view(code).scope is None
    for odd in ("<script>", "a b", "x" * 121, 7, ""):
        rooms.set_view(code, key, "query", f"temperature={rooms.view(code).view_n}", scope=odd)
        assert rooms.view(code).scope is None, odd


def test_a_page_state_over_the_limit_is_refused_with_its_size(rooms):
    code, key = rooms.open()
    rooms.set_view(code, key, "query", "n=6")
    with pytest.raises(BadInput) as info:
        rooms.set_view(code, key, "query", "source=upload", data="1.5," * 9000)
    assert info.value.key == "room.state_too_big"
    assert info.value.params == {"size": 37, "limit": 32}
    assert rooms.view(code).query == "n=6"  # the students keep the previous view


def test_the_teachers_open_step_is_a_teacher_change(rooms):
    code, key = rooms.open()
    seat = rooms.join(code, "b1")
    v0 = rooms.version(code)
    rooms.set_step(code, key, "query", "top", "ab12cd34ef56")
    assert rooms.view(code).step == ("query", "top", "ab12cd34ef56") and rooms.version(code) == v0 + 1
    rooms.set_step(code, key)
    assert rooms.view(code).step is None
    with pytest.raises(NotAllowed):
        rooms.set_step(code, seat.token, "query", "top", "ab12cd34ef56")
    with pytest.raises(BadInput):
        rooms.set_step(code, key, "query", "<b>", "ab12cd34ef56")


# ---------------------------------------------------------------------- questions and answers


def test_a_question_is_answered_once_per_student_changeable_until_the_reveal(rooms):
    code, key = rooms.open()
    a, b, c = (rooms.join(code, f"b{i}") for i in range(3))
    qid = rooms.ask(code, key, choice(answer=2))
    view = rooms.view(code)
    assert view.question.qid == qid and view.question.answer is None  # students do not see the answer
    assert view.question.labels == ("x1", "x2", "x3", "x4")
    rooms.answer(code, a.token, qid, 0)
    rooms.answer(code, a.token, qid, "2")  # changed: still one answer
    rooms.answer(code, b.token, qid, 1)
    tally = rooms.tally(code, qid)
    assert (tally.answered, tally.counts, tally.revealed, tally.right, tally.answer_index) == (
        2,
        (0, 1, 1, 0),
        False,
        None,
        None,
    )
    assert rooms.own(code, a.token, qid).value == "2" and rooms.own(code, a.token, qid).right is None
    rooms.reveal(code, key, qid)
    with pytest.raises(NotAllowed) as info:
        rooms.answer(code, c.token, qid, 2)  # too late
    assert info.value.key == "room.question_closed"
    tally = rooms.tally(code, qid)
    assert (tally.answered, tally.right, tally.answer_index) == (2, 1, 2)
    assert rooms.view(code).question.answer == 2
    assert rooms.own(code, a.token, qid).right is True
    assert rooms.own(code, b.token, qid).right is False
    assert rooms.own(code, c.token, qid).value is None


def test_the_reveal_freezes_the_tally(rooms):
    code, key = rooms.open()
    a = rooms.join(code, "b1")
    qid = rooms.ask(code, key, choice())
    rooms.answer(code, a.token, qid, 2)
    rooms.reveal(code, key, qid)
    rooms.store.put_answer(code, qid, "late", "1")  # an answer that reached the store after the reveal
    assert rooms.tally(code, qid).counts == (0, 0, 1, 0)


@pytest.mark.parametrize("value", [-1, 4, "1.0", "x1", "", "٢", None, "1e3"])
def test_a_choice_answer_must_be_one_of_the_options(rooms, value):
    code, key = rooms.open()
    seat = rooms.join(code, "b1")
    qid = rooms.ask(code, key, choice())
    with pytest.raises(BadInput) as info:
        rooms.answer(code, seat.token, qid, value)
    assert info.value.key == "room.bad_answer"
    assert rooms.tally(code, qid).answered == 0


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "banana", "1e400", "2e9", "１.５", ""])
def test_a_number_answer_must_be_a_finite_number(rooms, value):
    code, key = rooms.open()
    seat = rooms.join(code, "b1")
    qid = rooms.ask(code, key, number())
    with pytest.raises(BadInput) as info:
        rooms.answer(code, seat.token, qid, value)
    assert info.value.key == "room.bad_number"


def test_a_number_question_is_right_within_its_tolerance_and_tallied_by_value(rooms):
    code, key = rooms.open()
    seats = [rooms.join(code, f"b{i}") for i in range(3)]
    qid = rooms.ask(code, key, number(answer=0.5, tolerance=0.05))
    for seat, value in zip(seats, ("0.52", 0.6, "0.5")):
        rooms.answer(code, seat.token, qid, value)
    tally = rooms.tally(code, qid)
    assert tally.labels == ("0.50", "0.52", "0.60") and tally.counts == (1, 1, 1)
    rooms.reveal(code, key, qid)
    assert rooms.tally(code, qid).right == 2


def test_many_number_answers_are_binned_over_their_own_range_not_around_the_answer():
    store = MemoryStore()
    rooms = Rooms(store, Limits(students=60, joins_per_minute=100))
    code, key = rooms.open()
    qid = rooms.ask(code, key, number(answer=0.5))
    for i in range(20):
        rooms.answer(code, rooms.join(code, "b").token, qid, i / 10)
    tally = rooms.tally(code, qid)
    assert len(tally.counts) == 8 and sum(tally.counts) == 20
    assert tally.labels[0].startswith("0.00–") and tally.labels[-1].endswith("–1.90")


def test_a_student_outside_the_room_cannot_answer(rooms):
    code, key = rooms.open()
    other, _ = rooms.open()
    stranger = rooms.join(other, "b1")
    qid = rooms.ask(code, key, choice())
    with pytest.raises(NotAllowed) as info:
        rooms.answer(code, stranger.token, qid, 1)
    assert info.value.key == "room.not_joined"


def test_a_new_question_closes_the_previous_one(rooms):
    code, key = rooms.open()
    seat = rooms.join(code, "b1")
    first = rooms.ask(code, key, choice())
    second = rooms.ask(code, key, number())
    assert second == first + 1
    with pytest.raises(NotAllowed):
        rooms.answer(code, seat.token, first, 1)
    rooms.close_question(code, key)
    assert rooms.view(code).question is None


@pytest.mark.parametrize(
    "question",
    [
        NewQuestion(page="../etc", step="s", fingerprint="ab12cd34"),
        NewQuestion(page="query", step="Bad Step", fingerprint="ab12cd34"),
        NewQuestion(page="query", step="s", fingerprint="not hex!"),
        NewQuestion(page="query", step="s", fingerprint="ab12cd34", labels=["only one"]),
        NewQuestion(page="query", step="s", fingerprint="ab12cd34", labels=["a", "b"], answer=2),
        NewQuestion(page="query", step="s", fingerprint="ab12cd34", answer=float("nan")),
        NewQuestion(page="query", step="s", fingerprint="ab12cd34", labels=["x"] * 13),
        NewQuestion(page="query", step="s", fingerprint="ab12cd34", labels=["x" * 9000, "y"]),
    ],
)
def test_a_question_that_does_not_fit_is_refused(rooms, question):
    code, key = rooms.open()
    with pytest.raises(BadInput) as info:
        rooms.ask(code, key, question)
    assert info.value.key == "room.bad_question"


# ---------------------------------------------------------------------- scores and results


def test_scores_and_the_results_file(rooms):
    code, key = rooms.open()
    ann = rooms.join(code, "b1", nickname="=HYPERLINK(1)")
    bo = rooms.join(code, "b2", nickname="Bo")
    q1 = rooms.ask(code, key, choice(answer=2))
    rooms.answer(code, ann.token, q1, 2)
    rooms.answer(code, bo.token, q1, 0)
    rooms.reveal(code, key, q1)
    q2 = rooms.ask(code, key, number(answer=0.5))
    rooms.answer(code, bo.token, q2, "0.5")
    scores = rooms.scores(code)
    assert [(s.qid, s.answered, s.right) for s in scores] == [(q1, 2, 1)]  # q2 is not revealed yet
    rows = list(csv.DictReader(io.StringIO(rooms.results_csv(code, key))))
    assert len(rows) == 4  # one row per student per question
    assert rows[0] == {
        "student": "1",
        "nickname": "'=HYPERLINK(1)",  # a spreadsheet shows it, never runs it
        "question": "1",
        "page": "query",
        "step": "max_weight",
        "answer": "x3",
        "correct": "x3",
        "right": "1",
    }
    assert (rows[1]["nickname"], rows[1]["answer"], rows[1]["right"]) == ("Bo", "x1", "0")
    assert (rows[2]["answer"], rows[2]["right"], rows[2]["correct"]) == ("", "", "")  # open: no answer given yet
    assert (rows[3]["answer"], rows[3]["correct"]) == ("0.50", "")  # the answer stays hidden until the reveal


def test_the_results_of_an_anonymous_room_hold_no_names(rooms):
    code, key = rooms.open(anonymous=True)
    seat = rooms.join(code, "b1", nickname="Ann")
    qid = rooms.ask(code, key, choice())
    rooms.answer(code, seat.token, qid, 1)
    text = rooms.results_csv(code, key)
    assert text.splitlines()[0] == "student,question,page,step,answer,correct,right"
    assert "Ann" not in text


# ---------------------------------------------------------------------- ending and expiry


def test_ending_the_class_deletes_the_room(rooms):
    code, key = rooms.open()
    seat = rooms.join(code, "b1")
    qid = rooms.ask(code, key, choice())
    rooms.answer(code, seat.token, qid, 1)
    rooms.close(code, key)
    assert rooms.version(code) is None
    assert rooms.store.answers(code, qid) == {}
    with pytest.raises(RoomGoneError) as info:
        rooms.join(code, "b2")
    assert info.value.key == "room.gone"


def test_an_idle_room_expires_with_its_answers(rooms, clock):
    code, key = rooms.open()
    seat = rooms.join(code, "b1")
    qid = rooms.ask(code, key, choice())
    rooms.answer(code, seat.token, qid, 1)
    clock.now += 3000
    rooms.set_view(code, key, "query", "n=5")  # the teacher's change keeps it alive
    clock.now += 3000
    assert rooms.view(code).query == "n=5"
    clock.now += 3601
    assert rooms.version(code) is None and rooms.store.answers(code, qid) == {}
    for act in (
        lambda: rooms.view(code),
        lambda: rooms.answer(code, seat.token, qid, 1),
        lambda: rooms.lock(code, key, 1),
    ):
        with pytest.raises(RoomGoneError):
            act()


def test_every_refusal_is_a_room_error_with_a_sentence():
    for key, text in MESSAGES.items():
        assert text.endswith(".") and key.startswith("room.")
    err = NotAllowed("room.full", code="ABCDEF", limit=60)
    assert isinstance(err, RoomError) and str(err) == "Class ABCDEF is full: it has its limit of 60 students."
