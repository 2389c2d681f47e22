"""The query editor after a refused upload: its widgets show the q the charts use, and a nudge moves that q.

Seen once in a classroom trial: after a good CSV and then a bad one, *Scale q by*
showed 0.1, q1–q3 showed −3.00 and the query box was empty while the charts
still used q = (−0.32, −0.49, 1.68); one nudge of q1 then applied q1 = −2.95
with scale 0.1.  This repeats good upload → bad upload → nudge many times and
checks, every time, that the widgets and the settings agree.
"""

from __future__ import annotations

import numpy as np

from attention_core.text_parsing import format_vectors
from tests.app.pages import open_page

PAGE = "lessons/query_attention/page.py"
ROUNDS = 12


def good_csv(rng, d: int) -> bytes:
    rows = np.round(rng.standard_normal((rng.integers(3, 9), d)), 2)
    return "\n".join(",".join(f"{v:.2f}" for v in row) for row in rows).encode()


def assert_widgets_show_the_settings(at, where: str) -> None:
    """The server's widget state, and what it tells the browser to show, are the settings the charts use.

    ``set_value``: the run hands the browser the value (else the browser keeps
    whatever its own widget holds, which is how the two once parted).
    """
    q = np.asarray(at.session_state["q.values"])
    sel = at.session_state["q.selected"]
    scale = at.select_slider(key="w.q.scale")
    assert scale.value == at.session_state["q.scale"], where
    assert scale.proto.set_value and scale.proto.raw_value[0] == str(scale.value), where
    text = at.text_area(key="w.q.text")
    assert text.value == format_vectors(q) and text.proto.set_value and text.proto.value == text.value, where
    for j in range(q.shape[1]):
        slider = at.slider(key=f"w.q.dim.{j}")
        assert abs(slider.value - q[sel, j]) < 1e-9, (where, j)
        assert slider.proto.set_value and abs(slider.proto.value[0] - q[sel, j]) < 1e-9, (where, j)


def test_a_refused_upload_leaves_the_query_editor_in_step_with_the_charts():
    rng = np.random.default_rng(21)
    at = open_page(PAGE)
    at.select_slider(key="w.q.scale").set_value(2.0).run()
    at.radio(key="w.seq.source").set_value("upload").run()
    for round_ in range(ROUNDS):
        d = int(rng.integers(2, 5))
        at.file_uploader[0].set_value((f"good{round_}.csv", good_csv(rng, d), "text/csv")).run()
        assert not at.exception and not at.error, (round_, at.error)
        assert_widgets_show_the_settings(at, f"round {round_}: after the good file")
        at.file_uploader[0].set_value(("bad.csv", b"1,2,3\n4,5\n", "text/csv")).run()
        assert not at.exception and len(at.error) == 1
        assert_widgets_show_the_settings(at, f"round {round_}: after the bad file")
        before = np.asarray(at.session_state["q.values"]).copy()
        slider = at.slider(key="w.q.dim.0")
        slider.set_value(round(slider.value + 0.05, 2)).run()
        assert not at.exception
        after = np.asarray(at.session_state["q.values"])
        np.testing.assert_allclose(after[0, 1:], before[0, 1:])
        assert abs(after[0, 0] - (before[0, 0] + 0.05)) < 1e-6, (round_, before[0], after[0])
        assert at.session_state["q.scale"] == 2.0
        assert_widgets_show_the_settings(at, f"round {round_}: after the nudge")


def test_a_refused_query_text_stays_in_the_box_until_a_good_q_replaces_it():
    at = open_page(PAGE)
    at.text_area(key="w.q.text").set_value("1, 2, oops").run()
    assert len(at.error) == 1
    at.select_slider(key="w.q.scale").set_value(2.0).run()  # another control: the student's text stays to be fixed
    assert at.text_area(key="w.q.text").value == "1, 2, oops"
    at.button(key="w.q.random").click().run()  # a new q: the box shows it
    assert at.text_area(key="w.q.text").value == format_vectors(np.asarray(at.session_state["q.values"]))
