"""Projector mode and the dark theme: one post-processor every chart passes through (``ui.figures.show``).

Projector mode (the sidebar toggle, or ``?projector=1`` in a link) makes every
chart readable from the back of a classroom: fonts 1.4× larger, lines twice as
thick; the page's own text grows too (one small style sheet).  The numbers stay
exactly as printed without it: dropping a decimal rounded the printed text a
second time (0.7455 → 0.75 → 0.8 on a bar, 0.7 in a cell, 0.746 as a metric),
so one number read three ways on one screen.  Figure builders stay as they are:
the styling is applied to the finished figure's dict, on a few layout and
trace properties only (about 10 µs a chart).

The light and dark themes are Streamlit's (the ⋮ menu: System, Light, Dark).
Streamlit's chart theme recolours what a figure leaves unset; the few colours
our builders set for a white page (grid lines, dark grey text, a white plot
area) are swapped here when the browser reports the dark theme
(``st.context.theme.type``, known from the run after a switch).
"""

from __future__ import annotations

import re

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from .i18n import t

KEY = "projector"  # session state and URL parameter (?projector=1)
_WIDGET = "w.projector"
_ENTERED = "_projector.page"  # the page whose link was last read
FONT_SCALE = 1.4
TITLE_SCALE = 1.2  # titles are already large, and a half-width chart's title must still fit on one line
LINE_SCALE = 2.0
MIN_LINE = 3.0
HEIGHT_SCALE = 1.15  # larger text needs a little more room
DEFAULT_SIZES = dict(font=14, tick=12, title=16, annotation=12)

# colours the builders chose for a white page, and what they become on a dark one
DARK_INK = {"#000", "#000000", "#111", "#222", "#222222", "#333", "#333333", "#444", "#555", "#555555", "#666"}
LIGHT_LINES = {"#eee", "#eeeeee", "#e5e5e5", "#cccccc", "#ccc", "#d0d0d0", "#dddddd"}
DARK_TEXT = "#e6e6e6"
DARK_GRID = "#3d3d3d"
PAPER_WHITE = {"white", "#fff", "#ffffff"}

# the categorical colours of any trace that picks none itself (Okabe & Ito 2008: told apart with every common
# colour-vision deficiency); builders' own colours are Viridis/Cividis for values and these for categories
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

_AXIS = re.compile(r"[xy]axis\d*")
CSS = """
<style>
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stSidebar"] p, [data-testid="stWidgetLabel"] p, [data-testid="stCaptionContainer"] p
  { font-size: 1.3rem !important; line-height: 1.45; }
[data-testid="stMainBlockContainer"] [data-testid="stMetricValue"],
[data-testid="stMainBlockContainer"] [data-testid="stMetricValue"] p { font-size: 2.8rem !important; line-height: 1.2; }
h1 { font-size: 3rem !important; } h2 { font-size: 2.2rem !important; } h3 { font-size: 1.8rem !important; }
.katex { font-size: 1.45em !important; }
/* what is typed grows with its label: number and text boxes, text areas, select boxes */
[data-testid="stAppViewContainer"] input, [data-testid="stAppViewContainer"] textarea,
[data-testid="stAppViewContainer"] [data-baseweb="select"] div { font-size: 1.25rem !important; }
/* a slider's value above its thumb: the larger text is lifted clear of the track */
[data-testid="stSliderThumbValue"] { top: -2.1rem !important; }
[data-testid="stSliderThumbValue"] p, [data-testid="stSliderTickBar"] p { font-size: 1.1rem !important; }
[data-testid="stSlider"] [role="group"] { margin-top: 0.7rem; }
/* a button's words a little smaller than the text around it, and free to wrap: half-width buttons
   ("Copy xᵢ → q", "Random q", the seed's "New") otherwise end in "…" */
[data-testid="stAppViewContainer"] button p, [data-testid="stSidebar"] button p
  { font-size: 1.1rem !important; white-space: normal !important; line-height: 1.2; }
[data-testid="stAppViewContainer"] button div { white-space: normal !important; overflow: visible !important; }
/* on a wide screen, a wider sidebar: its two-column rows (a seed and its "New" button) keep their words */
@media (min-width: 1600px) { [data-testid="stSidebar"] { width: 23rem !important; min-width: 23rem !important; } }
</style>
"""


# ------------------------------------------------------------- the setting


def init() -> None:
    """The session's projector mode: from the link when a page is entered (?projector=1), else from the toggle.

    Read only on entering a page: within a page the URL holds what the last
    run published, which a click on the toggle has just made stale.
    """
    ctx = get_script_run_ctx()
    page = ctx.page_script_hash if ctx is not None else ""
    if st.session_state.get(_ENTERED) == page and KEY in st.session_state:
        return
    st.session_state[_ENTERED] = page
    raw = st.query_params.get(KEY)
    if raw is not None or KEY not in st.session_state:
        st.session_state[KEY] = raw == "1"
    if raw not in (None, "0", "1"):
        from . import url_state  # here, not at the top: url_state imports this module

        url_state.warn_about(KEY)  # projector=yes: off, and the link's one warning says so


def on() -> bool:
    return bool(st.session_state.get(KEY, False))


def _on_toggle() -> None:
    st.session_state[KEY] = bool(st.session_state[_WIDGET])


def toggle() -> None:
    """The sidebar toggle (and, when on, the page text's larger style)."""
    init()
    st.session_state[_WIDGET] = on()  # follows the canonical value (a link, another page)
    st.toggle(t("projector.toggle"), key=_WIDGET, on_change=_on_toggle, help=t("projector.toggle.help"))
    if on():
        st.html(CSS)


