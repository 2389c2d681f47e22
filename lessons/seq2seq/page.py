"""Seq2seq alignment: an RNN encoder–decoder learns where to look — pretrained at once, or trained live."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import streamlit as st

from attention_core.errors import InputError
from attention_core.seq2seq import Seq2Seq, Seq2SeqConfig, TrainProgress, held_out_inputs, train_seq2seq
from lessons.seq2seq import controls, figures, guide
from ui import boundary, export, guided, url_state
from ui.feedback import error_text, show_error, show_errors
from ui.figures import bar_chart, show
from ui.guide_steps import NoFit, Word
from ui.i18n import t

PAGE = "seq2seq"
MODELS = Path(__file__).resolve().parents[2] / "models" / "seq2seq"
TIME_LIMIT_S = 120  # one training holds a core at most this long
REDRAW_S = 0.5  # redraw the live charts at most this often
MAX_METRIC = 12  # longer outputs are shown as wrapped text
MAX_BUTTONS = 24  # output characters to pick from as buttons; longer outputs get a slider
_RUN_KEY = "s2s.run"
_GOOD_KEY = "s2s.last_good"


# ------------------------------------------------------------- the models


@st.cache_data(show_spinner=False)  # a dict: each caller gets its own copy (a shared resource could be changed)
def shipped_index() -> dict:
    """checkpoints.json: every shipped model's config, steps, test accuracy and accuracy by length."""
    path = MODELS / "checkpoints.json"
    return json.loads(path.read_text()) if path.exists() else {}


@st.cache_resource(show_spinner=False)
def shipped_model(name: str) -> Seq2Seq:
    """A shipped checkpoint, loaded once per server: read-only (inference only), so sessions may share it."""
    return Seq2Seq.load(MODELS / f"{name}.safetensors")


@dataclass
class Run:
    """This session's own model and how its training went (session state only, never shared)."""

    model: Seq2Seq
    steps: int  # planned
    example: str
    losses: list[float] = field(default_factory=list)
    accuracies: list[float] = field(default_factory=list)
    alignment: np.ndarray | None = None
    alignment_step: int = 0
    seconds: float = 0.0
    status: str = "training"  # → done, stopped, time
    test_accuracy: float | None = None
    by_length: dict | None = None
    # With runner.fastReruns (Streamlit's default) a click starts a new script run at once, in a
    # new thread, while the old run keeps training until its next Streamlit call: the new run
    # asks the loop to stop and waits for it, so the two never touch the model or the curve together.
    stop: threading.Event = field(default_factory=threading.Event, compare=False, repr=False)
    ended: threading.Event = field(default_factory=threading.Event, compare=False, repr=False)

    @property
    def config(self) -> Seq2SeqConfig:
        return self.model.config

    def finish(self, status: str) -> None:
        self.status = status
        if self.test_accuracy is None:
            self.test_accuracy = self.model.accuracy(held_out_inputs(self.config, 1000))


def current_run() -> Run | None:
    run = st.session_state.get(_RUN_KEY)
    if run is not None and run.status == "training":
        # a new script run while training: Stop (or any other widget) interrupted it
        run.stop.set()
        run.ended.wait(timeout=10)  # one step takes milliseconds; the timeout only guards a lost thread
        run.finish("stopped")
    return run


def subscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def percent(value: float | None) -> str:
    return "–" if value is None else t("seq2seq.percent", value=100 * value)


def describe(config: Seq2SeqConfig) -> str:
    return f"{t(f'seq2seq.task.{config.task}')} · {t(f'seq2seq.scoring.{config.scoring}')}"


# ------------------------------------------------------------- the views


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
    start = buttons[0].button(t("seq2seq.train"), type="primary", key="w.s2s.train", width="stretch")
    buttons[1].button(t("seq2seq.stop"), key="w.s2s.stop", width="stretch")  # its rerun stops the loop
    status = st.empty()
    left, right = st.columns(2, gap="medium")
    curve, heat = left.empty(), right.empty()
    run = current_run()
    if start:
        run = Run(Seq2Seq(config), int(controls.value("steps")), example)
        st.session_state[_RUN_KEY] = run
        train_live(run, status, curve, heat)
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


