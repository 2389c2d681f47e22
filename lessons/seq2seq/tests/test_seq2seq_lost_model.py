"""A Seq2seq session that arrives on a process without the student's own model (issue 24, item 3).

The student's model lives in one server process's memory; the link holds only a marker (``own=training`` while
a run is under way, ``own=trained`` once it ended).  A fresh session opened from such a link — what a student
whose process died gets on the live one — says in one sentence what was lost and shows the pretrained model.
"""

from __future__ import annotations

import numpy as np
import pytest

from attention_core.seq2seq import Seq2Seq
from tests.app.helpers import no_errors, trace
from tests.app.pages import ROOT, open_page
from ui.i18n import catalogs

PAGE = "lessons/seq2seq/page.py"
EN, ZH = catalogs()["en"], catalogs()["zh"]


def lost_sentence(lang: str, own: str) -> str:
    words = catalogs()[lang]
    return words[f"seq2seq.own_lost.{own}"].format(view=words["seq2seq.view.train"], button=words["seq2seq.train"])


def infos(at) -> list[str]:
    return [i.value for i in at.info]


@pytest.mark.parametrize("own", ["training", "trained"])
def test_a_fresh_session_from_a_link_with_an_own_model_says_it_was_lost_and_shows_the_pretrained_one(own):
    at = open_page(PAGE, own=own)
    no_errors(at)
    assert infos(at).count(lost_sentence("en", own)) == 1
    assert not at.warning  # the marker is used, not a bad parameter
    # the pretrained model's alignment, not a blank page
    pretrained = Seq2Seq.load(ROOT / "models" / "seq2seq" / "reverse_additive.safetensors")
    np.testing.assert_allclose(
        trace(at, "chart.s2s.alignment")["z"], pretrained.predict("attention").weights, atol=1e-3
    )
    assert at.metric[0].value == "noitnetta"
    # the link keeps the marker until the student trains again (a second restart still says so)
    assert at.query_params["own"] in (own, [own])


@pytest.mark.parametrize("view", ["train", "why"])
def test_the_sentence_shows_on_every_view(view):
    at = open_page(PAGE, own="trained", view=view)
    no_errors(at)
    assert lost_sentence("en", "trained") in infos(at)


def test_the_sentence_in_chinese():
    at = open_page(PAGE, own="training")
    at.selectbox(key="w.lang").set_value("zh").run()
    no_errors(at)
    assert lost_sentence("zh", "training") in infos(at)
    assert lost_sentence("zh", "training").startswith("服务器进程重启")


def test_a_link_without_the_marker_says_nothing():
    at = open_page(PAGE)
    no_errors(at)
    assert not [i for i in infos(at) if i in (lost_sentence("en", "training"), lost_sentence("en", "trained"))]
    assert "own" not in at.query_params


def test_a_bad_marker_is_named_in_the_links_warning():
    at = open_page(PAGE, own="everything")
    assert not at.exception
    assert any("own" in w.value for w in at.warning)
    assert not [i for i in infos(at) if "server process restarted" in i]


def test_training_again_clears_the_sentence_and_the_link_marks_the_new_model():
    at = open_page(PAGE, own="trained", view="train", steps=50, hidden=16)
    assert lost_sentence("en", "trained") in infos(at)
    at.button(key="w.s2s.train").click().run()
    no_errors(at)
    assert lost_sentence("en", "trained") not in infos(at)
    assert at.query_params["own"] in ("trained", ["trained"])  # the run ended: this session's own model
    assert at.session_state["s2s.session"].run.status == "done"
