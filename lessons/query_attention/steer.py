"""Steer the query: the direction ∂wⱼ/∂q that raises token j's weight, drawn in 2-D, and a step along it.

The step edits q through the query editor's own state (``controls.set_query``),
so the sliders, the text box, every chart and the link follow it.  q on the
page is the box's q times the scale s; the gradient is taken with respect to
the box's q (s·∂wⱼ/∂q'), so a step of length η moves the numbers in the box by η.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core.errors import InputError
from attention_core.projection import fit_pca_2d
from attention_core.steering import steer_step, weight_gradient
from lessons.query_attention import controls as query_input
from lessons.query_attention import figures as query_figures
from ui import sequence_input, url_state
from ui.feedback import error_text
from ui.figures import show
from ui.i18n import t
from ui.settings import Settings
from ui.text import escape, md_escape

STEPS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0)  # distances in q-space a step can go
STEP = 0.25  # the default step
DECIMALS = 3  # a stepped q is rounded like the text box and the link show it
MAX_SHOWN = 8  # gradient entries written out; the rest is "…"

settings = Settings(
    "query.steer",
    # token None: the runner-up (see pick_default); last: the last step taken,
    # {"q", "token", "before", "predicted"}, shown while q is still there (not in the link)
    defaults={"token": None, "step": STEP, "last": None},
    parsers={
        "token": url_state.int_in(1, 10**6),
        "step": lambda raw: float(url_state.one_of(tuple(map(str, STEPS)))(raw)),
    },
)
URL_PARSERS = {"steer_to": settings.parsers["token"], "steer_step": settings.parsers["step"]}


def take_link(found: dict) -> None:
    """A link's steering token (1-based ``steer_to``) and step (``steer_step``)."""
    settings.ensure()
    settings.apply_url(
        ({"token": found["steer_to"] - 1} if "steer_to" in found else {})
        | ({"step": found["steer_step"]} if "steer_step" in found else {})
    )


def url_values() -> dict:
    settings.ensure()
    token = settings.get("token")
    step = settings.get("step")
    return {"steer_to": None if token is None else token + 1, "steer_step": None if step == STEP else step}


def pick_default(weights: np.ndarray, options: list[int]) -> int:
    """The runner-up: the allowed token with the second largest weight (the one with the most to gain in sight)."""
    ranked = sorted(options, key=lambda i: -weights[i])
    return ranked[1] if len(ranked) > 1 else ranked[0]


def number(x: float) -> str:
    """3 decimals, or 2 significant digits when that would print a non-zero as 0.000."""
    return f"{x:.3f}" if x == 0 or abs(x) >= 5e-4 else f"{x:.1e}"


def _on_step(q_box: np.ndarray, sel: int, direction: np.ndarray, record: dict) -> None:
    """Move the selected query one step along ĝ (in the box's q); remember what the step should do."""
    distance = float(settings.get("step"))
    moved = np.round(steer_step(q_box[sel], direction, distance), DECIMALS)
    q_new = q_box.copy()
    q_new[sel] = moved
    query_input.set_query(q_new)
    settings.set("last", record | {"q": moved})