def train_live(run: Run, status, curve, heat) -> None:
    """Run the training loop, redrawing progress every step and the charts every REDRAW_S seconds."""
    bar = status.progress(0.0, text=t("seq2seq.training", step=0, steps=run.steps, seconds=0))
    last_draw, draws = [-REDRAW_S], [0]

    def on_step(p: TrainProgress) -> bool:
        run.losses.append(p.loss)
        run.accuracies.append(p.accuracy)
        run.seconds = p.seconds
        if p.alignment is not None:
            run.alignment, run.alignment_step = p.alignment, p.step
        if run.stop.is_set():
            return True  # Stop (or any other widget) started a newer script run
        if p.step % 5 == 0 or p.step == p.steps:
            bar.progress(p.step / p.steps, text=t("seq2seq.training", step=p.step, steps=p.steps, seconds=p.seconds))
        if p.seconds - last_draw[0] >= REDRAW_S:
            last_draw[0] = p.seconds
            draws[0] += 1
            draw_live(run, curve, heat, f"live{draws[0]}")
        return p.seconds > TIME_LIMIT_S

    try:
        result = train_seq2seq(run.model, run.steps, callback=on_step, every=10)
    finally:
        run.ended.set()
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
    show(
        figures.training_figure(
            run.losses,
            run.accuracies,
            run.steps,
            title=t("seq2seq.curve_title"),
            step_title=t("seq2seq.step_axis"),
            loss_title=t("seq2seq.loss"),
            accuracy_title=t("seq2seq.accuracy"),
        ),
        key="chart.s2s.curve" + suffix,
        where=curve,
    )
    if run.alignment is None:
        empty = t("seq2seq.live_baseline") if not run.config.attention else t("seq2seq.live_empty")
        fig = figures.empty_alignment_figure(title=t("seq2seq.alignment_title"), empty_note=empty)
    else:
        target = run.model.task.target(run.example)
        fig = figures.alignment_figure(
            run.alignment,
            run.example,
            target,
            title=t("seq2seq.live_title", example=run.example, step=run.alignment_step),
            x_title=t("seq2seq.input_axis"),
            y_title=t("seq2seq.output_axis"),
            height=360,
        )
    show(fig, key="chart.s2s.live" + suffix, where=heat)


def pick_model(config: Seq2SeqConfig, run: Run | None) -> tuple[Seq2Seq | None, float | None]:
    """The model the Alignment view reads: the student's own when they trained one for this task, else a shipped one."""
    index = shipped_index()
    options = ["shipped"] if index else []
    if run is not None and run.config.task == config.task:
        options.append("yours")
    if not options:
        st.info(t("seq2seq.model.missing"))
        return None, None
    choice = options[-1]
    if len(options) > 1:
        choice = (
            st.segmented_control(
                t("seq2seq.model"),
                options,
                default="yours",
                key="w.s2s.model",
                format_func={o: t(f"seq2seq.model.{o}") for o in options}.get,
                required=True,
            )
            or "yours"
        )
    if choice == "yours":
        return run.model, run.test_accuracy
    name = f"{config.task}_{config.scoring}"
    if name not in index:
        st.caption(t("seq2seq.model.fallback"))
        name = f"{config.task}_additive"
    return shipped_model(name), index[name]["test_accuracy"]


def last_good(model: Seq2Seq):
    """The prediction for the last input that worked, so a typo keeps the picture (None if it no longer fits)."""
    text = st.session_state.get(_GOOD_KEY)
    try:
        return model.predict(text) if text else None
    except InputError:  # e.g. the task changed since
        return None


def try_steps(prediction):
    """The Alignment view's questions, or which setting to change when none fits (a NoFit with its button)."""
    if prediction.weights is None:
        return NoFit(Word("guide.s2s.nofit.baseline"), Word("guide.s2s.nofit.attention"), controls.use_attention)
    if len(prediction.output) < 2 or len(prediction.text) < 2:
        return NoFit(Word("guide.s2s.nofit.short"), Word("guide.s2s.nofit.default"), controls.use_default_text)
    return guide.steps(prediction.text, prediction.output, prediction.weights)


