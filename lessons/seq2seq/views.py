"""The Seq2seq page's views: Alignment (try a model), Train (a live run) and Why attention (accuracy by length).

``VIEWS[view](config)`` draws one view from the settings' model config.  Each
view makes its one computation (a prediction, a training run, the accuracy
curves), holds it in a frozen result and draws from that; every element that
shows a quantity checks ``asked.hides(...)`` first (the guided lesson's no-leak rule).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import streamlit as st

from attention_core import work_line
from attention_core.errors import InputError
from attention_core.seq2seq import Prediction, Seq2Seq, Seq2SeqConfig, train_seq2seq
from lessons.seq2seq import controls, figures, guide, shipped, training
from lessons.seq2seq.controls import PAGE, SETTINGS
from lessons.seq2seq.training import TIME_LIMIT_S, Run
from ui import boundary, export, guided
from ui.feedback import error_text, show_error
from ui.figures import bar_chart, show
from ui.guide_steps import NoFit, Word
from ui.i18n import t
from ui.settings import transient

REDRAW_S = 0.5  # redraw the live charts at most this often
MAX_METRIC = 12  # longer outputs are shown as wrapped text
MAX_BUTTONS = 24  # output characters to pick from as buttons; longer outputs get a slider


def subscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def percent(value: float | None) -> str:
    return "–" if value is None else t("seq2seq.percent", value=100 * value)


def describe(config: Seq2SeqConfig) -> str:
    return f"{t(f'seq2seq.task.{config.task}')} · {t(f'seq2seq.scoring.{config.scoring}')}"


# ------------------------------------------------------------- the student's own model, across a restart


def own_marker() -> str | None:
    """The link's marker of the student's own model: "training" or "trained", or None (see controls.OWN_STATES).

    A session that lost its model keeps the marker until it trains again, so a second restart still says so.
    """
    run = training.session().run
    if run is None:
        return transient().model_lost
    return "training" if run.status == "training" else "trained"


def notice_lost_model(own: str | None) -> None:
    """A link said the student's own model was training or trained, and this session has none: remember to say so.

    The model lived in the memory of one server process; a student whose process restarted (or who moved to
    another one) arrives here with the link alone.
    """
    if own is not None and training.session().run is None:
        transient().model_lost = own


def lost_model_note() -> None:
    """One sentence while the link's own model is missing here: what was lost, and that the pretrained one is shown."""
    lost = transient().model_lost
    if lost is not None:
        st.info(
            t(f"seq2seq.own_lost.{lost}", view=t("seq2seq.view.train"), button=t("seq2seq.train")),
            icon=":material/restart_alt:",
        )


def forget_lost_model() -> None:
    """Train's callback (before the page draws the sentence): the student is making a model of their own again."""
    transient().model_lost = None


def publish() -> None:
    controls.publish(own_marker())


# ------------------------------------------------------------- Alignment: type an input


@dataclass(frozen=True)
class Tried:
    """What the Alignment view draws: the model asked, its test accuracy, and its prediction for the input."""

    model: Seq2SeqConfig
    test_accuracy: float | None
    prediction: Prediction
    pick: int  # the output character whose weights the bars show

    @property
    def row(self) -> np.ndarray:  # [len(text)]
        return self.prediction.weights[self.pick]


def pick_model(config: Seq2SeqConfig, run: Run | None) -> tuple[Seq2Seq | None, float | None]:
    """The model the view reads: the student's own when they trained one for this task, else a shipped one."""
    options = (["shipped"] if shipped.index() else []) + (["yours"] if run and run.config.task == config.task else [])
    if not options:
        st.info(t("seq2seq.model.missing"))
        return None, None
    if len(options) > 1:
        SETTINGS.draw("model", options=options)
    if (SETTINGS.get("model") if len(options) > 1 else options[0]) == "yours":
        return run.model, run.test_accuracy
    name, stand_in = shipped.name_for(config)
    if stand_in:
        st.caption(t("seq2seq.model.fallback"))
    return shipped.model(name), shipped.index()[name]["test_accuracy"]


