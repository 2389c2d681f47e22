"""The Query page's own figures: X with the weights and the output; keys, query and output in 2-D.

Plain arrays and words in, a figure's dict (``ui.figures.Spec``) out; no attention is computed here.
"""

from __future__ import annotations

import numpy as np

from attention_core.blocks import pool
from ui.figures import (
    MAX_SIDE,
    NUMBERS_MAX_CELLS,
    OUTPUT_COLOR,
    QUERY_COLOR,
    VALUE_SCALE,
    WEIGHT_RANGE,
    WEIGHT_SCALE,
    WORDS,
    Spec,
    _layout,
    _pooled_axis,
    axis,
    plot_labels,
)


def inputs_output_figure(
    x: np.ndarray,
    weights: np.ndarray | None,
    output: np.ndarray | None,
    labels,
    *,
    title: str,
    dims_title: str,
    tokens_title: str,
    weights_name: str = "w",
    output_name: str = "o",
    weight_range: tuple[float, float] | None = WEIGHT_RANGE,
    words: dict | None = None,
) -> Spec:
    """X ``[n, d]`` as a heatmap, the weights ``[n]`` as a strip on its left, and
    o ``[d]`` as a row underneath on the same colour scale as X, so the output
    is visibly the weighted mix of the rows.  The strip is named ``weights_name``, the output row ``output_name``;
    ``weight_range``: the strip's colour range (None: 0 … the largest weight); ``words``: see ``WORDS``.
    ``weights`` or ``output`` None: that strip or row waits (grey cells marked "?"; a guided question asks for it).
    """
    words = WORDS | (words or {})
    x = np.asarray(x, dtype=np.float64)
    n, d = x.shape
    px, row_starts, col_starts = pool(x, MAX_SIDE, MAX_SIDE)
    ys, yaxis = _pooled_axis(labels, row_starts, n, tokens_title)
    xs, xaxis = _pooled_axis([str(j + 1) for j in range(d)], col_starts, d, dims_title)
    limit = float(max(np.abs(x).max(), 0.0 if output is None else np.abs(output).max(), 1e-12))
    if px.shape != x.shape:  # block-averaged (large X): float32 halves the payload; the hover shows 4 decimals
        px = px.astype(np.float32)
    numbers = px.size <= NUMBERS_MAX_CELLS
    text = "%{z:.2f}" if numbers else None
    if weights is None:
        strip = _waiting(px.shape[0], 1, x="x2", y="y", xs=[0], ys=ys, name=weights_name, gap=dict(ygap=1))
    else:
        pw, _, _ = pool(np.asarray(weights, dtype=np.float64)[:, None], MAX_SIDE, 1, how="max")
        strip = dict(
            type="heatmap",
            z=pw,
            x=[0],
            y=ys,
            xaxis="x2",
            yaxis="y",
            coloraxis="coloraxis2",
            texttemplate=text,
            ygap=1 if numbers else 0,
            hovertemplate=(weights_name if px.shape[0] == n else words["block_max"]) + ": %{z:.4f}<extra>%{y}</extra>",
        )
    if output is None:
        o_row = _waiting(1, px.shape[1], x="x", y="y2", xs=xs, ys=[output_name], name=output_name, gap=dict(xgap=1))
    else:
        po, _, _ = pool(np.asarray(output, dtype=np.float64)[None, :], 1, MAX_SIDE)
        o_row = dict(
            type="heatmap",
            z=po,
            x=xs,
            y=[output_name],
            xaxis="x",
            yaxis="y2",
            coloraxis="coloraxis",
            texttemplate=text,
            hovertemplate=words["hover_output_dim"] + ": %{z:.4f}<extra>" + words["output"] + "</extra>",
            xgap=1 if numbers else 0,
        )
    traces = [
        strip,
        dict(
            type="heatmap",
            z=px,
            x=xs,
            y=ys,
            xaxis="x",
            yaxis="y",
            coloraxis="coloraxis",
            texttemplate=text,
            hovertemplate=words["hover_token_dim"] + ": %{z:.4f}<extra>X</extra>",
            xgap=1 if numbers else 0,
            ygap=1 if numbers else 0,
        ),
        o_row,
    ]
    rows = px.shape[0]
    height = int(min(760, max(360, 170 + 24 * rows)))
    o_share = min(0.16, 60 / height)
    y_axis = yaxis | {"domain": [o_share + 0.08, 1.0]}
    y_axis = y_axis | (
        {"autorange": "reversed"}
        if y_axis.get("range") is None
        else {"range": [y_axis["range"][1], y_axis["range"][0]]}
    )
    layout = _layout(title, height) | dict(
        xaxis=xaxis | {"domain": [0.1, 1.0], "anchor": "y2"},
        # the strip's name is its tick, below it: a title on top would be drawn over the figure's title
        xaxis2=axis(
            domain=[0.0, 0.07],
            tickmode="array",
            tickvals=[0],
            ticktext=[weights_name],
            ticks="",
            anchor="y",
            side="bottom",
            showgrid=False,
            zeroline=False,
        ),
        yaxis=y_axis | {"anchor": "x2"},
        yaxis2=axis(domain=[0.0, o_share], anchor="x"),
        coloraxis=dict(
            colorscale=VALUE_SCALE,
            cmin=-limit,
            cmax=limit,
            colorbar=dict(title=dict(text=words["value"]), thickness=14),
        ),
        coloraxis2=dict(
            colorscale=WEIGHT_SCALE,
            showscale=False,
            **_color_limits(np.zeros(0) if weights is None else weights, weight_range),
        ),
    )
    return dict(data=traces, layout=layout)


