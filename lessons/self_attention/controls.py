"""The Self-attention page's settings: each declared once (``SETTINGS``), drawn in one line, read from a link.

d_model and the number of heads are taken over only as a pair that fits
(h divides d_model); while the widgets hold a pair that does not, the page
says so and keeps drawing the last pair that did.  The link numbers the head
and the cell (i, j) from 1, the page from 0.
"""

from __future__ import annotations

import streamlit as st

from attention_core.limits import MAX_TOKENS, MIN_TOKENS
from attention_core.masks import MASKS
from ui import sequence_input, url_state
from ui.figures import selected_points
from ui.i18n import t
from ui.scoring_input import TEMPERATURES, nearest_temperature
from ui.settings import Setting, Settings

MODES = ("self", "cross")
MAX_D_MODEL = 256
MAX_HEADS = 16
MAX_N = 2048  # n × n matrices per head: beyond this the page asks for fewer tokens
MIN_M = MIN_TOKENS  # Y is generated, and the core generates sequences of at least this many tokens
CUSTOM_MAX = 64  # custom masks are drawn by clicking cells, one token a cell
URL_MAX_HIDDEN = 256  # a custom mask with more hidden cells stays out of the URL
VIEWS = ("head", "all", "qkv", "output", "compare", "data")  # the page draws only the one picked
FITTED_TO_X = ("i", "j", "hide")  # link parameters that make sense only with the link's X
SEEDS = {"min_value": 0, "max_value": 2**31 - 1, "step": 1}


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


def _from_one(top: int):
    """A link's 1-based position (1…top) as the page's 0-based one."""
    return lambda raw: url_state.int_in(1, top)(raw) - 1


def _number(label: str, lo: int, hi: int) -> dict:
    """A number box's words and range: its label key, help key ``<label>.help``, lo…hi in steps of 1."""
    return dict(label=label, help=f"{label}.help", args={"min_value": lo, "max_value": hi, "step": 1})


# every parameter a link to this page may set (tests/app/test_hostile_urls.py sends each one nonsense)
LINK_PARAMETERS = tuple("kind n d seed attn m d_model heads wseed mask pad hide temperature head i j zoom view".split())


SETTINGS = Settings(
    "sa",
    defaults={"hide": frozenset()},  # 0-based (i, j) cells hidden by the custom mask: clicked, not a widget
    parsers={"hide": _parse_hidden},
    declared=(
        Setting(
            "attn",
            "self",
            url_state.one_of(MODES),
            "radio",
            label="sa.mode",
            help="sa.mode.help",
            options=MODES,
            words="sa.mode",
            args={"horizontal": True},
        ),
        Setting("m", 6, url_state.int_in(MIN_M, MAX_N), "number_input", **_number("sa.m", MIN_M, MAX_N)),
        Setting(
            "d_model", 8, url_state.int_in(1, MAX_D_MODEL), "number_input", **_number("sa.d_model", 1, MAX_D_MODEL)
        ),
        Setting("heads", 2, url_state.int_in(1, MAX_HEADS), "number_input", **_number("sa.heads", 1, MAX_HEADS)),
        Setting(
            "wseed",
            0,
            url_state.int_in(0, 2**31 - 1),
            "number_input",
            label="sa.wseed",
            help="sa.wseed.help",
            args=SEEDS,
        ),
        Setting("mask", "none", url_state.one_of(MASKS), "selectbox", "sa.mask", "sa.mask.help", MASKS, "sa.mask"),
        Setting("pad", 1, url_state.int_in(0, MAX_N), "number_input", **_number("sa.pad", 0, MAX_N)),
        Setting(
            "temperature",
            1.0,
            url_state.float_in(0.01, 100.0),
            "select_slider",
            label="sa.temperature",
            help="sa.temperature.help",
            options=TEMPERATURES,
            snap=nearest_temperature,
        ),
        Setting(
            "zoom", False, lambda raw: url_state.one_of(("0", "1"))(raw) == "1", "toggle", "sa.zoom", "sa.zoom.help"
        ),
        # the head and the cell: their options follow the data (passed when drawn)
        Setting("head", 0, _from_one(MAX_HEADS), "radio", label="sa.head", args={"horizontal": True}),
        Setting("i", 0, _from_one(MAX_TOKENS), "selectbox", label="sa.pick_i"),
        Setting("j", 0, _from_one(MAX_TOKENS), "selectbox", label="sa.pick_j"),
        Setting(
            "view",
            "head",
            url_state.one_of(VIEWS),
            "segmented_control",
            label="sa.view",
            options=VIEWS,
            words="sa.tab",
            args={"required": True, "label_visibility": "collapsed"},
        ),
    ),
)
get = SETTINGS.get
SEQUENCE = Settings("seq")  # the sequence widget's settings: the second sequence (cross-attention) follows its kind
ALWAYS_LINKED = ("attn", "d_model", "heads", "wseed", "mask", "temperature", "head", "i", "j")  # as links always had


def take_link(found: dict, n: int) -> None:
    """Take the page's settings from a link (parsed by ``SETTINGS.parsers``) for a sequence of ``n`` tokens.

    The head and the cell must exist in the link's view (query i of n, key j of n or m, head of heads);
    a d_model the heads do not divide is dropped with them: each is named in the link's one warning.
    """
    n_k = found.get("m", get("m")) if found.get("attn", get("attn")) == "cross" else n
    for name, size in (("i", n), ("j", n_k), ("head", found.get("heads", get("heads")))):
        found = url_state.drop_unfit(found, name, lambda value, size=size: url_state.int_in(0, size - 1)(str(value)))
    if found.get("d_model", get("d_model")) % found.get("heads", get("heads")):
        for name in ("d_model", "heads"):
            url_state.warn_about(name)
        found = {name: value for name, value in found.items() if name not in ("d_model", "heads", "head")}
    SETTINGS.apply_url(found)


