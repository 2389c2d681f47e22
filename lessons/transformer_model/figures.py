"""Plotly figures for a real Transformer's attention: head view, model-view grid, head statistics.

Plain arrays in, a figure's dict (``ui.figures.Spec``) out, like ``ui.figures``: nothing here runs a
model or computes attention.  Token labels are model tokens (user text), so
they are escaped before Plotly sees them.  Tokens are numbered from 0 in the
arrays and shown from 1 (as are layers and heads).
"""

from __future__ import annotations

import numpy as np

from attention_core.blocks import pool
from ui.figures import OUTPUT_COLOR, WEIGHT_SCALE, Spec, base_layout, escape, heatmap

LINE_COLOR = "#0072B2"  # Okabe–Ito blue: one head, one colour; the opacity carries the weight
LINE_MIN_WEIGHT = 0.01  # thinner lines are not drawn (invisible anyway, and they make the figure heavy)
OPACITY_LEVELS = 20  # lines are grouped into this many opacity steps: ~20 traces, not n² of them
GRID_TILE_MAX = 16  # model view: each head is block-averaged to at most this many tokens a side
DIFF_SCALE = "RdBu"  # diverging, centred on 0 (red and blue stay distinct for colour-blind viewers)


# ------------------------------------------------------------------ head view


def head_view(
    weights: np.ndarray, tokens, selected: int | None, *, title: str, left: str, right: str, hover: str
) -> Spec:
    """Tokens in two columns, one line from token i (left) to token j (right) per weight w[i, j].

    weights ``[n, n]`` (rows sum to 1); ``selected``: a token index whose
    lines alone are drawn, or None for all.  Line opacity = weight (rounded
    to 1/OPACITY_LEVELS); weights below LINE_MIN_WEIGHT are left out.
    Traces: the line groups (name "lines"), then the left tokens ("from")
    and the right tokens ("to"), whose markers carry the token index as
    customdata so a click can select a token.
    Words: ``title``, ``left`` and ``right`` (column headers), ``hover``
    (e.g. "{token} → {top}").
    """
    w = np.asarray(weights, dtype=np.float64)
    n = w.shape[0]
    labels = escape(tokens)
    rows = range(n) if selected is None else [selected]
    levels = np.ceil(w * OPACITY_LEVELS).astype(int)  # 1 … OPACITY_LEVELS
    groups: dict[int, tuple[list, list]] = {}
    for i in rows:
        for j in np.flatnonzero(w[i] >= LINE_MIN_WEIGHT):
            xs, ys = groups.setdefault(int(levels[i, j]), ([], []))
            xs.extend((0.0, 1.0, None))
            ys.extend((i, int(j), None))
    traces = [
        dict(
            type="scatter",
            x=xs,
            y=ys,
            mode="lines",
            line=dict(color=LINE_COLOR, width=2.5 if selected is not None else 2),
            opacity=level / OPACITY_LEVELS,
            hoverinfo="skip",
            showlegend=False,
            name="lines",
        )
        for level, (xs, ys) in sorted(groups.items())
    ]
    font_size = int(np.clip(900 / max(n, 1), 12, 15))  # 12 px at least: read on a projector
    step = font_size + 10  # pixels per token row
    top = np.argsort(-w, axis=1)[:, :3]
    hover_from = [
        hover.format(token=labels[i], top=", ".join(f"{labels[j]} {w[i, j]:.2f}" for j in top[i])) for i in range(n)
    ]
    received = w[rows].sum(axis=0) / len(rows)  # what each right-hand token receives from the drawn rows
    is_selected = np.zeros(n, dtype=bool)
    if selected is not None:
        is_selected[selected] = True
    traces += [
        dict(
            type="scatter",
            x=np.zeros(n),
            y=np.arange(n),
            mode="markers+text",
            text=labels,
            textposition="middle left",
            textfont=dict(size=font_size, color=np.where(is_selected, OUTPUT_COLOR, "#222222").tolist()),
            marker=dict(
                size=np.where(is_selected, 14, 9).tolist(),
                color=np.where(is_selected, OUTPUT_COLOR, "#888888").tolist(),
                line=dict(width=0),
            ),
            customdata=list(range(n)),
            hovertext=hover_from,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            name="from",
        ),
        dict(
            type="scatter",
            x=np.ones(n),
            y=np.arange(n),
            mode="markers+text",
            text=labels,
            textposition="middle right",
            textfont=dict(size=font_size, color="#222222"),
            marker=dict(
                size=9,
                color=received,
                colorscale=WEIGHT_SCALE,
                cmin=0,
                cmax=max(float(received.max()), 1e-12),
                line=dict(width=0.5, color="#555555"),
            ),
            customdata=list(range(n)),
            hovertext=labels,
            hovertemplate="%{hovertext}: %{marker.color:.3f}<extra></extra>",
            showlegend=False,
            name="to",
        ),
    ]
    layout = base_layout(title, int(110 + step * n), margin=dict(l=20, r=20, t=80, b=20)) | dict(
        xaxis=dict(range=[-0.75, 1.75], visible=False, fixedrange=True),
        yaxis=dict(range=[n - 0.5, -0.7], visible=False, fixedrange=True),
        hovermode="closest",
        clickmode="event+select",
        dragmode=False,
        annotations=[
            dict(
                x=0,
                y=-0.7,
                text=f"<b>{left}</b>",
                showarrow=False,
                xanchor="right",
                yanchor="bottom",
                yref="y",
            ),
            dict(
                x=1,
                y=-0.7,
                text=f"<b>{right}</b>",
                showarrow=False,
                xanchor="left",
                yanchor="bottom",
                yref="y",
            ),
        ],
    )
    return dict(data=traces, layout=layout)


