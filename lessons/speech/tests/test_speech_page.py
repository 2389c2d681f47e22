"""The Speech page in AppTest: every view of every bundled clip, widgets that change what the charts hold,
and the guided lesson's answers hidden everywhere until answered.

The model is loaded once per test process (``st.cache_resource``), and each clip is transcribed once
(the page's shared results), so the clips' views cost a fragment rerun each.
"""

from __future__ import annotations

import numpy as np
import pytest

from attention_core.speech import timing
from lessons.speech import controls, guide, listening
from lessons.speech.controls import CLIP_TEXTS, VIEWS
from tests.app.helpers import figure, no_errors, shown, trace
from tests.app.leaks import assert_hidden
from tests.app.pages import open_page
from ui.i18n import catalogs

PAGE = "lessons/speech/page.py"
EN = catalogs()["en"]
CHARTS = {
    "sound": ("chart.speech.wave", "chart.speech.mel"),
    "token": ("chart.speech.token",),
    "alignment": ("chart.speech.alignment",),
    "encoder": ("chart.speech.encoder",),
    "decoder": ("chart.speech.decoder",),
    "language": ("chart.speech.languages",),
    "by_hand": ("chart.speech.by_hand",),
}


def result_of(name: str = "attention"):
    """The transcription the page computed for a bundled clip (the shared results of this process)."""
    return listening.transcriptions().get((controls.bundled(name).digest, "auto"))


