"""The seq2seq lesson's settings: task, scoring, lengths, sizes, seed, view, input and output character.

Each setting is declared once (``SETTINGS``) and drawn in one line.  The
training lengths are two link parameters (``lo``, ``hi``) and one range
slider; the model picked (pretrained or the student's own) is a setting a
link does not hold (a student's own model cannot be sent in a link).
"""

from __future__ import annotations

import streamlit as st

from attention_core.seq2seq import NO_ATTENTION, OVERRUN, Seq2SeqConfig
from attention_core.seq2seq import SCORINGS as SEQ2SEQ_SCORINGS
from attention_core.toy_tasks import DATE_LENGTHS, MAX_LENGTH, TASKS, make_task
from ui import guided, url_state
from ui.i18n import t
from ui.settings import Setting, Settings
from ui.url_state import int_in, one_of

PAGE = "seq2seq"
SCORINGS = SEQ2SEQ_SCORINGS + (NO_ATTENTION,)
HIDDEN_SIZES = (16, 32, 64, 128)
LENGTH_RANGE = (2, 20)  # what the page lets a student train on
STEP_RANGE = (50, 2000)  # capped: a training holds one core for at most a minute or two
VIEWS = ("try", "train", "why")
MODELS = ("shipped", "yours")
# the link's marker of the student's own model (its weights never go in a link): "training" while a run is
# under way, "trained" once it ended; a session without that model (its process restarted) says it was lost
OWN_STATES = ("training", "trained")
DEFAULT_TEXT = {"date": "23 Nov 2026"}


def parse_hidden(raw: str) -> int:
    return int(one_of([str(h) for h in HIDDEN_SIZES])(raw))


# every parameter a link to this page may set (tests/app/test_hostile_urls.py sends each one nonsense)
LINK_PARAMETERS = tuple("task scoring lo hi hidden steps seed view text pick own".split())


SETTINGS = Settings(
    "s2s",
    defaults={"lo": 5, "hi": 10},  # drawn together by ``lengths_slider``
    parsers={"lo": int_in(*LENGTH_RANGE), "hi": int_in(*LENGTH_RANGE)},
    declared=(
        # name, default, URL parser, widget, label, help, options, the catalog prefix of the options' words
        Setting(
            "task", "reverse", one_of(TASKS), "selectbox", "seq2seq.task", "seq2seq.task.help", TASKS, "seq2seq.task"
        ),
        Setting(
            "scoring",
            "additive",
            one_of(SCORINGS),
            "selectbox",
            "seq2seq.scoring",
            "seq2seq.scoring.help",
            SCORINGS,
            "seq2seq.scoring",
        ),
        Setting("hidden", 64, parse_hidden, "select_slider", "seq2seq.hidden", "seq2seq.hidden.help", HIDDEN_SIZES),
        Setting(
            "steps",
            1000,
            int_in(*STEP_RANGE),
            "slider",
            "seq2seq.steps",
            "seq2seq.steps.help",
            args={"min_value": STEP_RANGE[0], "max_value": STEP_RANGE[1], "step": 50},
        ),
        Setting("seed", 0, int_in(0, 9999), "number_input", "seq2seq.seed", args={"min_value": 0, "max_value": 9999}),
        Setting(
            "view",
            "try",
            one_of(VIEWS),
            "segmented_control",
            "seq2seq.view",
            None,
            VIEWS,
            "seq2seq.view",
            args={"required": True, "label_visibility": "collapsed"},
        ),
        Setting(
            "text",
            "attention",
            lambda raw: raw[:40],
            "text_input",
            "seq2seq.input",
            "seq2seq.input.help",
            args={"max_chars": 40},
        ),
        # the model the Alignment view reads: not in a link (a student's own model cannot be sent in one)
        Setting(
            "model",
            "yours",
            None,
            "segmented_control",
            "seq2seq.model",
            None,
            MODELS,
            "seq2seq.model",
            args={"required": True},
        ),
        # which output character's weights the bars show (0 = the first): in the link, so a class sees it too
        Setting(
            "pick", 0, int_in(0, MAX_LENGTH + OVERRUN - 1), "segmented_control", "seq2seq.pick", "seq2seq.pick.help"
        ),
    ),
)


def default_text(task: str) -> str:
    return DEFAULT_TEXT.get(task, SETTINGS.defaults["text"])


