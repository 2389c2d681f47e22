"""Figures and written-out arithmetic of the Self-attention page; no attention is computed here.

The attention matrix is clickable: Plotly heatmaps send no selection events
to Streamlit, so an invisible square scatter marker sits on every cell (or,
for large n, on a coarse grid of cells) and ``hoverdistance=-1`` makes a
click anywhere in a cell pick that cell's marker.  Up to ``CLICK_MAX``
tokens a side the colours are a heatmap (numbers printed up to
``NUMBERS_MAX``); above that, the block-averaged matrix is sent as one
small PNG, so even n = 2048 costs tens of kilobytes.
"""

from __future__ import annotations

import base64
import io
import math
from functools import lru_cache

import numpy as np
import plotly.colors
from PIL import Image

from attention_core.blocks import pool
from ui import arithmetic
from ui.figures import MASKED_COLOR, OUTPUT_COLOR, WEIGHT_SCALE, Spec, base_layout, escape, token_axis

CLICK_MAX = 64  # every cell is its own click target up to this many tokens a side
NUMBERS_MAX = 16  # numbers printed in the cells up to this many tokens a side
# Above CLICK_MAX every change resends both matrices (the head's colours, the picked cell's cross-hair),
# so an image's bytes are what a class pays per click.  At n = 256: 32 × 32 targets are ~11 kB a matrix
# (64 × 64 were ~44 kB), i.e. one target per 8 tokens (a token is under 2 px there; the pickers below
# choose any token exactly); 64 colours make the noisiest (scores) image ~20 % smaller than 255 and are
# still finer than the eye can tell apart on the colour bar.
GRID_MAX = 32  # click targets a side when the matrix is an image
IMAGE_LEVELS = 64  # colours of the colour scale in an image
SMALL_SIDE = 96  # pixels a side of one head in the small multiples
HOVER_LABELS_MAX = 1024  # token labels in the hover text up to this many cells (exact heatmaps only: an
# image's targets stand for blocks, and 1024 labels would be ~20 kB more per change)
SELECTED_COLOR = OUTPUT_COLOR  # Okabe–Ito orange: visible on Viridis and Cividis


def _layout(title: str, height: int, **extra) -> dict:
    """``base_layout`` with no padding around the plot area (Streamlit's theme pads it by 8 px)."""
    return base_layout(title, height, margin=dict(l=60, r=20, t=50, b=50, pad=0)) | extra


# ------------------------------------------------------------------ images


@lru_cache(maxsize=8)
def _palette(colorscale: str) -> tuple[int, ...]:
    """``IMAGE_LEVELS`` colours of ``colorscale``, then the masked grey, flat RGB for PIL (immutable, so cached)."""
    colors = plotly.colors.sample_colorscale(colorscale, list(np.linspace(0, 1, IMAGE_LEVELS)), colortype="tuple")
    flat = [int(round(255 * c)) for rgb in colors for c in rgb]
    grey = plotly.colors.hex_to_rgb(MASKED_COLOR)
    return tuple(flat + list(grey))


def matrix_png(z: np.ndarray, zmin: float, zmax: float, colorscale: str, masked: np.ndarray | None = None) -> str:
    """``z`` ``[r, c]`` as a palette PNG data URI, one pixel a cell; NaN or ``masked`` cells grey."""
    z = np.asarray(z, dtype=np.float64)
    span = max(zmax - zmin, 1e-12)
    top = IMAGE_LEVELS - 1
    index = np.clip(np.round((np.nan_to_num(z, nan=zmin) - zmin) / span * top), 0, top).astype(np.uint8)
    grey = ~np.isfinite(z) if masked is None else (np.asarray(masked, dtype=bool) | ~np.isfinite(z))
    index[grey] = IMAGE_LEVELS
    image = Image.fromarray(index, mode="P")
    image.putpalette(_palette(colorscale))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=3)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _colorbar_trace(colorscale: str, zmin: float, zmax: float, title: str, **extra) -> dict:
    """An empty trace that only draws a colour bar (images carry no colour bar of their own)."""
    return dict(
        type="scatter",
        x=[None],
        y=[None],
        mode="markers",
        hoverinfo="skip",
        showlegend=False,
        marker=dict(
            colorscale=colorscale,
            cmin=zmin,
            cmax=zmax,
            color=[zmin],
            showscale=True,
            colorbar=dict(title=dict(text=title), thickness=14, **extra),
        ),
    )


