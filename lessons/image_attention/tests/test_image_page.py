"""The Image-attention page: every sample, every feature kind, a row/column choice and a click change the map.

References come from the core directly (predict, region_features, and a
plain-torch softmax of cosine scores), so a page that draws stale or
mis-shaped weights shows up as a mismatch.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
import torch
from PIL import Image

from attention_core import scenes
from attention_core.image_model import load_image_model, predict
from attention_core.images import MIN_SIDE, load_image, region_features
from lessons.image_attention.controls import PATCHES, SAMPLE_SIZE, SAMPLES
from tests.app.helpers import figure, no_errors, trace
from tests.app.pages import open_page
from ui.i18n import catalogs

PAGE = "lessons/image_attention/page.py"
LEARNED, OWN, GRID = "chart.image.learned", "chart.image.own", "chart.image.grid"


@pytest.fixture(scope="module")
def model():
    return load_image_model()


def sample_image(name: str, move: int = 0) -> np.ndarray:
    spec = scenes.sample_spec(name)
    for k in range(1, move + 1):
        spec = scenes.move_target(spec, seed=k)
    return scenes.render(spec, SAMPLE_SIZE).image


def cosine_map(x: np.ndarray, qi: int, temperature: float) -> np.ndarray:
    """softmax(cos(x_qi, x_j) / T) in plain torch: the page's default scoring, computed independently."""
    x = torch.as_tensor(x, dtype=torch.float64)
    a = torch.nn.functional.cosine_similarity(x[qi][None], x, dim=-1)
    return torch.softmax(a / temperature, dim=-1).numpy()


def map_of(at, key: str) -> np.ndarray:
    return trace(at, key, 1)["z"]  # trace 1 of an overlay (trace 0 of a grid) is the map


def click_region(at, key: str, row: int, col: int):
    """What the browser sends when a region's click target is clicked (1-based row, col), then rerun."""
    charts = [el for el in at.get("plotly_chart") if el.proto.id.endswith(f"-{key}")]
    assert len(charts) == 1
    event = {
        "selection": {
            "points": [
                {
                    "curve_number": 2,
                    "point_number": 0,
                    "point_index": 0,
                    "x": 0,
                    "y": 0,
                    "customdata": {"0": row, "1": col, "2": 0.1},
                }
            ],
            "point_indices": [0],
            "box": [],
            "lasso": [],
        }
    }
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = charts[0].proto.id
    state.string_value = json.dumps(event)
    return at._run(states)


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_sample_shows_the_models_map_and_answer(sample, model):
    at = open_page(PAGE, sample=sample)
    no_errors(at)
    expected = predict(model, sample_image(sample))
    w = map_of(at, LEARNED)
    assert w.shape == (8, 8)
    np.testing.assert_allclose(w, expected.weights, atol=1e-6)
    assert w.sum() == pytest.approx(1.0, abs=1e-5)
    probs = trace(at, "chart.image.probs", 0)["y"]
    np.testing.assert_allclose(probs, expected.probabilities, atol=1e-6)
    # the top-k boxes outline the most-attended regions (3 by default)
    assert (
        len([s for s in figure(at, LEARNED)["layout"]["shapes"] if s["type"] == "rect"]) == 3 + 1
    )  # + the target's box


@pytest.mark.parametrize(
    "features, patch, grid", [("pixels", 16, (16, 16)), ("descriptor", 32, (8, 8)), ("cnn", 16, (8, 8))]
)
def test_each_feature_kind_draws_its_map(features, patch, grid, model):
    at = open_page(PAGE, view="own", features=features, patch=patch, row=2, col=3)
    no_errors(at)
    image = sample_image(SAMPLES[0])
    if features == "cnn":
        x = predict(model, image).features
    else:
        x, _ = region_features(image, patch, features)
    expected = cosine_map(x, 1 * grid[1] + 2, 0.1).reshape(grid)
    np.testing.assert_allclose(map_of(at, OWN), expected, atol=1e-5)
    np.testing.assert_allclose(trace(at, GRID, 0)["z"], expected, atol=1e-5)
    assert "x_{" in "\n".join(el.value for el in at.latex)  # the arithmetic is written out


def test_a_row_and_column_choice_changes_the_map():
    at = open_page(PAGE, view="own", features="descriptor", patch=16, row=1, col=1)
    before = map_of(at, OWN)
    at.number_input(key="w.image.row").set_value(9).run()
    at.number_input(key="w.image.col").set_value(7).run()
    no_errors(at)
    after = map_of(at, OWN)
    assert not np.allclose(before, after)
    x, _ = region_features(sample_image(SAMPLES[0]), 16, "descriptor")
    np.testing.assert_allclose(after, cosine_map(x, 8 * 16 + 6, 0.1).reshape(16, 16), atol=1e-5)
    assert at.query_params["row"] in ("9", ["9"]) and at.query_params["col"] in ("7", ["7"])