def read_link() -> str | None:
    """The settings a shared link holds: every parameter parsed once, the input checked against the task.

    Returns the link's marker of the student's own model (``own``: one of OWN_STATES, or None).
    """
    found = url_state.read(SETTINGS.parsers | {"own": one_of(OWN_STATES)})
    own = found.pop("own", None)
    # an input the task cannot read is a bad link value (one warning, the default input), not an error box
    task = found.get("task", SETTINGS.get("task"))
    found = url_state.drop_unfit(found, "text", lambda text: make_task(task).check(text, MAX_LENGTH))
    if "task" in found and "text" not in found:
        found["text"] = default_text(found["task"])
    found = fit_lengths(found, get("lo"), get("hi"))
    found = url_state.drop_unfit(found, "pick", lambda i: _output_has(task, found.get("text", get("text")), i))
    SETTINGS.apply_url(found)
    SETTINGS.ensure()
    return own


def fit_lengths(found: dict, lo: int, hi: int) -> dict:
    """``found`` with a shortest length ≤ the longest, both taken from the link where it gives them.

    The link's own numbers win: ``lo=3&hi=15`` swapped is both; ``lo=15`` alone raises the current
    longest (10) to 15 and ``hi=3`` alone lowers the shortest to 3, rather than an error box instead of the lesson.
    """
    if "lo" not in found and "hi" not in found:
        return found
    lo, hi = found.get("lo", lo), found.get("hi", hi)
    if "lo" in found and "hi" in found:
        lo, hi = min(lo, hi), max(lo, hi)
    elif "lo" in found:
        hi = max(hi, lo)
    else:
        lo = min(lo, hi)
    return found | {"lo": lo, "hi": hi}


def _output_has(task: str, text: str, i: int) -> None:
    """Raise ValueError unless an output for ``text`` can have a character ``i`` (a link's ``pick``).

    The model may write up to OVERRUN characters past the right answer; an output
    shorter than the pick shows its first character.
    """
    solved = make_task(task)
    if i >= len(solved.target(solved.check(text, MAX_LENGTH))) + OVERRUN:
        raise ValueError(i)


def get(name: str):
    return SETTINGS.get(name)


def use_attention() -> None:
    """Button callback: the baseline has no alignment to ask about; additive attention has one."""
    SETTINGS.set("scoring", "additive")


def use_default_text() -> None:
    """Button callback: the task's own example input (long enough for the questions)."""
    SETTINGS.set("text", default_text(get("task")))


def show_try() -> None:
    """Button callback: open the Alignment view (the questions need a model that stands still)."""
    SETTINGS.set("view", "try")


def _on_task() -> None:
    SETTINGS.copy("task")
    use_default_text()  # the old input rarely fits the new task


def _on_lengths() -> None:
    lo, hi = SETTINGS.widget_value("lengths")
    SETTINGS.set("lo", int(lo))
    SETTINGS.set("hi", int(hi))


def lengths_slider() -> None:
    """One range slider for the two settings lo and hi (dates have their own lengths: disabled)."""
    is_date = get("task") == "date"
    SETTINGS.show("lengths", (get("lo"), get("hi")))  # it follows the settings, as ``Settings.draw`` does
    st.slider(
        t("seq2seq.lengths"),
        *LENGTH_RANGE,
        key=SETTINGS.widget("lengths"),
        on_change=_on_lengths,
        disabled=is_date,
        help=t("seq2seq.lengths.date") if is_date else t("seq2seq.lengths.help"),
    )


def sidebar() -> None:
    """The training settings in the sidebar (each change reruns the page)."""
    with st.sidebar:
        st.subheader(t("seq2seq.settings"))
        SETTINGS.draw("task", on_change=_on_task)
        SETTINGS.draw("scoring")
        lengths_slider()
        SETTINGS.draw("hidden")
        SETTINGS.draw("steps")
        SETTINGS.draw("seed")


def config() -> Seq2SeqConfig:
    """The model the settings describe (dates have their own lengths); a bad combination raises InputError."""
    task = get("task")
    lo, hi = DATE_LENGTHS if task == "date" else (get("lo"), get("hi"))
    return Seq2SeqConfig(
        task=task,
        scoring=get("scoring"),
        min_length=lo,
        max_length=hi,
        hidden=int(get("hidden")),
        seed=int(get("seed")),
    )


def url_values(own: str | None = None) -> dict:
    """Every linked setting that differs from its default (a short link); the model's weights never go in,
    only ``own``, the marker that the student's own model was training or trained (one of OWN_STATES)."""
    text = get("text")
    return SETTINGS.url_values() | {"text": text if text != default_text(get("task")) else None, "own": own}


def publish(own: str | None = None) -> None:
    """The page's settings into the link (the page's and the Alignment fragment's reruns both call this)."""
    url_state.publish(url_values(own) | guided.url_values(PAGE))