# --------------------------------------------------------- attention matrix


def cell_format(values: np.ndarray) -> str:
    """Plotly's text template for numbers in cells: 2 decimals, or 3 significant digits when they get wide."""
    top = float(np.max(np.abs(values), initial=0.0))
    return "%{z:.2f}" if top < 1e3 else "%{z:.3g}"


def _matrix_axes(n: int, labels, title: str, reverse: bool) -> dict:
    axis = token_axis(labels, title) if n <= CLICK_MAX else dict(title=dict(text=title), showgrid=False, zeroline=False)
    axis["range"] = [n + 0.5, 0.5] if reverse else [0.5, n + 0.5]
    return axis


def _targets(
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    row_labels,
    col_labels,
    value_name: str,
    pair: str,
    labelled: bool,
) -> dict:
    """Invisible click targets at token (rows[a], cols[b]): x = j + 1, y = i + 1 (1-based), customdata = the value.

    A click names its cell by x and y; the value is there for the hover only.
    Small typed arrays (int16 positions, float32 values): 4096 targets are
    ~45 kB a matrix, not the ~180 kB of float64 (i, j, value) triples, and
    they are resent with every change of the picked cell.
    ``pair``: the hover words for a cell without labels, with {i} and {j} (e.g. "query {i} → key {j}");
    ``labelled``: the hover names the two tokens (when there are at most ``HOVER_LABELS_MAX`` targets).
    """
    ii, jj = np.meshgrid(rows, cols, indexing="ij")
    if labelled and ii.size <= HOVER_LABELS_MAX:
        rl, cl = escape(row_labels), escape(col_labels)
        text = [f"{rl[a]} → {cl[b]}" for a, b in zip(ii.ravel(), jj.ravel())]
        template = "%{text}<br>" + value_name + " = %{customdata:.4f}<extra></extra>"
    else:
        text = None
        template = pair.format(i="%{y}", j="%{x}") + "<br>" + value_name + " ≈ %{customdata:.4f}<extra></extra>"
    invisible = dict(marker=dict(opacity=0))
    position = np.int16 if max(len(row_labels), len(col_labels)) < 2**15 else np.int32
    return dict(
        type="scatter",
        x=(jj.ravel() + 1).astype(position),
        y=(ii.ravel() + 1).astype(position),
        mode="markers",
        customdata=np.asarray(values, dtype=np.float32).ravel(),
        text=text,
        hovertemplate=template,
        marker=dict(symbol="square", size=6, opacity=0, color="#000"),
        selected=invisible,
        unselected=invisible,
        showlegend=False,
        name="cells",
    )


def _selection_shapes(selected, n_q: int, n_k: int) -> list[dict]:
    if selected is None:
        return []
    i, j = selected
    line = dict(color=SELECTED_COLOR, width=3)
    if max(n_q, n_k) <= CLICK_MAX:
        return [
            dict(
                type="rect",
                x0=0.5,
                x1=n_k + 0.5,
                y0=i + 0.5,
                y1=i + 1.5,
                line=dict(color=SELECTED_COLOR, width=1.5, dash="dot"),
            ),
            dict(type="rect", x0=j + 0.5, x1=j + 1.5, y0=i + 0.5, y1=i + 1.5, line=line),
        ]
    # one token is a fraction of a pixel: a cross-hair through query i and key j
    thin = dict(color=SELECTED_COLOR, width=1.5)
    return [
        dict(type="line", x0=0.5, x1=n_k + 0.5, y0=i + 1, y1=i + 1, line=thin, opacity=0.8),
        dict(type="line", x0=j + 1, x1=j + 1, y0=0.5, y1=n_q + 0.5, line=thin, opacity=0.8),
    ]