# ----------------------------------------------------------------- model view


def tile_grid(attentions: np.ndarray, tile_max: int = GRID_TILE_MAX) -> tuple[np.ndarray, np.ndarray, int]:
    """All heads as one tiled matrix, each head scaled by its own largest (block-averaged) weight.

    attentions ``[L, H, n, n]`` → (z ``[L·(k+1) − 1, H·(k+1) − 1]`` with NaN
    gaps between tiles, raw ``[L, H, k, k]`` the block-averaged weights, k).
    Row block l, column block h is head (l, h).
    """
    a = np.asarray(attentions, dtype=np.float64)
    layers, heads, n, _ = a.shape
    k = min(n, tile_max)
    raw = np.empty((layers, heads, k, k))
    for l in range(layers):
        for h in range(heads):
            raw[l, h] = pool(a[l, h], k, k)[0]
    scaled = raw / np.maximum(raw.max(axis=(-1, -2), keepdims=True), 1e-12)
    # float32: the colours need no more, and the figure's largest array is sent at half the size
    z = np.full((layers * (k + 1) - 1, heads * (k + 1) - 1), np.nan, dtype=np.float32)
    for l in range(layers):
        for h in range(heads):
            z[l * (k + 1) : l * (k + 1) + k, h * (k + 1) : h * (k + 1) + k] = scaled[l, h]
    return z, raw, k