def predict(model: Seq2Seq, text: str, shipped_name: str | None = None) -> Prediction | None:
    """The model's prediction for ``text``; for a refused input, the last input that worked (None if none fits).

    A shipped model's (``shipped_name``) comes from the server's cache: the previous visitor's work is not redone.
    """
    memory = training.session()
    forecast = partial(shipped.prediction, shipped_name) if shipped_name else model.predict
    try:
        prediction = forecast(text)
        memory.last_good = prediction.text
        return prediction
    except InputError as exc:
        show_error(error_text(exc))  # plain text: it quotes the student's characters
    try:
        prediction = forecast(memory.last_good) if memory.last_good else None
    except InputError:  # e.g. the task changed since
        return None
    if prediction is not None:
        st.caption(t("seq2seq.showing_last", text=prediction.text))
    return prediction


def try_steps(prediction: Prediction):
    """The Alignment view's questions, or which setting to change when none fits (a NoFit with its button)."""
    if prediction.weights is None:
        return NoFit(Word("guide.s2s.nofit.baseline"), Word("guide.s2s.nofit.attention"), controls.use_attention)
    if len(prediction.output) < 2 or len(prediction.text) < 2:
        return NoFit(Word("guide.s2s.nofit.short"), Word("guide.s2s.nofit.default"), controls.use_default_text)
    return guide.steps(prediction.text, prediction.output, prediction.weights)


def pick_output(output: str) -> int:
    """Which output character's weights the bars show: numbered buttons (n₁ … n₅), a slider for long outputs."""
    positions = list(range(len(output)))
    if SETTINGS.get("pick") not in positions:
        SETTINGS.set("pick", 0)
    # numbered: a repeated letter must still be its own button, or the wrong one lights up
    label = lambda j: f"{output[j]}{subscript(j + 1)}".replace(" ", "␣")  # noqa: E731
    if len(positions) <= MAX_BUTTONS:
        SETTINGS.draw("pick", options=positions, format_func=label, required=True)
    else:  # a row of buttons would run off the page
        SETTINGS.draw("pick", options=positions, format_func=label, widget="select_slider")
    return SETTINGS.get("pick")


@boundary.fragment
def try_view(config: Seq2SeqConfig) -> None:
    """Type an input: the prediction, its alignment, and one output character's weights as bars."""
    draw_try(config)
    publish()  # a fragment rerun does not reach the page's; after ``pick`` is fitted to the output


def draw_try(config: Seq2SeqConfig) -> None:
    model, test_accuracy = pick_model(config, training.current_run())
    if model is None:
        return
    mc = model.config
    st.caption(
        t(
            "seq2seq.model.caption",
            task=t(f"seq2seq.task.{mc.task}"),
            scoring=t(f"seq2seq.scoring.{mc.scoring}"),
            hidden=mc.hidden,
            lo=mc.min_length,
            hi=mc.max_length,
            acc=percent(test_accuracy),
        )
    )
    row = st.columns([3, 2, 3], gap="medium")  # input, output and verdict on one line: the heatmap stays in view
    SETTINGS.draw("text", where=row[0])
    own = training.current_run()
    shipped_name = None if own is not None and model is own.model else shipped.name_for(config)[0]
    prediction = predict(model, SETTINGS.get("text"), shipped_name)  # the one core call
    if prediction is None:
        return
    verdict(prediction, row[1], row[2])
    asked = guided.lesson(PAGE, lambda: try_steps(prediction), wide=True)
    if prediction.weights is None:
        st.info(t("seq2seq.no_alignment"))
        return
    if not prediction.output:
        return
    alignment_charts(Tried(mc, test_accuracy, prediction, pick_output(prediction.output)), asked)


