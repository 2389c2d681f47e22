"""A live class in one test process: a teacher's session and students' sessions sharing one store (ui/live).

Every AppTest session runs in this process, so they share the process's store (``room_store.store``: a
fresh in-memory store for each test, ``ATTENTION_EXPLORER_ROOMS=memory``) as the sessions of one server
process do.  A student's
run stands for the poll that would have found the teacher's change: it takes the change in before the page
draws (``follow.check``), as the poll's rerun does in a browser.
"""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from classroom.errors import NotAllowed
from classroom.open_store import ROOMS_ENV
from ui import layout
from ui.i18n import catalogs
from ui.live import room_store
from ui.live.place import BOARD, STUDENT, TEACHER

from .helpers import bars, decode, figure, no_errors, page_state, shown
from .pages import open_page
from .test_hostile_urls import expect_clean_fallback

EN, ZH = catalogs()["en"], catalogs()["zh"]
QUERY, SELF_ATTENTION = layout.script("query"), layout.script("self-attention")


@pytest.fixture(autouse=True)
def fresh_store(monkeypatch):
    monkeypatch.setenv(ROOMS_ENV, "memory")
    room_store.store.clear()
    yield
    room_store.store.clear()


def place(at: AppTest):
    return at.session_state["_live.place"] if "_live.place" in at.session_state else None


def teacher_on(page: str = QUERY, **link) -> AppTest:
    at = open_page(page, **link)
    at.button(key="w.live.start").click().run()
    no_errors(at)
    assert place(at).role == TEACHER
    return at


def student_of(teacher: AppTest, **link) -> AppTest:
    """A student opening the join link (the home page, ?room=CODE)."""
    at = open_page(room=place(teacher).code, **link)
    no_errors(at)
    assert place(at).role == STUDENT
    return at


