"""The Self-attention page's settings: sidebar controls, the picked head and cell, the URL.

Canonical values live in session state under ``sa.<name>`` and survive page
switches; widgets use ``w.sa.<name>`` and are re-created from the canonical
values (Streamlit drops a widget's state when its page is left).  d_model
and the number of heads are taken over only as a pair that fits
(h divides d_model); while the widgets hold a pair that does not, the page
says so and keeps drawing the last pair that did.
"""

from __future__ import annotations

import streamlit as st

from attention_core.limits import MAX_TOKENS, MIN_TOKENS
from attention_core.masks import MASKS
from ui import url_state
from ui.i18n import t
from ui.scoring_input import TEMPERATURES, nearest_temperature
from ui.settings import Settings

MODES = ("self", "cross")
MAX_D_MODEL = 256
MAX_HEADS = 16
MAX_N = 2048  # n × n matrices per head: beyond this the page asks for fewer tokens
MIN_M = MIN_TOKENS  # Y is generated, and the core generates sequences of at least this many tokens
CUSTOM_MAX = 64  # custom masks are drawn by clicking cells, one token a cell
URL_MAX_HIDDEN = 256  # a custom mask with more hidden cells stays out of the URL
VIEWS = ("head", "all", "qkv", "output", "compare", "data")  # the page draws only the one picked
DEFAULTS = {
    "mode": "self",
    "m": 6,
    "d_model": 8,
    "heads": 2,
    "wseed": 0,
    "mask": "none",
    "pad": 1,
    "temperature": 1.0,
    "head": 0,
    "i": 0,
    "j": 0,
    "zoom": False,
    "view": "head",
    "hidden": frozenset(),  # 0-based (i, j) cells hidden by the custom mask
}


SETTINGS = Settings("sa", defaults=DEFAULTS)
SEQUENCE = Settings(
    "seq"
)  # the sequence widget's settings: the second sequence (cross-attention) follows its kind and seed
_widget, _bind, _follow, _copy = SETTINGS.widget, SETTINGS.bind, SETTINGS.follow, SETTINGS.copy
get, set_ = SETTINGS.get, SETTINGS.set


def ensure() -> None:
    SETTINGS.ensure()


def _on_shape() -> None:
    """d_model and heads are taken over together, and only when the heads split d_model evenly."""
    d_model, heads = st.session_state[_widget("d_model")], st.session_state[_widget("heads")]
    if d_model % heads == 0:
        set_("d_model", d_model)
        set_("heads", heads)