def verdict(prediction: Prediction, out, check) -> None:
    """The output (a metric, or wrapped text when long) and whether it is right."""
    if len(prediction.output) <= MAX_METRIC:
        out.metric(t("seq2seq.output"), prediction.output or "∅")
    else:  # a metric would cut it off with "…"
        out.caption(t("seq2seq.output"))
        out.code(prediction.output, language=None, wrap_lines=True)
    with check:
        if prediction.correct:
            st.success(t("seq2seq.correct"))
        else:
            st.warning(
                t("seq2seq.wrong", expected=prediction.expected) if prediction.output else t("seq2seq.empty_output")
            )
        if prediction.note:
            st.caption(prediction.note)


def alignment_charts(tried: Tried, asked: guided.Shown) -> None:
    """The alignment heatmap and the picked output character's weights as bars (hidden while a question asks)."""
    p, i = tried.prediction, tried.pick
    heat, bars = st.columns([3, 2], gap="medium")
    fig = figures.alignment_figure(
        p.weights,
        p.text,
        p.output,
        title=t("seq2seq.alignment_title"),
        x_title=t("seq2seq.input_axis"),
        y_title=t("seq2seq.output_axis"),
    )
    guided.chart(heat, asked, "alignment", fig, key="chart.s2s.alignment")
    if asked.hides("alignment"):  # the task's hint says where the bright cells run; the downloads hold the weights
        heat.caption(t("seq2seq.alignment_caption"))
    else:
        heat.caption(t("seq2seq.alignment_caption") + " " + t(f"seq2seq.hint.{tried.model.task}"))
        export.matrix_downloads("alignment", p.weights, list(p.output), list(p.text), where=heat)
    bar = bar_chart(
        tried.row,
        ["␣" if c == " " else c for c in p.text],
        t("seq2seq.row_title", i=i + 1, char=figures.char_labels(p.output)[i]),
        t("seq2seq.weight_axis"),
        color=tried.row,
        x_title=t("seq2seq.input_axis"),
        hide_text_below=0.005,
    )
    # marked=False: the mark is a cell of the alignment
    guided.chart(bars, asked, "alignment", bar, marked=False, width="stretch", key="chart.s2s.row")


# ------------------------------------------------------------- Train: a live run


def train_view(config: Seq2SeqConfig) -> None:
    """Train / Stop, the progress, the live curves and the live alignment.

    Not a fragment on purpose: a click in a fragment waits for a running
    script to finish, while a full rerun interrupts it — that is what Stop does.
    """
    # the questions need a model that stands still: they are on the other two views
    guided.lesson(PAGE, lambda: NoFit(Word("guide.s2s.nofit.train"), Word("guide.s2s.nofit.try"), controls.show_try))
    example = config.make_task().example(config.max_length)
    st.markdown(t("seq2seq.train.intro", example=example))
    buttons = st.columns([1, 1, 5])
    start = buttons[0].button(
        t("seq2seq.train"), type="primary", key="w.s2s.train", width="stretch", on_click=forget_lost_model
    )
    buttons[1].button(t("seq2seq.stop"), key="w.s2s.stop", width="stretch")  # its rerun stops the loop
    status = st.empty()
    left, right = st.columns(2, gap="medium")
    curve, heat = left.empty(), right.empty()
    run = training.current_run()
    if start:
        run = training.start(config, int(SETTINGS.get("steps")), example)
        publish()  # own=training in the link while the loop runs: a restart mid-training can say what was lost
        train_live(run, status, curve, heat)
        run = training.current_run()  # a run that was cancelled in line gives back the one before
    if training.session().cancelled:
        training.session().cancelled = False
        st.info(t("seq2seq.status.cancelled"), icon=":material/cancel:")
    if run is None:
        status.info(t("seq2seq.status.none"))
        return
    if run.config != config:
        st.caption(t("seq2seq.status.other", config=describe(run.config)))
    messages = {"done": "seq2seq.status.done", "stopped": "seq2seq.status.stopped", "time": "seq2seq.status.time"}
    status.success(
        t(
            messages[run.status],
            steps=len(run.losses),
            seconds=run.seconds,
            acc=percent(run.test_accuracy),
            limit=TIME_LIMIT_S,
        )
    )
    draw_live(run, curve, heat)
    st.caption(t("seq2seq.train.caption", limit=TIME_LIMIT_S))