WAITING_COLOR = "#e8e8e8"


def _waiting(rows: int, cols: int, *, x: str, y: str, xs, ys, name: str, gap: dict) -> dict:
    """A strip of grey cells marked "?": where a quantity a guided question asks for will show after the answer."""
    return dict(
        type="heatmap",
        z=np.zeros((rows, cols), dtype=np.int8),
        x=xs,
        y=ys,
        xaxis=x,
        yaxis=y,
        colorscale=[[0, WAITING_COLOR], [1, WAITING_COLOR]],
        showscale=False,
        text=[["?"] * cols for _ in range(rows)],
        texttemplate="%{text}",
        hovertemplate=name + ": ?<extra></extra>",
        **gap,
    )


# -------------------------------------------------------------- projection

# where a point's label may go, and the direction that puts it (Plotly's textposition names)
_PLACES = {
    "top center": (0.0, 1.0),
    "bottom center": (0.0, -1.0),
    "middle right": (1.0, 0.0),
    "middle left": (-1.0, 0.0),
    "top right": (0.7, 0.7),
    "top left": (-0.7, 0.7),
    "bottom right": (0.7, -0.7),
    "bottom left": (-0.7, -0.7),
}


def label_places(points: np.ndarray, radii: np.ndarray) -> list[str]:
    """A textposition for each point ``[k, 2]`` whose label lands farthest from the other points and labels.

    ``radii`` ``[k]``: each marker's size in data units (a big marker pushes labels away from it).
    Greedy, biggest marker first: x4's label once sat on x5's large disc and o's on both.
    """
    points = np.asarray(points, dtype=np.float64)
    span = float(np.ptp(points, axis=0).max(initial=0.0)) or 1.0
    gap = 0.06 * span  # how far from its point a label is drawn, roughly
    placed: list[np.ndarray] = []
    places = [""] * len(points)
    for i in np.argsort(-radii, kind="stable"):
        others = np.delete(points, i, axis=0)
        other_radii = np.delete(radii, i)
        best, best_room = "top center", -np.inf
        for name, (dx, dy) in _PLACES.items():
            spot = points[i] + (radii[i] + gap) * np.array([dx, dy])
            room = np.min(np.linalg.norm(others - spot, axis=1) - other_radii, initial=np.inf)
            if placed:
                room = min(room, float(np.min(np.linalg.norm(np.array(placed) - spot, axis=1))))
            if room > best_room + 1e-9:
                best, best_room = name, room
        places[i] = best
        dx, dy = _PLACES[best]
        placed.append(points[i] + (radii[i] + gap) * np.array([dx, dy]))
    return places


