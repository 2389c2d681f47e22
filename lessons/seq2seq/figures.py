"""The seq2seq lesson's charts: arrays and words in, a figure's dict (``ui.figures.Spec``) out (no t(), no torch).

Characters sit on numeric axes 1…n with the characters as tick texts (a
word may repeat a letter); a space is drawn as "␣" so it stays visible.
"""

from __future__ import annotations

import html

import numpy as np

from ui.figures import Spec, base_layout  # also its Plotly settings: no template

WEIGHT_SCALE = "Viridis"
LOSS_COLOR = "#440154"  # Viridis' dark end
ACCURACY_COLOR = "#21918c"  # Viridis' middle
BASELINE_COLOR = "#E69F00"  # Okabe–Ito orange: "without attention" everywhere
ATTENTION_COLOR = "#21918c"
LIVE_COLOR = "#000000"
NUMBERS_MAX_CELLS = 256  # print the weights in the cells up to this many cells


def char_labels(text: str) -> list[str]:
    """One escaped tick text a character; a space becomes "␣"."""
    return [html.escape("␣" if c == " " else c) for c in text]


def _char_axis(text: str, title: str) -> dict:
    return dict(
        title=dict(text=title),
        tickmode="array",
        tickvals=list(range(1, len(text) + 1)),
        ticktext=char_labels(text),
        showgrid=False,
        zeroline=False,
        range=[0.5, len(text) + 0.5],
    )


def alignment_figure(
    weights: np.ndarray, source: str, output: str, *, title: str, x_title: str, y_title: str, height: int | None = None
) -> Spec:
    """The alignment: weights ``[len(output), len(source)]``, row t = where output character t looked.

    Input characters along x, output characters down y (first on top), Viridis
    from 0 to 1 so two heatmaps compare.  Words: ``title``, ``x_title``, ``y_title``.
    """
    w = np.asarray(weights, dtype=np.float32)
    rows, cols = w.shape
    numbers = w.size <= NUMBERS_MAX_CELLS
    out_chars, src_chars = char_labels(output), char_labels(source)
    hover = np.array([[f"{out_chars[i]} → {src_chars[j]}" for j in range(cols)] for i in range(rows)], dtype=object)
    trace = dict(
        type="heatmap",
        z=w,
        x=np.arange(1, cols + 1),
        y=np.arange(1, rows + 1),
        zmin=0.0,
        zmax=1.0,
        colorscale=WEIGHT_SCALE,
        colorbar=dict(title=dict(text="w"), thickness=14),
        customdata=hover,
        texttemplate="%{z:.2f}" if numbers else None,
        textfont=dict(size=11),
        hovertemplate="%{customdata}: %{z:.3f}<extra></extra>",
        xgap=1,
        ygap=1,
    )
    if height is None:
        height = int(min(620, max(320, 130 + 30 * rows)))
    y_axis = _char_axis(output, y_title) | {"range": [rows + 0.5, 0.5]}  # first output character on top
    return dict(data=[trace], layout=base_layout(title, height) | dict(xaxis=_char_axis(source, x_title), yaxis=y_axis))


def empty_alignment_figure(*, title: str, empty_note: str, height: int = 360) -> Spec:
    """The heatmap's frame before the first alignment arrives (the baseline never has one)."""
    note = dict(
        text=empty_note, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font=dict(size=15, color="#666")
    )
    layout = base_layout(title, height) | dict(annotations=[note], xaxis=dict(visible=False), yaxis=dict(visible=False))
    return dict(data=[], layout=layout)


def smooth(values: np.ndarray, window: int) -> np.ndarray:
    """Trailing mean over ``window`` steps (the first steps average what there is)."""
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return v
    c = np.cumsum(np.insert(v, 0, 0.0))
    i = np.arange(1, v.size + 1)
    lo = np.maximum(i - window, 0)
    return (c[i] - c[lo]) / (i - lo)


def training_figure(
    losses,
    accuracies,
    total_steps: int,
    *,
    title: str,
    step_title: str,
    loss_title: str,
    accuracy_title: str,
    height: int = 360,
) -> Spec:
    """Loss (left axis) and exact-match accuracy (right axis, %) per step, both smoothed over 20 steps.

    Words: ``title``, ``step_title``, ``loss_title``, ``accuracy_title``.  The x axis spans the planned
    ``total_steps`` from the start, so the curve grows to the right.
    """
    losses = np.asarray(losses, dtype=np.float32)
    steps = np.arange(1, losses.size + 1)
    window = 20
    traces = [
        dict(
            type="scatter",
            x=steps,
            y=smooth(losses, window).astype(np.float32),
            mode="lines",
            name=loss_title,
            line=dict(color=LOSS_COLOR, width=2),
            hovertemplate="%{y:.3f}<extra>" + loss_title + "</extra>",
        ),
        dict(
            type="scatter",
            x=steps,
            y=(100 * smooth(accuracies, window)).astype(np.float32),
            mode="lines",
            name=accuracy_title,
            yaxis="y2",
            line=dict(color=ACCURACY_COLOR, width=2, dash="dot"),
            hovertemplate="%{y:.0f} %<extra>" + accuracy_title + "</extra>",
        ),
    ]
    top = float(losses.max()) * 1.05 if losses.size else 1.0
    return dict(
        data=traces,
        layout=base_layout(title, height)
        | dict(
            xaxis=dict(title=dict(text=step_title), range=[0, max(total_steps, 1)], gridcolor="#eeeeee"),
            yaxis=dict(title=dict(text=loss_title), range=[0, top], gridcolor="#eeeeee", rangemode="tozero"),
            yaxis2=dict(
                title=dict(text=accuracy_title + " (%)"),
                range=[0, 101],
                overlaying="y",
                side="right",
                showgrid=False,
                tickmode="array",
                tickvals=[0, 25, 50, 75, 100],
            ),  # not synced to the loss ticks
            legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"),
            margin=dict(l=60, r=60, t=60, b=50),
        ),
    )


def accuracy_by_length_figure(series: list[dict], *, title: str, x_title: str, y_title: str, height: int = 400) -> Spec:
    """Exact-match accuracy (%) against input length, one line a model.

    ``series``: dicts with name, lengths, accuracy (fractions), kind
    ("attention", "baseline" or "live").  Words: ``title``, ``x_title``, ``y_title``.
    """
    styles = {
        "attention": dict(color=ATTENTION_COLOR, width=3),
        "baseline": dict(color=BASELINE_COLOR, width=3, dash="dash"),
        "live": dict(color=LIVE_COLOR, width=2, dash="dot"),
    }
    symbols = {"attention": "circle", "baseline": "square", "live": "diamond"}
    traces = [
        dict(
            type="scatter",
            x=np.asarray(s["lengths"]),
            y=100 * np.asarray(s["accuracy"], dtype=np.float64),
            mode="lines+markers",
            name=html.escape(s["name"]),
            line=styles[s["kind"]],
            marker=dict(symbol=symbols[s["kind"]], size=8),
            hovertemplate="%{x}: %{y:.1f} %<extra>" + html.escape(s["name"]) + "</extra>",
        )
        for s in series
    ]
    return dict(
        data=traces,
        layout=base_layout(title, height)
        | dict(
            xaxis=dict(title=dict(text=x_title), dtick=1, gridcolor="#eeeeee"),
            yaxis=dict(title=dict(text=y_title), range=[-3, 103], gridcolor="#eeeeee"),
            legend=dict(orientation="h", y=-0.2, x=0, yanchor="top"),
            margin=dict(l=60, r=20, t=50, b=90),
        ),
    )