def test_a_click_on_the_image_makes_that_region_the_query():
    at = open_page(PAGE, view="own", features="descriptor", patch=16, row=1, col=1)
    before = map_of(at, OWN)
    click_region(at, OWN, 12, 4)
    no_errors(at)
    assert at.number_input(key="w.image.row").value == 12 and at.number_input(key="w.image.col").value == 4
    after = map_of(at, OWN)
    assert not np.allclose(before, after)
    x, _ = region_features(sample_image(SAMPLES[0]), 16, "descriptor")
    np.testing.assert_allclose(after, cosine_map(x, 11 * 16 + 3, 0.1).reshape(16, 16), atol=1e-5)
    # the clicked region is outlined
    shapes = figure(at, OWN)["layout"]["shapes"]
    assert any(abs(s["x0"] - (3 * 16 - 0.5)) < 1e-6 and abs(s["y0"] - (11 * 16 - 0.5)) < 1e-6 for s in shapes)


def test_moving_the_object_moves_the_learned_map(model):
    at = open_page(PAGE, view="move", sample="red-triangle")
    no_errors(at)
    at.button(key="w.image.move_button").click().run()
    no_errors(at)
    assert at.query_params["move"] in ("1", ["1"])
    before, now = map_of(at, "chart.image.before"), map_of(at, "chart.image.now")
    np.testing.assert_allclose(now, predict(model, sample_image("red-triangle", 1)).weights, atol=1e-6)
    assert np.unravel_index(before.argmax(), before.shape) != np.unravel_index(now.argmax(), now.shape)


def test_the_sample_and_its_move_come_from_the_link(model):
    at = open_page(PAGE, sample="crowded", move=2)
    no_errors(at)
    assert at.selectbox(key="w.image.sample").value == "crowded"
    np.testing.assert_allclose(map_of(at, LEARNED), predict(model, sample_image("crowded", 2)).weights, atol=1e-6)


def test_the_page_in_chinese():
    at = open_page(PAGE, view="own")
    at.selectbox(key="w.lang").set_value("zh").run()
    no_errors(at)
    assert at.title[0].value == catalogs()["zh"]["image.title"]
    assert figure(at, OWN)["layout"]["title"]["text"].startswith("查询")


def test_cnn_features_fix_the_region_size_and_say_why():
    """The CNN's regions are its own: the region size is disabled, and its help says why (in each language)."""
    at = open_page(PAGE, view="own", features="cnn")
    no_errors(at)
    en, zh = catalogs()["en"], catalogs()["zh"]
    patch = at.selectbox(key="w.image.patch")
    assert patch.disabled and patch.help == en["image.patch.cnn"]
    assert patch.options == ["8 px", "16 px", "32 px"]
    at.selectbox(key="w.image.features").set_value("pixels").run()
    patch = at.selectbox(key="w.image.patch")
    assert not patch.disabled and patch.help == en["image.patch.help"]
    at.selectbox(key="w.lang").set_value("zh").run()
    assert at.selectbox(key="w.image.patch.zh").options == ["8 像素", "16 像素", "32 像素"]
    assert at.selectbox(key="w.image.patch.zh").help == zh["image.patch.help"]


def test_the_page_offers_its_data_as_csv():
    """A lesson that draws numbers offers them as a CSV download (the Query and Self-attention pages in their Data
    view; the rest of the export: tests/app/test_export.py)."""
    at = open_page(PAGE)
    no_errors(at)
    assert [b for b in at.get("download_button") if b.proto.id.endswith("-w.export.image-weights.csv")]


def thinnest_upload(width: int, height: int) -> np.ndarray:
    """What the uploader keeps of a width × height PNG: the smallest accepted picture once shrunk (16 px short side)."""
    pixels = (np.random.default_rng(0).random((height, width, 3)) * 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return load_image(buffer.getvalue())


@pytest.mark.parametrize("width, height", [(1024, 32), (32, 1024)])  # shown as 512 × 16 and 16 × 512
@pytest.mark.parametrize("patch", PATCHES)
@pytest.mark.parametrize("view", ["learned", "own", "move"])
def test_the_thinnest_accepted_picture_works_in_every_view_with_every_region_size(width, height, patch, view):
    """A region size that does not fit the picture is not offered, and the page says why; nothing breaks."""
    image = thinnest_upload(width, height)
    assert min(image.shape[:2]) == MIN_SIDE
    at = open_page(PAGE, view=view, patch=patch, features="pixels")
    at.session_state["image.pixels"] = image  # what the uploader's callback keeps
    at.run()
    no_errors(at)
    if view != "own":
        return
    box = at.selectbox(key="w.image.patch")
    assert box.options == ["8 px", "16 px"]  # 32 px regions do not fit a 16-px side
    assert box.value == min(patch, 16)
    note = catalogs()["en"]["image.patch.missing"].format(width=image.shape[1], height=image.shape[0], largest=16)
    assert note in [c.value for c in at.caption]
    rows, cols = image.shape[0] // box.value, image.shape[1] // box.value
    assert np.asarray(map_of(at, OWN)).shape == (rows, cols)
    grid = trace(at, GRID, 0)
    assert np.asarray(grid["z"]).shape == (rows, cols)
    assert grid.get("text") is None  # a strip of 32 or 64 cells has no room for printed numbers


def test_a_sample_offers_every_region_size_without_a_note():
    at = open_page(PAGE, view="own", features="pixels")
    no_errors(at)
    assert at.selectbox(key="w.image.patch").options == ["8 px", "16 px", "32 px"]
    assert not [c for c in at.caption if "do not fit" in c.value]