def model_view(
    attentions: np.ndarray,
    selected: tuple[int, int],
    *,
    title: str,
    layer: str,
    head: str,
    hover: str,
    colorbar: str,
) -> Spec:
    """The layers × heads grid of small attention maps, one figure, clickable per head.

    Trace 0: the tiled heatmap (see ``tile_grid``); trace 1: one invisible
    marker per head at its tile's centre with customdata [layer, head]
    (0-based), because Plotly heatmaps do not report clicks to Streamlit.
    The selected head is outlined.  Words: ``title``, ``layer`` and ``head``
    (axis titles), ``hover`` (with {layer}, {head}, {max}), ``colorbar``.
    """
    z, raw, k = tile_grid(attentions)
    layers, heads = raw.shape[:2]
    centre = (k - 1) / 2
    lh = np.array([(l, h) for l in range(layers) for h in range(heads)])
    hover_texts = [hover.format(layer=l + 1, head=h + 1, max=raw[l, h].max()) for l, h in lh]
    traces = [
        dict(
            type="heatmap",
            z=z,
            colorscale=WEIGHT_SCALE,
            zmin=0,
            zmax=1,
            hoverinfo="skip",
            xgap=0,
            ygap=0,
            colorbar=dict(title=dict(text=colorbar), thickness=14),
        ),
        dict(
            type="scatter",
            x=lh[:, 1] * (k + 1) + centre,
            y=lh[:, 0] * (k + 1) + centre,
            mode="markers",
            marker=dict(size=max(8, int(700 / heads) - 14), symbol="square", color="rgba(0,0,0,0)", line=dict(width=0)),
            # plain lists: Streamlit hands them back as lists
            customdata=lh.tolist(),
            hovertext=hover_texts,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            name="heads",
            selected=dict(marker=dict(opacity=1)),
            unselected=dict(marker=dict(opacity=1)),
        ),
    ]
    l, h = selected
    outline = dict(
        type="rect",
        x0=h * (k + 1) - 0.9,
        x1=h * (k + 1) + k - 0.1,
        y0=l * (k + 1) - 0.9,
        y1=l * (k + 1) + k - 0.1,
        line=dict(color=OUTPUT_COLOR, width=3),
    )
    layout = base_layout(title, int(150 + 640 * layers / heads * 1.1), margin=dict(l=70, r=20, t=60, b=50)) | dict(
        xaxis=dict(
            title=dict(text=head),
            tickmode="array",
            tickvals=[h * (k + 1) + centre for h in range(heads)],
            ticktext=[str(h + 1) for h in range(heads)],
            showgrid=False,
            zeroline=False,
            fixedrange=True,
            range=[-1, heads * (k + 1) - 1],
        ),
        yaxis=dict(
            title=dict(text=layer),
            tickmode="array",
            tickvals=[l * (k + 1) + centre for l in range(layers)],
            ticktext=[str(l + 1) for l in range(layers)],
            showgrid=False,
            zeroline=False,
            fixedrange=True,
            range=[layers * (k + 1) - 1, -1],
            scaleanchor="x",
            scaleratio=1,
        ),
        clickmode="event+select",
        dragmode=False,
        shapes=[outline],
    )
    return dict(data=traces, layout=layout)


# ----------------------------------------------------------- per-head numbers


def head_grid(
    values: np.ndarray,
    selected: tuple[int, int],
    *,
    title: str,
    layer: str,
    head: str,
    colorbar: str,
    hover: str = "layer %{y}, head %{x}",
    zmin: float = 0.0,
    zmax: float | None = None,
) -> Spec:
    """One number per head, ``values [L, H]``, as a layers × heads heatmap; the selected head outlined.

    Words: ``title``, ``layer`` and ``head`` (axis titles), ``colorbar``, ``hover`` (a cell's words, with
    Plotly's %{y} for the layer and %{x} for the head, e.g. "layer %{y}, head %{x}").
    """
    layers, heads = values.shape
    fig = heatmap(
        values,
        [str(l + 1) for l in range(layers)],
        [str(h + 1) for h in range(heads)],
        title,
        x_title=head,
        y_title=layer,
        zmin=zmin,
        zmax=zmax,
        colorbar_title=colorbar,
        height=120 + 42 * layers,
    )
    l, h = selected
    outline = dict(type="rect", x0=h + 0.5, x1=h + 1.5, y0=l + 0.5, y1=l + 1.5, line=dict(color=OUTPUT_COLOR, width=3))
    fig["layout"]["shapes"] = [outline]
    # the shared heatmap's hover says "row, col": here the rows are layers and the columns heads
    fig["data"][0].update(
        texttemplate="%{z:.2f}", textfont=dict(size=12), hovertemplate=hover + ": %{z:.2f}<extra></extra>"
    )
    return fig


def difference_heatmap(diff: np.ndarray, tokens, title: str, x_title: str, y_title: str, hover: str) -> Spec:
    """``diff [n, n]`` on a diverging scale centred on 0, numbers left out (they would all read 0.00).

    ``hover``: the words for a cell, with {i} (query) and {j} (key), e.g. "query {i} → key {j}".
    """
    limit = max(float(np.abs(diff).max()), 1e-12)
    fig = heatmap(
        diff,
        tokens,
        tokens,
        title,
        x_title=x_title,
        y_title=y_title,
        colorscale=DIFF_SCALE,
        zmin=-limit,
        zmax=limit,
        colorbar_title="Δ",
    )
    fig["data"][0].update(
        texttemplate="",
        hovertemplate=hover.format(i="%{y}", j="%{x}") + ": %{z:.2e}<extra></extra>",
        colorbar=dict(tickformat=".0e", title=dict(text="Δ"), thickness=14),  # "1e-07", not plotly's "100n"
    )
    return fig
