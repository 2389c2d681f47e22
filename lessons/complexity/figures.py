"""The Complexity page's Plotly builders: arrays and words in, a Figure out (no t(), no torch).

Log–log charts put n on a base-2 axis so every doubling is one step; a line's
slope there is the exponent of n (2 for O(n²), 1 for O(n)).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.figures import base_layout  # also its Plotly settings: no template

# Okabe–Ito: distinguishable for colour-blind viewers, one colour per method on every chart
COLORS = {
    "exact": "#000000",
    "sdpa": "#999999",
    "chunked": "#0072B2",
    "local": "#009E73",
    "linear": "#E69F00",
    "performer": "#CC79A7",
}
MATRIX_COLOR = "#D55E00"
BOTTOM_LEGEND = dict(
    orientation="h", y=-0.2, yanchor="top", x=0, xanchor="left"
)  # below the plot: charts sit in columns


def _layout(title: str, height: int) -> dict:
    """``base_layout`` with room for log-axis tick labels and a legend font a projector shows."""
    return base_layout(title, height, margin=dict(l=70, r=20, t=50, b=55), legend=dict(font=dict(size=13)))


def _grid(axis: dict) -> dict:
    return axis | dict(showgrid=True, gridcolor="#e5e5e5", zeroline=False, showline=True, linecolor="#444")


def _label_heights(ends: list[float], span: float, gap: float = 0.07) -> list[float]:
    """Heights (log10) for the labels at the lines' ends, pushed apart so no two overlap."""
    order = sorted(range(len(ends)), key=lambda i: ends[i])
    placed = list(ends)
    for prev, cur in zip(order, order[1:]):
        placed[cur] = max(placed[cur], placed[prev] + gap * span)
    return placed


def loglog_figure(
    series: list[dict],
    *,
    title: str,
    x_title: str,
    y_title: str,
    slope_label: str,
    unit: str = "",
    reference: dict | None = None,
    height: int = 460,
) -> go.Figure:
    """Cost against n on log–log axes, one line per method, its fitted slope written at its end.

    ``series``: [{"method", "name", "n" [k], "y" [k], "slope" (float or None), "fitted" (bool [k], optional)}]:
    the points the slope was fitted on are filled, the others hollow.
    ``reference``: an optional dashed line {"name", "n", "y"} (the n×n matrix).
    Words: ``title``, ``x_title``, ``y_title``, ``slope_label`` (a format string
    with {slope}), ``unit`` (for the hover).
    """
    fig = go.Figure()
    all_n = sorted({int(n) for s in series for n in s["n"]} | (set(map(int, reference["n"])) if reference else set()))
    if reference is not None:
        fig.add_trace(
            go.Scatter(
                x=reference["n"],
                y=reference["y"],
                name=reference["name"],
                mode="lines",
                line=dict(color=MATRIX_COLOR, dash="dash", width=2),
                hovertemplate=f"{reference['name']}<br>n = %{{x}}<br>%{{y:.4g}} {unit}<extra></extra>",
            )
        )
    for s in series:
        fig.add_trace(
            go.Scatter(
                x=s["n"],
                y=s["y"],
                name=s["name"],
                mode="lines+markers",
                line=dict(color=COLORS.get(s["method"], "#333"), width=2),
                marker=dict(
                    size=9,
                    symbol=["circle" if f else "circle-open" for f in s.get("fitted", [True] * len(s["n"]))],
                    line=dict(width=2),
                ),
                hovertemplate=f"{s['name']}<br>n = %{{x}}<br>%{{y:.4g}} {unit}<extra></extra>",
            )
        )
    labelled = [s for s in series if s.get("slope") is not None and len(s["n"])]
    if labelled:
        logs = np.log10(np.concatenate([s["y"] for s in series] + ([reference["y"]] if reference else [])))
        heights = _label_heights([float(np.log10(s["y"][-1])) for s in labelled], float(np.ptp(logs)) or 1.0)
        for s, y in zip(labelled, heights):
            fig.add_annotation(
                x=np.log10(s["n"][-1]),
                y=y,
                text=slope_label.format(slope=s["slope"]),
                showarrow=False,
                xanchor="left",
                xshift=8,
                font=dict(color=COLORS.get(s["method"], "#333"), size=13),
            )
    fig.update_layout(**_layout(title, height))
    # the legend below the plot (it may sit in a narrow column), room on the right for the slope labels
    fig.update_layout(margin=dict(r=85, b=40), legend=BOTTOM_LEGEND)
    fig.update_xaxes(
        **_grid(
            dict(type="log", title=dict(text=x_title, standoff=4), tickvals=all_n, ticktext=[str(n) for n in all_n])
        )
    )
    fig.update_yaxes(**_grid(dict(type="log", title=dict(text=y_title), dtick="D2", tickformat="~g")))
    return fig


