"""Image attention: where a small CNN learned to look, and one region of the image attending over all the others.

The page reads top to bottom: the link (when the page is entered) → the sidebar's
image → the view and the settings → one ``compute.attention`` call →
``views.Shown`` (frozen) → the guided lesson → ``views.VIEWS[view]`` → the link
the page now stands for.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import streamlit as st

from lessons.image_attention import compute, controls, guide, views
from ui import boundary, guided, url_state
from ui.feedback import show_errors
from ui.guide_steps import NoFit, Word
from ui.i18n import t

PAGE = controls.PAGE


def guide_steps(shown: views.Shown, view: str):
    """The guided lesson's questions from the open view's numbers, or which setting to change (a NoFit)."""
    p, loaded = shown.result.prediction, compute.image_model()
    if view == "learned":
        halvings = int(round(np.log2(loaded.model.size / loaded.model.grid)))  # the CNN's stride-2 layers
        return guide.steps(p.weights, p.probabilities, loaded.classes, loaded.model.size, halvings)
    if view == "own":
        own = shown.result.own
        return guide.own_steps(own.weights, (own.r, own.c))
    if shown.scene is None:  # an upload: nothing to move
        return NoFit(Word("guide.image.nofit.upload"), Word("guide.image.nofit.sample"), controls.back_to_sample)
    if not shown.settings["move"]:
        return NoFit(Word("guide.image.nofit.still"), Word("image.move.button"), controls.move_object)
    return guide.move_steps(p.weights, p.probabilities, loaded.classes, shown.scene.target_mask)


guided.enter(PAGE, lambda: controls.read_link(compute.grid_side))

st.title(t("image.title"))
st.markdown(t("image.lesson"))
SCORE_WORD, REGION_WORD = t("image.formula.score"), t("image.formula.region", i=r"\textit{i}")
st.latex(  # the formula's words come from the catalog; i stays italic, like the maths around it
    rf"a_i = \text{{{SCORE_WORD}}}(q, x_i) \qquad w = \operatorname{{softmax}}(a / T) \qquad "
    rf"o = \sum_i w_i\, x_i \qquad x_i = \text{{{REGION_WORD}}}"
)
url_state.show_warnings()
guided.presets(PAGE, guide.presets())
controls.image_sidebar()
show_errors()


@boundary.fragment
def explorer() -> None:
    """The view, its settings, the one computation and the view's charts: a widget here reruns this, not the page."""
    image, scene = controls.current()
    view = controls.view_picker()
    guide_box = st.container()  # the guided lesson, filled once the numbers are known
    if view == "own":
        controls.query_controls(
            image
        )  # features, region size, scoring: drawn before the numbers are computed from them
    settings = controls.settings()
    region, before = None, None
    if view == "own":  # the query's region, on the grid these settings give
        grid = compute.grid(image, settings)
        region = controls.region(grid, start=partial(compute.favourite, image, grid))
    if view == "move" and scene is not None and settings["move"]:  # the scene before the last move, beside it
        before = controls.sample_scene(settings["sample"], int(settings["move"]) - 1)
    link = controls.url_values()

    # ---- the computation: everything below is drawn from this one call
    result = compute.attention(image, settings, region, None if before is None else before.image)
    shown = views.Shown(image, scene, before, settings, result)

    asked = guided.lesson(PAGE, partial(guide_steps, shown, view), guide_box, wide=True)
    views.VIEWS[view](shown, asked)
    if controls.url_values() != link:  # a widget below took the value the browser sent (first run after a move)
        st.rerun()
    url_state.publish(link | guided.url_values(PAGE))


explorer()
