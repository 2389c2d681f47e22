"""The Speech page's Plotly builders: arrays and words in, a figure's dict out (no t(), no torch, no attention computed).

Time is always on x in seconds: a mel column is 10 ms, an encoder frame 20 ms.
"""

from __future__ import annotations

import numpy as np

from ui.figures import Spec, axis, base_layout

MEL_SECONDS, FRAME_SECONDS = 0.01, 0.02
CURVE = "#E69F00"  # Okabe–Ito orange on Viridis
WORD = "#FFFFFF"
MAX_WAVE_POINTS = 1600


def _seconds_axis(title: str, end: float) -> dict:
    return axis(title=title, range=[0, end], showgrid=False, zeroline=False)


def _word_marks(layout: dict, words) -> None:
    """Each word's start as a dotted line on the picture, its text above the picture over the middle of its
    stretch (two rows, alternating, so short neighbouring words do not overlap)."""
    for i, (text, start, end) in enumerate(words):
        line = dict(type="line", x0=start, x1=start, y0=0, y1=1, yref="paper", line=dict(color=WORD, dash="dot"))
        layout.setdefault("shapes", []).append(line)
        layout.setdefault("annotations", []).append(
            dict(
                x=(start + end) / 2,
                y=1.02 + 0.09 * (i % 2),
                yref="paper",
                yanchor="bottom",
                text=text,
                showarrow=False,
                font=dict(size=14),
            )
        )


def waveform(samples: np.ndarray, rate: int, words: dict, height: int = 170) -> Spec:
    """The clip's samples as an envelope: the lowest and highest sample of each of ≤ 1600 slices."""
    n = len(samples)
    edges = np.linspace(0, n, min(n, MAX_WAVE_POINTS) + 1).astype(int)
    low = np.minimum.reduceat(samples, edges[:-1]).astype(np.float32)
    high = np.maximum.reduceat(samples, edges[:-1]).astype(np.float32)
    x = (edges[:-1] / rate).astype(np.float32)
    layout = base_layout(
        words["wave_title"],
        height,
        showlegend=False,
        xaxis=_seconds_axis(words["time"], n / rate),
        yaxis=axis(title=words["amplitude"], range=[-1, 1]),
    )
    layout["margin"] |= dict(t=40, b=40)
    line = dict(width=1, color="#31688E")
    data = [
        dict(type="scatter", x=x, y=high, mode="lines", line=line, hoverinfo="skip"),
        dict(type="scatter", x=x, y=low, mode="lines", fill="tonexty", line=line, hoverinfo="skip"),
    ]
    return dict(data=data, layout=layout)


def spectrogram(
    mel: np.ndarray,
    seconds: float,
    words: dict,
    placed=(),
    attention: np.ndarray | None = None,
    stretch: tuple[float, float] | None = None,
    title: str = "",
    height: int = 360,
) -> Spec:
    """The log-mel spectrogram ``[80, cols]`` (10 ms a column) with words placed on it.

    ``placed``: [(word, start s, end s)]; ``attention [frames]``: one token's weights over the encoder frames,
    drawn as a curve on its own axis; ``stretch``: (start s, end s) shaded, what the page plays.
    """
    cols = mel.shape[1]
    data = [
        dict(
            type="heatmap",
            z=mel.astype(np.float32),
            x0=MEL_SECONDS / 2,
            dx=MEL_SECONDS,
            colorscale="Viridis",
            showscale=False,
            hovertemplate=words["hover_mel"] + "<extra></extra>",
        )
    ]
    layout = base_layout(
        title or words["mel_title"],
        height,
        showlegend=False,
        xaxis=_seconds_axis(words["time"], min(seconds, cols * MEL_SECONDS)),
        yaxis=axis(title=words["mel_band"], range=[-0.5, 79.5], showgrid=False),
    )
    if attention is not None:
        frames = np.arange(len(attention), dtype=np.float32) * FRAME_SECONDS + FRAME_SECONDS / 2
        data.append(
            dict(
                type="scatter",
                x=frames,
                y=attention.astype(np.float32),
                yaxis="y2",
                mode="lines",
                line=dict(color=CURVE, width=3),
                name=words["weight"],
                hovertemplate=words["hover_weight"] + "<extra></extra>",
            )
        )
        layout["yaxis2"] = axis(
            title=dict(text=words["weight"], font=dict(color=CURVE)),
            overlaying="y",
            side="right",
            range=[0, float(attention.max()) * 1.1 or 1],
            showgrid=False,
            tickformat=".2f",
        )
        layout["margin"]["r"] = 70
    if stretch is not None:  # the stretch across the whole height ("y domain"), as Plotly's add_vrect draws it
        shade = dict(type="rect", x0=stretch[0], x1=stretch[1], xref="x", y0=0, y1=1, yref="y domain")
        shade |= dict(line=dict(color=CURVE, width=3), fillcolor=CURVE, opacity=0.3)
        layout["shapes"] = [shade]
    if placed:
        _word_marks(layout, placed)
        layout["margin"]["t"] = 100
    return dict(data=data, layout=layout)


