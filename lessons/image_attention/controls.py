"""The Image-attention lesson's settings, each declared once, and the image in use.

Every setting a link can hold is a ``Setting`` of ``SETTINGS`` (drawn in one
line: ``SETTINGS.draw(name)``); ``move`` (how often the red object moved) has
no widget, only a button.  The picture (``uint8 [H, W, 3]``) is a sample named
in the link, or an upload held in this session only (``pixels``, never in a link).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import scenes
from attention_core.errors import InputError
from attention_core.images import QUERY_METHOD, QUERY_TEMPERATURE, load_image
from ui import url_state
from ui.feedback import error_text, push_error
from ui.figures import clicked_point
from ui.i18n import t
from ui.scoring_input import TEMPERATURES, nearest_temperature
from ui.settings import Setting, Settings

PAGE = "image"  # the page's name in the guided lesson's state and the links
SAMPLES = tuple(scenes.SAMPLES)
SAMPLE_SIZE = 256  # samples are rendered at 256 × 256: 16 regions of 16 px a side
VIEWS = ("learned", "own", "move")
FEATURES = ("pixels", "descriptor", "cnn")
PATCHES = (8, 16, 32)
METHODS = ("dot", "scaled_dot", "cosine")  # the parametric scores would need their own W: not here
MAX_SIDE = 512  # a link's row or column: at most this many regions a side (the grid is checked once it is known)


def _choice(name: str, default, options: tuple, words: str, widget: str = "selectbox", **more) -> Setting:
    """A setting that picks one of ``options``: the link names it as text (16 px: "16"), its words are
    ``<words>.<option>`` and its label ``<words>``."""
    by_text = {str(option): option for option in options}

    def parse(raw: str):
        return by_text[url_state.one_of(by_text)(raw)]  # a ValueError: the link's value is named in the warning

    return Setting(name, default, parse, widget, label=words, options=options, words=words, **more)


def _number(name: str, default, lo: int, hi: int, **more) -> Setting:
    """A whole number in [lo, hi] from a box (the region's row and column: at most the grid's side, drawn with it)."""
    return Setting(name, default, url_state.int_in(lo, hi), "number_input", label=f"image.{name}", **more)


# every parameter a link to this page may set (tests/app/test_hostile_urls.py sends each one nonsense)
LINK_PARAMETERS = tuple("sample move view features patch method temperature row col topk".split())


SETTINGS = Settings(
    "image",
    # move: times the red object moved (the Move button; no widget); pixels: an uploaded picture, this session's
    # only and never in a link (None: the sample is in use)
    defaults={"move": 0, "pixels": None},
    parsers={"move": url_state.int_in(0, 10**6)},
    declared=(
        _choice("sample", SAMPLES[0], SAMPLES, "image.sample", help="image.sample.help"),
        _choice(
            "view",
            "learned",
            VIEWS,
            "image.view",
            "segmented_control",
            args={"required": True, "label_visibility": "collapsed"},
        ),
        _choice("features", "descriptor", FEATURES, "image.features", help="image.features.help"),
        _choice("patch", 16, PATCHES, "image.patch", help="image.patch.help"),
        _choice("method", QUERY_METHOD, METHODS, "scoring.method"),
        Setting(
            "temperature",
            QUERY_TEMPERATURE,
            url_state.float_in(0.01, 100.0),
            "select_slider",
            label="scoring.temperature",
            help="scoring.temperature.help",
            options=TEMPERATURES,
            snap=nearest_temperature,
        ),
        # the query's region, 1-based; None until chosen (then: where the model looks most)
        _number("row", None, 1, MAX_SIDE, args={"min_value": 1, "step": 1}),
        _number("col", None, 1, MAX_SIDE, args={"min_value": 1, "step": 1}),
        _number("topk", 3, 1, 10, help="image.topk.help", args={"min_value": 1, "max_value": 10, "step": 1}),
    ),
)
get = SETTINGS.get
QUERY = ("features", "patch", "method", "temperature")  # the student's own query: what its map is computed with


def read_link(grid_side) -> None:
    """The settings a shared link holds (when the page is entered); ``grid_side(features, patch)``: regions a side.

    A link's region must lie on the grid of the link's sample (its size / patch regions a side, or the CNN's).
    """
    found = url_state.read(SETTINGS.parsers)
    side = grid_side(found.get("features", get("features")), int(found.get("patch", get("patch"))))
    for name in ("row", "col"):
        found = url_state.drop_unfit(found, name, lambda value: url_state.int_in(1, side)(str(value)))
    SETTINGS.apply_url(found)
    if "sample" in found or "move" in found:  # the link names the picture: an upload gives way
        SETTINGS.set("pixels", None)


def url_values() -> dict:
    values = SETTINGS.url_values()
    if uploaded():  # an upload cannot be put in a link
        values.pop("sample", None)
        values.pop("move", None)
    elif get("move"):
        values["sample"] = get("sample")  # a moved scene names its sample, the default one too
    return values


def settings() -> dict:
    """The settings the page computes with: the own query's (features, patch, method, temperature), topk, move."""
    return {name: get(name) for name in QUERY + ("topk", "move", "sample")}


# ------------------------------------------------------------------ the image


@st.cache_data(max_entries=64, max_size="32MB", show_spinner=False)
def sample_scene(name: str, move: int) -> scenes.Scene:
    """The sample ``name`` at 256 px, its red object moved ``move`` times (0: where the generator put it)."""
    spec = scenes.sample_spec(name)
    for k in range(1, move + 1):
        spec = scenes.move_target(spec, seed=k)
    return scenes.render(spec, SAMPLE_SIZE)


def uploaded() -> bool:
    return get("pixels") is not None


def current() -> tuple[np.ndarray, scenes.Scene | None]:
    """The image in use ``uint8 [H, W, 3]``, and its scene (with the target's mask) when it is a generated one."""
    SETTINGS.ensure()
    if uploaded():
        return get("pixels"), None
    scene = sample_scene(get("sample"), int(get("move")))
    return scene.image, scene


def forget_region() -> None:
    """A new image: the query starts again from where the model looks."""
    SETTINGS.set("row", None)
    SETTINGS.set("col", None)


def back_to_sample() -> None:
    """Button callback: leave the uploaded picture for the sample named in the sidebar (its scene can be moved)."""
    SETTINGS.set("pixels", None)
    SETTINGS.set("move", 0)
    forget_region()


def _on_sample() -> None:
    SETTINGS.set("sample", SETTINGS.widget_value("sample"))
    back_to_sample()


def _on_upload() -> None:
    file = SETTINGS.widget_value("upload")
    if file is None:
        return
    try:
        image = load_image(file.getvalue())
    except InputError as exc:
        push_error(t("image.upload_error", name=file.name, reason=error_text(exc)))
        return  # the previous image stays
    SETTINGS.set("pixels", image)
    SETTINGS.set("move", 0)
    forget_region()


def move_object() -> None:
    """Button callback: the same scene with the red object somewhere else."""
    if not uploaded():
        SETTINGS.set("move", int(get("move")) + 1)


def image_sidebar() -> None:
    """The image picker: a bundled sample by name, or an upload (PNG / JPEG)."""
    with st.sidebar:
        st.subheader(t("image.sidebar.header"))
        SETTINGS.draw("sample", on_change=_on_sample)
        st.file_uploader(
            t("image.upload"),
            type=["png", "jpg", "jpeg"],
            key=SETTINGS.widget("upload"),
            on_change=_on_upload,
            help=t("image.upload.help"),
        )
        if uploaded():
            st.caption(t("image.using_upload"))


# ------------------------------------------------------------------ the views' widgets


def _on_view() -> None:
    if SETTINGS.widget_value("view") is not None:  # a segmented control can be clicked off: the view stays
        SETTINGS.set("view", SETTINGS.widget_value("view"))


def view_picker() -> str:
    SETTINGS.draw("view", on_change=_on_view)
    return get("view")


def fitting_patches(image: np.ndarray) -> tuple[int, ...]:
    """The region sizes that fit ``image`` ``[H, W, 3]``: a region must fit inside the picture's short side.

    An upload is at least MIN_SIDE (16 px) a side once shrunk, so 8 and 16 px always fit; 32 px needs 32.
    """
    return tuple(patch for patch in PATCHES if patch <= min(image.shape[:2]))


def query_controls(image: np.ndarray) -> None:
    """Features, region size, scoring method and temperature of the student's own query.

    Only the region sizes that fit the picture are offered (a thin upload has no 32-px region); a size
    that no longer fits gives way to the largest that does, and a caption says why the others are missing.
    """
    fits = fitting_patches(image)
    if int(get("patch")) not in fits:
        SETTINGS.set("patch", fits[-1])
    cols = st.columns([1.4, 1, 1.2, 1.6])
    SETTINGS.draw("features", where=cols[0])
    cnn = get("features") == "cnn"
    SETTINGS.draw("patch", where=cols[1], options=fits, disabled=cnn, help_key="image.patch.cnn" if cnn else None)
    SETTINGS.draw("method", where=cols[2])
    SETTINGS.draw("temperature", where=cols[3])
    if len(fits) < len(PATCHES) and not cnn:
        height, width = image.shape[:2]
        st.caption(t("image.patch.missing", width=width, height=height, largest=fits[-1]))


def region(grid: tuple[int, int], start) -> tuple[int, int]:
    """The query's region (0-based) on a ``rows × cols`` grid: the one chosen, moved inside a grid that may have
    shrunk; until the student chooses one, ``start()`` (the region the model attends to most)."""
    rows, cols = grid
    if get("row") is None or get("col") is None:
        r, c = start()
        SETTINGS.set("row", r + 1)
        SETTINGS.set("col", c + 1)
    r, c = min(int(get("row")), rows), min(int(get("col")), cols)  # a grid that shrank keeps the query on it
    SETTINGS.set("row", r)
    SETTINGS.set("col", c)
    return r - 1, c - 1


def region_inputs(grid: tuple[int, int], where) -> None:
    """Row and column of the query's region (1-based), the fallback for a click."""
    left, right = where.columns(2)
    SETTINGS.draw("row", where=left, max_value=grid[0])
    SETTINGS.draw("col", where=right, max_value=grid[1])


def on_region_click(chart_key: str) -> None:
    """A click on the image or the grid: its region (customdata row, col, 1-based) becomes the query, as a link's would."""
    point = clicked_point(chart_key)
    custom = (point or {}).get("customdata")
    if isinstance(custom, dict):  # a row of a typed array arrives as {"0": …, "1": …}
        custom = [custom.get(str(k), custom.get(k)) for k in range(len(custom))]
    try:
        r, c = int(round(float(custom[0]))), int(round(float(custom[1])))
    except (TypeError, ValueError, IndexError, KeyError):
        return
    SETTINGS.apply_url({"row": r, "col": c})
