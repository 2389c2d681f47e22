"""The Complexity page's settings, each declared once (``SETTINGS``), and the link they make.

A live run is capped so it finishes in seconds on a shared 2-core server:
n ≤ MAX_N for exact attention, REPEATS timing samples (their median), and a
wall-clock budget.  The methods whose work grows like n (local, linear,
Performer) take milliseconds at MAX_N, where the fixed cost of a call still
weighs, so a run measures them on to LINEAR_MAX_N: their slope shows there.
"""

from __future__ import annotations

from attention_core.complexity import METHODS as COMPLEXITY_METHODS
from lessons.complexity.guide import ONLINE_N
from ui import url_state
from ui.settings import Setting, Settings

N_OPTIONS = (256, 512, 1024, 2048, 4096)
MAX_N = N_OPTIONS[-1]  # exact attention at 4096: 2 × 64 MiB of n×n matrices, ~0.1–0.5 s a call
LINEAR_MAX_N = 32768  # local, linear, Performer: ~0.03–0.2 s a call there; a run stays ~10 s of CPU
BLOCKS = (64, 128, 256, 512, 1024)
WINDOWS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
FEATURES = (8, 16, 32, 64, 128, 256, 512, 1024)
THREADS = (1, 2)  # 1 by default: a fair share of a shared server, and no thread barriers stalled by other sessions
VIEWS = ("time", "memory", "error", "weights", "steps")
APPROX = ("chunked", "local", "linear", "performer")  # what the weights view sets beside exact attention
STEP_BLOCKS = (4, 8, 16)
SMALL_WINDOWS = (1, 2, 4, 8, 16, 31)  # the weights view's window: its n is 32
REPEATS = 5  # timing samples per size; the median is kept, so one noisy sample does not move a slope
BUDGET_SECONDS = 30.0  # a live run that takes longer (a very busy server) is stopped


def _n_range(raw: str) -> tuple[int, int]:
    lo, hi = (int(x) for x in raw.split("-"))
    if lo not in N_OPTIONS or hi not in N_OPTIONS or lo > hi:
        raise ValueError(raw)
    return lo, hi


def _methods(raw: str) -> tuple[str, ...]:
    chosen = tuple(m for m in COMPLEXITY_METHODS if m in raw.split(","))
    if not chosen or len(chosen) != len(raw.split(",")):
        raise ValueError(raw)
    return chosen


def _number_of(options):
    def parse(raw: str) -> int:
        value = int(raw)
        if value not in options:
            raise ValueError(raw)
        return value

    return parse


def num_blocks(block_size: int) -> int:
    """How many blocks of ``block_size`` the steps view's ONLINE_N scores make (the last may be shorter)."""
    return -(-ONLINE_N // block_size)


def _choice(name, default, options, widget="select_slider", words=None, helped=False, label=None, **args) -> Setting:
    """A setting chosen among ``options`` (numbers, or names with words), labelled ``complexity.<name>`` (``label``:
    another key), with the help text ``complexity.<name>.help`` when ``helped``."""
    parse = url_state.one_of(options) if words else _number_of(options)
    label = label or f"complexity.{name}"
    help_key = f"complexity.{name}.help" if helped else None
    return Setting(name, default, parse, widget, label, help_key, options=options, words=words, args=args)


# every parameter a link to this page may set (tests/app/test_hostile_urls.py sends each one nonsense)
LINK_PARAMETERS = tuple("n methods block window features threads view approx step_block small_window step".split())


SETTINGS = Settings(
    "complexity",
    declared=(
        # a range slider learns that it is one from ``value``; the value it shows is the setting's (session state)
        Setting(
            "n",
            (512, 4096),
            _n_range,
            "select_slider",
            label="complexity.n_range",
            help="complexity.n_range.help",
            options=N_OPTIONS,
            args={"value": (N_OPTIONS[0], N_OPTIONS[-1])},
        ),
        Setting(
            "methods",
            ("exact", "chunked", "local", "linear", "performer"),
            _methods,
            "pills",
            label="complexity.methods",
            help="complexity.methods.help",
            options=COMPLEXITY_METHODS,
            words="complexity.method",
            args={"selection_mode": "multi"},
        ),
        _choice("block", 256, BLOCKS, helped=True),
        _choice("window", 64, WINDOWS, helped=True),
        _choice("features", 256, FEATURES, helped=True),
        _choice("threads", 1, THREADS, "segmented_control", helped=True, required=True),
        _choice(
            "view",
            "time",
            VIEWS,
            "segmented_control",
            words="complexity.view",
            required=True,
            label_visibility="collapsed",
        ),
        _choice("approx", "local", APPROX, "segmented_control", words="complexity.method", required=True),
        _choice("step_block", 8, STEP_BLOCKS, "segmented_control", required=True),
        _choice("small_window", 4, SMALL_WINDOWS, label="complexity.window"),
        # the block the steps view stands on, 1 … the number of blocks (read with the block size: ``read_link``)
        Setting("step", 1, url_state.int_in(1, num_blocks(STEP_BLOCKS[0])), "slider", label="complexity.step"),
    ),
)
DEFAULTS = SETTINGS.defaults
get = SETTINGS.get


def read_link() -> None:
    """Take over the settings of a shared link (when the page is entered); a step past the last block is named."""
    found = url_state.read(SETTINGS.parsers)
    blocks = num_blocks(found.get("step_block", get("step_block")))

    def within(step: int) -> None:
        if step > blocks:
            raise ValueError(step)

    SETTINGS.apply_url(url_state.drop_unfit(found, "step", within))


def fit_step() -> int:
    """The steps view's block, kept inside the blocks the block size makes; returned from 0 (b in the formulas)."""
    blocks = num_blocks(get("step_block"))
    if get("step") > blocks:
        SETTINGS.set("step", blocks)
    return get("step") - 1


def on_methods() -> None:
    """An empty choice keeps the last one (a run of nothing shows nothing): the pills show it again."""
    chosen = SETTINGS.widget_value("methods")
    if chosen:
        SETTINGS.set("methods", tuple(m for m in COMPLEXITY_METHODS if m in chosen))
    else:
        SETTINGS.show("methods", list(get("methods")))


def url_values() -> dict:
    """The settings that differ from their defaults, as the link writes them (n=512-4096, methods=exact,linear)."""
    values = SETTINGS.url_values()
    if "n" in values:
        values["n"] = "{}-{}".format(*values["n"])
    if "methods" in values:
        values["methods"] = ",".join(values["methods"])
    return values


# ---------------------------------------------------------------- a live run's results (this session only)
RESULTS = "results"  # a memo beside the settings, never in the link
RESULTS_KEY = SETTINGS.canon(RESULTS)  # where a test finds (or puts) a run's results


def live_results() -> list | None:
    return get(RESULTS)


def keep_results(results: list) -> None:
    SETTINGS.set(RESULTS, results)


def drop_results() -> None:
    SETTINGS.forget(RESULTS)


# ---------------------------------------------------------------- Run, from the click to its turn (this session only)
RUN = "run"  # a memo beside the settings: "asked" (Run was pressed), "waiting" (in the process's line), or None


def ask_for_run() -> None:
    SETTINGS.set(RUN, "asked")


def run_state() -> str | None:
    return get(RUN)


def run_waits() -> None:
    SETTINGS.set(RUN, "waiting")


def run_ends() -> None:
    """Its turn came (or it left the line, which the next full run reports)."""
    SETTINGS.forget(RUN)