class LeftLine(Exception):
    """A newer script run of this session (Cancel, or any click) took over while this one waited in line."""


def wait_in_line(run: Run, status) -> Callable[[int], None]:
    """What a student waiting in the process's line sees: their place, and Cancel (its click leaves the line)."""
    box = status.container()
    note, cancel = box.empty(), box.empty()
    cancel.button(t("seq2seq.cancel"), key="w.s2s.cancel", icon=":material/cancel:")

    def on_wait(place: int) -> None:
        if run.stop.is_set():
            raise LeftLine  # gives up the place (Streamlit itself stops a left session's script at the next draw)
        note.info(t("seq2seq.in_line", place=place), icon=":material/hourglass_top:")

    return on_wait


def train_live(run: Run, status, curve, heat) -> None:
    """Wait for the process's line (one heavy job at a time), then run the training loop, redrawing progress
    every few steps and the charts every REDRAW_S seconds."""
    try:
        with work_line.shared().turn(wait_in_line(run, status)):
            run.status, run.previous = "training", None  # its turn: the run before is no longer needed
            with work_line.lower_priority():  # the class's clicks get the core first
                train_in_turn(run, status, curve, heat)
    except LeftLine:
        pass  # the newer script run reports it (training.current_run)
    finally:
        run.ended.set()


def train_in_turn(run: Run, status, curve, heat) -> None:
    bar = status.progress(0.0, text=t("seq2seq.training", step=0, steps=run.steps, seconds=0))
    last_draw, draws = [-REDRAW_S], [0]

    def on_step(p) -> bool:
        must_end = run.record(p)
        if run.stop.is_set():
            return True  # Stop (or any other widget) started a newer script run
        if p.step % 5 == 0 or p.step == p.steps:
            bar.progress(p.step / p.steps, text=t("seq2seq.training", step=p.step, steps=p.steps, seconds=p.seconds))
        if p.seconds - last_draw[0] >= REDRAW_S:
            last_draw[0] = p.seconds
            draws[0] += 1
            draw_live(run, curve, heat, f"live{draws[0]}")
        return must_end

    result = train_seq2seq(run.model, run.steps, callback=on_step, every=10)
    if run.stop.is_set():
        return  # a newer script run reports how it ended
    status.empty()
    run.finish("time" if result.stopped else "done")


def draw_live(run: Run, curve, heat, draw: str = "final") -> None:
    """The loss/accuracy curve and the example's alignment, into their placeholders.

    Each drawing of a script run gets its own keys (a key may appear once a
    run); the last one's are ``chart.s2s.curve`` and ``chart.s2s.live``.
    """
    suffix = "" if draw == "final" else f".{draw}"
    words = dict(step_title=t("seq2seq.step_axis"), loss_title=t("seq2seq.loss"), accuracy_title=t("seq2seq.accuracy"))
    fig = figures.training_figure(run.losses, run.accuracies, run.steps, title=t("seq2seq.curve_title"), **words)
    show(fig, key="chart.s2s.curve" + suffix, where=curve)
    if run.alignment is None:
        empty = t("seq2seq.live_baseline") if not run.config.attention else t("seq2seq.live_empty")
        fig = figures.empty_alignment_figure(title=t("seq2seq.alignment_title"), empty_note=empty)
    else:
        fig = figures.alignment_figure(
            run.alignment,
            run.example,
            run.model.task.target(run.example),
            title=t("seq2seq.live_title", example=run.example, step=run.alignment_step),
            x_title=t("seq2seq.input_axis"),
            y_title=t("seq2seq.output_axis"),
            height=360,
        )
    show(fig, key="chart.s2s.live" + suffix, where=heat)