def matrix_words(t) -> dict[str, str]:
    """The words every attention matrix shares, from the catalog ``t``: keyword arguments of ``attention_matrix``."""
    return dict(
        x_title=t("sa.axis.key"),
        y_title=t("sa.axis.query"),
        pooled_note=t("sa.pooled"),
        capped_note=t("sa.capped"),
        pair_hover=t("sa.hover_pair"),
    )


def attention_matrix(
    z: np.ndarray,
    allowed: np.ndarray,
    row_starts: np.ndarray,
    col_starts: np.ndarray,
    row_labels,
    col_labels,
    *,
    title: str,
    x_title: str,
    y_title: str,
    colorbar_title: str,
    pooled_note: str,
    capped_note: str,
    pair_hover: str,
    colorscale: str = WEIGHT_SCALE,
    zmin: float | None = None,
    zmax: float | None = None,
    masked_text: str = "0",
    value_name: str = "w",
    selected: tuple[int, int] | None = None,
    height: int = 520,
) -> Spec:
    """A query × key matrix (weights or scores) whose cells can be clicked.

    z ``[r, c]``: the matrix, exact when r = n_q and c = n_k, else block
    averages with ``row_starts``/``col_starts`` the first token of each block;
    allowed ``[r, c]``: the fraction of each block that may attend (0 → grey,
    "masked").  Weights are probabilities: pass zmin=0, zmax=1 for a fixed scale.  Exact matrices up to ``CLICK_MAX`` a side: trace 0 is the
    heatmap of z, trace 1 greys the masked cells, trace 2 the click targets.
    Larger: trace 0 is a PNG image, then a colour-bar trace and the targets.
    Click targets sit at (j + 1, i + 1), 1-based token positions, with the value as customdata.
    Images cap their colour scale at the 1st/99th percentiles (unless zmin /
    zmax are given) and say so.  Words: ``title``, ``x_title`` (key axis),
    ``y_title`` (query axis), ``colorbar_title``, ``pooled_note`` (with {r},
    {c}), ``capped_note``, ``pair_hover`` (with {i}, {j}).
    """
    z = np.asarray(z, dtype=np.float64)
    allowed = np.asarray(allowed, dtype=np.float64)
    n_q, n_k = len(row_labels), len(col_labels)
    r, c = z.shape
    finite = z[np.isfinite(z) & (allowed > 0)]
    image = not ((r, c) == (n_q, n_k) and max(n_q, n_k) <= CLICK_MAX)
    capped = False
    if image and finite.size:
        # thousands of cells: a few hot ones (the diagonal of a causal mask) would leave the rest dark
        lo, hi = np.percentile(finite, [1, 99])
        capped = zmax is None and hi < finite.max()
        zmin = float(lo) if zmin is None else zmin
        zmax = float(hi) if zmax is None else zmax
    zmin = (float(finite.min()) if finite.size else 0.0) if zmin is None else zmin
    zmax = (float(finite.max()) if finite.size else 1.0) if zmax is None else zmax
    zmax = max(zmax, zmin + 1e-12)
    masked = allowed <= 0
    exact = (r, c) == (n_q, n_k)
    layout = _layout(title, height, hovermode="closest", hoverdistance=-1, dragmode=False)
    notes = ([pooled_note.format(r=r, c=c)] if not exact else []) + ([capped_note] if capped else [])
    lines = title.count("<br>") + bool(notes)
    if notes:  # on a line of their own: the figure is half a page wide
        layout["title"]["text"] += f"<br><span style='font-size:12px;color:#666'>{'; '.join(notes)}</span>"
    layout["margin"] = layout["margin"] | {"t": 50 + 20 * lines}
    if not image:
        numbers = max(n_q, n_k) <= NUMBERS_MAX
        size = 13 if max(n_q, n_k) <= 8 else 12
        x, y = np.arange(1, n_k + 1), np.arange(1, n_q + 1)
        traces = [
            dict(
                type="heatmap",
                z=np.where(masked, np.nan_to_num(z), z),
                x=x,
                y=y,
                colorscale=colorscale,
                zmin=zmin,
                zmax=zmax,
                colorbar=dict(title=dict(text=colorbar_title), thickness=14),
                texttemplate=cell_format(finite) if numbers else None,
                textfont=dict(size=size),
                hoverinfo="skip",
                xgap=1 if numbers else 0,
                ygap=1 if numbers else 0,
                name="matrix",
            ),
            dict(
                type="heatmap",
                z=np.where(masked, 0.0, np.nan),
                x=x,
                y=y,
                colorscale=[[0, MASKED_COLOR], [1, MASKED_COLOR]],
                showscale=False,
                text=np.where(masked, masked_text, ""),
                texttemplate="%{text}" if numbers else None,
                textfont=dict(size=size, color="#333"),
                hoverinfo="skip",
                xgap=1 if numbers else 0,
                ygap=1 if numbers else 0,
                name="masked",
            ),
            _targets(
                np.arange(n_q),
                np.arange(n_k),
                np.where(masked, np.nan, z) if value_name != "w" else z,
                row_labels,
                col_labels,
                value_name,
                pair_hover,
                labelled=True,
            ),
        ]
    else:
        dy, dx = n_q / r, n_k / c
        traces = [
            dict(
                type="image",
                source=matrix_png(z, zmin, zmax, colorscale, masked),
                x0=0.5 + dx / 2,
                dx=dx,
                y0=0.5 + dy / 2,
                dy=dy,
                hoverinfo="skip",
                name="matrix",
            ),
            _colorbar_trace(colorscale, zmin, zmax, colorbar_title),
        ]
        pr = np.unique(np.linspace(0, r - 1, min(r, GRID_MAX)).round().astype(int))
        pc = np.unique(np.linspace(0, c - 1, min(c, GRID_MAX)).round().astype(int))
        row_sizes = np.diff(np.append(row_starts, n_q))
        col_sizes = np.diff(np.append(col_starts, n_k))
        rows = row_starts[pr] + (row_sizes[pr] - 1) // 2  # the token in the middle of each block
        cols = col_starts[pc] + (col_sizes[pc] - 1) // 2
        targets = _targets(
            rows, cols, z[np.ix_(pr, pc)], row_labels, col_labels, value_name, pair_hover, labelled=False
        )
        traces.append(targets)
    layout |= dict(
        xaxis=_matrix_axes(n_k, col_labels, x_title, reverse=False) | {"constrain": "domain"},
        # a square matrix narrower than the figure sits under its title, not in the middle of empty space
        yaxis=_matrix_axes(n_q, row_labels, y_title, reverse=True)
        | {"scaleanchor": "x", "constrain": "domain", "constraintoward": "top"},
        shapes=_selection_shapes(selected, n_q, n_k),
    )
    return dict(data=traces, layout=layout)