def memory_bars(
    methods: list[str],
    names: list[str],
    used_mib: np.ndarray,
    matrix_mib: float,
    *,
    title: str,
    x_title: str,
    matrix_label: str,
    value_label: str,
    height: int = 360,
) -> go.Figure:
    """At one n: the MiB each method used beside the n×n float32 matrix plain attention holds.

    Words: ``title``, ``x_title``, ``matrix_label`` (the matrix's bar), ``value_label`` (with {mib}, {share}).
    """
    labels = [matrix_label] + list(names)
    values = np.concatenate([[matrix_mib], np.asarray(used_mib, dtype=float)])
    colors = [MATRIX_COLOR] + [COLORS.get(m, "#333") for m in methods]
    words = [value_label.format(mib=v, share=v / matrix_mib) for v in values]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=colors,
            text=words,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.4g} MiB<extra></extra>",
        )
    )
    fig.update_layout(**_layout(title, height))
    fig.update_layout(margin=dict(l=10, r=130), showlegend=False)
    fig.update_xaxes(**_grid(dict(title=dict(text=x_title), rangemode="tozero")))
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def error_figure(
    x: np.ndarray,
    curves: list[dict],
    *,
    title: str,
    x_title: str,
    y_title: str,
    flat: list[dict] = (),
    height: int = 480,
) -> go.Figure:
    """Error against exact attention as a knob grows (window, features), on log–log axes.

    ``curves``: [{"name", "y" [k], "method", "dash"}]; ``flat``: horizontal lines
    [{"name", "y", "method", "dash"}] for a method without a knob (linear attention).
    """
    fig = go.Figure()
    for c in curves:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=c["y"],
                name=c["name"],
                mode="lines+markers",
                line=dict(color=COLORS.get(c["method"], "#333"), dash=c.get("dash", "solid"), width=2),
                hovertemplate=f"{c['name']}<br>{x_title} = %{{x}}<br>%{{y:.2e}}<extra></extra>",
            )
        )
    for f in flat:
        fig.add_trace(
            go.Scatter(
                x=[x[0], x[-1]],
                y=[f["y"], f["y"]],
                name=f["name"],
                mode="lines",
                line=dict(color=COLORS.get(f["method"], "#333"), dash=f.get("dash", "dot"), width=1.5),
                hovertemplate=f"{f['name']}: %{{y:.2e}}<extra></extra>",
            )
        )
    fig.update_layout(**_layout(title, height))
    fig.update_layout(legend=BOTTOM_LEGEND, margin=dict(r=15, b=40))
    fig.update_xaxes(
        **_grid(
            dict(
                type="log",
                title=dict(text=x_title, standoff=4),
                tickvals=list(x),
                ticktext=[str(v) for v in x],
                tickangle=0,
            )
        )
    )
    fig.update_yaxes(**_grid(dict(type="log", title=dict(text=y_title), exponentformat="power", dtick=1)))
    return fig


