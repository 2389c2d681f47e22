"""Plotly figure builders: plain arrays in, a figure's dict (``Spec``) out; no attention is computed here.

A builder writes the dict Plotly.js reads (``{"data": [traces], "layout": {...}}``), not a
``go.Figure``: building a Figure validates every property (1–25 ms a chart, most of a click's CPU on
some pages, issue 23), and ``show`` hands the dict to Streamlit as it is.  The test suite validates
every drawn figure instead (``VALIDATE_SHOWN``), so a misspelt property still fails a test.

Conventions: tokens are numbered 1…n on a numeric axis (labels may repeat,
so they are tick texts, never categories); weights use Viridis, raw values
Cividis (both perceptually uniform and colour-blind safe); heatmaps print
their numbers when small and are block-averaged when large, so no figure
ships more than ~25 k cells to the browser.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from _plotly_utils.utils import is_skipped_key, to_typed_array_spec  # what go.Figure.to_dict applies

from attention_core.blocks import pool

from . import export, projector
from .text import escape, md_escape  # noqa: F401  (user text: figures.escape / md_escape stay importable)

# No Plotly template: st.plotly_chart's Streamlit theme styles every chart in the browser anyway,
# and Plotly's default template was ~6.5 kB of every figure's JSON and most of the CPU a chart
# costs the server (built, validated, deep-copied and serialised on every rerun; issue 9).
# Process-wide on purpose: every lesson's figures module imports this one.
pio.templates.default = None

WEIGHT_SCALE = "Viridis"
# the toolbar of a chart the student clicks: zooming and panning only get in the way of a click (PNG download stays);
# ``show`` adds it to the toolbar every chart shares (export.chart_config: image format, file name, scale)
CLICK_CONFIG = {
    "modeBarButtonsToRemove": [
        "zoom2d",
        "pan2d",
        "zoomIn2d",
        "zoomOut2d",
        "autoScale2d",
        "resetScale2d",
        "select2d",
        "lasso2d",
    ],
}
VALUE_SCALE = "Cividis"
QUERY_COLOR = "#000000"
OUTPUT_COLOR = "#E69F00"  # Okabe–Ito orange: distinct from Viridis for colour-blind viewers
MASKED_COLOR = "#c8c8c8"
LINE_COLOR = "#21918c"  # Viridis' middle
LINE_ABOVE = 512  # more tokens than this: bar charts become one stepped area
MAX_SIDE = 160  # a heatmap larger than this on either side is block-averaged
NUMBERS_MAX_CELLS = 256  # print the numbers in the cells up to this many cells
MAX_TICK_LABELS = 48  # beyond this many tokens the axis shows indices, not labels
FONT = dict(size=14)
# Readable from the back of a classroom: every figure's ticks and titles at least this big.
# (Streamlit's chart theme shrinks ticks to 12 px unless an axis says otherwise.)
TICK_FONT = dict(size=13)
AXIS_TITLE_FONT = dict(size=14)
TITLE_FONT = dict(size=16)
WEIGHT_RANGE = (0.0, 1.0)  # weights are probabilities: their axis and colours span 0…1 unless zoomed

# The words figures show besides the caller's titles, in English; a page passes
# ``words(t)`` for the user's language.  Hover templates keep Plotly's %{…} fields.
WORDS = {
    "masked": "masked",
    "value": "value",
    "pooled": "block-averaged to {rows}×{cols}",
    "block_max": "largest w in block",
    "hover_cell": "row %{y}, col %{x}",
    "hover_pooled": "≈ row %{y:.0f}, col %{x:.0f}",
    "hover_token_dim": "token %{y}, dim %{x}",
    "hover_output_dim": "o, dim %{x}",
    "output": "output",
}


def words(translate) -> dict[str, str]:
    """The figure words in the page's language: ``translate`` is ``ui.i18n.t`` (keys ``fig.<name>``)."""
    return {name: translate(f"fig.{name}") for name in WORDS}


