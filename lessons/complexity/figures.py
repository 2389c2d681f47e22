"""The Complexity page's Plotly builders: arrays and words in, a figure's dict out (no t(), no torch).

Log–log charts put n on a base-2 axis so every doubling is one step; a line's
slope there is the exponent of n (2 for O(n²), 1 for O(n)).
"""

from __future__ import annotations

import numpy as np

from ui.figures import Spec, base_layout  # also its Plotly settings: no template

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


def _layout(title: str, height: int, margin: dict | None = None, legend: dict | None = None, **extra) -> dict:
    """``base_layout`` with room for log-axis tick labels and a legend font a projector shows.

    ``margin`` and ``legend`` change some of those settings (the others stay); ``extra`` adds to the layout.
    """
    margin = dict(l=70, r=20, t=50, b=55) | (margin or {})
    return base_layout(title, height, margin=margin, legend=dict(font=dict(size=13)) | (legend or {}), **extra)


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
) -> Spec:
    """Cost against n on log–log axes, one line per method, its fitted slope written at its end.

    ``series``: [{"method", "name", "n" [k], "y" [k], "slope" (float or None), "fitted" (bool [k], optional)}]:
    the points the slope was fitted on are filled, the others hollow.
    ``reference``: an optional dashed line {"name", "n", "y"} (the n×n matrix).
    Words: ``title``, ``x_title``, ``y_title``, ``slope_label`` (a format string
    with {slope}), ``unit`` (for the hover).
    """
    data = []
    all_n = sorted({int(n) for s in series for n in s["n"]} | (set(map(int, reference["n"])) if reference else set()))
    if reference is not None:
        data.append(
            dict(
                type="scatter",
                x=reference["n"],
                y=reference["y"],
                name=reference["name"],
                mode="lines",
                line=dict(color=MATRIX_COLOR, dash="dash", width=2),
                hovertemplate=f"{reference['name']}<br>n = %{{x}}<br>%{{y:.4g}} {unit}<extra></extra>",
            )
        )
    for s in series:
        data.append(
            dict(
                type="scatter",
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
    # the legend below the plot (it may sit in a narrow column), room on the right for the slope labels
    layout = _layout(title, height, legend=BOTTOM_LEGEND, margin=dict(r=85, b=40))
    labelled = [s for s in series if s.get("slope") is not None and len(s["n"])]
    if labelled:
        logs = np.log10(np.concatenate([s["y"] for s in series] + ([reference["y"]] if reference else [])))
        heights = _label_heights([float(np.log10(s["y"][-1])) for s in labelled], float(np.ptp(logs)) or 1.0)
        layout["annotations"] = [
            dict(
                x=np.log10(s["n"][-1]),
                y=y,
                text=slope_label.format(slope=s["slope"]),
                showarrow=False,
                xanchor="left",
                xshift=8,
                font=dict(color=COLORS.get(s["method"], "#333"), size=13),
            )
            for s, y in zip(labelled, heights)
        ]
    x_ticks = dict(tickvals=all_n, ticktext=[str(n) for n in all_n])
    layout["xaxis"] = _grid(dict(type="log", title=dict(text=x_title, standoff=4)) | x_ticks)
    layout["yaxis"] = _grid(dict(type="log", title=dict(text=y_title), dtick="D2", tickformat="~g"))
    return dict(data=data, layout=layout)


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
) -> Spec:
    """At one n: the MiB each method used beside the n×n float32 matrix plain attention holds.

    Words: ``title``, ``x_title``, ``matrix_label`` (the matrix's bar), ``value_label`` (with {mib}, {share}).
    """
    labels = [matrix_label] + list(names)
    values = np.concatenate([[matrix_mib], np.asarray(used_mib, dtype=float)])
    colors = [MATRIX_COLOR] + [COLORS.get(m, "#333") for m in methods]
    words = [value_label.format(mib=v, share=v / matrix_mib) for v in values]
    bar = dict(
        type="bar",
        x=values,
        y=labels,
        orientation="h",
        marker=dict(color=colors),
        text=words,
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{x:.4g} MiB<extra></extra>",
    )
    layout = _layout(title, height, margin=dict(l=10, r=130), showlegend=False)
    layout["xaxis"] = _grid(dict(title=dict(text=x_title), rangemode="tozero"))
    layout["yaxis"] = dict(autorange="reversed", automargin=True)
    return dict(data=[bar], layout=layout)


def error_figure(
    x: np.ndarray,
    curves: list[dict],
    *,
    title: str,
    x_title: str,
    y_title: str,
    flat: list[dict] = (),
    height: int = 480,
) -> Spec:
    """Error against exact attention as a knob grows (window, features), on log–log axes.

    ``curves``: [{"name", "y" [k], "method", "dash"}]; ``flat``: horizontal lines
    [{"name", "y", "method", "dash"}] for a method without a knob (linear attention).
    """
    data = [
        dict(
            type="scatter",
            x=x,
            y=c["y"],
            name=c["name"],
            mode="lines+markers",
            line=dict(color=COLORS.get(c["method"], "#333"), dash=c.get("dash", "solid"), width=2),
            hovertemplate=f"{c['name']}<br>{x_title} = %{{x}}<br>%{{y:.2e}}<extra></extra>",
        )
        for c in curves
    ]
    data += [
        dict(
            type="scatter",
            x=[x[0], x[-1]],
            y=[f["y"], f["y"]],
            name=f["name"],
            mode="lines",
            line=dict(color=COLORS.get(f["method"], "#333"), dash=f.get("dash", "dot"), width=1.5),
            hovertemplate=f"{f['name']}: %{{y:.2e}}<extra></extra>",
        )
        for f in flat
    ]
    layout = _layout(title, height, legend=BOTTOM_LEGEND, margin=dict(r=15, b=40))
    x_ticks = dict(tickvals=list(x), ticktext=[str(v) for v in x], tickangle=0)
    layout["xaxis"] = _grid(dict(type="log", title=dict(text=x_title, standoff=4)) | x_ticks)
    layout["yaxis"] = _grid(dict(type="log", title=dict(text=y_title), exponentformat="power", dtick=1))
    return dict(data=data, layout=layout)


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
) -> Spec:
    """Exact weights ``[n, n]`` and an approximation's ``[n, n]`` side by side, one colour scale."""
    top = float(max(exact.max(), approx.max()))
    ticks = np.arange(1, exact.shape[1] + 1)
    hover = f"{y_title} %{{y}}, {x_title} %{{x}}<br>w = %{{z:.3f}}<extra></extra>"
    layout = _layout(title, height, margin=dict(t=80))
    data = []
    # two plots side by side, as plotly.subplots.make_subplots(1, 2, horizontal_spacing=0.08) lays them out
    for col, z, domain, words in ((1, exact, [0.0, 0.46], left_title), (2, approx, [0.54, 1.0], right_title)):
        name = "" if col == 1 else str(col)
        data.append(
            dict(
                type="heatmap",
                z=z.astype(np.float32),
                x=ticks,
                y=np.arange(1, z.shape[0] + 1),
                xaxis=f"x{name}",
                yaxis=f"y{name}",
                coloraxis="coloraxis",
                hovertemplate=hover,
            )
        )
        layout[f"xaxis{name}"] = dict(anchor=f"y{name}", domain=domain, title=dict(text=x_title), constrain="domain")
        layout[f"yaxis{name}"] = dict(
            anchor=f"x{name}",
            domain=[0.0, 1.0],
            autorange="reversed",
            scaleanchor=f"x{name}",
            constrain="domain",
        ) | (dict(title=dict(text=y_title)) if col == 1 else {})
        layout.setdefault("annotations", []).append(
            dict(
                text=words,
                x=sum(domain) / 2,
                y=1.0,
                xref="paper",
                yref="paper",
                xanchor="center",
                yanchor="bottom",
                showarrow=False,
                font=dict(size=14),
            )
        )
    layout["coloraxis"] = dict(colorscale="Viridis", cmin=0, cmax=top, colorbar=dict(title=dict(text="w")))
    return dict(data=data, layout=layout)


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
) -> Spec:
    """The row of scores; blocks already merged, the block being merged, the blocks still to come; and the running max m.

    ``running_max`` None: no line (while a question asks about the running max).
    """
    n = len(scores)
    positions = np.arange(1, n + 1)
    start, end = step * block_size, min((step + 1) * block_size, n)
    state = np.where(positions <= start, 0, np.where(positions <= end, 1, 2))
    data = []
    for value, name, color in (
        (0, done_label, "#56B4E9"),
        (1, current_label, "#0072B2"),
        (2, pending_label, "#d0d0d0"),
    ):
        keep = state == value
        if keep.any():
            data.append(
                dict(
                    type="bar",
                    x=positions[keep],
                    y=scores[keep],
                    name=name,
                    marker=dict(color=color),
                    hovertemplate="j = %{x}<br>a = %{y:.2f}<extra></extra>",
                )
            )
    layout = _layout(title, height, bargap=0.15, legend=BOTTOM_LEGEND, margin=dict(b=40))
    layout["shapes"] = []
    if running_max is not None:
        _max_line(layout, running_max, max_label)
    for edge in range(block_size, n, block_size):  # a line across the whole height ("y domain"), as add_vline
        line = dict(type="line", x0=edge + 0.5, x1=edge + 0.5, xref="x", y0=0, y1=1, yref="y domain")
        layout["shapes"].append(line | dict(line=dict(color="#888", width=1, dash="dot")))
    layout["xaxis"] = _grid(dict(title=dict(text=x_title, standoff=4), range=[0.4, n + 0.6], showgrid=False))
    layout["yaxis"] = _grid(dict(title=dict(text=y_title)))
    return dict(data=data, layout=layout)