def button(at: AppTest, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


def markdown(at: AppTest) -> list[str]:
    return [shown(m.value) for m in at.markdown]


def test_taking_the_teachers_state_keeps_x_and_adds_no_other_lessons_settings():
    """Each teacher change applies the teacher's whole page state to a follower: X is kept when the state
    repeats its generator settings (what was computed from X stays, and a fragment's run goes on with it), and
    the other lessons' settings are left out of session state rather than set to their defaults (Streamlit
    scans the whole session state for every widget drawn: forty followers pay for every key)."""
    teacher = teacher_on()
    student = student_of(teacher)
    version = student.session_state["seq.version"]
    for value in (0.3, 2.0):
        teacher.select_slider(key="w.score.temperature").set_value(value).run()
        student.run()
        no_errors(student)
    assert page_state(student) == page_state(teacher)
    assert student.session_state["seq.version"] == version, "the same generator settings made X again"
    keys = {str(k) for k in student.session_state}
    others = {k for k in keys if k.split(".")[0] in ("sa", "tm", "image", "s2s", "speech", "complexity")}
    assert not others, sorted(others)
    teacher.number_input(key="w.seq.n").set_value(6).run()
    student.run()
    assert student.session_state["seq.version"] > version and page_state(student) == page_state(teacher)


def test_a_teachers_change_reaches_a_following_student():
    teacher = teacher_on()
    student = student_of(teacher)
    assert [t.value for t in student.title] == [EN["query.title"]]  # the join link opened the teacher's page
    assert page_state(student) == page_state(teacher)

    teacher.select_slider(key="w.score.temperature").set_value(0.3).run()
    teacher.number_input(key="w.seq.n").set_value(6).run()
    no_errors(teacher)
    student.run()
    no_errors(student)
    assert page_state(student) == page_state(teacher)
    np.testing.assert_allclose(bars(student, "chart.weights"), bars(teacher, "chart.weights"))
    assert student.query_params["room"] in (place(teacher).code, [place(teacher).code])  # the room stays in the link

    teacher.switch_page(SELF_ATTENTION).run()
    no_errors(teacher)
    student.run()
    no_errors(student)
    assert [t.value for t in student.title] == [t.value for t in teacher.title]
    assert page_state(student) == page_state(teacher)


def test_the_teacher_link_reopens_the_room_where_the_class_is():
    """The teacher link opens the home page; it takes the teacher back to the room's page and settings instead of
    writing the home page to the room (which would take the whole class there)."""
    teacher = teacher_on()
    teacher.select_slider(key="w.score.temperature").set_value(0.3).run()
    student = student_of(teacher)
    again = open_page(room=place(teacher).code, teacher=place(teacher).key)  # another device, or after a restart
    no_errors(again)
    assert place(again).role == TEACHER
    assert [t.value for t in again.title] == [EN["query.title"]]
    assert page_state(again) == page_state(teacher)
    assert room_store.store().read(place(teacher).code)["view"]["page"] == "query"
    student.run()
    assert [t.value for t in student.title] == [EN["query.title"]]  # the class stayed where it was


def test_a_joining_student_costs_the_followers_nothing():
    """Only the teacher's changes bump the room's version, which is all a follower's poll reads."""
    teacher = teacher_on()
    student = student_of(teacher)
    version = room_store.store().version(place(teacher).code)
    student_of(teacher)
    assert room_store.store().version(place(teacher).code) == version
    assert place(student).seen == version


def test_uploaded_data_reaches_the_students_and_too_much_is_said_with_its_size():
    teacher = teacher_on()
    student = student_of(teacher)
    teacher.radio(key="w.seq.source").set_value("upload").run()
    teacher.file_uploader[0].set_value(("mine.csv", b"tok,a,b\nup,1,0\ndown,0,1\nleft,-1,0\n", "text/csv")).run()
    no_errors(teacher)
    student.run()
    no_errors(student)
    np.testing.assert_allclose(bars(student, "chart.weights"), bars(teacher, "chart.weights"))
    assert figure(student, "chart.inputs") == figure(teacher, "chart.inputs")

    rows = "\n".join(",".join(f"{v:.6f}" for v in row) for row in np.random.default_rng(0).normal(size=(300, 30)))
    teacher.file_uploader[0].set_value(("big.csv", rows.encode(), "text/csv")).run()
    no_errors(teacher)
    too_big = EN["error.room.state_too_big"].split("{")[0]
    (warning,) = [w.value for w in teacher.warning if w.value.startswith(too_big)]
    assert "23 kB" not in warning and "90 kB" in warning and "32 kB" in warning
    student.run()
    assert bars(student, "chart.weights").shape == (3,)  # the students keep the previous view


def answer_key(at: AppTest, qid: int = 1) -> str:
    return f"w.live.{place(at).code}.{qid}"


def test_an_answer_reaches_the_teachers_histogram_and_the_reveal_reaches_the_student():
    teacher = teacher_on()
    ann, bo = student_of(teacher), student_of(teacher)
    teacher.toggle(key="w.guide.query.on").set_value(True).run()
    question = next(r for r in teacher.radio if r.key.startswith("w.guide.")).label
    button(teacher, EN["live.send"]).click().run()
    no_errors(teacher)
    panel = [m for m in markdown(teacher) if m.startswith("#### ")]
    assert panel == [f"#### {EN['live.class_question'].format(k=1)} · {question}"]

    for student, choice in ((ann, 1), (bo, 0)):
        student.run()
        no_errors(student)
        assert student.radio(key=answer_key(student)).label == question
        assert not [c for c in student.get("plotly_chart") if c.proto.id.endswith("-chart.weights")]  # hidden
        assert any(EN["live.hidden"] in m for m in markdown(student))
        student.radio(key=answer_key(student)).set_value(choice)
        button(student, EN["live.answer"]).click().run()
        no_errors(student)
    assert any(EN["live.answer_in"].format(given="x5") == c.value for c in ann.caption)

    teacher.run()  # the panel's own refresh, every 1.5 s in a browser
    answered = next(m for m in teacher.metric if m.label == EN["live.answered"])
    assert answered.value == EN["live.answered_of"].format(answered=2, students=2)
    assert not [c for c in teacher.get("plotly_chart") if c.proto.id.endswith("-chart.live.answers")]
    teacher.toggle(key="w.live.show.1").set_value(True).run()
    answers = figure(teacher, "chart.live.answers")["data"][0]
    assert list(decode(answers["y"])) == [1, 1, 0, 0]
    assert answers["marker"]["color"] == ["#21918c"] * 4  # no bar marked before the reveal

    teacher.button(key="w.live.reveal.1").click().run()
    no_errors(teacher)
    assert figure(teacher, "chart.live.answers")["data"][0]["marker"]["color"][1] == "#E69F00"
    assert any(EN["live.class_score"].format(right=1, answered=2, percent=50) == m for m in markdown(teacher))
    for student, kind in ((ann, "success"), (bo, "warning")):
        student.run()
        no_errors(student)
        boxes = [box.value for box in getattr(student, kind)]
        assert boxes and boxes[0].startswith(EN["guide.right" if kind == "success" else "guide.wrong"].split("{")[0])
        assert [c for c in student.get("plotly_chart") if c.proto.id.endswith("-chart.weights")]  # shown again


def weights_drawn(at: AppTest) -> bool:
    return any(c.proto.id.endswith("-chart.weights") for c in at.get("plotly_chart"))


def test_followers_predict_the_teachers_open_step_before_it_is_sent():
    """The teacher's page hides the answer of its open step; so do the followers', before and after it is sent."""
    teacher = teacher_on()
    student = student_of(teacher)
    teacher.toggle(key="w.guide.query.on").set_value(True).run()
    assert not weights_drawn(teacher)
    student.run()
    no_errors(student)
    assert not weights_drawn(student)
    assert EN["live.predict"] in [c.value for c in student.caption]
    assert not [r for r in student.radio if r.key.startswith(("w.live.", "w.guide."))]  # nothing to answer yet

    explorer = student_of(teacher)
    button(explorer, EN["live.explore"]).click().run()
    assert [r for r in explorer.radio if r.key.startswith("w.guide.")]  # on their own: their own lesson

    guide = next(r for r in teacher.radio if r.key.startswith("w.guide."))
    guide.set_value(0)
    button(teacher, EN["guide.check"]).click().run()  # checked on the teacher's screen: the answer is out
    student.run()
    no_errors(student)
    assert weights_drawn(student)


def test_a_student_cannot_act_as_the_teacher():
    teacher = teacher_on()
    student = student_of(teacher)
    code, seat = place(student).code, place(student).seat
    labels = {b.label for b in student.button} | {t.label for t in student.toggle}
    assert not labels & {EN["live.send"], EN["live.reveal"], EN["live.lock"], EN["live.end_confirm"]}
    for act in (
        lambda: room_store.rooms().lock(code, seat, True),
        lambda: room_store.rooms().set_view(code, seat, "home", ""),
        lambda: room_store.rooms().results_csv(code, seat),
    ):
        with pytest.raises(NotAllowed):
            act()

    forged = open_page(room=code, teacher="A" * 22)  # a key of the right shape, not the teacher's
    no_errors(forged)
    assert place(forged) is None
    assert [shown(w.value) for w in forged.warning] == [EN["error.room.not_teacher"].format(code=code)]

    again = open_page(room=code, teacher=teacher.session_state["_live.place"].key)  # the teacher link
    no_errors(again)
    assert place(again).role == TEACHER
    assert "teacher" not in again.query_params  # the key leaves the address bar at once


def test_explore_on_my_own_and_back_to_the_teacher():
    teacher = teacher_on()
    student = student_of(teacher)
    button(student, EN["live.explore"]).click().run()
    student.select_slider(key="w.score.temperature").set_value(5.0).run()  # the student's own setting
    teacher.select_slider(key="w.score.temperature").set_value(0.3).run()
    student.run()
    assert student.select_slider(key="w.score.temperature").value == 5.0  # exploring: not followed

    button(student, EN["live.back"]).click().run()
    no_errors(student)
    assert student.select_slider(key="w.score.temperature").value == 0.3
    button(student, EN["live.explore"]).click().run()
    no_errors(student)
    assert student.select_slider(key="w.score.temperature").value == 5.0  # their own again

    teacher.toggle(key="w.live.lock").set_value(True).run()  # eyes on the projector
    student.run()
    no_errors(student)
    assert place(student).following and student.select_slider(key="w.score.temperature").value == 0.3
    assert button(student, EN["live.explore"]).disabled
    assert EN["live.locked"] in [i.value for i in student.info]


def test_the_projector_view_follows_and_shows_how_to_join():
    teacher = teacher_on()
    student_of(teacher)
    board = open_page(room=place(teacher).code, board=1, projector=1)
    no_errors(board)
    assert place(board).role == BOARD and board.session_state["projector"] is True
    assert [t.value for t in board.title] == [EN["query.title"]]
    assert any(m.startswith("## " + EN["live.join_at"].format(code=place(teacher).code)) for m in markdown(board))
    assert board.get("image")  # the QR code
    assert room_store.store().read(place(teacher).code)["students"].__len__() == 1  # the projector is no student


def test_the_projector_says_the_question_in_its_own_language():
    teacher = teacher_on()
    teacher.toggle(key="w.guide.query.on").set_value(True).run()
    button(teacher, EN["live.send"]).click().run()
    board = open_page(room=place(teacher).code, board=1, lang="zh")
    no_errors(board)
    question = ZH["live.class_question"].format(k=1) + " · " + ZH["guide.query.top.question"]
    assert f"### {question}" in markdown(board)
    assert not [c for c in board.get("plotly_chart") if c.proto.id.endswith("-chart.weights")]  # hidden there too


def test_ending_the_class_frees_everyone_with_one_sentence():
    teacher = teacher_on()
    student = student_of(teacher)
    code = place(teacher).code
    teacher.button(key="w.live.end").click().run()
    no_errors(teacher)
    assert place(teacher) is None and room_store.store().read(code) is None
    student.run()
    no_errors(student)
    assert place(student) is None and "room" not in student.query_params
    assert EN["error.room.gone"].format(code=code) in [shown(w.value) for w in student.warning]
    assert [t.value for t in student.title] == [EN["query.title"]]  # the page stays as it was


def test_a_nickname_is_shown_as_text_and_a_bad_one_is_one_sentence():
    teacher = teacher_on()
    student = open_page()
    student.text_input(key="w.live.join-code").set_value(place(teacher).code.lower())
    student.text_input(key="w.live.join-nick").set_value("**Zoë** <b>x</b>")
    button(student, EN["live.join"]).click().run()
    no_errors(student)
    assert place(student).nickname == "**Zoë** <b>x</b>"
    caption = next(c.value for c in student.caption if c.value.startswith(EN["live.you_are"].format(number=1)))
    assert "\\*\\*Zoë\\*\\* \\<b\\>" in caption and shown(caption).endswith("**Zoë** <b>x</b>")  # as typed

    other = open_page(lang="zh")
    other.text_input(key="w.live.join-code").set_value(place(teacher).code)
    other.text_input(key="w.live.join-nick").set_value("a\u202eb")
    button(other, ZH["live.join"]).click().run()
    assert place(other) is None
    assert [shown(e.value) for e in other.error] == [ZH["error.room.nickname_chars"]]


@pytest.mark.parametrize("code", ["ZZZZZZ", "K7MWQ3"])
def test_a_well_formed_code_of_no_class_is_one_sentence(code):
    at = open_page(room=code)
    no_errors(at)
    assert [shown(w.value) for w in at.warning] == [EN["error.room.gone"].format(code=code)]
    assert place(at) is None and "room" not in at.query_params


@pytest.mark.parametrize(
    ("link", "rejected"),
    [
        ({"room": "abc"}, ("room",)),
        ({"room": "K7MWQ0"}, ("room",)),  # 0 is not in a code's alphabet
        ({"room": "K7MWQ3", "teacher": "short"}, ("teacher",)),
        ({"room": "K7MWQ3", "seat": "<script>alert(1)</script>"}, ("seat",)),
        ({"room": "K7MWQ3", "board": "yes"}, ("board",)),
    ],
)
def test_a_live_link_parameter_of_the_wrong_shape_is_named_in_the_links_warning(link, rejected):
    at = open_page(QUERY, **link)
    expect_clean_fallback(at, 0.0, rejected, link)
    assert place(at) is None


def test_a_store_that_fails_leaves_the_page_working_with_one_sentence(monkeypatch):
    teacher = teacher_on()
    student = student_of(teacher)

    def lost(*args, **kwargs):
        raise ConnectionError("the store is unreachable")

    for method in ("version", "read", "update"):
        monkeypatch.setattr(room_store.store(), method, lost)
    for at in (student, teacher):
        at.select_slider(key="w.score.temperature").set_value(0.3).run()
        no_errors(at)
        assert [t.value for t in at.title] == [EN["query.title"]]
        assert weights_drawn(at)
        assert EN["live.unavailable"] in [shown(w.value) for w in at.warning]


def test_the_store_is_the_processes_one():
    assert room_store.store() is room_store.store()  # every session of a process shares it