def steer_view(shown, asked=None) -> None:
    """Pick j, see ∂wⱼ/∂q as an arrow on the keys' 2-D picture and as numbers, and take a step.

    ``shown``: the page's frozen result (``views.Shown``); the query steered is its shown one.
    """
    seq, scoring, params, allowed, w = shown.seq, shown.scoring, shown.params, shown.allowed, shown.w
    q_box, sel, scale = shown.q_box, shown.sel, shown.scale
    settings.ensure()
    options = [int(i) for i in np.flatnonzero(allowed)]
    if not options:
        st.info(t("steer.nothing"), icon=":material/block:")
        return
    if settings.get("token") not in options:
        settings.set("token", pick_default(w, options))
    names = [f"{i + 1} · {seq.labels[i]}" for i in options]
    controls, picture = st.columns([1, 2], gap="medium")
    with controls:
        st.selectbox(
            t("steer.token"),
            options,
            format_func=dict(zip(options, names)).get,
            key=settings.follow("token", names),
            on_change=settings.copy,
            args=("token", names),
            help=t("steer.token.help"),
        )
        st.select_slider(
            t("steer.step"),
            STEPS,
            key=settings.follow("step"),
            on_change=settings.copy,
            args=("step",),
            help=t("steer.step.help"),
        )
    j, distance = int(settings.get("token")), float(settings.get("step"))
    q_eff = shown.q[sel]  # the query attention sees (s · the box's q)
    try:
        steering = weight_gradient(
            q_eff,
            seq.values,
            j,
            method=scoring["method"],
            temperature=scoring["temperature"],
            mask=allowed,
            params=params,
        )
    except InputError as exc:  # in practice only cosine scoring with q = 0
        message = t("steer.zero_cosine") if scoring["method"] == "cosine" else error_text(exc)
        controls.info(message, icon=":material/info:")
        return
    gradient = scale * steering.gradient.numpy()  # ∂wⱼ/∂q of the box's q: [d]
    norm = float(np.linalg.norm(gradient))
    direction = gradient / norm if norm > 0 else np.zeros_like(gradient)
    predicted = distance * norm
    label = md_escape(seq.labels[j])
    with controls:
        st.button(
            t("steer.take_step"),
            on_click=_on_step,
            args=(q_box, sel, direction, {"token": j, "before": steering.weight, "predicted": predicted}),
            disabled=norm == 0,
            type="primary",
            icon=":material/arrow_outward:",
            width="stretch",
            key="w.query.steer.go",
        )
        last = settings.get("last")
        if last is not None and last["token"] == j and np.array_equal(last["q"], q_box[sel]):
            st.success(
                t("steer.last", token=label, before=last["before"], after=steering.weight, predicted=last["predicted"]),
                icon=":material/trending_up:" if steering.weight >= last["before"] else ":material/trending_down:",
            )
        metrics = st.columns(2)
        metrics[0].metric(t("steer.weight", token=label), number(steering.weight))
        metrics[1].metric(t("steer.norm"), number(norm), help=t("steer.norm.help"))
        st.metric(t("steer.predicted"), "+" + number(predicted), help=t("steer.predicted.help", step=distance))
        if norm == 0:
            st.info(t("steer.flat", token=label), icon=":material/info:")

    with picture:
        projection = sequence_input.per_sequence("pca", lambda: fit_pca_2d(seq.values))  # the 2-D view's own
        keys_2d = sequence_input.per_sequence("pca_keys", lambda: projection.project(seq.values))
        axes = projection.axes.numpy()  # [d, 2], orthonormal columns
        q_2d = projection.project(q_eff)
        end_2d = q_2d + (scale * distance * direction) @ axes  # where q lands after the step, in the picture
        # the arrow: the direction, a third of the picture long (a step may be too short to see), and
        # foreshortened like the step, so a direction mostly out of the plane looks short
        span = float(np.ptp(keys_2d, axis=0).max(initial=0.0)) or 1.0
        arrow_2d = q_2d + 0.35 * span * (direction @ axes)
        o_2d = projection.project(seq.values.T @ steering.weights.numpy())
        in_plane = float(np.linalg.norm(direction @ axes)) if norm > 0 else 0.0  # 1: the arrow is the whole step
        show(
            query_figures.steer_figure(
                keys_2d,
                q_2d,
                o_2d,
                steering.weights.numpy(),
                seq.labels,
                token=j,
                step_end_2d=end_2d,
                arrow_end_2d=arrow_2d,
                title=t("steer.title", token=escape([seq.labels[j]])[0]),
                keys_name=t("query.keys"),
                pc1_title=t("query.pc", k=1),
                pc2_title=t("query.pc", k=2),
                step_name=t("steer.after"),
                # dot scoring: the arrow is parallel to xⱼ − o, drawn from o as a dotted guide
                guide=scoring["method"] in ("dot", "scaled_dot"),
            ),
            width="stretch",
            key="chart.steer",
        )
        exact = seq.d <= 2
        st.caption(
            t("steer.caption")
            + " "
            + (t("steer.caption.exact") if exact else t("steer.caption.projected", share=100 * in_plane))
        )
    st.latex(gradient_line(gradient, j, steering.weight, scoring["method"], scoring["temperature"]))


def gradient_line(gradient: np.ndarray, j: int, w_j: float, method: str, temperature: float) -> str:
    """∂w_j/∂q = (g₁, …, g_d), written out (the first ``MAX_SHOWN`` entries); for dot: = w_j (x_j − o)/T."""
    shown = ", ".join(number(g) for g in gradient[:MAX_SHOWN]) + (", \\ldots" if gradient.size > MAX_SHOWN else "")
    rule = {
        "dot": r"w_{j}\,(x_{j} - o)\,/\,T",
        "scaled_dot": r"w_{j}\,(x_{j} - o)\,/\,(\sqrt{d}\,T)",
    }.get(method, r"w_{j}\,(g_{j} - \textstyle\sum_i w_i g_i)\,/\,T")
    rule = rule.replace("{j}", f"{{{j + 1}}}")
    return rf"\frac{{\partial w_{{{j + 1}}}}}{{\partial q}} = {rule} = ({shown})"
