"""The Image page's views: what each draws from the one frozen result (``Shown``) and the open question.

``page.py`` reads the settings, makes the one ``compute.attention`` call, builds
``Shown`` and calls ``VIEWS[view]``.  Every element that shows a quantity checks
``asked.hides(...)`` first (the guided lesson's no-leak rule): ``"map"`` and
``"regions"`` (the learned map and its grid), ``"probs"`` (what the model
answers), ``"weights"`` (the student's own map).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import streamlit as st

from attention_core.image_model import points_at_target
from attention_core.images import most_attended
from attention_core.scenes import Scene
from lessons.image_attention import arithmetic, compute, controls
from lessons.image_attention import figures as fig
from ui import export, guided
from ui.figures import show
from ui.i18n import t

LEARNED_CHART, OWN_CHART, GRID_CHART = "chart.image.learned", "chart.image.own", "chart.image.grid"


@dataclass(frozen=True)
class Shown:
    """What the page draws: the picture (and its scene when generated, the scene before the last move),
    the settings it was computed with, and the core's result."""

    image: np.ndarray  # uint8 [H, W, 3]
    scene: Scene | None  # None: an upload
    before: Scene | None  # the move view: the scene before the last move
    settings: dict  # features, patch, method, temperature, topk, move, sample
    result: compute.ImageAttention


@st.cache_data(max_entries=64, max_size="16MB", show_spinner=False)
def png(image: np.ndarray) -> str:
    return fig.png_source(image)


def class_names() -> list[str]:
    return [t(f"image.class.{name}") for name in compute.image_model().classes]


def plain_image(where, image: np.ndarray, title: str | None = None) -> None:
    """The picture without its map, where a map would answer the open question (under the chart's title, if any)."""
    if title:
        where.markdown(f"**{title}**")
    where.image(image, width="stretch")
    where.caption(t("guide.hidden"))


def pointing(where, weights: np.ndarray, scene: Scene) -> None:
    """Whether the most attended region lies on the red object: the pointing game, said in one line."""
    where.markdown(t("image.pointing.hit" if points_at_target(weights, scene.target_mask) else "image.pointing.miss"))


def learned_view(shown: Shown, asked: guided.Shown = guided.OFF) -> None:
    """The model's learned query q over its 8 × 8 regions, laid over the image; what it predicts."""
    image, scene, p = shown.image, shown.scene, shown.result.prediction
    names = class_names()
    k = int(shown.settings["topk"])
    left, right = st.columns([1.5, 1], gap="large")
    guided.chart(
        left,
        asked,
        ("map", "regions"),  # the colours, the top-k boxes, and the grid of cells itself
        fig.overlay(
            png(image),
            image.shape[:2],
            p.weights,
            title=t("image.learned.title"),
            colorbar_title="w",
            hover=t("image.hover"),
            top=most_attended(p.weights, k),
            target_box=fig.mask_box(scene.target_mask) if scene is not None else None,
        ),
        instead=partial(plain_image, left, image),  # a guided question asks where the map lands
        width="stretch",
        key=LEARNED_CHART,
        config=fig.NO_ZOOM,
    )
    with right:
        best = int(np.argmax(p.probabilities))
        if not asked.hides("probs"):
            st.markdown(t("image.predicted", name=names[best], p=100 * float(p.probabilities[best])))
        guided.chart(
            right,
            asked,
            "probs",
            fig.probabilities(p.probabilities, names, t("image.probabilities"), t("image.probability"), best),
            key="chart.image.probs",
            config=fig.NO_ZOOM,
        )
        controls.SETTINGS.draw("topk")
        if not asked.hides("regions"):  # "8 × 8 regions" answers the regions question
            st.caption(t("image.learned.caption", k=k, g=p.weights.shape[0], d=p.features.shape[1]))
        if scene is not None and not asked.hides("map"):
            pointing(st, p.weights, scene)
    if asked.hides("map", "regions"):
        return  # the weights as numbers wait too
    with st.expander(t("image.learned.numbers")):
        grid = fig.grid_heatmap(
            p.weights,
            title=t("image.learned.grid"),
            colorbar_title="w",
            x_title=t("image.col"),
            y_title=t("image.row"),
            hover=t("image.hover"),
            height=460,
        )
        show(grid, key="chart.image.learned_grid", config=fig.NO_ZOOM)
        export.matrix_downloads("image-weights", p.weights)