def _color_limits(weights: np.ndarray, weight_range: tuple[float, float] | None) -> dict:
    """cmin/cmax of a weight colour scale: the fixed range, or 0 … the largest weight."""
    lo, hi = weight_range or (0.0, max(float(np.max(weights, initial=0.0)), 1e-12))
    return dict(cmin=lo, cmax=hi)


def projection_figure(
    keys_2d: np.ndarray,
    query_2d: np.ndarray,
    output_2d: np.ndarray,
    weights: np.ndarray,
    labels,
    *,
    title: str,
    keys_name: str,
    pc1_title: str,
    pc2_title: str,
    query_name: str = "q",
    output_name: str = "o",
    weight_range: tuple[float, float] | None = WEIGHT_RANGE,
    ring: np.ndarray | None = None,
) -> Spec:
    """Keys, query and output in the keys' first two principal components.

    keys_2d ``[n, 2]``, query_2d ``[2]``, output_2d ``[2]``, weights ``[n]``:
    a key's marker area grows with its weight, its colour is its weight
    (on ``weight_range``; None: 0 … the largest weight).  ``ring`` ``[2]``: where a ring
    (``RING_SIZE`` px) will be drawn, so the labels keep clear of it too.
    """
    w = np.asarray(weights, dtype=np.float64)
    n = w.shape[0]
    limits = _color_limits(w, weight_range)
    size = 7 + 38 * np.sqrt(np.clip(w / limits["cmax"], 0.0, 1.0))  # area ∝ weight, full size at the range's top
    label_text, _ = plot_labels(labels)
    # labels placed clear of their neighbours: marker sizes (px) in data units of a ~500 px wide picture
    extra = [] if ring is None else [np.asarray(ring, dtype=np.float64)]
    points = np.vstack([keys_2d, np.atleast_2d(query_2d), np.atleast_2d(output_2d), *extra])
    span = float(np.ptp(points, axis=0).max(initial=0.0)) or 1.0
    radii = np.concatenate([size, [20.0, 16.0], [RING_SIZE] * len(extra)]) / 2 * span / 400
    places = label_places(points, radii) if n <= 24 else ["top center"] * len(points)
    traces = [
        dict(
            type="scatter",
            x=keys_2d[:, 0],
            y=keys_2d[:, 1],
            mode="markers+text" if n <= 24 else "markers",
            marker=dict(
                size=size,
                color=w,
                colorscale=WEIGHT_SCALE,
                **limits,
                line=dict(width=0.5, color="#333"),
                colorbar=dict(title=dict(text="w"), thickness=14),
            ),
            text=label_text if n <= 24 else None,
            textposition=places[:n],
            customdata=np.stack([w], axis=-1),
            hovertext=label_text,
            hovertemplate="%{hovertext}: w = %{customdata[0]:.4f}<extra></extra>",
            name=keys_name,
        ),
        dict(
            type="scatter",
            x=[query_2d[0]],
            y=[query_2d[1]],
            mode="markers+text",
            text=[query_name],
            textposition=places[n],
            marker=dict(symbol="star", size=20, color=QUERY_COLOR),
            name=query_name,
            hovertemplate="q<extra></extra>",
        ),
        dict(
            type="scatter",
            x=[output_2d[0]],
            y=[output_2d[1]],
            mode="markers+text",
            text=[output_name],
            textposition=places[n + 1],
            marker=dict(symbol="diamond", size=16, color=OUTPUT_COLOR, line=dict(width=1, color="#333")),
            name=output_name,
            hovertemplate="o = Σ wᵢxᵢ<extra></extra>",
        ),
    ]
    layout = _layout(title, 480) | dict(
        xaxis=axis(title=pc1_title, gridcolor="#eeeeee", zerolinecolor="#cccccc"),
        yaxis=axis(title=pc2_title, gridcolor="#eeeeee", zerolinecolor="#cccccc", scaleanchor="x", scaleratio=1),
        legend=dict(orientation="h", y=-0.15),
    )
    return dict(data=traces, layout=layout)


