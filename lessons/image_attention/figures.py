"""The Image-attention lesson's Plotly builders: arrays and words in, a figure's dict out (no t(), no torch).

The image is drawn as one image trace from a PNG data URI (a few kB instead
of H·W·3 numbers); pixel (i, j) covers [j − ½, j + ½] × [i − ½, i + ½], y down.
A map over the regions is a semi-transparent Viridis heatmap laid on top,
one cell per region, and invisible markers at the region centres carry
(row, col) for a click.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.colors
from PIL import Image

from ui.figures import CLICK_CONFIG, WEIGHT_SCALE, Spec, base_layout, escape

SELECTED_COLOR = "#ffffff"
TOP_COLOR = "#E69F00"  # Okabe–Ito orange: the top-k outlines, distinct from Viridis
NUMBERS_MAX_CELLS = 256  # a grid heatmap prints its numbers up to 16 × 16 regions
NUMBERS_MAX_SIDE = 16  # and up to 16 regions a side: the cells are square, a 1 × 32 strip's are too small for "0.00"
NO_ZOOM = CLICK_CONFIG  # the regions are clicked, not zoomed


def _see_through(scale: str = WEIGHT_SCALE, lo: float = 0.10, hi: float = 0.85, steps: int = 11) -> list:
    """``scale`` with an alpha ramp: little weight lets the image show through, much weight covers it."""
    colors = plotly.colors.sample_colorscale(scale, list(np.linspace(0, 1, steps)), colortype="tuple")
    return [
        [k / (steps - 1), f"rgba({r * 255:.0f},{g * 255:.0f},{b * 255:.0f},{lo + (hi - lo) * k / (steps - 1):.2f})"]
        for k, (r, g, b) in enumerate(colors)
    ]


OVERLAY_SCALE = _see_through()


def png_source(image: np.ndarray) -> str:
    """``uint8 [H, W, 3]`` → a PNG data URI for an image trace's ``source``."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image)).save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _layout(title: str, height: int, **extra) -> dict:
    """``base_layout`` for a chart over the image: a thin frame, hover on the nearest region, no dragging."""
    frame = dict(margin=dict(l=10, r=10, t=50, b=10), hovermode="closest", hoverdistance=-1, dragmode=False)
    return base_layout(title, height, **frame) | extra


def _box(r: int, c: int, ch: float, cw: float, color: str, width: float, dash: str = "solid") -> dict:
    return dict(
        type="rect",
        x0=c * cw - 0.5,
        x1=(c + 1) * cw - 0.5,
        y0=r * ch - 0.5,
        y1=(r + 1) * ch - 0.5,
        line=dict(color=color, width=width, dash=dash),
        layer="above",
    )


def overlay(
    source: str,
    size: tuple[int, int],
    weights: np.ndarray,
    *,
    title: str,
    colorbar_title: str,
    hover: str,
    top: list[tuple[int, int]] = (),
    selected: tuple[int, int] | None = None,
    target_box: tuple[float, float, float, float] | None = None,
    height: int = 520,
    covered: tuple[int, int] | None = None,
) -> Spec:
    """The image with a map over its regions laid on top (alpha blend: Viridis whose opacity grows with w), a colour bar, outlined regions.

    source: ``png_source(image)``; size (H, W) of the image; weights
    ``[rows, cols]`` (the grid covers the whole image); top: regions outlined
    in orange, numbered 1, 2, … (largest first); selected: the query's region,
    outlined in white; target_box: optional (x0, y0, x1, y1) drawn dotted
    (where the red object really is, known for generated scenes only).  Trace 0 the image, trace 1 the
    map, trace 2 the click targets with customdata (row, col, w).
    Words: ``title``, ``colorbar_title``, ``hover`` (Plotly fields of customdata).  covered:
    the (H, W) the grid covers when whole patches leave a remainder (default: all).
    """
    h, w = size
    weights = np.asarray(weights, dtype=np.float32)
    rows, cols = weights.shape
    ch, cw = (covered[0] / rows, covered[1] / cols) if covered else (h / rows, w / cols)
    rr, cc = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    custom = np.stack([rr.ravel() + 1, cc.ravel() + 1, weights.ravel()], axis=-1)
    traces = [
        dict(type="image", source=source, hoverinfo="skip", name="image"),
        dict(
            type="heatmap",
            z=weights,
            x0=cw / 2 - 0.5,
            dx=cw,
            y0=ch / 2 - 0.5,
            dy=ch,
            colorscale=OVERLAY_SCALE,
            zmin=0.0,
            zmax=max(float(weights.max(initial=0.0)), 1e-6),
            hoverinfo="skip",
            name="map",
            colorbar=dict(title=dict(text=colorbar_title), thickness=14),
        ),
        dict(
            type="scatter",
            x=(cc.ravel() + 0.5) * cw - 0.5,
            y=(rr.ravel() + 0.5) * ch - 0.5,
            mode="markers",
            customdata=custom,
            hovertemplate=hover + "<extra></extra>",
            marker=dict(symbol="square", size=8, opacity=0, color="#000"),
            selected=dict(marker=dict(opacity=0)),
            unselected=dict(marker=dict(opacity=0)),
            showlegend=False,
            name="regions",
        ),
    ]
    shapes = [_box(r, c, ch, cw, TOP_COLOR, 3) for r, c in top]
    annotations = [
        dict(
            x=c * cw + 2,
            y=r * ch + 2,
            text=f"<b>{k}</b>",
            showarrow=False,
            xanchor="left",
            yanchor="top",
            font=dict(color="#000", size=12),
            bgcolor=TOP_COLOR,
            borderpad=1,
        )
        for k, (r, c) in enumerate(top, start=1)
    ]
    if selected is not None:
        shapes.append(_box(*selected, ch, cw, "#000000", 5))
        shapes.append(_box(*selected, ch, cw, SELECTED_COLOR, 2.5))
    if target_box is not None:
        x0, y0, x1, y1 = target_box
        shapes.append(
            dict(
                type="rect",
                x0=x0 - 2,
                y0=y0 - 2,
                x1=x1 + 2,
                y1=y1 + 2,
                line=dict(color="#000000", width=2, dash="dot"),
                layer="above",
            )
        )
    axis = dict(visible=False, showgrid=False, zeroline=False)
    layout = _layout(title, height, shapes=shapes, annotations=annotations) | dict(
        xaxis=axis | dict(range=[-0.5, w - 0.5], constrain="domain"),
        yaxis=axis | dict(range=[h - 0.5, -0.5], scaleanchor="x", constrain="domain"),
    )
    return dict(data=traces, layout=layout)