def axis(**spec) -> dict:
    """A Plotly axis with the shared fonts; ``title`` may be a string or a dict."""
    title = spec.pop("title", {})
    title = dict(text=title) if isinstance(title, str) else dict(title)
    return dict(tickfont=TICK_FONT, title=dict(font=AXIS_TITLE_FONT) | title, **spec)


def base_layout(title: str, height: int, **extra) -> dict:
    """The shared layout: title, fonts, margins; every figure module starts from it (``extra`` adds or overrides)."""
    return (
        dict(
            title=dict(text=title, x=0, xanchor="left", font=TITLE_FONT),
            height=height,
            margin=dict(l=60, r=20, t=50, b=50),
            font=FONT,
            plot_bgcolor="white",
            hoverlabel=dict(font=dict(size=14)),
        )
        | extra
    )


_layout = base_layout


# a figure as Plotly.js reads it: {"data": [trace dicts], "layout": {...}}; every builder returns one
Spec = dict

# True in the test suite (the root conftest.py): every drawn figure is validated there, never on the server.
VALIDATE_SHOWN = os.environ.get("ATTENTION_EXPLORER_VALIDATE_FIGURES") == "1"


class _Finished(go.Figure):
    """A finished figure's dict for ``st.plotly_chart``, which reads a Figure through ``to_dict()``.

    Streamlit 1.67 validates a dict from scratch (``go.Figure(**spec)``: as costly as building the chart
    again) and deep-copies a Figure's; this one hands over the dict itself.  ``BaseFigure.__init__`` is
    skipped on purpose: no Plotly object is made.
    """

    def __init__(self, spec: Spec):
        self._spec = spec

    def to_dict(self) -> Spec:
        return self._spec


def fresh(spec, name: str = ""):
    """What ``show`` sends of a builder's figure: a copy of its dicts and lists, as Plotly's validation left them.

    The copy is ``show``'s own to edit (a builder's figure may be a cached one every session shares);
    a property set to None is left out ("not set"); the properties are in the order of their names, as
    Plotly's objects keep them; a named colour scale is written out as Plotly's stops (the browser's own
    "Viridis" differs slightly, and charts look as they always did); a numpy array becomes Plotly.js's
    typed array (base64), as ``go.Figure.to_dict`` makes it.
    """
    if isinstance(spec, dict):
        return {key: fresh(spec[key], key) for key in sorted(spec) if spec[key] is not None}
    if isinstance(spec, list):  # a list of numbers or words (hover texts, tick labels) is copied as it is
        return [fresh(value) if isinstance(value, (dict, list)) else value for value in spec]
    if name == "colorscale" and isinstance(spec, str):
        return named_scale(spec)
    if isinstance(spec, np.ndarray) and not is_skipped_key(name):
        return to_typed_array_spec(spec)
    return spec


@lru_cache(maxsize=32)
def named_scale(name: str) -> tuple:
    """The stops of Plotly's colour scale ``name`` (e.g. "Viridis"), as its validation writes them."""
    return go.Heatmap(colorscale=name).colorscale


def show(fig: Spec, key: str, where=None, config: dict | None = None, **kwargs):
    """``st.plotly_chart`` for every chart of the app: one toolbar, projector mode and theme, recorded for export.

    ``fig``: a builder's dict (left as it is: the chart is drawn from a copy); ``where`` is the container
    (a column, ``st.sidebar``; default ``st``); ``config`` adds to the shared toolbar (e.g. ``CLICK_CONFIG``);
    the other keyword arguments go to ``st.plotly_chart`` (``on_select``, ``width`` …).
    Returns what ``st.plotly_chart`` returns (the selection of a clickable chart).
    """
    spec = projector.restyle(fresh(fig))
    legible(spec)
    if VALIDATE_SHOWN:
        go.Figure(spec)  # raises on a property Plotly does not know (the test suite; the server skips it)
    kwargs.setdefault("width", "stretch")
    config = export.chart_config(key) | (config or {})
    shown = (where or st).plotly_chart(_Finished(spec), key=key, config=config, **kwargs)
    export.note(key, spec)  # after drawing: a run that was stopped meanwhile raises above and records nothing
    return shown