# ----------------------------------------------------------- small multiples


def small_multiples(
    weights: np.ndarray,
    allowed: np.ndarray,
    row_sizes: np.ndarray,
    col_sizes: np.ndarray,
    titles: list[str],
    *,
    title: str,
    x_title: str,
    y_title: str,
    colorbar_title: str,
    pair_hover: str,
    selected_head: int = 0,
    zmax: float | None = None,
) -> Spec:
    """Every head's weights side by side, on one colour scale: a grid of at most 4 columns.

    weights ``[h, r, c]`` (block averages when r, c < n), allowed ``[r, c]``
    fraction; ``row_sizes``/``col_sizes``: tokens per block.  Exact and small:
    one heatmap trace per head (masked cells left empty, on a grey
    background).  Otherwise one small PNG per head.  ``titles``: one per
    head; words: ``title``, ``colorbar_title``, ``x_title``, ``y_title``,
    ``pair_hover`` (with {i}, {j}).
    ``zmax``: top of the colour scale (1 for the fixed probability scale);
    None zooms to the largest weight (images: the 99th percentile).
    """
    h, r, c = weights.shape
    n_q, n_k = int(np.sum(row_sizes)), int(np.sum(col_sizes))
    cols = min(h, 4)
    rows = math.ceil(h / cols)
    image = max(r, c) > CLICK_MAX
    if zmax is None:
        finite = weights[:, np.asarray(allowed) > 0]
        finite = finite[np.isfinite(finite)]
        # as in attention_matrix: images are capped at the 99th percentile, so a few hot cells do not darken the rest
        zmax = float(np.percentile(finite, 99)) if image and finite.size else float(np.nanmax(weights, initial=0.0))
    zmax = max(zmax, 1e-12)
    gap_x, gap_y = 0.04, 0.10 / rows
    cell_h = 250
    height = 90 + rows * cell_h
    traces, annotations, shapes, axes = [], [], [], {}
    if image:
        small_allowed, _, _ = pool(
            np.asarray(allowed, dtype=np.float64), SMALL_SIDE, SMALL_SIDE, row_sizes=row_sizes, col_sizes=col_sizes
        )
    for head in range(h):
        row, col = divmod(head, cols)
        name = "" if head == 0 else str(head + 1)
        x0 = col / cols + gap_x / 2
        x1 = (col + 1) / cols - gap_x / 2
        y1 = 1 - row / rows - gap_y
        y0 = 1 - (row + 1) / rows + gap_y / 2
        axes[f"xaxis{name}"] = dict(
            domain=[x0, x1],
            range=[0.5, n_k + 0.5],
            showticklabels=False,
            showgrid=False,
            zeroline=False,
            constrain="domain",
            anchor=f"y{name}",
            title=dict(text=x_title if row == rows - 1 else "", standoff=4),
        )
        axes[f"yaxis{name}"] = dict(
            domain=[y0, y1],
            range=[n_q + 0.5, 0.5],
            showticklabels=False,
            showgrid=False,
            zeroline=False,
            scaleanchor=f"x{name}",
            constrain="domain",
            anchor=f"x{name}",
            title=dict(text=y_title if col == 0 else "", standoff=4),
        )
        z = weights[head]
        if image:
            small, _, _ = pool(z, SMALL_SIDE, SMALL_SIDE, row_sizes=row_sizes, col_sizes=col_sizes)
            dy, dx = n_q / small.shape[0], n_k / small.shape[1]
            traces.append(
                dict(
                    type="image",
                    source=matrix_png(small, 0.0, zmax, WEIGHT_SCALE, small_allowed <= 0),
                    x0=0.5 + dx / 2,
                    dx=dx,
                    y0=0.5 + dy / 2,
                    dy=dy,
                    xaxis=f"x{name}",
                    yaxis=f"y{name}",
                    hoverinfo="skip",
                    name=titles[head],
                )
            )
        else:
            traces.append(
                dict(
                    type="heatmap",
                    z=np.where(allowed > 0, z, np.nan),
                    x=np.arange(1, n_k + 1),
                    y=np.arange(1, n_q + 1),
                    xaxis=f"x{name}",
                    yaxis=f"y{name}",
                    coloraxis="coloraxis",
                    name=titles[head],
                    hovertemplate=pair_hover.format(i="%{y}", j="%{x}")
                    + ": w = %{z:.3f}<extra>"
                    + titles[head]
                    + "</extra>",
                )
            )
        chosen = head == selected_head
        annotations.append(
            dict(
                text=f"<b>{titles[head]}</b>" if chosen else titles[head],
                x=(x0 + x1) / 2,
                y=y1,
                xref="paper",
                yref="paper",
                xanchor="center",
                yanchor="bottom",
                yshift=6,
                showarrow=False,
                font=dict(size=14),
            )
        )
        if chosen:
            shapes.append(
                dict(
                    type="rect",
                    xref=f"x{name} domain",
                    yref=f"y{name} domain",
                    x0=-0.02,
                    x1=1.02,
                    y0=-0.02,
                    y1=1.02,
                    line=dict(color=SELECTED_COLOR, width=3),
                )
            )
    if image:
        traces.append(_colorbar_trace(WEIGHT_SCALE, 0.0, zmax, colorbar_title))
    layout = _layout(title, height, plot_bgcolor=MASKED_COLOR) | dict(
        coloraxis=dict(
            colorscale=WEIGHT_SCALE,
            cmin=0.0,
            cmax=zmax,
            colorbar=dict(title=dict(text=colorbar_title), thickness=14),
        ),
        annotations=annotations,
        shapes=shapes,
        **axes,
    )
    return dict(data=traces, layout=layout)