def own_view(shown: Shown, asked: guided.Shown = guided.OFF) -> None:
    """The student's query: one region's feature vector scored against every region (its settings are drawn above)."""
    image, settings, own = shown.image, shown.settings, shown.result.own
    rows, cols, r, c, w = own.rows, own.cols, own.r, own.c, own.weights
    patch = int(settings["patch"])
    left, right = st.columns(2, gap="medium")
    title = t("image.own.title", row=r + 1, col=c + 1, features=t(f"image.features.{settings['features']}"))
    overlay = fig.overlay(
        png(image),
        image.shape[:2],
        w,
        title=title,
        colorbar_title="w",
        hover=t("image.hover"),
        selected=(r, c),
        covered=None if settings["features"] == "cnn" else (rows * patch, cols * patch),
    )
    click = dict(selection_mode="points", config=fig.NO_ZOOM, marked=False)  # a click picks the query's region
    guided.chart(
        left,
        asked,
        "weights",
        overlay,
        instead=partial(plain_image, left, image),
        key=OWN_CHART,
        on_select=partial(controls.on_region_click, OWN_CHART),
        **click,
    )
    controls.region_inputs((rows, cols), left)
    if not asked.hides("weights"):
        left.caption(t("image.own.click_help"))
    grid = fig.grid_heatmap(
        w,
        title=t("image.own.grid", rows=rows, cols=cols),
        colorbar_title="w",
        x_title=t("image.col"),
        y_title=t("image.row"),
        hover=t("image.hover"),
        selected=(r, c),
    )
    guided.chart(
        right, asked, "weights", grid, key=GRID_CHART, on_select=partial(controls.on_region_click, GRID_CHART), **click
    )
    if asked.hides("weights"):
        return  # the arithmetic prints every weight
    with st.container(border=True):
        st.markdown(t("image.own.arithmetic", k=own.index + 1, row=r + 1, col=c + 1, d=own.x.shape[1]))
        x, temperature = own.x, float(settings["temperature"])
        lines = arithmetic.lines(
            settings["method"], x[own.index], x, own.scores.ravel(), w.ravel(), own.output, temperature, own.index
        )
        for line in lines:
            st.latex(line)


def move_view(shown: Shown, asked: guided.Shown = guided.OFF) -> None:
    """The same scene with the red object moved: the learned map follows it (the model was never told where it is)."""
    if shown.scene is None:
        st.info(t("image.move.upload"), icon="ℹ️")
        return
    st.markdown(t("image.move.text"))
    move = int(shown.settings["move"])
    if move or not guided.is_on(controls.PAGE):  # before the first move the lesson's own button says it (one, not two)
        button = controls.SETTINGS.widget("move_button")
        st.button(t("image.move.button"), on_click=controls.move_object, key=button, type="primary")
    scenes = [("before", shown.before, shown.result.before)] if move else []
    scenes.append(("now", shown.scene, shown.result.prediction))
    columns = st.columns(2, gap="large")
    for column, (when, scene, p) in zip(columns, scenes):
        name = class_names()[int(np.argmax(p.probabilities))]
        when_word = t(f"image.move.{when}")
        # the title names the predicted shape: it waits while a question asks for it
        title = when_word if asked.hides("probs") else t("image.move.title", when=when_word, name=name)
        guided.chart(
            column,
            asked,
            "map",
            fig.overlay(
                png(scene.image),
                scene.image.shape[:2],
                p.weights,
                title=title,
                colorbar_title="w",
                hover=t("image.hover"),
                top=most_attended(p.weights, 1),
                target_box=fig.mask_box(scene.target_mask),
                height=440,
            ),
            instead=partial(plain_image, column, scene.image, title),
            marked=False,
            key=f"chart.image.{when}",
            config=fig.NO_ZOOM,
        )
        if not asked.hides("map"):
            pointing(column, p.weights, scene)
    if not move:
        columns[1].info(t("image.move.first"), icon="ℹ️")
    st.caption(t("image.move.caption"))


# {view: the function that draws it} (the view picker's options: controls.VIEWS)
VIEWS = {"learned": learned_view, "own": own_view, "move": move_view}