def shape_problem() -> str | None:
    """A sentence when the widgets hold a d_model that the number of heads does not divide."""
    d_model = st.session_state.get(_widget("d_model"), get("d_model"))
    heads = st.session_state.get(_widget("heads"), get("heads"))
    if d_model % heads == 0:
        return None
    fits = [k for k in range(1, min(d_model, MAX_HEADS) + 1) if d_model % k == 0]
    return t(
        "sa.heads_error",
        heads=heads,
        d_model=d_model,
        up=-(-d_model // heads) * heads,
        fits=", ".join(map(str, fits)),
        kept_d=get("d_model"),
        kept_h=get("heads"),
    )


# ---------------------------------------------------------------- controls


def layer_sidebar(n: int) -> None:
    """Draw the attention-layer controls in the sidebar (the sequence widget comes first)."""
    ensure()
    with st.sidebar:
        st.subheader(t("sa.header"))
        st.radio(
            t("sa.mode"),
            MODES,
            format_func={m: t(f"sa.mode.{m}") for m in MODES}.get,
            key=_follow("mode"),
            on_change=_copy,
            args=("mode",),
            horizontal=True,
            help=t("sa.mode.help"),
        )
        if get("mode") == "cross":
            st.number_input(
                t("sa.m"), MIN_M, MAX_N, step=1, key=_follow("m"), on_change=_copy, args=("m",), help=t("sa.m.help")
            )
        left, right = st.columns(2)
        left.number_input(
            t("sa.d_model"),
            1,
            MAX_D_MODEL,
            step=1,
            key=_bind("d_model"),
            on_change=_on_shape,
            help=t("sa.d_model.help"),
        )
        right.number_input(
            t("sa.heads"), 1, MAX_HEADS, step=1, key=_bind("heads"), on_change=_on_shape, help=t("sa.heads.help")
        )
        head_picker(get("heads"))  # beside the heads it picks from, so the main area starts with the matrix
        st.number_input(
            t("sa.wseed"),
            0,
            2**31 - 1,
            step=1,
            key=_follow("wseed"),
            on_change=_copy,
            args=("wseed",),
            help=t("sa.wseed.help"),
        )
        st.selectbox(
            t("sa.mask"),
            MASKS,
            format_func={m: t(f"sa.mask.{m}") for m in MASKS}.get,
            key=_follow("mask"),
            on_change=_copy,
            args=("mask",),
            help=t("sa.mask.help"),
        )
        n_k = get("m") if get("mode") == "cross" else n
        if get("mask") == "padding":
            st.number_input(
                t("sa.pad"),
                0,
                MAX_N,
                step=1,
                key=_follow("pad"),
                on_change=_copy,
                args=("pad",),
                help=t("sa.pad.help", n=n_k),
            )
        elif get("mask") == "custom":
            st.caption(t("sa.custom.help"))
            left, right = st.columns(2)
            left.button(
                t("sa.custom.clear"),
                on_click=_set_hidden,
                args=(frozenset(),),
                key="w.sa.custom_clear",
                width="stretch",
            )
            right.button(
                t("sa.custom.causal"),
                on_click=_set_hidden,
                args=(
                    frozenset((i, j) for i in range(min(n, CUSTOM_MAX)) for j in range(i + 1, min(n_k, CUSTOM_MAX))),
                ),
                key="w.sa.custom_causal",
                width="stretch",
            )
        st.select_slider(
            t("sa.temperature"),
            TEMPERATURES,
            key=_follow("temperature"),
            on_change=_copy,
            args=("temperature",),
            help=t("sa.temperature.help"),
        )
        st.toggle(t("sa.zoom"), key=_follow("zoom"), on_change=_copy, args=("zoom",), help=t("sa.zoom.help"))


def _set_hidden(cells: frozenset) -> None:
    set_("hidden", frozenset(cells))


def clamp_selection(h: int, n_q: int, n_k: int) -> tuple[int, int, int]:
    """The picked head and cell, kept inside the current shapes (their widgets follow the canonical values)."""
    for name, size in (("head", h), ("i", n_q), ("j", n_k)):
        set_(name, min(max(int(get(name)), 0), size - 1))
    set_("hidden", frozenset((i, j) for i, j in get("hidden") if i < n_q and j < n_k))
    return get("head"), get("i"), get("j")


def head_picker(h: int) -> int:
    """The head shown in the one-head views (a radio, when there is more than one head)."""
    set_("head", min(max(int(get("head")), 0), h - 1))
    if h > 1:
        names = [t("sa.head_n", k=k + 1) for k in range(h)]
        st.radio(
            t("sa.head"),
            range(h),
            format_func=names.__getitem__,
            key=_follow("head", names),
            on_change=_copy,
            args=("head", names),
            horizontal=True,
        )
    return get("head")


def cell_pickers(row_labels, col_labels) -> None:
    """The accessible way to pick a cell: query i and key j as select boxes (a click sets them too)."""
    left, right = st.columns(2)
    for col, name, labels in ((left, "i", row_labels), (right, "j", col_labels)):
        options = [f"{k + 1} · {label}" for k, label in enumerate(labels)]
        col.selectbox(
            t(f"sa.pick_{name}"),
            range(len(options)),
            format_func=options.__getitem__,
            key=_follow(name, options),
            on_change=_copy,
            args=(name, options),
        )


def on_cell_click(chart_key: str, toggles: bool) -> None:
    """A click on the weights matrix: pick that cell; in custom-mask mode, also hide or show it."""
    event = st.session_state.get(chart_key)
    points = (event or {}).get("selection", {}).get("points", [])
    cell = cell_from_point(points[0]) if points else None
    if cell is None:
        return
    i, j = cell
    set_("i", i)  # the pickers follow
    set_("j", j)
    if toggles:
        set_("hidden", get("hidden") ^ {(i, j)})


def cell_from_point(point: dict) -> tuple[int, int] | None:
    """(i, j) of a clicked target: its x, y (1-based token positions), or an (i, j, …) customdata row.

    The browser sends a row of a typed customdata array as {"0": i, "1": j, "2": value}, a plain list as a
    list; the matrices' targets carry only the value there, and their position in x and y.
    """
    custom = point.get("customdata")
    if isinstance(custom, dict):
        custom = [custom.get(str(k), custom.get(k)) for k in range(len(custom))]
    try:
        if isinstance(custom, (list, tuple)) and len(custom) >= 2:
            return int(round(float(custom[0]))), int(round(float(custom[1])))
        return int(round(float(point["y"]))) - 1, int(round(float(point["x"]))) - 1
    except (KeyError, TypeError, ValueError):
        return None


# --------------------------------------------------------------------- URL


def _parse_hidden(raw: str) -> frozenset:
    """'3:5,4:6' (1-based query:key) → {(2, 4), (3, 5)}."""
    cells = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        i, j = part.split(":")
        i, j = int(i), int(j)
        if not (1 <= i <= CUSTOM_MAX and 1 <= j <= CUSTOM_MAX):
            raise ValueError(part)
        cells.add((i - 1, j - 1))
    return frozenset(cells)


URL_PARSERS = {
    "attn": url_state.one_of(MODES),
    "m": url_state.int_in(MIN_M, MAX_N),
    "d_model": url_state.int_in(1, MAX_D_MODEL),
    "heads": url_state.int_in(1, MAX_HEADS),
    "wseed": url_state.int_in(0, 2**31 - 1),
    "mask": url_state.one_of(MASKS),
    "pad": url_state.int_in(0, MAX_N),
    "hide": _parse_hidden,
    "temperature": url_state.float_in(0.01, 100.0),
    "head": url_state.int_in(1, MAX_HEADS),
    "i": url_state.int_in(1, MAX_TOKENS),
    "j": url_state.int_in(1, MAX_TOKENS),
    "zoom": url_state.one_of(("0", "1")),
    "view": url_state.one_of(VIEWS),
}
_URL_NAMES = {"attn": "mode"}  # URL parameter → setting, where they differ
_ONE_BASED = ("head", "i", "j")
SETTINGS.parsers.update(
    {_URL_NAMES.get(param, param): parse for param, parse in URL_PARSERS.items()} | {"hidden": _parse_hidden}
)
# The shared sequence widget reads n up to the Query page's cap; this page draws n × n per head and stops at MAX_N.
# The page merges these parsers over the widget's, so a link's n above MAX_N is refused here and named in the
# link's warning (the sequence keeps its n) instead of opening on an error box with no lesson.
URL_PARSERS["n"] = url_state.int_in(MIN_M, MAX_N)


def apply_url(found: dict, n: int) -> None:
    """Take the page's settings from a link (parsed by ``URL_PARSERS``) for a sequence of ``n`` tokens."""
    ensure()
    # the cell (i, j) and the head must exist in the link's view: query i of m (or n), key j of n, head of heads
    m = found.get("m", get("m")) if found.get("attn", get("mode")) == "cross" else n
    for param, top in (("i", m), ("j", n), ("head", found.get("heads", get("heads")))):
        found = url_state.drop_unfit(found, param, lambda value, top=top: url_state.int_in(1, top)(str(value)))
    for param, value in found.items():
        name = _URL_NAMES.get(param, param)
        if param == "hide":
            set_("hidden", value)
            continue
        if name not in DEFAULTS:
            continue
        if name == "temperature":
            value = nearest_temperature(value)
        if name == "zoom":
            value = value == "1"
        if name in _ONE_BASED:
            value -= 1
        SETTINGS.apply_url({name: value})
    if get("d_model") % get("heads"):
        st.session_state["_url.warnings"] = st.session_state.get("_url.warnings", []) + ["d_model", "heads"]
        SETTINGS.apply_url({name: DEFAULTS[name] for name in ("d_model", "heads")})


def url_values() -> dict:
    values = {
        "attn": get("mode"),
        "d_model": get("d_model"),
        "heads": get("heads"),
        "wseed": get("wseed"),
        "mask": get("mask"),
        "temperature": get("temperature"),
        "head": get("head") + 1,
        "i": get("i") + 1,
        "j": get("j") + 1,
    }
    if get("mode") == "cross":
        values["m"] = get("m")
    if get("mask") == "padding":
        values["pad"] = get("pad")
    if get("zoom"):
        values["zoom"] = 1
    if get("view") != DEFAULTS["view"]:
        values["view"] = get("view")
    hidden = get("hidden")
    if get("mask") == "custom" and 0 < len(hidden) <= URL_MAX_HIDDEN:
        values["hide"] = ",".join(f"{i + 1}:{j + 1}" for i, j in sorted(hidden))
    return values


def hidden_cells() -> frozenset:
    return get("hidden")


def view_picker() -> str:
    """The view to draw (a segmented control: only the picked view is built)."""
    st.segmented_control(
        t("sa.view"),
        VIEWS,
        format_func={v: t(f"sa.tab.{v}") for v in VIEWS}.get,
        key=_follow("view"),
        on_change=_copy,
        args=("view",),
        required=True,
        label_visibility="collapsed",
    )
    return get("view")


def second_sequence_seed() -> tuple[str, int]:
    """The kind and seed of the sequence widget: Y is generated of the same kind, with the next seed."""
    return SEQUENCE.get("kind"), int(SEQUENCE.get("seed")) + 1