# -------------------------------------------------------------- head bars


def head_entropy_chart(
    entropy_bits: np.ndarray,
    labels,
    max_bits: float,
    *,
    title: str,
    x_title: str,
    y_title: str,
    max_label: str,
    unit: str,
    selected_head: int = 0,
) -> Spec:
    """Mean entropy of each head's rows ``[h]`` (bits), with the uniform maximum as a dashed line.

    Words: ``title``, ``x_title``, ``y_title``, ``max_label`` (the dashed
    line's label), ``unit`` (e.g. "bits").
    """
    h = len(entropy_bits)
    colors = [SELECTED_COLOR if k == selected_head else "#5b6c8f" for k in range(h)]
    bars = dict(
        type="bar",
        x=np.arange(1, h + 1),
        y=entropy_bits,
        marker=dict(color=colors),
        customdata=escape(labels),
        hovertemplate="%{customdata}: %{y:.3f} " + unit + "<extra></extra>",
        texttemplate="%{y:.2f}",
        textposition="inside",
        insidetextanchor="end",
        textfont=dict(color="white"),
        name=y_title,
    )
    top = max(max_bits, float(np.max(entropy_bits, initial=0))) * 1.18 + 1e-9
    layout = _layout(title, 340, showlegend=False, bargap=0.25) | dict(
        xaxis=dict(tickmode="array", tickvals=list(range(1, h + 1)), ticktext=escape(labels), title=dict(text=x_title)),
        yaxis=dict(title=dict(text=y_title), gridcolor="#eeeeee", range=[0, top]),
        shapes=[
            dict(
                type="line",
                xref="paper",
                x0=0,
                x1=1,
                y0=max_bits,
                y1=max_bits,
                line=dict(color="#666", dash="dash", width=1.5),
            )
        ],
        annotations=[
            dict(
                xref="paper",
                x=1,
                xanchor="right",
                y=max_bits,
                yanchor="bottom",
                text=max_label,
                showarrow=False,
                font=dict(size=12, color="#555"),
            )
        ],
    )
    return dict(data=[bars], layout=layout)


