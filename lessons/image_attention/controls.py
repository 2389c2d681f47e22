"""The Image-attention lesson's settings: the image in use, the view, the student's query, the URL.

Canonical values live in session state under ``image.<name>`` (they survive
page switches); widgets use ``w.image.<name>`` and are rebuilt from them.
The image itself (``uint8 [H, W, 3]``) lives in this session's state only:
a sample is named in the URL, an upload never is.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import scenes
from attention_core.errors import InputError
from attention_core.images import QUERY_METHOD, QUERY_TEMPERATURE, load_image
from ui import url_state
from ui.feedback import error_text, push_error
from ui.i18n import t
from ui.scoring_input import TEMPERATURES, nearest_temperature
from ui.settings import Settings

SAMPLES = tuple(scenes.SAMPLES)
SAMPLE_SIZE = 256  # samples are rendered at 256 × 256: 16 regions of 16 px a side
VIEWS = ("learned", "own", "move")
FEATURES = ("pixels", "descriptor", "cnn")
PATCHES = (8, 16, 32)
METHODS = ("dot", "scaled_dot", "cosine")  # the parametric scores would need their own W: not here
UPLOAD = "upload"  # the source name of an uploaded image
DEFAULTS = {
    "sample": SAMPLES[0],
    "view": "learned",
    "features": "descriptor",
    "patch": 16,
    "method": QUERY_METHOD,
    "temperature": QUERY_TEMPERATURE,
    "row": None,
    "col": None,
    "topk": 3,
    "move": 0,
}
URL_PARSERS = {
    "sample": url_state.one_of(SAMPLES),
    "move": url_state.int_in(0, 10**6),
    "view": url_state.one_of(VIEWS),
    "features": url_state.one_of(FEATURES),
    "patch": lambda raw: url_state.one_of(tuple(map(str, PATCHES)))(raw) and int(raw),
    "method": url_state.one_of(METHODS),
    "temperature": url_state.float_in(0.01, 100.0),
    "row": url_state.int_in(1, 512),
    "col": url_state.int_in(1, 512),
    "topk": url_state.int_in(1, 10),
}
_IMAGE, _SOURCE = "image.pixels", "image.source"  # the array in use; a sample's name or UPLOAD

_settings = Settings("image", defaults=DEFAULTS)
_canon, _widget, _bind, _copy = _settings.canon, _settings.widget, _settings.bind, _settings.copy


get = _settings.get


def ensure() -> None:
    _settings.ensure()
    st.session_state.setdefault(_SOURCE, get("sample"))


def apply_url(found: dict) -> None:
    ensure()
    for name, value in found.items():
        st.session_state[_canon(name)] = nearest_temperature(value) if name == "temperature" else value
        st.session_state.pop(_widget(name), None)
    if "sample" in found or "move" in found:
        st.session_state[_SOURCE] = get("sample")
        st.session_state.pop(_IMAGE, None)


def url_values() -> dict:
    values = {name: get(name) for name in DEFAULTS if get(name) != DEFAULTS[name]}
    if st.session_state[_SOURCE] == UPLOAD:  # an upload cannot be put in a link
        values.pop("sample", None)
        values.pop("move", None)
    elif get("move"):
        values["sample"] = get("sample")
    return values


# ------------------------------------------------------------------ the image


@st.cache_data(max_entries=64, max_size="32MB", show_spinner=False)
def sample_scene(name: str, move: int) -> scenes.Scene:
    """The sample ``name`` at 256 px, its red object moved ``move`` times (0: where the generator put it)."""
    spec = scenes.sample_spec(name)
    for k in range(1, move + 1):
        spec = scenes.move_target(spec, seed=k)
    return scenes.render(spec, SAMPLE_SIZE)


def current() -> tuple[np.ndarray, scenes.Scene | None]:
    """The image in use ``uint8 [H, W, 3]``, and its scene (with the target's mask) when it is a generated one."""
    ensure()
    if st.session_state[_SOURCE] == UPLOAD and _IMAGE in st.session_state:
        return st.session_state[_IMAGE], None
    scene = sample_scene(get("sample"), int(get("move")))
    return scene.image, scene


def _on_sample() -> None:
    st.session_state[_canon("sample")] = st.session_state[_widget("sample")]
    st.session_state[_canon("move")] = 0
    st.session_state[_SOURCE] = get("sample")
    st.session_state.pop(_IMAGE, None)
    forget_region()


def forget_region() -> None:
    """A new image: the query starts again from where the model looks."""
    for name in ("row", "col"):
        st.session_state[_canon(name)] = None
        st.session_state.pop(_widget(name), None)


def _on_upload() -> None:
    file = st.session_state.get("w.image.upload")
    if file is None:
        return
    try:
        image = load_image(file.getvalue())
    except InputError as exc:
        push_error(t("image.upload_error", name=file.name, reason=error_text(exc)))
        return  # the previous image stays
    st.session_state[_IMAGE] = image
    st.session_state[_SOURCE] = UPLOAD
    st.session_state[_canon("move")] = 0
    forget_region()


def back_to_sample() -> None:
    """Button callback: leave the uploaded picture for the sample named in the sidebar (its scene can be moved)."""
    st.session_state[_SOURCE] = get("sample")
    st.session_state.pop(_IMAGE, None)
    st.session_state[_canon("move")] = 0
    forget_region()


def move_object() -> None:
    """Button callback: the same scene with the red object somewhere else."""
    if st.session_state[_SOURCE] != UPLOAD:
        st.session_state[_canon("move")] = int(get("move")) + 1


def image_sidebar() -> None:
    """The image picker: a bundled sample by name, or an upload (PNG / JPEG)."""
    ensure()
    with st.sidebar:
        st.subheader(t("image.sidebar.header"))
        st.selectbox(
            t("image.sample"),
            SAMPLES,
            format_func=lambda s: t(f"image.sample.{s}"),
            key=_bind("sample"),
            on_change=_on_sample,
            help=t("image.sample.help"),
        )
        st.file_uploader(
            t("image.upload"),
            type=["png", "jpg", "jpeg"],
            key="w.image.upload",
            on_change=_on_upload,
            help=t("image.upload.help"),
        )
        if st.session_state[_SOURCE] == UPLOAD:
            st.caption(t("image.using_upload"))


# ------------------------------------------------------------------ the views' widgets


def view_picker() -> str:
    st.segmented_control(
        t("image.view"),
        VIEWS,
        format_func=lambda v: t(f"image.view.{v}"),
        key=_bind("view"),
        on_change=_on_view,
        required=True,
        label_visibility="collapsed",
    )
    return get("view")


def _on_view() -> None:
    if st.session_state.get(_widget("view")) is not None:
        _copy("view")


def topk_input() -> int:
    st.number_input(
        t("image.topk"), 1, 10, step=1, key=_bind("topk"), on_change=_copy, args=("topk",), help=t("image.topk.help")
    )
    return int(get("topk"))


def query_controls() -> dict:
    """Features, region size, scoring method and temperature of the student's own query."""
    cols = st.columns([1.4, 1, 1.2, 1.6])
    cols[0].selectbox(
        t("image.features"),
        FEATURES,
        format_func=lambda f: t(f"image.features.{f}"),
        key=_bind("features"),
        on_change=_copy,
        args=("features",),
        help=t("image.features.help"),
    )
    cnn = get("features") == "cnn"
    cols[1].selectbox(
        t("image.patch"),
        PATCHES,
        format_func=lambda p: f"{p} px",
        key=_bind("patch"),
        on_change=_copy,
        args=("patch",),
        disabled=cnn,
        help=t("image.patch.cnn" if cnn else "image.patch.help"),
    )
    cols[2].selectbox(
        t("scoring.method"),
        METHODS,
        format_func=lambda m: t(f"scoring.method.{m}"),
        key=_bind("method"),
        on_change=_copy,
        args=("method",),
    )
    cols[3].select_slider(
        t("scoring.temperature"),
        TEMPERATURES,
        key=_bind("temperature"),
        on_change=_copy,
        args=("temperature",),
        help=t("scoring.temperature.help"),
    )
    return {name: get(name) for name in ("features", "patch", "method", "temperature")}


def clamp_region(rows: int, cols: int, start: tuple[int, int]) -> tuple[int, int]:
    """The query's region (0-based): the one chosen, moved inside a grid that may have shrunk; until
    the student chooses one, ``start`` (the region the model attends to most)."""
    if get("row") is None or get("col") is None:
        for name, value in (("row", start[0] + 1), ("col", start[1] + 1)):
            st.session_state[_canon(name)] = value
            st.session_state.pop(_widget(name), None)
    r, c = min(int(get("row")), rows), min(int(get("col")), cols)
    for name, value in (("row", r), ("col", c)):
        if get(name) != value:
            st.session_state[_canon(name)] = value
            st.session_state.pop(_widget(name), None)
    return r - 1, c - 1


def region_inputs(rows: int, cols: int) -> None:
    """Row and column of the query's region (1-based), the fallback for a click."""
    left, right = st.columns(2)
    left.number_input(t("image.row"), 1, rows, step=1, key=_bind("row"), on_change=_copy, args=("row",))
    right.number_input(t("image.col"), 1, cols, step=1, key=_bind("col"), on_change=_copy, args=("col",))


def on_region_click(chart_key: str) -> None:
    """A click on the image or the grid: its region (customdata row, col, 1-based) becomes the query."""
    event = st.session_state.get(chart_key)
    points = (event or {}).get("selection", {}).get("points", [])
    if not points:
        return
    custom = points[0].get("customdata")
    if isinstance(custom, dict):  # a row of a typed array arrives as {"0": …, "1": …}
        custom = [custom.get(str(k), custom.get(k)) for k in range(len(custom))]
    try:
        r, c = int(round(float(custom[0]))), int(round(float(custom[1])))
    except (TypeError, ValueError, IndexError, KeyError):
        return
    for name, value in (("row", r), ("col", c)):
        st.session_state[_canon(name)] = value
        st.session_state.pop(_widget(name), None)