def chart_keys(at) -> set[str]:
    return {c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")}


def view_picker(at):
    (picker,) = [s for s in at.segmented_control if s.label == EN["speech.view"]]
    return picker


def select(at, label_key: str):
    (found,) = [s for s in at.selectbox if s.label == EN[label_key]]
    return found


@pytest.mark.parametrize("clip", sorted(CLIP_TEXTS))
def test_every_view_of_every_bundled_clip_draws_its_charts(clip):
    at = open_page(PAGE, clip=clip)
    no_errors(at)
    heard = result_of(clip)
    assert any(shown(m.value).startswith("**Whisper heard:** " + heard.text) for m in at.markdown)
    for view in VIEWS:
        view_picker(at).set_value(view).run()
        no_errors(at)
        assert set(CHARTS[view]) <= chart_keys(at), view
        assert view == "sound" or at.query_params["view"] == view


def test_each_token_looks_further_along_the_clip():
    """One token's curve is its row of the alignment heads' average; the peaks of the words move forward."""
    at = open_page(PAGE, view="token")
    no_errors(at)
    heard = result_of()
    rows = guide.word_rows(heard.cross, listening.model().alignment_heads, heard.units, heard.frames_in_clip)
    peaks = []
    for k in range(len(heard.units)):
        select(at, "speech.token").set_value(k).run()
        no_errors(at)
        curve = trace(at, "chart.speech.token", 1)["y"]
        np.testing.assert_allclose(curve, rows[k], rtol=1e-5, atol=1e-6)
        peaks.append(int(np.argmax(curve)))
    words = [k for k, unit in enumerate(heard.units) if unit.text.strip().isalpha()]
    assert np.all(np.diff([peaks[k] for k in words]) >= 0), peaks
    assert at.query_params["token"] == str(len(heard.units) - 1)


def test_the_layer_and_head_pickers_choose_the_curve():
    at = open_page(PAGE, view="token", token=3)
    select(at, "speech.layer").set_value(2).run()
    select(at, "speech.head").set_value(5).run()
    no_errors(at)
    heard = result_of()
    expected = timing.unit_weights(heard.cross[1, 4], heard.units)[3, : heard.frames_in_clip]
    np.testing.assert_allclose(trace(at, "chart.speech.token", 1)["y"], expected, rtol=1e-5, atol=1e-6)
    assert (at.query_params["layer"], at.query_params["head"]) == ("2", "5")


def test_the_alignment_steps_can_be_switched_off():
    at = open_page(PAGE, view="alignment", filter=1, normalise=0)
    no_errors(at)
    heard = result_of()
    matrix = trace(at, "chart.speech.alignment", 0)["z"]
    raw = timing.head_weights(heard.cross, listening.model().alignment_heads).mean(0)[:, : heard.frames_in_clip]
    np.testing.assert_allclose(matrix, raw, rtol=1e-5, atol=1e-6)
    (toggle,) = [tg for tg in at.toggle if tg.label == EN["speech.normalise"]]
    toggle.set_value(True).run()
    normalised = trace(at, "chart.speech.alignment", 0)["z"]
    assert not np.allclose(normalised, raw)
    path = trace(at, "chart.speech.alignment", 1)
    assert np.all(np.diff(path["x"]) >= 0) and np.all(np.diff(path["y"]) >= 0)  # the path never goes back
    assert at.query_params["normalise"] == "1" if "normalise" in at.query_params else True


def test_the_language_view_shows_the_softmax_over_languages():
    at = open_page(PAGE, view="language", clip="cat")
    no_errors(at)
    bars = trace(at, "chart.speech.languages")
    heard = result_of("cat")
    assert bars["y"][0].startswith("English") and bars["x"][0] == pytest.approx(heard.language_probs.max(), rel=1e-5)


def test_by_hand_equals_the_model():
    at = open_page(PAGE, view="by_hand", layer=5, head=7, token=4)
    no_errors(at)
    (metric,) = at.metric
    assert float(metric.value) < 1e-5
    by_hand, model = trace(at, "chart.speech.by_hand", 1)["y"], trace(at, "chart.speech.by_hand", 0)["y"]
    np.testing.assert_allclose(by_hand, model, atol=1e-5)


def answers(heard) -> list[dict]:
    """What each question's answer looks like on a page: its numbers and its words."""
    steps = guide.steps(heard, listening.model().alignment_heads, lambda code: code)
    stretch, forward, heads, language = steps
    return [
        dict(name="stretch", values={"peak": float(stretch.values["peak"])}, words=(f"at {stretch.values['peak']} s",)),
        dict(name="forward", values={}, words=(f"goes back {forward.values['back']} time(s)",)),
        dict(
            name="heads",
            values={},
            # which heads are alignment heads is the hint the question asks the student to find out
            words=(f"Head {heads.values['best']}: the rank correlation", "alignment head)", heads.values["listed"]),
        ),
        dict(name="language", values={"p": float(language.values["p"])}, words=()),
    ]


def test_no_question_s_answer_shows_on_any_view_before_it_is_answered():
    at = open_page(PAGE, guide=1)
    no_errors(at)
    heard = result_of()
    # the token views follow the word the first question asks about
    asked = guide.steps(heard, listening.model().alignment_heads, lambda code: code)[0].values["word"]
    first = next(w.tokens[0] for w in heard.words if w.text.strip() == asked)
    select(at, "speech.token").set_value(next(i for i, u in enumerate(heard.units) if u.tokens[0] == first)).run()
    for index, answer in enumerate(answers(heard)):
        radios = [r for r in at.radio if r.key and r.key.startswith("w.guide.speech.")]
        boxes = [n for n in at.number_input if n.key and n.key.startswith("w.guide.speech.")]
        assert radios or boxes, f"step {index + 1} shows no question"
        for view in VIEWS:
            view_picker(at).set_value(view).run()
            no_errors(at)
            assert_hidden(at, answer["values"], answer["words"])
        radios = [r for r in at.radio if r.key and r.key.startswith("w.guide.speech.")]
        boxes = [n for n in at.number_input if n.key and n.key.startswith("w.guide.speech.")]
        (radios[0] if radios else boxes[0]).set_value(0)
        [b for b in at.button if b.label == EN["guide.check"]][0].click().run()
        nexts = [b for b in at.button if b.label in (EN["guide.next"], EN["guide.score_button"])]
        nexts[0].click().run()
        no_errors(at)


def test_the_stretch_question_s_answer_is_where_the_word_peaks():
    heard = result_of() or _transcribed()
    step = guide.steps(heard, listening.model().alignment_heads, lambda code: code)[0]
    start, end = (float(x) for x in step.options[int(step.answer)].removesuffix(" s").split("–"))
    assert start <= float(step.values["peak"]) <= end


def _transcribed():
    open_page(PAGE)
    return result_of()


def test_a_link_with_bad_settings_warns_once_and_keeps_the_defaults():
    at = open_page(PAGE, clip="nope", view="x", layer=99, filter=4)
    no_errors(at)
    assert len(at.warning) == 1
    assert controls.DEFAULTS["clip"] == at.session_state["speech.clip"]
    assert "chart.speech.mel" in chart_keys(at)


def test_the_figures_name_their_axes():
    at = open_page(PAGE, view="alignment")
    spec = figure(at, "chart.speech.alignment")
    assert spec["layout"]["xaxis"]["title"]["text"] == EN["speech.fig.time"]
    assert spec["layout"]["yaxis"]["title"]["text"] == EN["speech.fig.token"]


def test_chinese_characters_are_shown_whole_on_the_page():
    at = open_page(PAGE, clip="cat", language="zh", view="decoder")
    no_errors(at)
    labels = figure(at, "chart.speech.decoder")["layout"]["yaxis"]["ticktext"]
    assert any("\u4e00" <= char <= "\u9fff" for label in labels for char in label)
    assert "+" in labels  # a character's second piece continues the row above
    assert not [text for text in labels if "\ufffd" in text]
    picker = select(at, "speech.token")
    assert all("\ufffd" not in option for option in picker.options)


def test_a_clip_with_one_word_offers_a_bundled_clip_instead_of_questions():
    from types import SimpleNamespace

    from lessons.speech import views

    found = views.guide_steps(SimpleNamespace(words=(1,)))
    assert found.button.key == "guide.speech.nofit.button" and found.apply is controls.use_bundled_clip