def _max_line(layout: dict, running_max: float, max_label: str) -> None:
    """The running max m: a dashed line across the plot (as Plotly's add_hline draws it) and its words on it."""
    line = dict(type="line", x0=0, x1=1, xref="x domain", y0=running_max, y1=running_max, yref="y")
    layout["shapes"].append(line | dict(line=dict(color=MATRIX_COLOR, dash="dash", width=2)))
    note = dict(text=max_label, font=dict(color=MATRIX_COLOR), bgcolor="rgba(255,255,255,0.8)", showarrow=False)
    note |= dict(x=0, xref="x domain", xanchor="left", y=running_max, yref="y", yanchor="bottom")
    layout["annotations"] = [note]


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
) -> Spec:
    """e^{a − m}/ℓ with what has been seen so far (bars) against the final softmax (markers)."""
    positions = np.arange(1, len(final) + 1)
    data = [
        dict(
            type="bar",
            x=positions,
            y=partial.astype(np.float32),
            name=partial_label,
            marker=dict(color="#0072B2"),
            hovertemplate="j = %{x}<br>%{y:.3f}<extra></extra>",
        ),
        dict(
            type="scatter",
            x=positions,
            y=final.astype(np.float32),
            name=final_label,
            mode="markers",
            marker=dict(color=MATRIX_COLOR, size=8, symbol="line-ew-open", line=dict(width=3)),
            hovertemplate="j = %{x}<br>%{y:.3f}<extra></extra>",
        ),
    ]
    layout = _layout(title, height, bargap=0.15, legend=BOTTOM_LEGEND, margin=dict(b=40))
    layout["xaxis"] = _grid(dict(title=dict(text=x_title, standoff=4), range=[0.4, len(final) + 0.6], showgrid=False))
    layout["yaxis"] = _grid(dict(title=dict(text=y_title), rangemode="tozero"))
    return dict(data=data, layout=layout)
