"""Image attention: where a small CNN learned to look, and one region of the image attending over all the others."""

from dataclasses import dataclass
from functools import partial

import numpy as np
import streamlit as st

from attention_core.image_model import load_image_model, points_at_target, predict
from attention_core.images import most_attended, region_features, spatial_attention
from lessons.image_attention import arithmetic, controls, guide
from lessons.image_attention import figures as fig
from ui import boundary, export, guided, url_state
from ui.feedback import show_errors
from ui.figures import show
from ui.guide_steps import NoFit, Word
from ui.i18n import t

PAGE = "image"
LEARNED_CHART, OWN_CHART, GRID_CHART = "chart.image.learned", "chart.image.own", "chart.image.grid"


@st.cache_resource(show_spinner=False)
def image_model():
    """The shipped model, loaded once per server and shared read-only by every session."""
    return load_image_model()


@st.cache_data(max_entries=64, max_size="16MB", show_spinner=False)
def prediction(image: np.ndarray):
    return predict(image_model(), image)


@st.cache_data(max_entries=64, max_size="16MB", show_spinner=False)
def png(image: np.ndarray) -> str:
    return fig.png_source(image)


@st.cache_data(max_entries=64, max_size="16MB", show_spinner=False)
def features(image: np.ndarray, kind: str, patch: int) -> tuple[np.ndarray, tuple[int, int]]:
    """X ``[n, d]`` and the grid: the model's own region features for "cnn", else computed from the pixels."""
    if kind == "cnn":
        g = image_model().model.grid
        return prediction(image).features, (g, g)
    return region_features(image, patch, kind)


@st.cache_data(max_entries=256, max_size="16MB", show_spinner=False)
def own_map(image: np.ndarray, kind: str, patch: int, qi: int, method: str, temperature: float):
    """(scores, weights) ``[rows, cols]`` and output ``[d]`` of region qi's query: a rerun that changed nothing reuses them."""
    x, grid = features(image, kind, patch)
    result = spatial_attention(x[qi], x, grid, method=method, temperature=temperature)
    return result.scores.numpy(), result.weights.numpy(), result.output.numpy()


def class_names() -> list[str]:
    return [t(f"image.class.{name}") for name in image_model().classes]


# ---- settings from a shared link (only when the page is entered)
if guided.entering(PAGE):
    found = url_state.read(controls.URL_PARSERS)
    # a link's region must lie on the grid of the link's sample (SAMPLE_SIZE / patch regions a side, or the CNN's)
    kind, patch = found.get("features", controls.get("features")), found.get("patch", controls.get("patch"))
    side = image_model().model.grid if kind == "cnn" else controls.SAMPLE_SIZE // int(patch)
    for name in ("row", "col"):
        found = url_state.drop_unfit(found, name, lambda value: url_state.int_in(1, side)(str(value)))
    controls.apply_url(found)

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


def learned_view(image: np.ndarray, scene, asked: guided.Shown = guided.OFF) -> None:
    """The model's learned query q over its 8 × 8 regions, laid over the image; what it predicts."""
    p = prediction(image)
    names = class_names()
    k = int(controls.get("topk"))
    top = most_attended(p.weights, k)
    box = fig.mask_box(scene.target_mask) if scene is not None else None
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
            top=top,
            target_box=box,
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
        controls.topk_input()
        if not asked.hides("regions"):  # "8 × 8 regions" answers the regions question
            st.caption(t("image.learned.caption", k=k, g=p.weights.shape[0], d=p.features.shape[1]))
        if scene is not None and not asked.hides("map"):
            hit = points_at_target(p.weights, scene.target_mask)
            st.markdown(t("image.pointing.hit" if hit else "image.pointing.miss"))
    if asked.hides("map", "regions"):
        return  # the weights as numbers wait too
    with st.expander(t("image.learned.numbers")):
        show(
            fig.grid_heatmap(
                p.weights,
                title=t("image.learned.grid"),
                colorbar_title="w",
                x_title=t("image.col"),
                y_title=t("image.row"),
                hover=t("image.hover"),
                height=460,
            ),
            key="chart.image.learned_grid",
            config=fig.NO_ZOOM,
        )
        export.matrix_downloads("image-weights", p.weights)


@dataclass(frozen=True)
class OwnQuery:
    """The student's query as the settings stand: region (r, c) of a rows × cols grid, X, and its map."""

    settings: dict
    x: np.ndarray  # [n, d]
    rows: int
    cols: int
    r: int
    c: int
    scores: np.ndarray  # [rows, cols]
    weights: np.ndarray  # [rows, cols]
    output: np.ndarray  # [d]

    @property
    def index(self) -> int:
        return self.r * self.cols + self.c


def own_query(image: np.ndarray) -> OwnQuery:
    """The own view's numbers from the settings, before its widgets are drawn (the guided lesson asks about them)."""
    settings = {name: controls.get(name) for name in ("features", "patch", "method", "temperature")}
    x, (rows, cols) = features(image, settings["features"], int(settings["patch"]))
    ((mr, mc),) = most_attended(prediction(image).weights, 1)  # the model's favourite region, on this grid
    g = image_model().model.grid
    r, c = controls.clamp_region(rows, cols, start=(int((mr + 0.5) * rows / g), int((mc + 0.5) * cols / g)))
    scores, w, output = own_map(
        image,
        settings["features"],
        int(settings["patch"]),
        r * cols + c,
        settings["method"],
        float(settings["temperature"]),
    )
    return OwnQuery(settings, x, rows, cols, r, c, scores, w, output)


