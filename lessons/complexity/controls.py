"""The Complexity page's settings: defaults, caps, URL parsers, and the widgets that edit them.

Canonical values live in session state under ``complexity.<name>`` (they
survive page switches); widgets are rebuilt from them (``ui.settings``).
A live run is capped so it finishes in seconds on a shared 2-core server:
n ≤ MAX_N for exact attention, REPEATS timing samples (their median), and a
wall-clock budget.  The methods whose work grows like n (local, linear,
Performer) take milliseconds at MAX_N, where the fixed cost of a call still
weighs, so a run measures them on to LINEAR_MAX_N: their slope shows there.
"""

from __future__ import annotations

import streamlit as st

from attention_core.complexity import LINEAR_COST
from attention_core.complexity import METHODS as COMPLEXITY_METHODS
from ui import url_state
from ui.i18n import t
from ui.settings import Settings

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
DEFAULTS = {
    "n_lo": 512,
    "n_hi": 4096,
    "methods": ("exact", "chunked", "local", "linear", "performer"),
    "block": 256,
    "window": 64,
    "features": 256,
    "threads": 1,
    "view": "time",
    "approx": "local",
    "step_block": 8,
    "step": 0,
    "small_window": 4,
}
RESULTS_KEY = "complexity.results"  # a live run's measurements (this session only)

_settings = Settings("complexity", defaults=DEFAULTS)
_canon, _widget, _bind, _copy = _settings.canon, _settings.widget, _settings.bind, _settings.copy


get = _settings.get


def ensure() -> None:
    _settings.ensure()


def n_values(method: str = "exact") -> list[int]:
    """The sizes a run measures ``method`` at: every option between the two ends of the range, and for the methods
    whose work grows like n every power of two on to LINEAR_MAX_N."""
    chosen = [n for n in N_OPTIONS if get("n_lo") <= n <= get("n_hi")]
    if method in LINEAR_COST:
        while chosen[-1] < LINEAR_MAX_N:
            chosen.append(chosen[-1] * 2)
    return chosen


# ---------------------------------------------------------------- the URL


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


URL_PARSERS = {
    "n": _n_range,
    "methods": _methods,
    "block": _number_of(BLOCKS),
    "window": _number_of(WINDOWS),
    "features": _number_of(FEATURES),
    "threads": _number_of(THREADS),
    "view": url_state.one_of(VIEWS),
    "approx": url_state.one_of(APPROX),
    "step_block": _number_of(STEP_BLOCKS),
    "small_window": _number_of(SMALL_WINDOWS),
}


def apply_url() -> None:
    """Take over the settings of a shared link (only when the page is entered)."""
    ensure()
    for name, value in url_state.read(URL_PARSERS).items():
        if name == "n":
            st.session_state[_canon("n_lo")], st.session_state[_canon("n_hi")] = value
        else:
            st.session_state[_canon(name)] = value
        base = f"w.complexity.{name}"
        for key in [k for k in st.session_state if k == base or str(k).startswith(base + ".")]:
            del st.session_state[key]  # the widget (in any language) is rebuilt from the link's value


def url_values() -> dict:
    values = {
        "n": f"{get('n_lo')}-{get('n_hi')}",
        "methods": ",".join(get("methods")),
        "block": get("block"),
        "window": get("window"),
        "features": get("features"),
        "threads": get("threads"),
        "view": get("view"),
        "approx": get("approx"),
        "step_block": get("step_block"),
        "small_window": get("small_window"),
    }
    defaults = {"n": f"{DEFAULTS['n_lo']}-{DEFAULTS['n_hi']}", "methods": ",".join(DEFAULTS["methods"])}
    defaults |= {k: v for k, v in DEFAULTS.items() if k in values and k not in defaults}
    return {k: v for k, v in values.items() if v != defaults[k]}  # a short link: only what differs


# ---------------------------------------------------------------- widgets


def _on_n() -> None:
    st.session_state[_canon("n_lo")], st.session_state[_canon("n_hi")] = st.session_state[_widget("n")]