def head_boundaries(fig: Spec, num_heads: int, d_head: int, names: list[str]) -> Spec:
    """Mark the heads' column blocks on a ``[n, d_model]`` heatmap (unpooled columns): dashed lines and names on top."""
    fig["layout"]["shapes"] = [
        dict(
            type="line",
            x0=k * d_head + 0.5,
            x1=k * d_head + 0.5,
            y0=0,
            y1=1,
            yref="paper",
            line=dict(color=SELECTED_COLOR, width=2, dash="dash"),
        )
        for k in range(1, num_heads)
    ]
    fig["layout"]["annotations"] = [
        dict(
            x=k * d_head + (d_head + 1) / 2,
            y=1,
            yref="paper",
            yanchor="bottom",
            text=names[k],
            showarrow=False,
            font=dict(size=12, color="#555"),
        )
        for k in range(num_heads)
    ]
    return fig


# ------------------------------------------------------------- arithmetic


TERMS_WRITTEN = 8  # a dot product is written out in full up to this many dimensions (then its first 4 and ⋯)
APPROX = "\\approx"
FACTOR_DECIMALS = (2, 3, 4)  # the fewest decimals whose products add up, on screen, to the dot product shown


def _fixed(x: float, decimals: int) -> str:
    """``x`` with ``decimals`` decimals, never −0.000."""
    text = f"{x:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _factor(x: float, decimals: int) -> str:
    return f"({_fixed(x, decimals)})" if round(x, decimals) < 0 else _fixed(x, decimals)


def _signed_terms(values, decimals: int) -> str:
    """a + b − c …: printed numbers joined with their signs."""
    out = []
    for k, x in enumerate(values):
        text = _fixed(abs(x), decimals)
        sign = "-" if x < 0 and float(text) != 0 else "+"
        out.append((f"-{text}" if sign == "-" else text) if k == 0 else f"{sign} {text}")
    return " ".join(out)