def url_values() -> dict:
    """The link: the layer always, the rest when it is in use or not its default."""
    values = {name: get(name) for name in ALWAYS_LINKED} | SETTINGS.url_values(("view", "zoom"))
    values |= {name: get(name) + 1 for name in ("head", "i", "j")}
    if get("attn") == "cross":
        values["m"] = get("m")
    if get("mask") == "padding":
        values["pad"] = get("pad")
    hidden = get("hide")
    if get("mask") == "custom" and 0 < len(hidden) <= URL_MAX_HIDDEN:
        values["hide"] = ",".join(f"{i + 1}:{j + 1}" for i, j in sorted(hidden))
    return values


# ---------------------------------------------------------------- controls


def _on_shape() -> None:
    """d_model and heads are taken over together, and only when the heads split d_model evenly."""
    # after a move to another process the other box may not be drawn yet: it holds the setting in force
    d_model, heads = (SETTINGS.widget_value(name, default=get(name)) for name in ("d_model", "heads"))
    if d_model % heads == 0:
        SETTINGS.set("d_model", d_model)
        SETTINGS.set("heads", heads)


def shape_problem() -> str | None:
    """A sentence when the widgets hold a d_model that the number of heads does not divide."""
    d_model, heads = (SETTINGS.widget_value(name, default=get(name)) for name in ("d_model", "heads"))
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


def _set_hidden(cells: frozenset) -> None:
    SETTINGS.set("hide", frozenset(cells))


def layer_sidebar(n: int) -> None:
    """Draw the attention-layer controls in the sidebar (the sequence widget comes first)."""
    SETTINGS.ensure()
    with st.sidebar:
        st.subheader(t("sa.header"))
        SETTINGS.draw("attn")
        if get("attn") == "cross":
            SETTINGS.draw("m")
        left, right = st.columns(2)
        SETTINGS.draw("d_model", where=left, on_change=_on_shape)
        SETTINGS.draw("heads", where=right, on_change=_on_shape)
        head_picker(get("heads"))  # beside the heads it picks from, so the main area starts with the matrix
        SETTINGS.draw("wseed")
        SETTINGS.draw("mask")
        n_k = get("m") if get("attn") == "cross" else n
        if get("mask") == "padding":
            SETTINGS.draw("pad", help_args={"n": n_k})
        elif get("mask") == "custom":
            st.caption(t("sa.custom.help"))
            causal = frozenset((i, j) for i in range(min(n, CUSTOM_MAX)) for j in range(i + 1, min(n_k, CUSTOM_MAX)))
            left, right = st.columns(2)
            for where, name, cells in ((left, "clear", frozenset()), (right, "causal", causal)):
                where.button(
                    t(f"sa.custom.{name}"),
                    on_click=_set_hidden,
                    args=(cells,),
                    key=f"w.sa.custom_{name}",
                    width="stretch",
                )
        SETTINGS.draw("temperature")
        SETTINGS.draw("zoom")


def clamp_selection(h: int, n_q: int, n_k: int) -> tuple[int, int, int]:
    """The picked head and cell, kept inside the current shapes (their widgets follow the settings)."""
    for name, size in (("head", h), ("i", n_q), ("j", n_k)):
        SETTINGS.set(name, min(max(int(get(name)), 0), size - 1))
    SETTINGS.set("hide", frozenset((i, j) for i, j in get("hide") if i < n_q and j < n_k))
    return get("head"), get("i"), get("j")


def _options(names: list[str]) -> dict:
    """A choice among positions 0…len(names) − 1, shown by ``names`` (the widget's key follows them)."""
    return dict(labels=names, options=range(len(names)), format_func=names.__getitem__)


def head_picker(h: int) -> int:
    """The head shown in the one-head views (a radio, when there is more than one head)."""
    SETTINGS.set("head", min(max(int(get("head")), 0), h - 1))
    if h > 1:
        SETTINGS.draw("head", **_options([t("sa.head_n", k=k + 1) for k in range(h)]))
    return get("head")


def cell_pickers(row_labels, col_labels) -> None:
    """The accessible way to pick a cell: query i and key j as select boxes (a click sets them too)."""
    left, right = st.columns(2)
    for where, name, labels in ((left, "i", row_labels), (right, "j", col_labels)):
        SETTINGS.draw(name, where=where, **_options([f"{k + 1} · {label}" for k, label in enumerate(labels)]))


def on_cell_click(chart_key: str, toggles: bool) -> None:
    """A click on a matrix: pick that cell; in custom-mask mode, also hide or show it."""
    points = selected_points(chart_key)
    cell = cell_from_point(points[0]) if points else None
    if cell is None:
        return
    i, j = cell
    SETTINGS.set("i", i)  # the pickers follow
    SETTINGS.set("j", j)
    if toggles:
        SETTINGS.set("hide", get("hide") ^ {(i, j)})


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


def view_picker() -> str:
    """The view to draw (a segmented control: only the picked view is built)."""
    return SETTINGS.draw("view")


def second_sequence_seed() -> tuple[str, int]:
    """The kind and seed of the sequence widget: Y is generated of the same kind, with the next seed."""
    return SEQUENCE.get("kind"), sequence_input.seed() + 1
