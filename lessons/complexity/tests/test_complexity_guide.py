"""The Complexity lesson's questions on the page: each one hides its answer in every view until it is answered, and
each preset opens on the question that makes its point."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from attention_core.complexity import from_csv
from attention_core.efficient import online_softmax_steps
from lessons.complexity import controls, guide
from tests.app.helpers import no_errors
from tests.app.leaks import assert_hidden, shows_number, shows_words, texts
from tests.app.pages import ROOT, open_page
from ui.i18n import catalogs

PAGE = "lessons/complexity/page.py"
EN, ZH = catalogs()["en"], catalogs()["zh"]
REFERENCE = from_csv((Path(guide.__file__).with_name("reference.csv")).read_text())


def page_steps():
    """The questions the page asks on its default settings (the reference, every default method, block 8)."""
    shown = [m for m in REFERENCE if m.method in controls.DEFAULTS["methods"]]
    return guide.steps(shown, online_softmax_steps(guide.online_scores(), controls.DEFAULTS["step_block"]))


STEPS = {step.name: step for step in page_steps()}


def reveal_words(step) -> str:
    """The longest fixed stretch of the step's reveal sentence: it shows only once the answer is revealed."""
    return max(re.split(r"\{[^}]*\}", EN[step.key("why")]), key=len).strip(" .,:")


def secrets(step) -> dict:
    """The numbers that give the step's answer away (its reveal's values), by name: printed anywhere or carried in a
    chart's data.  (A doubling factor such as 4.0 is also a window or a size on other charts, so it is checked as
    printed text only: ``printed``.)"""
    names = {"time": ("slope",), "memory": ("slope",), "fast": ("slope",), "matrix": ("mb",), "online": ("factor",)}
    return {name: step.values[name] for name in names[step.name]}


def printed(step) -> dict:
    """The numbers that give the answer away when printed with the step's own rounding (1 decimal); for the matrix
    also its size in MiB (the memory view's bars print it so: the same answer in other units)."""
    names = {"time": ("factor",), "memory": ("factor",), "fast": ("factor", "exact_factor"), "matrix": ("mb",)}
    out = {name: step.values[name] for name in names.get(step.name, ())}
    if step.name == "matrix":
        out["mib"] = 4 * step.values["n"] ** 2 / 2**20
    return out


def printed_on(at, value: float) -> list[str]:
    """Where ``value`` is printed with 1 decimal as a number standing alone (not inside a widget's id or hash)."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(f'{value:.1f}')}(?![\d])")
    return [text for text in texts(at) if not text.startswith("$$ID-") and pattern.search(text)]


def guide_radio(at):
    """The open question's answer widget: options as a radio, a number as a number box."""
    (widget,) = [w for w in list(at.radio) + list(at.number_input) if w.key and w.key.startswith("w.guide.complexity.")]
    return widget


def check(at, answer):
    guide_radio(at).set_value(answer)
    (button,) = [b for b in at.button if b.label == EN["guide.check"]]
    button.click().run()
    no_errors(at)