def result_decimals(f: int) -> int:
    """Products, sums and scores are printed with at least 3 decimals (the weights line reads the score from them)."""
    return max(f, 3)


def dot_decimals(q: np.ndarray, k: np.ndarray, dot: float) -> tuple[int, str]:
    """How many decimals the factors need for the written-out dot product to add up, and "=" (or "≈" if none do).

    With f decimals for the factors, each product is written as the product
    of the factors as printed (rounded to ``result_decimals(f)``), and the
    products' printed sum must be the dot product as printed: with 2
    decimals, (−0.04)(−0.27) + … can miss by far more than the last digit
    when the terms cancel.
    """
    for f in FACTOR_DECIMALS:
        p = result_decimals(f)
        products = np.round(np.round(q, f) * np.round(k, f), p)
        if round(float(products.sum()) * 10**p) == round(dot * 10**p):
            return f, "="
    return FACTOR_DECIMALS[-1], APPROX


def score_lines(a: int, b: int, q_i: np.ndarray, k_j: np.ndarray, s: float, key_symbol: str) -> tuple[str, int]:
    """s_ab = q·k / √d_head written out, every printed step adding up from the numbers printed before it.

    Returns one ``aligned`` block (the two vectors, the products, their sum,
    the division) and the decimals the score is printed with.
    """
    d_head = q_i.shape[0]
    root = math.sqrt(d_head)
    dot = s * root  # the core's score times √d_head: q·k as the core computed it
    f, rel = dot_decimals(q_i, k_j, dot) if d_head <= TERMS_WRITTEN else (3, "=")
    shown = d_head if d_head <= TERMS_WRITTEN else 4
    more = " + \\cdots" if shown < d_head else ""
    vec = lambda v: "[" + ", ".join(_fixed(x, f) for x in v[:shown]) + (", \\ldots" if more else "") + "]"  # noqa: E731
    p = result_decimals(f)
    pairs = [f"{_factor(x, f)}\\cdot{_factor(y, f)}" for x, y in zip(q_i[:shown], k_j[:shown])]
    products = np.round(np.round(q_i[:shown], f) * np.round(k_j[:shown], f), p)
    half = (len(pairs) + 1) // 2 if len(pairs) > 4 else len(pairs)  # 5–8 products: two lines, so the row fits
    rows = [
        f"q_{{{a}}} &= x_{{{a}}} W_Q = {vec(q_i)}",
        f"k_{{{b}}} &= {key_symbol}_{{{b}}} W_K = {vec(k_j)}",
        f"q_{{{a}}}^\\top k_{{{b}}} &= {' + '.join(pairs[:half])}" + ("" if half < len(pairs) else more),
    ]
    if half < len(pairs):
        rows.append(f"&\\quad + {' + '.join(pairs[half:])}{more}")
    rows.append(f"&= {_signed_terms(products, p)}{more} {rel if not more else '='} {_fixed(dot, p)}")
    root_text = str(int(root)) if root.is_integer() else _fixed(root, 4)
    quotient = "=" if round(float(_fixed(dot, p)) / float(root_text), p) == round(s, p) else APPROX
    rows.append(
        f"s_{{{a},{b}}} &= \\frac{{q_{{{a}}}^\\top k_{{{b}}}}}{{\\sqrt{{d_{{head}}}}}} = "
        f"\\frac{{{_fixed(dot, p)}}}{{\\sqrt{{{d_head}}}}} = \\frac{{{_fixed(dot, p)}}}{{{root_text}}}"
        f" {quotient} {_fixed(s, p)}"
    )
    return "\\begin{aligned} " + " \\\\ ".join(rows) + " \\end{aligned}", p


def _sig(x: float) -> str:
    """A positive number with 4 significant digits, as LaTeX (×10ⁿ when huge or tiny)."""
    if x != 0 and (x >= 1e4 or x < 1e-3):
        mantissa, exponent = f"{x:.3e}".split("e")
        return f"{mantissa}\\times 10^{{{int(exponent)}}}"
    return f"{x:.4g}"