def alignment(
    matrix: np.ndarray,
    labels: list[str],
    path_tokens: np.ndarray | None,
    path_frames: np.ndarray | None,
    words: dict,
    title: str,
    height: int = 420,
) -> Spec:
    """The token × frame matrix ``[t, f]`` the DTW runs through, and (if given) its path."""
    t = matrix.shape[0]
    data = [
        dict(
            type="heatmap",
            z=matrix.astype(np.float32),
            x0=FRAME_SECONDS / 2,
            dx=FRAME_SECONDS,
            y=np.arange(t),
            colorscale="Viridis",
            colorbar=dict(thickness=12),
            hovertemplate=words["hover_matrix"] + "<extra></extra>",
        )
    ]
    if path_tokens is not None:
        data.append(
            dict(
                type="scatter",
                x=(path_frames * FRAME_SECONDS + FRAME_SECONDS / 2).astype(np.float32),
                y=path_tokens,
                mode="lines",
                line=dict(color=CURVE, width=3),
                name=words["path"],
                hoverinfo="skip",
            )
        )
    layout = base_layout(
        title,
        height,
        showlegend=False,
        xaxis=_seconds_axis(words["time"], matrix.shape[1] * FRAME_SECONDS),
        yaxis=axis(title=words["token"], tickvals=np.arange(t), ticktext=labels, autorange="reversed", showgrid=False),
    )
    return dict(data=data, layout=layout)


def square(
    matrix: np.ndarray, words: dict, title: str, labels: list[str] | None = None, step: float = 1.0, height: int = 460
) -> Spec:
    """A square attention matrix: queries down, keys across; ``labels`` (tokens) or times ``step`` s a cell."""
    n = matrix.shape[0]
    if labels is None:
        spec = dict(x0=step / 2, dx=step, y0=step / 2, dy=step)
        x_axis = axis(title=words["key_time"], showgrid=False)
        y_axis = axis(title=words["query_time"], autorange="reversed", showgrid=False)
        hover = words["hover_frames"]
    else:
        spec = dict(x=np.arange(n), y=np.arange(n))
        ticks = dict(tickvals=np.arange(n), ticktext=labels, showgrid=False)
        x_axis, y_axis = (
            axis(title=words["key_token"], **ticks),
            axis(title=words["query_token"], autorange="reversed", **ticks),
        )
        hover = words["hover_tokens"]
    heat = dict(
        type="heatmap",
        z=matrix.astype(np.float32),
        colorscale="Viridis",
        zmin=0,
        colorbar=dict(thickness=12),
        hovertemplate=hover + "<extra></extra>",
        **spec,
    )
    return dict(data=[heat], layout=base_layout(title, height, xaxis=x_axis, yaxis=y_axis))


def languages(names: list[str], probs: np.ndarray, words: dict, height: int = 360) -> Spec:
    """The likeliest languages as horizontal bars, likeliest on top."""
    bars = dict(
        type="bar",
        orientation="h",
        x=probs.astype(np.float32),
        y=names,
        text=[f"{p:.1%}" for p in probs],
        textposition="outside",
        marker=dict(color="#31688E"),
        hovertemplate="%{y}: %{x:.3f}<extra></extra>",
    )
    layout = base_layout(
        words["language_title"],
        height,
        xaxis=axis(title=words["probability"], range=[0, 1.15]),
        yaxis=axis(autorange="reversed"),
    )
    layout["margin"]["l"] = 130
    return dict(data=[bars], layout=layout)


def by_hand(weights: np.ndarray, model_weights: np.ndarray, words: dict, height: int = 320) -> Spec:
    """The weights recomputed by hand (a line) over the model's own (dots): they coincide."""
    x = np.arange(len(weights), dtype=np.float32) * FRAME_SECONDS + FRAME_SECONDS / 2
    data = [
        dict(
            type="scatter",
            x=x,
            y=model_weights.astype(np.float32),
            mode="markers",
            marker=dict(color="#31688E", size=6),
            name=words["model_weights"],
        ),
        dict(
            type="scatter",
            x=x,
            y=weights.astype(np.float32),
            mode="lines",
            line=dict(color=CURVE, width=2),
            name=words["hand_weights"],
        ),
    ]
    layout = base_layout(
        words["by_hand_title"],
        height,
        xaxis=_seconds_axis(words["time"], len(weights) * FRAME_SECONDS),
        yaxis=axis(title=words["weight"]),
        legend=dict(orientation="h", y=1.12, x=1, xanchor="right"),
    )
    return dict(data=data, layout=layout)