@boundary.fragment
def try_view(config: Seq2SeqConfig) -> None:
    """Type an input: the prediction, its alignment, and one output character's weights as bars."""
    model, test_accuracy = pick_model(config, current_run())
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
    row[0].text_input(
        t("seq2seq.input"),
        key=controls.text_key(),
        on_change=controls.copy_text,
        max_chars=40,
        help=t("seq2seq.input.help"),
    )
    url_state.publish(controls.url_values() | guided.url_values(PAGE))  # a fragment rerun does not reach the page's
    try:
        prediction = model.predict(controls.value("text"))
        st.session_state[_GOOD_KEY] = prediction.text
    except InputError as exc:
        show_error(error_text(exc))  # plain text: it quotes the student's characters
        prediction = last_good(model)
        if prediction is None:
            return
        st.caption(t("seq2seq.showing_last", text=prediction.text))
    if len(prediction.output) <= MAX_METRIC:
        row[1].metric(t("seq2seq.output"), prediction.output or "∅")
    else:  # a metric would cut it off with "…"
        row[1].caption(t("seq2seq.output"))
        row[1].code(prediction.output, language=None, wrap_lines=True)
    with row[2]:
        if prediction.correct:
            st.success(t("seq2seq.correct"))
        else:
            st.warning(
                t("seq2seq.wrong", expected=prediction.expected) if prediction.output else t("seq2seq.empty_output")
            )
        if prediction.note:
            st.caption(prediction.note)
    asked = guided.lesson(PAGE, lambda: try_steps(prediction), wide=True)
    if prediction.weights is None:
        st.info(t("seq2seq.no_alignment"))
        return
    if not prediction.output:
        return
    positions = list(range(len(prediction.output)))
    out_chars = figures.char_labels(prediction.output)
    key = "w.s2s.pick"
    if st.session_state.get(key) not in positions:
        st.session_state[key] = 0
    # numbered (n₁ … n₅): a repeated letter must still be its own button, or the wrong one lights up
    label = lambda j: f"{prediction.output[j]}{subscript(j + 1)}".replace(" ", "␣")  # noqa: E731
    if len(positions) <= MAX_BUTTONS:
        i = st.segmented_control(
            t("seq2seq.pick"), positions, key=key, required=True, help=t("seq2seq.pick.help"), format_func=label
        )
    else:  # a row of buttons would run off the page
        i = st.select_slider(t("seq2seq.pick"), positions, key=key, help=t("seq2seq.pick.help"), format_func=label)
    i = 0 if i is None else i
    heat, bars = st.columns([3, 2], gap="medium")
    guided.chart(  # hidden while a guided question asks about the alignment
        heat,
        asked,
        "alignment",
        figures.alignment_figure(
            prediction.weights,
            prediction.text,
            prediction.output,
            title=t("seq2seq.alignment_title"),
            x_title=t("seq2seq.input_axis"),
            y_title=t("seq2seq.output_axis"),
        ),
        key="chart.s2s.alignment",
    )
    if asked.hides("alignment"):  # the task's hint says where the bright cells run; the downloads hold the weights
        heat.caption(t("seq2seq.alignment_caption"))
    else:
        heat.caption(t("seq2seq.alignment_caption") + " " + t(f"seq2seq.hint.{mc.task}"))
        export.matrix_downloads(
            "alignment", prediction.weights, list(prediction.output), list(prediction.text), where=heat
        )
    row = prediction.weights[i]
    guided.chart(
        bars,
        asked,
        "alignment",
        bar_chart(
            row,
            ["␣" if c == " " else c for c in prediction.text],
            t("seq2seq.row_title", i=i + 1, char=out_chars[i]),
            t("seq2seq.weight_axis"),
            color=row,
            x_title=t("seq2seq.input_axis"),
            hide_text_below=0.005,
        ),
        marked=False,  # the mark is a cell of the alignment
        width="stretch",
        key="chart.s2s.row",
    )