def own_view(image: np.ndarray, own: OwnQuery, asked: guided.Shown = guided.OFF) -> None:
    """The student's query: one region's feature vector scored against every region."""
    controls.query_controls()
    settings, rows, cols, r, c, w = own.settings, own.rows, own.cols, own.r, own.c, own.weights
    left, right = st.columns(2, gap="medium")
    title = t("image.own.title", row=r + 1, col=c + 1, features=t(f"image.features.{settings['features']}"))
    guided.chart(
        left,
        asked,
        "weights",
        fig.overlay(
            png(image),
            image.shape[:2],
            w,
            title=title,
            colorbar_title="w",
            hover=t("image.hover"),
            selected=(r, c),
            covered=None
            if settings["features"] == "cnn"
            else (rows * int(settings["patch"]), cols * int(settings["patch"])),
        ),
        instead=lambda: plain_image(left, image),
        marked=False,
        key=OWN_CHART,
        on_select=partial(controls.on_region_click, OWN_CHART),
        selection_mode="points",
        config=fig.NO_ZOOM,
    )
    with left:
        controls.region_inputs(rows, cols)
        if not asked.hides("weights"):
            st.caption(t("image.own.click_help"))
    guided.chart(
        right,
        asked,
        "weights",
        fig.grid_heatmap(
            w,
            title=t("image.own.grid", rows=rows, cols=cols),
            colorbar_title="w",
            x_title=t("image.col"),
            y_title=t("image.row"),
            hover=t("image.hover"),
            selected=(r, c),
        ),
        marked=False,
        key=GRID_CHART,
        on_select=partial(controls.on_region_click, GRID_CHART),
        selection_mode="points",
        config=fig.NO_ZOOM,
    )
    if asked.hides("weights"):
        return  # the arithmetic prints every weight
    with st.container(border=True):
        st.markdown(t("image.own.arithmetic", k=own.index + 1, row=r + 1, col=c + 1, d=own.x.shape[1]))
        for line in arithmetic.lines(
            settings["method"],
            own.x[own.index],
            own.x,
            own.scores.ravel(),
            w.ravel(),
            own.output,
            float(settings["temperature"]),
            own.index,
        ):
            st.latex(line)


def plain_image(where, image: np.ndarray, title: str | None = None) -> None:
    """The picture without its map, where a map would answer the open question (under the chart's title, if any)."""
    if title:
        where.markdown(f"**{title}**")
    where.image(image, width="stretch")
    where.caption(t("guide.hidden"))


def move_view(image: np.ndarray, scene, asked: guided.Shown = guided.OFF) -> None:
    """The same scene with the red object moved: the learned map follows it (the model was never told where it is)."""
    if scene is None:
        st.info(t("image.move.upload"), icon="ℹ️")
        return
    st.markdown(t("image.move.text"))
    move = int(controls.get("move"))
    if move or not guided.is_on(PAGE):  # before the first move the lesson's own button says it (one button, not two)
        st.button(t("image.move.button"), on_click=controls.move_object, key="w.image.move_button", type="primary")
    shown = [("before", controls.sample_scene(controls.get("sample"), move - 1))] if move else []
    shown.append(("now", scene))
    columns = st.columns(2, gap="large")
    for column, (when, s) in zip(columns, shown):
        p = prediction(s.image)
        name = class_names()[int(np.argmax(p.probabilities))]
        when_word = t(f"image.move.{when}")
        # the title names the predicted shape: it waits while a question asks for it
        title = when_word if asked.hides("probs") else t("image.move.title", when=when_word, name=name)
        guided.chart(
            column,
            asked,
            "map",
            fig.overlay(
                png(s.image),
                s.image.shape[:2],
                p.weights,
                title=title,
                colorbar_title="w",
                hover=t("image.hover"),
                top=most_attended(p.weights, 1),
                target_box=fig.mask_box(s.target_mask),
                height=440,
            ),
            instead=partial(plain_image, column, s.image, title),
            marked=False,
            key=f"chart.image.{when}",
            config=fig.NO_ZOOM,
        )
        if not asked.hides("map"):
            hit = points_at_target(p.weights, s.target_mask)
            column.markdown(t("image.pointing.hit" if hit else "image.pointing.miss"))
    if not move:
        columns[1].info(t("image.move.first"), icon="ℹ️")
    st.caption(t("image.move.caption"))


def guide_steps(image: np.ndarray, scene, view: str, own: OwnQuery | None):
    """The guided lesson's questions from the open view's numbers, or which setting to change (a NoFit)."""
    p = prediction(image)
    if view == "learned":
        model = image_model().model
        halvings = int(round(np.log2(model.size / model.grid)))
        return guide.steps(p.weights, p.probabilities, image_model().classes, model.size, halvings)
    if view == "own":
        return guide.own_steps(own.weights, (own.r, own.c))
    if scene is None:  # an upload: nothing to move
        return NoFit(Word("guide.image.nofit.upload"), Word("guide.image.nofit.sample"), controls.back_to_sample)
    if not int(controls.get("move")):
        return NoFit(Word("guide.image.nofit.still"), Word("image.move.button"), controls.move_object)
    return guide.move_steps(p.weights, p.probabilities, image_model().classes, scene.target_mask)


@boundary.fragment
def explorer() -> None:
    image, scene = controls.current()
    view = controls.view_picker()
    own = own_query(image) if view == "own" else None
    asked = guided.lesson(PAGE, partial(guide_steps, image, scene, view, own), wide=True)
    if view == "learned":
        learned_view(image, scene, asked)
    elif view == "own":
        own_view(image, own, asked)
    else:
        move_view(image, scene, asked)
    url_state.publish(controls.url_values() | guided.url_values(PAGE))


explorer()