def selected_points(key: str) -> list[dict]:
    """The points of the selection on the chart drawn with ``key`` (in its ``on_select`` callback: the new one)."""
    event = st.session_state.get(key) or {}
    return event.get("selection", {}).get("points", [])


def clicked_point(key: str) -> dict | None:
    """In the ``on_select`` callback of the chart drawn with ``key``: the first point the click selected, or None."""
    points = selected_points(key)
    return points[0] if points else None


def clicked(key: str) -> list[list[int]]:
    """The customdata of the points clicked in the chart ``key`` (in its ``on_select`` callback), each as ints.

    Points without customdata are skipped; a row of a typed array arrives as {"0": …, "1": …}.
    """
    event = st.session_state.get(key)
    found = []
    for point in event.selection.points if event else []:
        data = point.get("customdata")
        if isinstance(data, dict):
            data = [data[k] for k in sorted(data, key=int)]
        if data is not None:
            found.append([int(v) for v in (data if isinstance(data, list) else [data])])
    return found


TOOLBAR_BAND = 30  # px at a chart's top right where Plotly's toolbar appears on hover: titles start below it
_SUBSCRIPTS = dict(zip("ᵢⱼₖₙ₀₁₂₃₄₅₆₇₈₉", "ijkn0123456789"))
_SUBSCRIPT_RUN = re.compile(f"[{''.join(_SUBSCRIPTS)}]+")


def sub_tags(text: str) -> str:
    """Unicode subscripts (aᵢ) as Plotly's <sub>i</sub>.

    A legend sizes its entries with the page font, which has no ᵢ: the
    fallback glyph was drawn past the measured width and clipped ("score aı").
    """
    return _SUBSCRIPT_RUN.sub(lambda m: "<sub>" + "".join(_SUBSCRIPTS[c] for c in m[0]) + "</sub>", text)


def legible(spec: dict) -> None:
    """What every chart needs to read well, on the figure's dict: legend names with real subscripts,
    and the title below the band where the toolbar appears on hover (it covered the title's end)."""
    for trace in spec.get("data", ()):
        if isinstance(trace.get("name"), str):
            trace["name"] = sub_tags(trace["name"])
    layout = spec.setdefault("layout", {})
    title = layout.get("title")
    if isinstance(title, dict) and title.get("text"):
        size = (title.get("font") or {}).get("size") or TITLE_FONT["size"]
        lines = str(title["text"]).count("<br>") + 1
        title.update(yref="container", y=1.0, yanchor="top", pad=dict(t=TOOLBAR_BAND))
        margin = layout.setdefault("margin", {})
        margin["t"] = max(margin.get("t") or 0, TOOLBAR_BAND + round(1.3 * size * lines) + 8)


@lru_cache(maxsize=16)
def _plot_labels(labels: tuple) -> tuple[np.ndarray, bool]:
    escaped = np.array(escape(labels), dtype=object)
    escaped.flags.writeable = False  # shared by every figure of this sequence
    return escaped, labels == tuple(f"x{i}" for i in range(1, len(labels) + 1))  # attention_core.default_labels


def plot_labels(labels) -> tuple[np.ndarray, bool]:
    """``labels`` escaped for Plotly once per sequence (cached), and whether they are the default x1…xn."""
    return _plot_labels(tuple(labels))


def token_axis(labels, title: str = "") -> dict:
    """A numeric token axis 1…n with the labels as ticks when there are few enough."""
    n = len(labels)
    spec = axis(title=title, showgrid=False, zeroline=False)
    if n <= MAX_TICK_LABELS:
        spec.update(tickmode="array", tickvals=list(range(1, n + 1)), ticktext=list(plot_labels(labels)[0]))
    spec["range"] = [0.4, n + 0.6]
    return spec