def grid_heatmap(
    values: np.ndarray,
    *,
    title: str,
    colorbar_title: str,
    x_title: str,
    y_title: str,
    hover: str,
    selected: tuple[int, int] | None = None,
    zmin: float | None = 0.0,
    colorscale: str = WEIGHT_SCALE,
    height: int = 520,
    number_format: str = ".2f",
) -> Spec:
    """A ``[rows, cols]`` map as a grid of cells, rows and columns numbered from 1, numbers printed when small.

    Trace 0 is the heatmap; trace 1 the click targets (customdata row, col, value, 1-based).
    Words: ``title``, ``colorbar_title``, ``x_title``, ``y_title``, ``hover``.
    """
    z = np.asarray(values, dtype=np.float32)
    rows, cols = z.shape
    numbers = rows * cols <= NUMBERS_MAX_CELLS and max(rows, cols) <= NUMBERS_MAX_SIDE
    x, y = np.arange(1, cols + 1), np.arange(1, rows + 1)
    rr, cc = np.meshgrid(y, x, indexing="ij")
    traces = [
        dict(
            type="heatmap",
            z=z,
            x=x,
            y=y,
            colorscale=colorscale,
            zmin=zmin,
            colorbar=dict(title=dict(text=colorbar_title), thickness=14),
            text=_cell_texts(z, number_format) if numbers else None,
            texttemplate="%{text}" if numbers else None,
            textfont=dict(size=11 if max(rows, cols) <= 10 else 9),
            xgap=1,
            ygap=1,
            hoverinfo="skip",
            name="grid",
        ),
        dict(
            type="scatter",
            x=cc.ravel(),
            y=rr.ravel(),
            mode="markers",
            customdata=np.stack([rr.ravel(), cc.ravel(), z.ravel()], -1),
            hovertemplate=hover + "<extra></extra>",
            marker=dict(symbol="square", size=8, opacity=0),
            selected=dict(marker=dict(opacity=0)),
            unselected=dict(marker=dict(opacity=0)),
            showlegend=False,
            name="regions",
        ),
    ]
    shapes = []
    if selected is not None:
        r, c = selected
        shapes.append(
            dict(
                type="rect",
                x0=c + 0.5,
                x1=c + 1.5,
                y0=r + 0.5,
                y1=r + 1.5,
                line=dict(color="#E69F00", width=3),
                layer="above",
            )
        )
    tick = dict(showgrid=False, zeroline=False, dtick=1 if max(rows, cols) <= 16 else 4)
    layout = _layout(title, height, shapes=shapes)
    layout["margin"] = dict(l=50, r=10, t=50, b=40)
    layout |= dict(
        xaxis=tick | dict(title=dict(text=x_title), range=[0.5, cols + 0.5], constrain="domain", side="top"),
        yaxis=tick | dict(title=dict(text=y_title), range=[rows + 0.5, 0.5], scaleanchor="x", constrain="domain"),
    )
    return dict(data=traces, layout=layout)


def _cell_texts(z: np.ndarray, number_format: str) -> np.ndarray:
    """The numbers printed in the cells; past 10 columns "0.25" becomes ".25" so that it fits."""
    texts = np.array([format(float(v), number_format) for v in z.ravel()], dtype=object).reshape(z.shape)
    if z.shape[1] > 10:
        texts = np.vectorize(lambda s: s.replace("0.", ".", 1) if s.startswith("0.") else s, otypes=[object])(texts)
    return texts


def probabilities(values: np.ndarray, labels, title: str, y_title: str, predicted: int, height: int = 300) -> Spec:
    """One bar per class; the predicted class in orange, the others grey; the value printed on each."""
    values = np.asarray(values, dtype=np.float32)
    colors = [TOP_COLOR if i == predicted else "#9e9e9e" for i in range(len(values))]
    bar = dict(
        type="bar",
        x=escape(labels),
        y=values,
        marker=dict(color=colors),
        text=[f"{v:.2f}" for v in values],
        textposition="outside",
        hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        cliponaxis=False,
    )
    layout = _layout(title, height)
    layout.update(hovermode="x", margin=dict(l=50, r=10, t=50, b=40))
    layout |= dict(
        yaxis=dict(title=dict(text=y_title), range=[0, 1.15], showgrid=True, gridcolor="#eee"),
        xaxis=dict(showgrid=False),
    )
    return dict(data=[bar], layout=layout)


def mask_box(mask: np.ndarray) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) around the True pixels of ``mask`` ``[H, W]``, in the image's coordinates."""
    ys, xs = np.nonzero(np.asarray(mask))
    if xs.size == 0:
        return None
    return xs.min() - 0.5, ys.min() - 0.5, xs.max() + 0.5, ys.max() + 0.5