def pair_lines(
    i: int,
    j: int,
    q_i: np.ndarray,
    k_j: np.ndarray,
    scores_row: np.ndarray,
    weights_row: np.ndarray,
    allowed_row: np.ndarray,
    temperature: float,
    head_output: np.ndarray,
    *,
    masked_note: str,
    all_masked_note: str,
    visible_note: str,
    key_symbol: str = "x",
) -> list[str]:
    """The arithmetic of one query–key pair in one head, as LaTeX lines with the real numbers.

    q_i, k_j ``[d_head]``; scores_row, weights_row, allowed_row ``[n_k]``
    (the core's numbers for query i: scores before the mask);
    head_output ``[d_head]``.  Indices are 1-based; token labels never enter
    LaTeX (they are user text).  Plain words, shown in ``\\text``:
    ``masked_note``, ``all_masked_note``, ``visible_note`` (with {count}).
    Every "=" holds for the numbers as printed (a student can check each
    line with a calculator); where rounding keeps it from holding, "≈".
    """
    a, b = i + 1, j + 1
    s = float(scores_row[j])
    score, f = score_lines(a, b, q_i, k_j, s, key_symbol)
    lines = [score]
    visible = [int(t) for t in np.flatnonzero(allowed_row)]
    t_div = "" if temperature == 1 else f"/{arithmetic.num(temperature)}"
    softmax = f"w_{{{a},{b}}} = \\frac{{e^{{s_{{{a},{b}}}/T}}}}{{\\sum_{{j'}} e^{{s_{{{a},j'}}/T}}}}"
    if not visible:
        lines.append(f"w_{{{a},j'}} = 0 \\quad \\text{{{all_masked_note}}}")
    elif not allowed_row[j]:
        lines.append(
            f"\\begin{{aligned}} s_{{{a},{b}}} &\\to -\\infty \\;\\text{{({masked_note})}} \\\\ "
            f"\\Rightarrow\\quad {softmax} &= 0 \\end{{aligned}}"
        )
    else:
        shown = visible[: arithmetic.TOKENS_SHOWN]
        if j not in shown:
            shown = shown[: arithmetic.TOKENS_SHOWN - 1] + [j]
        terms = " + ".join(f"e^{{{_fixed(float(scores_row[t]), f)}{t_div}}}" for t in sorted(shown))
        more = " + \\cdots" if len(visible) > len(shown) else ""
        z = scores_row[visible] / temperature
        with np.errstate(over="ignore"):  # beyond float range: inf, and only the weight is printed (below)
            numerator, total = float(np.exp(s / temperature)), float(np.exp(z).sum())
        w = float(weights_row[j])
        if np.isfinite(total) and total > 0:  # e^{s/T} and their sum printed; beyond float range only the weight
            top, bottom = _sig(numerator), _sig(total)
            t_shown = 1.0 if temperature == 1 else float(arithmetic.num(temperature))
            # "=" only where the printed numbers give the next ones: e^(printed s / printed T), and their quotient
            from_printed = _sig(float(np.exp(float(_fixed(s, f)) / t_shown))) == top
            exact = "times" not in top + bottom and round(float(top) / float(bottom), 4) == round(w, 4)
            value = (
                f" {'=' if from_printed else APPROX} \\frac{{{top}}}{{{bottom}}}"
                f" {'=' if exact else APPROX} {_fixed(w, 4)}"
            )
        else:
            value = f" = {_fixed(w, 4)}"
        lines.append(
            f"\\begin{{aligned}} {softmax.replace(' = ', ' &= ', 1)} \\\\ &= \\frac{{e^{{{_fixed(s, f)}{t_div}}}}}{{{terms}{more}}}"
            f"{value} \\end{{aligned}}"
        )
    lines.append(
        f"\\textstyle\\sum_{{j'}} w_{{{a},j'}} = {arithmetic.num(float(weights_row.sum()), 3)}"
        f" \\quad \\text{{{visible_note.format(count=len(visible))}}}"
    )
    lines.append(f"o_{{{a}}} = \\sum_{{j'}} w_{{{a},j'}}\\, v_{{j'}} = {arithmetic.vector(head_output)}")
    return lines