# ------------------------------------------------------------------- bars


def bar_chart(
    values: np.ndarray,
    labels,
    title: str,
    y_title: str,
    color: np.ndarray | None = None,
    masked: np.ndarray | None = None,
    x_title: str = "",
    value_format: str = ".3f",
    height: int = 340,
    hide_text_below: float = 0.0,
    y_range: tuple[float, float] | None = None,
    color_range: tuple[float, float] | None = None,
    words: dict | None = None,
) -> Spec:
    """One bar per token; ``color`` (e.g. the weights) colours the bars on Viridis.

    values, color ``[n]``; masked ``[n]`` bool (True = hidden from attention):
    masked tokens are a second, grey trace named "masked".  Trace 0 always
    holds the allowed tokens, x = token number (1-based).  Up to 24 tokens the
    values are printed on the bars (except those below ``hide_text_below`` in
    size, so a row of 0.00s does not drown the one that matters); above
    ``LINE_ABOVE`` tokens the bars become one stepped area, which a browser
    draws as a single path instead of thousands.  ``y_range`` fixes the value
    axis and ``color_range`` the colour scale (say ``WEIGHT_RANGE`` for
    weights, so 0.12 and 0.13 look alike); by default both follow the data.
    ``words``: see ``WORDS``.
    """
    words = WORDS | (words or {})
    values = np.asarray(values, dtype=np.float64)
    n = values.shape[0]
    x = np.arange(1, n + 1)  # Plotly sends it in the smallest integer type
    hidden = np.zeros(n, dtype=bool) if masked is None else np.asarray(masked, dtype=bool)
    show = ~hidden
    text, numbered = plot_labels(labels)
    # default labels x1…xn: no label is sent (4096 labels are ~36 kB a chart); the hover's %{x} shows the tick
    # text when the axis names its ticks (x4: it read "xx4"), else the number, which x%{x} names
    hover = (
        (("%{x}" if n <= MAX_TICK_LABELS else "x%{x}") if numbered else "%{customdata}") + ": %{y:" + value_format + "}"
    )

    def trace(kind: str, keep: np.ndarray, y: np.ndarray, name: str, note: str = "", **spec) -> dict:
        return dict(
            type=kind,
            x=x[keep],
            y=y,
            name=name,
            hovertemplate=hover + note + "<extra></extra>",
            **({} if numbered else {"customdata": text[keep]}),
            **spec,
        )

    masked_note = f" ({words['masked']})"
    if n > LINE_ABOVE:
        # float32: the hover shows 3 decimals, and the stepped area is most of the payload at large n
        traces = [
            # few visible points (say a causal row near the start) need markers: a 1-point line draws nothing
            trace(
                "scatter",
                show,
                values[show].astype(np.float32),
                y_title,
                mode="lines" if show.sum() > 64 else "lines+markers",
                line=dict(shape="hvh", width=1, color=LINE_COLOR),
                marker=dict(size=6, color=LINE_COLOR),
                fill="tozeroy",
            )
        ]
        if hidden.any():
            traces.append(
                trace(
                    "scatter",
                    hidden,
                    values[hidden].astype(np.float32),
                    words["masked"],
                    masked_note,
                    mode="markers",
                    marker=dict(color=MASKED_COLOR, size=4),
                )
            )
    else:
        marker: dict = dict(color=LINE_COLOR)
        if color is not None:
            c = np.asarray(color, dtype=np.float64)[show]
            cmin, cmax = color_range or (0.0, max(float(c.max(initial=0)), 1e-12))
            marker = dict(color=c, colorscale=WEIGHT_SCALE, cmin=cmin, cmax=cmax)
        small = n <= 24
        shown_values = values[show]
        numbers = (
            dict(text=[f"{v:.2f}" if abs(v) >= hide_text_below else "" for v in shown_values], textposition="outside")
            if small
            else {}
        )
        traces = [trace("bar", show, shown_values, y_title, marker=marker, cliponaxis=False, **numbers)]
        if hidden.any():
            traces.append(
                trace(
                    "bar",
                    hidden,
                    values[hidden],
                    words["masked"],
                    masked_note,
                    marker=dict(color=MASKED_COLOR, pattern=dict(shape="/")),
                )
            )
    layout = _layout(title, height, showlegend=bool(hidden.any()), bargap=0.15 if n <= 64 else 0.0) | dict(
        xaxis=token_axis(labels, x_title),
        yaxis=axis(title=y_title, gridcolor="#eeeeee", zerolinecolor="#888888")
        | ({} if y_range is None else dict(range=list(y_range), autorange=False)),
        legend=dict(orientation="h", y=-0.22, x=1, xanchor="right", yanchor="top"),
    )
    return dict(data=traces, layout=layout)


