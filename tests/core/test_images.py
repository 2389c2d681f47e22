"""Images as regions: decoding uploads (good and bad), patches, region features, maps over the grid."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
import torch
from PIL import Image, ImageFile

import attention_core.images as images_module
from attention_core.attend import attend
from attention_core.errors import InputError
from attention_core.images import (
    MAX_SIDE,
    MIN_SIDE,
    QUERY_METHOD,
    QUERY_TEMPERATURE,
    descriptor_features,
    load_image,
    most_attended,
    patchify,
    region_boxes,
    region_features,
    region_self_attention,
    spatial_attention,
    unpatchify,
)

RED, BLUE = (220, 30, 30), (30, 60, 220)


def encode(img: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **options)
    return buf.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def raw_png(width: int, height: int, bit_depth: int, colour_type: int, rows: bytes) -> bytes:
    """A PNG written by hand: lets a test claim any size or depth Pillow itself would not write."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(rows))
        + png_chunk(b"IEND", b"")
    )


# ------------------------------------------------------------------ patches


def test_patchify_unpatchify_round_trip_and_order():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    patches, grid = patchify(image, 16)
    assert grid == (3, 4) and patches.shape == (12, 16 * 16 * 3)
    # region k sits at row k // cols, column k % cols
    np.testing.assert_array_equal(patches[6].reshape(16, 16, 3), image[16:32, 32:48])
    np.testing.assert_array_equal(unpatchify(patches, grid, 16), image)


def test_patchify_leaves_out_the_remainder():
    image = np.arange(50 * 70 * 3).reshape(50, 70, 3)
    patches, grid = patchify(image, 16)
    assert grid == (3, 4)
    np.testing.assert_array_equal(unpatchify(patches, grid, 16), image[:48, :64])


def test_regions_larger_than_the_image_are_an_input_error():
    with pytest.raises(InputError, match="do not fit"):
        patchify(np.zeros((20, 40, 3)), 32)


def test_region_boxes_cover_the_image():
    boxes = region_boxes((2, 4), 100, 200)
    assert boxes.shape == (2, 4, 4)
    np.testing.assert_allclose(boxes[1, 3], [150, 50, 200, 100])


# ------------------------------------------------------------------ maps


@pytest.mark.parametrize("kind", ["pixels", "descriptor"])
@pytest.mark.parametrize("method", ["dot", "scaled_dot", "cosine"])
def test_a_map_has_the_grids_shape_sums_to_one_and_is_attend(kind, method):
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (64, 96, 3), dtype=np.uint8)
    x, grid = region_features(image, 16, kind)
    q = x[5]
    result = spatial_attention(q, x, grid, method=method, temperature=0.5)
    assert result.weights.shape == grid == (4, 6) and result.scores.shape == grid
    assert float(result.weights.sum()) == pytest.approx(1.0, abs=1e-5)
    flat = attend(q, x, method=method, temperature=0.5)
    torch.testing.assert_close(result.weights.reshape(-1), flat.weights)
    torch.testing.assert_close(result.output, flat.output)