def why_view(config: Seq2SeqConfig) -> None:
    """Accuracy against input length: the shipped model with and without attention, and the student's own."""
    st.markdown(t("seq2seq.why.intro"))
    index = shipped_index()
    series = []
    name = (
        f"{config.task}_{config.scoring}" if f"{config.task}_{config.scoring}" in index else f"{config.task}_additive"
    )
    attention, baseline = index.get(name), index.get(f"{config.task}_none")
    for entry, kind, label in (
        (attention, "attention", "seq2seq.series.attention"),
        (baseline, "baseline", "seq2seq.series.baseline"),
    ):
        if entry is not None:
            lengths = sorted(int(n) for n in entry["accuracy_by_length"])
            series.append(
                dict(
                    name=t(label, scoring=t(f"seq2seq.scoring.{entry['config']['scoring']}")),
                    kind=kind,
                    lengths=lengths,
                    accuracy=[entry["accuracy_by_length"][str(n)] for n in lengths],
                )
            )
    both = len(series) == 2 and series[0]["lengths"] == series[1]["lengths"]
    asked = guided.lesson(
        PAGE,
        lambda: guide.why_steps(series[0]["lengths"], series[0]["accuracy"], series[1]["accuracy"]) if both else [],
        wide=True,
    )
    run = current_run()
    if run is not None and run.config.task == config.task:
        if run.by_length is None:  # once per trained model: 200 inputs a length
            run.by_length = run.model.accuracy_by_length(range(run.config.min_length, run.config.max_length + 1))
        lengths = sorted(run.by_length)
        series.append(
            dict(
                name=t("seq2seq.series.live", scoring=t(f"seq2seq.scoring.{run.config.scoring}")),
                kind="live",
                lengths=lengths,
                accuracy=[run.by_length[n] for n in lengths],
            )
        )
    if not series:
        st.info(t("seq2seq.why.no_data"))
        return
    guided.chart(
        st.container(),
        asked,
        "accuracy",
        figures.accuracy_by_length_figure(
            series,
            title=t("seq2seq.why_title", task=t(f"seq2seq.task.{config.task}")),
            x_title=t("seq2seq.length_axis"),
            y_title=t("seq2seq.accuracy_axis"),
        ),
        marked=False,
        key="chart.s2s.why",
    )
    if asked.hides("accuracy"):
        return  # every sentence below reads the accuracies
    if both:
        st.markdown(why_claim(series[0], series[1]))
    if attention is not None and baseline is not None:
        st.caption(
            t(
                "seq2seq.why.caption",
                lo=attention["config"]["min_length"],
                hi=attention["config"]["max_length"],
                steps=attention["steps"],
                base_steps=baseline["steps"],
            )
        )
    if config.task in ("date", "sort"):
        st.caption(t(f"seq2seq.why.{config.task}"))
    if run is None or run.config.task != config.task:
        st.caption(t("seq2seq.why.live_hint"))


def why_claim(attention: dict, baseline: dict) -> str:
    """What the two curves say at the longest length, from their numbers: attention ahead, about the same, or behind."""
    n, att, base = attention["lengths"][-1], attention["accuracy"][-1], baseline["accuracy"][-1]
    gap = att - base
    key = "gap" if gap >= guide.CLEAR_GAP else "worse" if gap <= -guide.CLEAR_GAP else "close"
    return t(f"seq2seq.why.claim.{key}", n=n, att=percent(att), base=percent(base))


# ------------------------------------------------------------- the page

if guided.entering(PAGE):
    controls.apply_url(url_state.read(controls.URL_PARSERS))
controls.ensure()

st.title(t("seq2seq.title"))
st.markdown(t("seq2seq.lesson"))
url_state.show_warnings()
guided.presets(PAGE, guide.presets())
controls.sidebar()
show_errors()
try:
    settings = controls.config()
except InputError as exc:
    show_error(error_text(exc))
    st.stop()

view = controls.view_control()
if view == "train":
    train_view(settings)
elif view == "why":
    why_view(settings)
else:
    try_view(settings)
url_state.publish(controls.url_values() | guided.url_values(PAGE))