# -------------------------------------------------------------- steering

RING_SIZE = 48  # px: the steering ring around token j
STEER_COLOR = "#CC79A7"  # Okabe–Ito reddish purple: apart from Viridis, the black q and the orange o


def steer_figure(
    keys_2d: np.ndarray,
    query_2d: np.ndarray,
    output_2d: np.ndarray,
    weights: np.ndarray,
    labels,
    *,
    token: int,
    step_end_2d: np.ndarray,
    arrow_end_2d: np.ndarray,
    title: str,
    keys_name: str,
    pc1_title: str,
    pc2_title: str,
    step_name: str,
    guide: bool = False,
    weight_range: tuple[float, float] | None = WEIGHT_RANGE,
) -> Spec:
    """The 2-D picture with the steering direction: an arrow from q to ``arrow_end_2d`` ``[2]``, a hollow
    star where one step lands (``step_end_2d`` ``[2]``) and a ring on token j.

    ``guide``: a dotted line from o to xⱼ (for dot-product scoring the arrow is parallel to xⱼ − o).
    The arrow is a layout annotation, which does not stretch the axes; an invisible point at its tip does.
    """
    fig = projection_figure(
        keys_2d,
        query_2d,
        output_2d,
        weights,
        labels,
        title=title,
        keys_name=keys_name,
        pc1_title=pc1_title,
        pc2_title=pc2_title,
        weight_range=weight_range,
        ring=keys_2d[token],
    )
    label_text, _ = plot_labels(labels)
    if guide:
        fig["data"].append(
            dict(
                type="scatter",
                x=[output_2d[0], keys_2d[token, 0]],
                y=[output_2d[1], keys_2d[token, 1]],
                mode="lines",
                line=dict(color=STEER_COLOR, width=2, dash="dot"),
                name="x<sub>j</sub> − o",
                hoverinfo="skip",
            )
        )
    fig["data"] += [
        dict(
            type="scatter",
            x=[keys_2d[token, 0]],
            y=[keys_2d[token, 1]],
            mode="markers",
            marker=dict(symbol="circle-open", size=RING_SIZE, color=STEER_COLOR, line=dict(width=3)),
            name=f"j = {label_text[token]}",
            hovertemplate=f"j = {label_text[token]}<extra></extra>",
        ),
        dict(
            type="scatter",
            x=[step_end_2d[0]],
            y=[step_end_2d[1]],
            mode="markers",
            marker=dict(symbol="star-open", size=20, color=STEER_COLOR, line=dict(width=2)),
            name=step_name,
            hovertemplate=step_name + "<extra></extra>",
        ),
        dict(  # stretches the axes to the arrow's tip
            type="scatter",
            x=[arrow_end_2d[0]],
            y=[arrow_end_2d[1]],
            mode="markers",
            marker=dict(size=1, opacity=0),
            showlegend=False,
            hoverinfo="skip",
        ),
    ]
    fig["layout"]["annotations"] = [
        dict(
            x=arrow_end_2d[0],
            y=arrow_end_2d[1],
            ax=query_2d[0],
            ay=query_2d[1],
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=2,
            arrowsize=1.1,
            arrowwidth=4,
            arrowcolor=STEER_COLOR,
            text="",
        )
    ]
    return fig