def test_pixel_features_are_standardised_patches():
    rng = np.random.default_rng(2)
    image = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    x, grid = region_features(image, 8, "pixels")
    assert x.shape == (16, 8 * 8 * 3) and x.dtype == np.float32
    pixels = unpatchify(x, grid, 8).reshape(-1, 3)
    np.testing.assert_allclose(pixels.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(pixels.std(axis=0), 1, atol=1e-4)


def two_colour_image() -> np.ndarray:
    """Red and blue in a 2 × 2 checkerboard of 64-px squares (16 regions of 16 px per square)."""
    image = np.empty((128, 128, 3), dtype=np.uint8)
    image[:] = RED
    image[:64, 64:] = BLUE
    image[64:, :64] = BLUE
    return image


@pytest.mark.parametrize("clicked", [(0, 0), (1, 6), (5, 2), (7, 7), (3, 3)])
def test_the_colour_descriptor_attends_to_regions_of_the_clicked_colour(clicked):
    image = two_colour_image()
    x, grid = descriptor_features(image, 16)
    r, c = clicked
    q = x[r * grid[1] + c]
    w = spatial_attention(q, x, grid, method=QUERY_METHOD, temperature=QUERY_TEMPERATURE).weights.numpy()
    is_red = (image[8::16, 8::16] == RED).all(axis=-1)  # [8, 8]: the colour at each region's centre
    same = is_red == is_red[r, c]
    share = float(w[same].sum())
    print(f"clicked region {clicked}: {share:.1%} of the weight on regions of its colour")
    assert share >= 0.90


def test_most_attended_orders_the_largest_weights():
    w = np.array([[0.1, 0.5], [0.3, 0.1]])
    assert most_attended(w, 2) == [(0, 1), (1, 0)]


def test_self_attention_over_regions_gives_a_map_per_region():
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    x, grid = region_features(image, 16, "descriptor")
    maps, result = region_self_attention(x, grid, num_heads=2, seed=0)
    assert maps.shape == (2, 4, 4, 4, 4)
    np.testing.assert_allclose(maps.sum(dim=(-1, -2)).numpy(), 1, atol=1e-5)
    assert result.weights.shape == (2, 16, 16)


# ------------------------------------------------------------------ decoding: good images


def test_a_png_decodes_to_rgb_uint8():
    pixels = np.random.default_rng(4).integers(0, 256, (40, 30, 3), dtype=np.uint8)
    out = load_image(encode(Image.fromarray(pixels)))
    assert out.dtype == np.uint8 and out.shape == (40, 30, 3)
    np.testing.assert_array_equal(out, pixels)


def test_a_large_image_is_shrunk_so_its_long_side_is_512():
    out = load_image(encode(Image.new("RGB", (1200, 600), RED), "JPEG", quality=90))
    assert out.shape == (256, MAX_SIDE, 3)
    assert np.abs(out.astype(int) - RED).max() < 12


def test_cmyk_becomes_rgb():
    out = load_image(encode(Image.new("CMYK", (32, 32), (0, 255, 255, 0)), "JPEG", quality=95))
    assert out.shape == (32, 32, 3)
    assert np.abs(out.astype(int) - (255, 0, 0)).max() < 12


def test_16_bit_grey_is_scaled_not_clipped():
    row = b"\x00" + struct.pack(">H", 32896) * 20  # 32896 / 65535 ≈ 128 / 255
    out = load_image(raw_png(20, 20, 16, 0, row * 20))
    assert out.shape == (20, 20, 3)
    assert np.abs(out.astype(int) - 128).max() <= 1


def test_16_bit_rgb_is_read():
    pixel = struct.pack(">HHH", 65535, 0, 32896)
    out = load_image(raw_png(16, 16, 16, 2, (b"\x00" + pixel * 16) * 16))
    assert np.abs(out.astype(int) - (255, 0, 128)).max() <= 1


def test_a_palette_image_keeps_its_colours():
    img = Image.new("RGB", (32, 32), RED)
    img.paste(BLUE, (0, 0, 16, 32))
    out = load_image(encode(img.convert("P", palette=Image.Palette.ADAPTIVE, colors=4)))
    assert tuple(out[5, 5]) == BLUE and tuple(out[5, 25]) == RED


def test_transparency_is_laid_over_white():
    img = Image.new("RGBA", (32, 32), (*RED, 255))
    img.paste((0, 0, 0, 0), (0, 0, 16, 32))  # fully transparent black: must show white, not black
    img.paste((0, 0, 255, 128), (0, 16, 16, 32))  # half-transparent blue over white
    out = load_image(encode(img)).astype(int)
    assert tuple(out[5, 25]) == RED
    assert tuple(out[5, 5]) == (255, 255, 255)
    assert np.abs(out[25, 5] - (127, 127, 255)).max() <= 2


def test_grey_with_alpha_and_a_transparent_palette():
    la = Image.new("LA", (20, 20), (0, 0))  # transparent black
    assert tuple(load_image(encode(la))[0, 0]) == (255, 255, 255)
    p = Image.new("P", (20, 20), 1)
    p.putpalette([0, 0, 0, 200, 10, 10] + [0] * 762)
    p.paste(0, (0, 0, 10, 20))
    p.info["transparency"] = 0
    out = load_image(encode(p, transparency=0))
    assert tuple(out[5, 2]) == (255, 255, 255) and tuple(out[5, 15]) == (200, 10, 10)


def test_exif_rotation_is_applied():
    img = Image.new("RGB", (40, 20), BLUE)
    img.paste(RED, (0, 0, 10, 10))  # red in the stored top-left corner
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    out = load_image(encode(img, "JPEG", quality=95, exif=exif.tobytes()))
    assert out.shape == (40, 20, 3)  # now tall
    assert np.abs(out[3, 16].astype(int) - RED).max() < 30  # the red corner went to the top right
    assert np.abs(out[3, 3].astype(int) - BLUE).max() < 30


def test_an_animated_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (24, 24), RED), Image.new("RGB", (24, 24), BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    out = load_image(data)
    assert np.abs(out.astype(int) - RED).max() < 8


def test_a_decoded_image_is_read_only():
    out = load_image(encode(Image.new("RGB", (20, 20), RED)))
    with pytest.raises(ValueError):
        out[0, 0, 0] = 1


# ------------------------------------------------------------------ decoding: refused


def truncated_png() -> bytes:
    data = encode(Image.fromarray(np.random.default_rng(5).integers(0, 256, (64, 64, 3), dtype=np.uint8)))
    return data[: len(data) // 2]


BAD = [
    ("truncated PNG", truncated_png, "truncated"),
    ("not an image", lambda: b"name,value\nx,1\n" * 20, "not an image"),
    ("empty file", lambda: b"", "not an image"),
    ("1×1 image", lambda: encode(Image.new("RGB", (1, 1), RED)), "1 × 1 pixels"),
    ("thin image", lambda: encode(Image.new("RGB", (400, 8), RED)), "at least 16 × 16"),
    ("TIFF", lambda: encode(Image.new("RGB", (32, 32), RED), "TIFF"), "TIFF images are not supported"),
    ("garbage after a PNG signature", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not an image"),
]


@pytest.mark.parametrize("name, make, fragment", BAD, ids=[b[0] for b in BAD])
def test_bad_images_are_one_sentence(name, make, fragment):
    with pytest.raises(InputError) as info:
        load_image(make())
    message = str(info.value)
    assert fragment in message
    assert message.endswith(".") and message.count(". ") == 0 and "\n" not in message


def test_a_claimed_30000_by_30000_image_is_refused_before_decoding(monkeypatch):
    """A 200-byte file claiming 900 million pixels: refused from its header; no pixel is ever decoded."""
    data = raw_png(30000, 30000, 8, 2, b"\x00" * 100)
    assert len(data) < 300

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(InputError, match="claims 900 million pixels; the limit is 25 million pixels"):
        load_image(data)


def test_a_claim_just_above_the_limit_is_refused_by_our_own_check(monkeypatch):
    monkeypatch.setattr(Image.Image, "load", lambda self: (_ for _ in ()).throw(AssertionError("decoded")))
    with pytest.raises(InputError, match="claims 6000 × 5000 pixels; the limit is 25 million"):
        load_image(raw_png(6000, 5000, 8, 2, b"\x00" * 10))


def test_pillows_own_bomb_limit_is_ours():
    assert Image.MAX_IMAGE_PIXELS == images_module.MAX_PIXELS


def test_an_oversized_file_is_refused_before_opening(monkeypatch):
    monkeypatch.setattr(images_module, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(InputError, match="the limit is"):
        load_image(b"\x00" * 1001)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF"])
def test_damaged_files_give_an_input_error_or_an_image_never_anything_else(fmt):
    """Seeded byte flips and cuts of a good file: each either decodes to RGB or is one InputError."""
    rng = np.random.default_rng(6)
    good = encode(
        Image.fromarray(rng.integers(0, 256, (40, 40, 3), dtype=np.uint8)).convert("P" if fmt == "GIF" else "RGB"), fmt
    )
    for _ in range(60):
        data = bytearray(good)
        for at in rng.integers(0, len(data), size=int(rng.integers(1, 6))):
            data[at] = int(rng.integers(256))
        if rng.random() < 0.3:
            data = data[: int(rng.integers(1, len(data)))]
        try:
            out = load_image(bytes(data))
        except InputError as exc:
            assert str(exc).endswith(".")
        else:
            assert out.dtype == np.uint8 and out.ndim == 3 and out.shape[2] == 3


# ------------------------------------------------------------------ an accepted picture fits every view (issue 24, item 7)


@pytest.mark.parametrize(
    "size, shown",
    [((512, 16), (512, 16)), ((1024, 32), (512, 16)), ((1024, 31), (512, 16)), ((126, 4000), (16, 512))],
)
def test_a_thin_picture_whose_short_side_stays_min_side_when_shrunk_is_accepted_and_regions_fit(size, shown):
    out = load_image(encode(Image.new("RGB", size, RED)))
    assert out.shape[:2] == (shown[1], shown[0])
    patches, grid = patchify(out, MIN_SIDE)  # the smallest region a view uses fits at least once
    assert grid[0] >= 1 and grid[1] >= 1


@pytest.mark.parametrize("size, shown", [((20000, 16), "512 × 1"), ((1024, 30), "512 × 15"), ((17, 5000), "2 × 512")])
def test_a_picture_that_would_be_thinner_than_min_side_once_shrunk_is_refused_at_the_door(size, shown):
    # 20000 × 16 was accepted as 512 × 1, and the region views failed with "Regions of 16 px do not fit"
    w, h = size
    with pytest.raises(InputError) as info:
        load_image(encode(Image.new("RGB", size, RED)))
    assert str(info.value) == (
        f"The image is {w} × {h} pixels, so thin that shrunk to fit 512 × 512 it would be {shown}; "
        f"its short side must stay at least {MIN_SIDE} pixels."
    )
