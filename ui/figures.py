"""Plotly figure builders: plain arrays in, ``go.Figure`` out; no attention is computed here.

Conventions: tokens are numbered 1…n on a numeric axis (labels may repeat,
so they are tick texts, never categories); weights use Viridis, raw values
Cividis (both perceptually uniform and colour-blind safe); heatmaps print
their numbers when small and are block-averaged when large, so no figure
ships more than ~25 k cells to the browser.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from attention_core import pool

from .text import escape, md_escape  # noqa: F401  (user text: figures.escape / md_escape stay importable)

WEIGHT_SCALE = "Viridis"
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
    """The shared layout: title, fonts, margins; every figure module starts from it."""
    return dict(
        title=dict(text=title, x=0, xanchor="left", font=TITLE_FONT),
        height=height,
        margin=dict(l=60, r=20, t=50, b=50),
        font=FONT,
        plot_bgcolor="white",
        hoverlabel=dict(font=dict(size=14)),
        **extra,
    )


_layout = base_layout


def token_axis(labels, title: str = "") -> dict:
    """A numeric token axis 1…n with the labels as ticks when there are few enough."""
    n = len(labels)
    spec = axis(title=title, showgrid=False, zeroline=False)
    if n <= MAX_TICK_LABELS:
        spec.update(tickmode="array", tickvals=list(range(1, n + 1)), ticktext=escape(labels))
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
) -> go.Figure:
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
    x = np.arange(1, n + 1)
    hidden = np.zeros(n, dtype=bool) if masked is None else np.asarray(masked, dtype=bool)
    show = ~hidden
    text = escape(labels)
    hover = "%{customdata}: %{y:" + value_format + "}"
    if n > LINE_ABOVE:
        traces = [
            go.Scatter(
                # few visible points (say a causal row near the start) need markers: a 1-point line draws nothing
                x=x[show], y=values[show], mode="lines" if show.sum() > 64 else "lines+markers",
                line=dict(shape="hvh", width=1, color=LINE_COLOR), marker=dict(size=6, color=LINE_COLOR),
                fill="tozeroy", customdata=[text[i] for i in np.flatnonzero(show)],
                hovertemplate=hover + "<extra></extra>", name=y_title,
            )
        ]
        if hidden.any():
            traces.append(
                go.Scatter(
                    x=x[hidden], y=values[hidden], mode="markers", marker=dict(color=MASKED_COLOR, size=4),
                    customdata=[text[i] for i in np.flatnonzero(hidden)],
                    hovertemplate=hover + f" ({words['masked']})<extra></extra>", name=words["masked"],
                )
            )
        bars = traces
    else:
        marker: dict = dict(color=LINE_COLOR)
        if color is not None:
            c = np.asarray(color, dtype=np.float64)[show]
            cmin, cmax = color_range or (0.0, max(float(c.max(initial=0)), 1e-12))
            marker = dict(color=c, colorscale=WEIGHT_SCALE, cmin=cmin, cmax=cmax)
        small = n <= 24
        shown_values = values[show]
        bars = [
            go.Bar(
                x=x[show],
                y=shown_values,
                marker=marker,
                customdata=[text[i] for i in np.flatnonzero(show)],
                hovertemplate=hover + "<extra></extra>",
                text=[f"{v:.2f}" if abs(v) >= hide_text_below else "" for v in shown_values] if small else None,
                textposition="outside" if small else None,
                cliponaxis=False,
                name=y_title,
            )
        ]
        if hidden.any():
            bars.append(
                go.Bar(
                    x=x[hidden],
                    y=values[hidden],
                    marker=dict(color=MASKED_COLOR, pattern=dict(shape="/")),
                    customdata=[text[i] for i in np.flatnonzero(hidden)],
                    hovertemplate=hover + f" ({words['masked']})<extra></extra>",
                    name=words["masked"],
                )
            )
    # layout in the constructor: Plotly validates it once (update_layout walks every property again)
    return go.Figure(bars, _layout(title, height, showlegend=bool(hidden.any()), bargap=0.15 if n <= 64 else 0.0) | dict(
        xaxis=token_axis(labels, x_title),
        yaxis=axis(title=y_title, gridcolor="#eeeeee", zerolinecolor="#888888")
        | ({} if y_range is None else dict(range=list(y_range), autorange=False)),
        legend=dict(orientation="h", y=-0.22, x=1, xanchor="right", yanchor="top"),
    ))


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
) -> go.Figure:
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
    numbers = pooled.size <= NUMBERS_MAX_CELLS
    trace = go.Heatmap(
        z=pooled,
        x=x,
        y=y,
        colorscale=colorscale,
        zmin=zmin,
        zmax=zmax,
        colorbar=dict(title=dict(text=colorbar_title), thickness=14),
        texttemplate="%{z:.2f}" if numbers else None,
        hovertemplate=(words["hover_pooled"] if is_pooled else words["hover_cell"])
        + ": %{z:.4f}<extra></extra>",
        xgap=1 if numbers else 0,
        ygap=1 if numbers else 0,
    )
    if height is None:
        height = int(min(720, max(300, 120 + 26 * pooled.shape[0])))
    note = words["pooled"].format(rows=pooled.shape[0], cols=pooled.shape[1])
    suffix = f" <span style='font-size:12px;color:#666'>({note})</span>" if is_pooled else ""
    return go.Figure(trace, _layout(title + suffix, height) | dict(
        xaxis=xaxis | {"side": "bottom"},
        yaxis=(yaxis | {"autorange": "reversed"}) if yaxis.get("range") is None else yaxis | {"range": [yaxis["range"][1], yaxis["range"][0]]},
    ))


def inputs_output_figure(
    x: np.ndarray, weights: np.ndarray, output: np.ndarray, labels, texts: dict,
    weight_range: tuple[float, float] | None = WEIGHT_RANGE, words: dict | None = None,
) -> go.Figure:
    """X ``[n, d]`` as a heatmap, the weights ``[n]`` as a strip on its left, and
    o ``[d]`` as a row underneath on the same colour scale as X, so the output
    is visibly the weighted mix of the rows.  ``texts``: title, weights, output, dims, tokens;
    ``weight_range``: the strip's colour range (None: 0 … the largest weight); ``words``: see ``WORDS``.
    """
    words = WORDS | (words or {})
    x = np.asarray(x, dtype=np.float64)
    n, d = x.shape
    px, row_starts, col_starts = pool(x, MAX_SIDE, MAX_SIDE)
    pw, _, _ = pool(np.asarray(weights, dtype=np.float64)[:, None], MAX_SIDE, 1, how="max")
    po, _, _ = pool(np.asarray(output, dtype=np.float64)[None, :], 1, MAX_SIDE)
    ys, yaxis = _pooled_axis(labels, row_starts, n, texts["tokens"])
    xs, xaxis = _pooled_axis([str(j + 1) for j in range(d)], col_starts, d, texts["dims"])
    limit = float(max(np.abs(x).max(), np.abs(output).max(), 1e-12))
    numbers = px.size <= NUMBERS_MAX_CELLS
    text = "%{z:.2f}" if numbers else None
    traces = [
        go.Heatmap(
            z=pw, x=[0], y=ys, xaxis="x2", yaxis="y", coloraxis="coloraxis2",
            texttemplate=text, ygap=1 if numbers else 0,
            hovertemplate=(texts["weights"] if px.shape[0] == n else words["block_max"]) + ": %{z:.4f}<extra>%{y}</extra>",
        ),
        go.Heatmap(
            z=px, x=xs, y=ys, xaxis="x", yaxis="y", coloraxis="coloraxis",
            texttemplate=text, hovertemplate=words["hover_token_dim"] + ": %{z:.4f}<extra>X</extra>",
            xgap=1 if numbers else 0, ygap=1 if numbers else 0,
        ),
        go.Heatmap(
            z=po, x=xs, y=["o"], xaxis="x", yaxis="y2", coloraxis="coloraxis",
            texttemplate=text, hovertemplate=words["hover_output_dim"] + ": %{z:.4f}<extra>" + words["output"] + "</extra>",
            xgap=1 if numbers else 0,
        ),
    ]
    rows = px.shape[0]
    height = int(min(760, max(360, 170 + 24 * rows)))
    o_share = min(0.16, 60 / height)
    fig = go.Figure(traces)
    y_axis = yaxis | {"domain": [o_share + 0.08, 1.0]}
    y_axis = y_axis | ({"autorange": "reversed"} if y_axis.get("range") is None else {"range": [y_axis["range"][1], y_axis["range"][0]]})
    fig.update_layout(
        _layout(texts["title"], height),
        xaxis=xaxis | {"domain": [0.1, 1.0], "anchor": "y2"},
        # the strip's name is its tick, below it: a title on top would be drawn over the figure's title
        xaxis2=axis(domain=[0.0, 0.07], tickmode="array", tickvals=[0], ticktext=[texts["weights"]], ticks="",
                    anchor="y", side="bottom", showgrid=False, zeroline=False),
        yaxis=y_axis | {"anchor": "x2"},
        yaxis2=axis(domain=[0.0, o_share], anchor="x"),
        coloraxis=dict(colorscale=VALUE_SCALE, cmin=-limit, cmax=limit, colorbar=dict(title=dict(text=words["value"]), thickness=14)),
        coloraxis2=dict(colorscale=WEIGHT_SCALE, showscale=False,
                        **_color_limits(weights, weight_range)),
    )
    return fig


# -------------------------------------------------------------- projection


def _color_limits(weights: np.ndarray, weight_range: tuple[float, float] | None) -> dict:
    """cmin/cmax of a weight colour scale: the fixed range, or 0 … the largest weight."""
    lo, hi = weight_range or (0.0, max(float(np.max(weights, initial=0.0)), 1e-12))
    return dict(cmin=lo, cmax=hi)


def projection_figure(
    keys_2d: np.ndarray, query_2d: np.ndarray, output_2d: np.ndarray, weights: np.ndarray, labels, texts: dict,
    weight_range: tuple[float, float] | None = WEIGHT_RANGE,
) -> go.Figure:
    """Keys, query and output in the keys' first two principal components.

    keys_2d ``[n, 2]``, query_2d ``[2]``, output_2d ``[2]``, weights ``[n]``:
    a key's marker area grows with its weight, its colour is its weight
    (on ``weight_range``; None: 0 … the largest weight).
    ``texts``: title, keys, query, output, pc1, pc2.
    """
    w = np.asarray(weights, dtype=np.float64)
    n = w.shape[0]
    limits = _color_limits(w, weight_range)
    size = 7 + 38 * np.sqrt(np.clip(w / limits["cmax"], 0.0, 1.0))  # area ∝ weight, full size at the range's top
    label_text = escape(labels)
    fig = go.Figure(
        [
            go.Scatter(
                x=keys_2d[:, 0], y=keys_2d[:, 1], mode="markers+text" if n <= 24 else "markers",
                marker=dict(size=size, color=w, colorscale=WEIGHT_SCALE, **limits, line=dict(width=0.5, color="#333"),
                            colorbar=dict(title=dict(text="w"), thickness=14)),
                text=label_text if n <= 24 else None, textposition="top center", customdata=np.stack([w], axis=-1),
                hovertext=label_text, hovertemplate="%{hovertext}: w = %{customdata[0]:.4f}<extra></extra>",
                name=texts["keys"],
            ),
            go.Scatter(
                x=[query_2d[0]], y=[query_2d[1]], mode="markers+text", text=["q"], textposition="bottom center",
                marker=dict(symbol="star", size=20, color=QUERY_COLOR), name=texts["query"],
                hovertemplate="q<extra></extra>",
            ),
            go.Scatter(
                x=[output_2d[0]], y=[output_2d[1]], mode="markers+text", text=["o"], textposition="bottom center",
                marker=dict(symbol="diamond", size=16, color=OUTPUT_COLOR, line=dict(width=1, color="#333")),
                name=texts["output"], hovertemplate="o = Σ wᵢxᵢ<extra></extra>",
            ),
        ]
    )
    fig.update_layout(
        _layout(texts["title"], 480),
        xaxis=axis(title=texts["pc1"], gridcolor="#eeeeee", zerolinecolor="#cccccc"),
        yaxis=axis(title=texts["pc2"], gridcolor="#eeeeee", zerolinecolor="#cccccc", scaleanchor="x", scaleratio=1),
        legend=dict(orientation="h", y=-0.15),
    )
    return fig