def url_values() -> dict[str, str]:
    """What every page's link carries for projector mode (nothing when it is off)."""
    return {KEY: "1"} if on() else {}


def dark() -> bool:
    try:
        return st.context.theme.type == "dark"
    except Exception:  # no browser (AppTest, bare mode): the default light theme
        return False


# ------------------------------------------------------------- the figures


def restyle(spec: dict) -> dict:
    """The figure's dict ``spec``, edited in place for the session's mode and theme, and returned.

    Edits on the dict cost microseconds; on a ``go.Figure`` each property set
    is validated (about a millisecond).  Traces that pick no colour get the
    Okabe–Ito palette.
    """
    layout = spec.setdefault("layout", {})
    layout.setdefault("colorway", list(OKABE_ITO))
    if on():
        projector_style(spec)
    if dark():
        dark_colors(spec)
    return spec


def _grow(owner: dict, default: float, scale: float = FONT_SCALE) -> None:
    """``owner["font"]["size"]`` (or its default) times ``scale``."""
    font = owner.setdefault("font", {})
    font["size"] = round((font.get("size") or default) * scale)


def _axes(layout: dict) -> list[dict]:
    return [axis for name, axis in layout.items() if _AXIS.fullmatch(name) and isinstance(axis, dict)]


def projector_style(spec: dict) -> None:
    """Fonts ×1.4 (titles ×1.2), lines ×2 (at least 3 px), markers ×1.4, a little more height; numbers unchanged."""
    layout = spec.setdefault("layout", {})
    _grow(layout, DEFAULT_SIZES["font"])
    _grow(layout.setdefault("title", {}), DEFAULT_SIZES["title"], TITLE_SCALE)
    _grow(layout.setdefault("hoverlabel", {}), DEFAULT_SIZES["font"])
    _grow(layout.setdefault("legend", {}), DEFAULT_SIZES["font"])
    for axis in _axes(layout) or [layout.setdefault("xaxis", {}), layout.setdefault("yaxis", {})]:
        tickfont = axis.setdefault("tickfont", {})
        tickfont["size"] = round((tickfont.get("size") or DEFAULT_SIZES["tick"]) * FONT_SCALE)
        _grow(axis.setdefault("title", {}), DEFAULT_SIZES["font"])
    for note in layout.get("annotations", ()):
        _grow(note, DEFAULT_SIZES["annotation"])
    for shape in layout.get("shapes", ()):
        line = shape.get("line") or {}
        if line.get("width"):
            line["width"] = line["width"] * 1.5
    if layout.get("height"):
        layout["height"] = round(layout["height"] * HEIGHT_SCALE)
    for trace in spec.get("data", ()):
        _projector_trace(trace)


def _projector_trace(trace: dict) -> None:
    if trace.get("type", "scatter") in ("scatter", "scattergl") and "lines" in trace.get("mode", "lines"):
        line = trace.setdefault("line", {})
        line["width"] = max((line.get("width") or 2) * LINE_SCALE, MIN_LINE)
    marker = trace.get("marker")
    if isinstance(marker, dict) and isinstance(marker.get("size"), (int, float)):
        marker["size"] = marker["size"] * FONT_SCALE
    textfont = trace.get("textfont")
    if isinstance(textfont, dict) and isinstance(textfont.get("size"), (int, float)):
        textfont["size"] = round(textfont["size"] * FONT_SCALE)


def _dark(color, table, replacement):
    return replacement if isinstance(color, str) and color.lower() in table else color


def dark_colors(spec: dict) -> None:
    """The colours builders set for a white page, swapped for a dark one (backgrounds, grid lines, text)."""
    layout = spec.setdefault("layout", {})
    if isinstance(layout.get("plot_bgcolor"), str) and layout["plot_bgcolor"].lower() in PAPER_WHITE:
        layout["plot_bgcolor"] = "rgba(0,0,0,0)"
    if "font" in layout:
        layout["font"]["color"] = _dark(layout["font"].get("color"), DARK_INK, DARK_TEXT)
    for axis in _axes(layout):
        for name, table, replacement in (
            ("gridcolor", LIGHT_LINES, DARK_GRID),
            ("zerolinecolor", LIGHT_LINES | {"#888888"}, "#777777"),
            ("linecolor", DARK_INK, DARK_TEXT),
        ):
            if name in axis:
                axis[name] = _dark(axis[name], table, replacement)
    for note in layout.get("annotations", ()):
        if "font" in note:
            note["font"]["color"] = _dark(note["font"].get("color"), DARK_INK, DARK_TEXT)
    for trace in spec.get("data", ()):
        textfont, marker, line = trace.get("textfont"), trace.get("marker"), trace.get("line")
        if isinstance(textfont, dict) and "color" in textfont:
            textfont["color"] = _dark(textfont["color"], DARK_INK, DARK_TEXT)
        if isinstance(marker, dict):
            if "color" in marker:
                marker["color"] = _dark(marker["color"], {"#000", "#000000"}, DARK_TEXT)  # q, the black star
            if isinstance(marker.get("line"), dict) and "color" in marker["line"]:
                marker["line"]["color"] = _dark(marker["line"]["color"], DARK_INK, DARK_TEXT)
        if isinstance(line, dict) and "color" in line:
            line["color"] = _dark(line["color"], {"#000", "#000000"}, DARK_TEXT)
