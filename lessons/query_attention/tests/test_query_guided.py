"""The Query lesson in AppTest, in detail: wrong and right answers, the reveal, the score (tests/app/test_guided_pages.py
walks every lesson to its score)."""

from __future__ import annotations

import numpy as np
import torch

from tests.app.helpers import bars, no_errors, shown
from tests.app.pages import HOME, open_page
from tests.app.test_guided_pages import button
from ui.i18n import catalogs

PAGE = "lessons/query_attention/page.py"
EN = catalogs()["en"]


def guide_radio(at):
    (radio,) = [r for r in at.radio if r.key and r.key.startswith("w.guide.query.")]
    return radio


def texts(at) -> str:
    return "\n".join(shown(e.value) for e in list(at.success) + list(at.warning) + list(at.markdown))


def weights_now(at) -> np.ndarray:
    x = torch.as_tensor(np.array(at.session_state["seq"].values))
    q = torch.as_tensor(np.asarray(at.session_state["q.values"])[0])
    return torch.softmax(x @ q, -1).numpy()


def test_the_lesson_is_off_until_turned_on():
    at = open_page(PAGE)
    no_errors(at)
    assert not [r for r in at.radio if r.key and r.key.startswith("w.guide.")]
    assert "guide" not in at.query_params
    (toggle,) = [tg for tg in at.toggle if tg.label == EN["guide.toggle"]]
    toggle.set_value(True).run()
    no_errors(at)
    assert guide_radio(at).label == EN["guide.query.top.question"]
    assert at.query_params["guide"] == "1"


def test_a_lesson_to_its_score():
    at = open_page(PAGE, guide=1)
    no_errors(at)
    w = weights_now(at)
    top = int(np.argmax(w))
    # step 1, the top token: the weights chart waits for the answer
    assert not [c for c in at.get("plotly_chart") if c.proto.id.endswith("-chart.weights")]
    radio = guide_radio(at)
    wrong = next(i for i, label in enumerate(radio.options) if label != f"x{top + 1}")
    radio.set_value(wrong)
    button(at, "guide.check").click().run()
    no_errors(at)
    (reveal,) = at.warning
    assert shown(reveal.value).startswith(EN["guide.wrong"].format(given=f"x{wrong + 1}", answer=f"x{top + 1}")[:20])
    assert f"x{top + 1}" in reveal.value
    np.testing.assert_allclose(bars(at, "chart.weights"), w, atol=1e-9)  # the chart is back, the answer outlined
    (chart,) = [c for c in at.get("plotly_chart") if c.proto.id.endswith("-chart.weights")]
    assert '"dash":"dash"' in chart.proto.spec.replace(" ", "") and f'"x0":{top + 0.5}' in chart.proto.spec.replace(
        " ", ""
    )
    button(at, "guide.next").click().run()

    # step 2, halving T: the answer is "down" (these scores do not tie)
    radio = guide_radio(at)
    radio.set_value(radio.options.index(EN["guide.down"]) if EN["guide.down"] in radio.options else 1)
    button(at, "guide.check").click().run()
    no_errors(at)
    assert len(at.success) == 1 and EN["guide.query.temperature.reason.down"] in at.success[0].value
    button(at, "guide.next").click().run()

    # step 3, the softmax by hand: a number box; the runner-up's weight is right
    (box,) = [n for n in at.number_input if n.key and n.key.startswith("w.guide.query.")]
    runner_up = float(np.sort(w)[-2])
    box.set_value(round(runner_up, 2))
    button(at, "guide.check").click().run()
    assert len(at.success) == 1
    button(at, "guide.next").click().run()

    # step 4, the output's nearest token: answered right
    x = np.array(at.session_state["seq"].values)
    near = int(np.argmin(np.linalg.norm(x - w @ x, axis=1)))
    radio = guide_radio(at)
    radio.set_value(radio.options.index(f"x{near + 1}"))
    button(at, "guide.check").click().run()
    assert len(at.success) == 1
    button(at, "guide.score_button").click().run()
    no_errors(at)
    assert EN["guide.score"].format(right=3, total=4) in texts(at)

    button(at, "guide.again").click().run()
    no_errors(at)
    assert guide_radio(at).value is None and EN["guide.step_of"].format(k=1, n=4) in "\n".join(
        c.value for c in at.caption
    )


def test_check_without_an_answer_asks_for_one():
    at = open_page(PAGE, guide=1)
    button(at, "guide.check").click().run()
    no_errors(at)
    assert EN["guide.pick_first"] in [c.value for c in at.caption]
    assert guide_radio(at).label == EN["guide.query.top.question"]  # still the first step


def test_a_new_seed_makes_a_new_exercise():
    at = open_page(PAGE, guide=1)
    radio = guide_radio(at)
    radio.set_value(0)
    button(at, "guide.check").click().run()
    assert at.session_state["guide.query.progress"]["revealed"]
    at.number_input(key="w.seq.seed").set_value(5).run()
    no_errors(at)
    progress = at.session_state["guide.query.progress"]
    assert progress["step"] == 0 and not progress["revealed"] and not progress["answers"]
    assert EN["guide.renewed"] in [c.value for c in at.caption]


def test_a_preset_link_opens_the_lesson_with_its_settings():
    at = open_page(PAGE, kind="clusters", n=8, d=4, seed=0, method="cosine", temperature=0.1, q="1,0,0,0", guide=1)
    no_errors(at)
    assert at.session_state["score.method"] == "cosine" and at.session_state["score.temperature"] == 0.1
    assert guide_radio(at) is not None
    (links,) = [m.value for m in at.sidebar.markdown if EN["guide.query.preset.copy"] in m.value]
    assert EN["guide.query.preset.mask"] in links
    assert "(query?kind=clusters&n=8&d=4&seed=0&mask=5&" in links and "&guide=1)" in links


def test_the_lesson_stays_on_across_a_page_switch():
    at = open_page(PAGE, guide=1)
    at.switch_page(HOME).run()
    at.query_params.clear()
    at.switch_page(PAGE).run()
    no_errors(at)
    assert guide_radio(at) is not None and at.query_params["guide"] == "1"
