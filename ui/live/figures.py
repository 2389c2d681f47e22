"""The class's answers to one question as a bar chart: counts in, a figure's dict out (no room, no Streamlit here)."""

from __future__ import annotations

import numpy as np

from ui.figures import Spec, axis, base_layout
from ui.text import escape

BAR = "#21918c"  # Viridis' middle: every answer alike until the reveal
RIGHT = "#E69F00"  # Okabe–Ito orange, the guided lesson's mark: the right answer, once revealed
RIGHT_PATTERN = "/"  # and hatched, so the right bar is not told by colour alone


def tally_chart(
    labels, counts, title: str, count_title: str, right: int | None = None, height: int = 320, big: bool = False
) -> Spec:
    """Bars of ``counts`` (one per option or value) over ``labels`` (user text: escaped here).

    ``right``: the index of the right answer's bar once revealed (in the mark's colour, hatched),
    None before: the chart never hints at the answer.  Counts are printed on the bars.  ``big``: the
    options and counts in larger type, for the projector (projector mode then grows them 1.4× more).
    """
    size = 18 if big else 13
    counts = np.asarray(counts, dtype=np.int32)  # (k,)
    x = np.arange(1, len(counts) + 1)  # options at 1…k: labels may repeat, so they are tick texts
    colors = [RIGHT if i == right else BAR for i in range(len(counts))]
    patterns = [RIGHT_PATTERN if i == right else "" for i in range(len(counts))]
    top = max(int(counts.max()) if counts.size else 0, 1)
    bars = dict(
        type="bar",
        x=x,
        y=counts,
        text=[str(c) for c in counts],
        textposition="outside",
        textfont=dict(size=size),
        cliponaxis=False,
        marker=dict(color=colors, pattern=dict(shape=patterns, fgcolor="#333333")),
        hovertemplate="%{customdata}: %{y}<extra></extra>",
        customdata=escape(labels),
    )
    layout = base_layout(
        title,
        height,
        xaxis=axis(tickmode="array", tickvals=x, ticktext=escape(labels), automargin=True)
        | {"tickfont": {"size": size}},
        yaxis=axis(title=count_title, range=[0, top * 1.25], dtick=max(1, round(top / 5)), gridcolor="#eeeeee"),
        showlegend=False,
        bargap=0.25,
    )
    return dict(data=[bars], layout=layout)  # ui.figures.show sends it as it is (issue 23: no validation)