# --------------------------------------------------------------- heatmaps


def _pooled_axis(labels, starts, total: int, title: str) -> tuple[np.ndarray, dict]:
    """Positions (1-based block centres) and the axis for a pooled heatmap side."""
    ends = np.append(starts[1:], total)
    centres = (starts + 1 + ends) / 2.0
    if len(starts) == total:
        return np.arange(1, total + 1), token_axis(labels, title) | {"range": None}
    return centres, axis(title=title, showgrid=False)


def heatmap(
    z: np.ndarray,
    row_labels,
    col_labels,
    title: str,
    x_title: str = "",
    y_title: str = "",
    colorscale: str = WEIGHT_SCALE,
    zmin: float | None = None,
    zmax: float | None = None,
    colorbar_title: str = "",
    height: int | None = None,
    words: dict | None = None,
) -> Spec:
    """A labelled heatmap of ``z`` ``[rows, cols]``; row 1 on top.

    Large matrices are block-averaged (``attention_core.pool``) and the title says so.
    ``words``: see ``WORDS``.
    """
    words = WORDS | (words or {})
    z = np.asarray(z, dtype=np.float64)
    pooled, row_starts, col_starts = pool(z, MAX_SIDE, MAX_SIDE)
    y, yaxis = _pooled_axis(row_labels, row_starts, z.shape[0], y_title)
    x, xaxis = _pooled_axis(col_labels, col_starts, z.shape[1], x_title)
    is_pooled = pooled.shape != z.shape
    if is_pooled:  # float32 halves the payload of a large matrix; the hover shows 4 decimals
        pooled = pooled.astype(np.float32)
    numbers = pooled.size <= NUMBERS_MAX_CELLS
    trace = dict(
        type="heatmap",
        z=pooled,
        x=x,
        y=y,
        colorscale=colorscale,
        zmin=zmin,
        zmax=zmax,
        colorbar=dict(title=dict(text=colorbar_title), thickness=14),
        texttemplate="%{z:.2f}" if numbers else None,
        hovertemplate=(words["hover_pooled"] if is_pooled else words["hover_cell"]) + ": %{z:.4f}<extra></extra>",
        xgap=1 if numbers else 0,
        ygap=1 if numbers else 0,
    )
    if height is None:
        height = int(min(720, max(300, 120 + 26 * pooled.shape[0])))
    note = words["pooled"].format(rows=pooled.shape[0], cols=pooled.shape[1])
    suffix = f" <span style='font-size:12px;color:#666'>({note})</span>" if is_pooled else ""
    layout = _layout(title + suffix, height) | dict(
        xaxis=xaxis | {"side": "bottom"},
        yaxis=(yaxis | {"autorange": "reversed"})
        if yaxis.get("range") is None
        else yaxis | {"range": [yaxis["range"][1], yaxis["range"][0]]},
    )
    return dict(data=[trace], layout=layout)