def _on_methods() -> None:
    chosen = st.session_state[_widget("methods")]
    if chosen:  # an empty choice keeps the last one: a run of nothing shows nothing
        st.session_state[_canon("methods")] = tuple(m for m in COMPLEXITY_METHODS if m in chosen)
    else:
        st.session_state[_widget("methods")] = list(get("methods"))


def _bind_methods() -> str:
    key = _widget("methods")
    if key not in st.session_state:
        st.session_state[key] = list(get("methods"))
    return key


def run_settings() -> None:
    """The settings of a measurement run: n range, methods, block size, window, features, threads."""
    st.pills(
        t("complexity.methods"),
        COMPLEXITY_METHODS,
        selection_mode="multi",
        format_func=lambda m: t(f"complexity.method.{m}"),
        key=_bind_methods(),
        on_change=_on_methods,
        help=t("complexity.methods.help"),
    )
    left, *cols = st.columns([1.6, 1, 1, 1, 0.8], gap="medium")
    # a range slider learns that it is one from ``value`` (not from session state), so the canonical pair goes there
    left.select_slider(
        t("complexity.n_range"),
        N_OPTIONS,
        value=(get("n_lo"), get("n_hi")),
        key=_widget("n"),
        on_change=_on_n,
        help=t("complexity.n_range.help", max=MAX_N, linear_max=LINEAR_MAX_N),
    )
    for col, name, options in zip(cols, ("block", "window", "features"), (BLOCKS, WINDOWS, FEATURES)):
        col.select_slider(
            t(f"complexity.{name}"),
            options,
            key=_bind(name),
            on_change=_copy,
            args=(name,),
            help=t(f"complexity.{name}.help"),
        )
    cols[3].segmented_control(
        t("complexity.threads"),
        THREADS,
        key=_bind("threads"),
        on_change=_copy,
        args=("threads",),
        help=t("complexity.threads.help"),
        required=True,
    )


def view_picker() -> str:
    st.segmented_control(
        t("complexity.view"),
        VIEWS,
        format_func=lambda v: t(f"complexity.view.{v}"),
        key=_bind("view"),
        on_change=_copy,
        args=("view",),
        required=True,
        label_visibility="collapsed",
    )
    return get("view")


def approx_picker() -> str:
    """The method set beside exact attention in the weights view, and its own knob (window, features, block)."""
    st.segmented_control(
        t("complexity.approx"),
        APPROX,
        format_func=lambda m: t(f"complexity.method.{m}"),
        key=_bind("approx"),
        on_change=_copy,
        args=("approx",),
        required=True,
    )
    # the Performer uses the "Random features" setting above; local and chunked get knobs sized for n = 32
    knob = {
        "local": ("small_window", SMALL_WINDOWS, "window"),
        "chunked": ("step_block", STEP_BLOCKS, "step_block"),
    }.get(get("approx"))
    if knob:
        name, options, label = knob
        st.columns([1, 2])[0].select_slider(
            t(f"complexity.{label}"), options, key=_bind(name), on_change=_copy, args=(name,)
        )
    return get("approx")


def step_controls(num_blocks_of) -> tuple[int, int]:
    """The step view's block size and the block the slider stands on (kept inside the blocks there are)."""
    left, right = st.columns([1, 3], gap="large")
    left.segmented_control(
        t("complexity.step_block"),
        STEP_BLOCKS,
        key=_bind("step_block"),
        on_change=_copy,
        args=("step_block",),
        required=True,
    )
    blocks = num_blocks_of(get("step_block"))
    step = min(int(get("step")), blocks - 1)
    st.session_state[_canon("step")] = step
    key = _widget("step")
    if st.session_state.get(key, step) not in range(1, blocks + 1) or key not in st.session_state:
        st.session_state[key] = step + 1
    right.slider(t("complexity.step"), 1, blocks, key=key, on_change=_on_step)
    return get("step_block"), get("step")


def _on_step() -> None:
    st.session_state[_canon("step")] = st.session_state[_widget("step")] - 1