def weights_pair(
    exact: np.ndarray,
    approx: np.ndarray,
    *,
    title: str,
    left_title: str,
    right_title: str,
    x_title: str,
    y_title: str,
    height: int = 470,
) -> go.Figure:
    """Exact weights ``[n, n]`` and an approximation's ``[n, n]`` side by side, one colour scale."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=(left_title, right_title), horizontal_spacing=0.08)
    top = float(max(exact.max(), approx.max()))
    ticks = np.arange(1, exact.shape[1] + 1)
    for col, z in ((1, exact), (2, approx)):
        fig.add_trace(
            go.Heatmap(
                z=z.astype(np.float32),
                x=ticks,
                y=np.arange(1, z.shape[0] + 1),
                coloraxis="coloraxis",
                hovertemplate=f"{y_title} %{{y}}, {x_title} %{{x}}<br>w = %{{z:.3f}}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title_text=x_title, constrain="domain", row=1, col=col)
        fig.update_yaxes(
            title_text=y_title if col == 1 else None,
            autorange="reversed",
            scaleanchor=f"x{col if col > 1 else ''}",
            constrain="domain",
            row=1,
            col=col,
        )
    fig.update_layout(**_layout(title, height))
    fig.update_layout(
        coloraxis=dict(colorscale="Viridis", cmin=0, cmax=top, colorbar=dict(title=dict(text="w"))), margin=dict(t=80)
    )
    fig.update_annotations(font=dict(size=14))
    return fig


def step_scores(
    scores: np.ndarray,
    block_size: int,
    step: int,
    running_max: float | None,
    *,
    title: str,
    x_title: str,
    y_title: str,
    done_label: str,
    current_label: str,
    pending_label: str,
    max_label: str,
    height: int = 380,
) -> go.Figure:
    """The row of scores; blocks already merged, the block being merged, the blocks still to come; and the running max m.

    ``running_max`` None: no line (while a question asks about the running max).
    """
    n = len(scores)
    positions = np.arange(1, n + 1)
    start, end = step * block_size, min((step + 1) * block_size, n)
    state = np.where(positions <= start, 0, np.where(positions <= end, 1, 2))
    fig = go.Figure()
    for value, name, color in (
        (0, done_label, "#56B4E9"),
        (1, current_label, "#0072B2"),
        (2, pending_label, "#d0d0d0"),
    ):
        keep = state == value
        if keep.any():
            fig.add_trace(
                go.Bar(
                    x=positions[keep],
                    y=scores[keep],
                    name=name,
                    marker_color=color,
                    hovertemplate="j = %{x}<br>a = %{y:.2f}<extra></extra>",
                )
            )
    if running_max is not None:
        _max_line(fig, running_max, max_label)
    for edge in range(block_size, n, block_size):
        fig.add_vline(x=edge + 0.5, line=dict(color="#888", width=1, dash="dot"))
    fig.update_layout(**_layout(title, height))
    fig.update_layout(bargap=0.15, legend=BOTTOM_LEGEND, margin=dict(b=40))
    fig.update_xaxes(**_grid(dict(title=dict(text=x_title, standoff=4), range=[0.4, n + 0.6], showgrid=False)))
    fig.update_yaxes(**_grid(dict(title=dict(text=y_title))))
    return fig


def _max_line(fig: go.Figure, running_max: float, max_label: str) -> None:
    fig.add_hline(
        y=running_max,
        line=dict(color=MATRIX_COLOR, dash="dash", width=2),
        annotation=dict(
            text=max_label,
            font=dict(color=MATRIX_COLOR),
            bgcolor="rgba(255,255,255,0.8)",
            xanchor="left",
            x=0,
            yanchor="bottom",
        ),
    )


def step_weights(
    partial: np.ndarray,
    final: np.ndarray,
    *,
    title: str,
    x_title: str,
    y_title: str,
    partial_label: str,
    final_label: str,
    height: int = 380,
) -> go.Figure:
    """e^{a − m}/ℓ with what has been seen so far (bars) against the final softmax (markers)."""
    positions = np.arange(1, len(final) + 1)
    fig = go.Figure(
        [
            go.Bar(
                x=positions,
                y=partial.astype(np.float32),
                name=partial_label,
                marker_color="#0072B2",
                hovertemplate="j = %{x}<br>%{y:.3f}<extra></extra>",
            ),
            go.Scatter(
                x=positions,
                y=final.astype(np.float32),
                name=final_label,
                mode="markers",
                marker=dict(color=MATRIX_COLOR, size=8, symbol="line-ew-open", line=dict(width=3)),
                hovertemplate="j = %{x}<br>%{y:.3f}<extra></extra>",
            ),
        ]
    )
    fig.update_layout(**_layout(title, height))
    fig.update_layout(bargap=0.15, legend=BOTTOM_LEGEND, margin=dict(b=40))
    fig.update_xaxes(**_grid(dict(title=dict(text=x_title, standoff=4), range=[0.4, len(final) + 0.6], showgrid=False)))
    fig.update_yaxes(**_grid(dict(title=dict(text=y_title), rangemode="tozero")))
    return fig