def walk(at):
    """Every view of the page, and in the steps view every block of the slider: yields a name for each."""
    for view in controls.VIEWS:
        at.segmented_control(key="w.complexity.view").set_value(view).run()
        no_errors(at)
        if view != "steps":
            yield view
            continue
        blocks = -(-guide.ONLINE_N // controls.DEFAULTS["step_block"])
        for block in range(1, blocks + 1):
            at.slider(key="w.complexity.step").set_value(block).run()
            no_errors(at)
            yield f"steps, block {block}"


def test_the_lesson_asks_what_the_page_shows():
    assert list(STEPS) == ["time", "memory", "fast", "matrix", "online"]
    assert {name: step.asks for name, step in STEPS.items()} == {
        "time": ("time",),
        "memory": ("memory",),
        "fast": ("time",),
        "matrix": ("matrix",),
        "online": ("running",),
    }


@pytest.mark.parametrize("name", ["time", "memory", "fast", "matrix", "online"])
def test_an_open_question_shows_its_answer_nowhere(name):
    step = STEPS[name]
    at = open_page(PAGE, guide=name)
    no_errors(at)
    assert guide_radio(at).label == EN[step.key("question")].format(
        **{k: v for k, v in step.values.items() if not hasattr(v, "key")},
        **{k: EN[v.key] for k, v in step.values.items() if hasattr(v, "key")},
    )
    values, words = secrets(step), (reveal_words(step),)
    for where in walk(at):
        try:
            assert_hidden(at, values, words=words)
        except AssertionError as leak:
            raise AssertionError(f"{name}, {where}: {leak}") from None
        for what, value in printed(step).items():
            assert not printed_on(at, float(value)), (name, where, what)

    # answered: the view that shows the quantity now shows the answer (so the checks above can fail)
    check(at, int(step.answer) if step.options else float(step.answer))
    view = {"time": "time", "fast": "time", "memory": "memory", "matrix": "memory", "online": "steps"}[name]
    at.segmented_control(key="w.complexity.view").set_value(view).run()
    if name == "online":
        at.slider(key="w.complexity.step").set_value(step.values["block"]).run()
    no_errors(at)
    assert shows_words(at, reveal_words(step))
    shown = {"time": "slope", "fast": "slope", "memory": "slope", "online": "factor"}.get(name)
    if shown:
        assert shows_number(at, step.values[shown], exact=False), f"{name}: {shown} is not on the {view} view"
    else:  # the matrix: the memory view draws the n×n matrix again
        assert [c for c in at.get("plotly_chart") if c.proto.id.endswith("-chart.complexity.bars")]


@pytest.mark.parametrize("preset", guide.presets(), ids=lambda p: p[0].rsplit(".", 1)[-1])
def test_a_preset_opens_on_the_question_of_its_view(preset):
    """The preset's question is the one its view answers: that view waits (hidden) until the question is answered."""
    _, settings = preset
    at = open_page(PAGE, **settings)
    no_errors(at)
    shown = [m for m in REFERENCE if m.method in settings.get("methods", ",".join(controls.DEFAULTS["methods"]))]
    steps = guide.steps(shown, online_softmax_steps(guide.online_scores(), controls.DEFAULTS["step_block"]))
    names = [step.name for step in steps]
    index = names.index(settings["guide"])
    assert at.caption[1].value == EN["guide.step_of"].format(k=index + 1, n=len(steps)) or any(
        c.value == EN["guide.step_of"].format(k=index + 1, n=len(steps)) for c in at.caption
    )
    assert guide_radio(at).label.startswith(EN[steps[index].key("question")].split("{")[0])
    hidden = EN["guide.hidden"].split("**")[0].strip()
    assert any(hidden[:20] in m.value for m in at.markdown), "the preset's view does not wait for its question"


def test_the_readme_presets_are_the_lesson_presets():
    """The README's Complexity rows link to exactly the presets the page offers (each opening on its question)."""
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"`(complexity\?[^`]+)`", readme)
    from urllib.parse import parse_qsl

    in_readme = [dict(parse_qsl(link.split("?", 1)[1])) for link in links]
    assert in_readme == [{k: str(v) for k, v in settings.items()} for _, settings in guide.presets()]


def test_the_chinese_questions_ask_for_a_multiple_of_the_old_cost():
    """ "要多花几倍的时间" read as "how many times more"; the question asks what multiple of the old time it becomes."""
    for name in ("time", "fast", "memory"):
        assert "原来的几倍" in ZH[f"guide.complexity.{name}.question"], name
    assert ZH["guide.complexity.times"] == "约为原来的 {k} 倍"


def test_the_online_reveal_adds_up_from_its_printed_numbers():
    """e^(m_old − m_new) from the m the reveal prints (3 decimals) is the factor it prints (3 decimals)."""
    import math

    values = STEPS["online"].values
    assert re.fullmatch(r"-?\d+\.\d{3}", values["m_old"]) and re.fullmatch(r"-?\d+\.\d{3}", values["m_new"])
    assert f"{math.exp(float(values['m_old']) - float(values['m_new'])):.3f}" == f"{values['factor']:.3f}"