# ------------------------------------------------------------- Why attention: accuracy by length


@dataclass(frozen=True)
class Curves:
    """Accuracy by input length: the shipped model with attention, the one without, and the student's own."""

    attention: dict | None  # the checkpoints.json entries
    baseline: dict | None
    own: Run | None  # the session's run for this task

    def series(self) -> list[dict]:
        """One dict a curve (name, kind, lengths, accuracy as fractions), as the figure takes them."""
        out = []
        for entry, kind in ((self.attention, "attention"), (self.baseline, "baseline")):
            if entry is not None:
                lengths = sorted(int(n) for n in entry["accuracy_by_length"])
                accuracy = [entry["accuracy_by_length"][str(n)] for n in lengths]
                out.append(curve(kind, entry["config"]["scoring"], lengths, accuracy))
        if self.own is not None:
            by_length = self.own.accuracy_by_length()
            lengths = sorted(by_length)
            out.append(curve("live", self.own.config.scoring, lengths, [by_length[n] for n in lengths]))
        return out


def curve(kind: str, scoring: str, lengths: list[int], accuracy: list[float]) -> dict:
    return dict(
        name=t(f"seq2seq.series.{kind}", scoring=t(f"seq2seq.scoring.{scoring}")),
        kind=kind,
        lengths=lengths,
        accuracy=accuracy,
    )


def why_view(config: Seq2SeqConfig) -> None:
    """Accuracy against input length: the shipped model with and without attention, and the student's own."""
    st.markdown(t("seq2seq.why.intro"))
    index, run = shipped.index(), training.current_run()
    curves = Curves(
        index.get(shipped.name_for(config)[0]),
        index.get(f"{config.task}_none"),
        run if run is not None and run.config.task == config.task else None,
    )
    series = curves.series()
    shipped_two = series[:2] if curves.attention is not None and curves.baseline is not None else []
    both = len(shipped_two) == 2 and shipped_two[0]["lengths"] == shipped_two[1]["lengths"]
    steps = lambda: guide.why_steps(series[0]["lengths"], series[0]["accuracy"], series[1]["accuracy"])  # noqa: E731
    asked = guided.lesson(PAGE, steps if both else list, wide=True)
    if not series:
        st.info(t("seq2seq.why.no_data"))
        return
    fig = figures.accuracy_by_length_figure(
        series,
        title=t("seq2seq.why_title", task=t(f"seq2seq.task.{config.task}")),
        x_title=t("seq2seq.length_axis"),
        y_title=t("seq2seq.accuracy_axis"),
    )
    guided.chart(st.container(), asked, "accuracy", fig, marked=False, key="chart.s2s.why")
    if asked.hides("accuracy"):
        return  # every sentence below reads the accuracies
    if both:
        st.markdown(why_claim(series[0], series[1]))
    if shipped_two:
        a, b = curves.attention, curves.baseline
        lengths = dict(lo=a["config"]["min_length"], hi=a["config"]["max_length"])
        st.caption(t("seq2seq.why.caption", **lengths, steps=a["steps"], base_steps=b["steps"]))
    if config.task in ("date", "sort"):
        st.caption(t(f"seq2seq.why.{config.task}"))
    if curves.own is None:
        st.caption(t("seq2seq.why.live_hint"))


def why_claim(attention: dict, baseline: dict) -> str:
    """What the two curves say at the longest length, from their numbers: attention ahead, about the same, or behind."""
    n, att, base = attention["lengths"][-1], attention["accuracy"][-1], baseline["accuracy"][-1]
    gap = att - base
    key = "gap" if gap >= guide.CLEAR_GAP else "worse" if gap <= -guide.CLEAR_GAP else "close"
    return t(f"seq2seq.why.claim.{key}", n=n, att=percent(att), base=percent(base))


VIEWS = {"try": try_view, "train": train_view, "why": why_view}
