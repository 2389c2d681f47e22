"""Images as sequences of regions: decoding uploads, patches, region features, a query's map over the image.

An image ``[H, W, C]`` cut into p×p patches is a sequence X of n = rows·cols
regions, numbered row by row (region k sits at row k // cols, column
k % cols).  One query over X is the Query page's formula, a = score(q, xᵢ),
w = softmax(a / T), o = Σ wᵢxᵢ, with w laid back onto the grid as a map.
"""

from __future__ import annotations

import io
import math
import re
import struct
import warnings
import zlib
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

from .attend import attend
from .errors import InputError
from .multihead import MultiHeadParams, multi_head_self_attention
from .uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB

MAX_PIXELS = 25_000_000  # width × height an upload may claim (a 6000×4000 photo); checked before decoding
MAX_SIDE = 512  # uploads are shrunk so that their long side is at most this
MIN_SIDE = 16  # smaller than one 16-px region is no picture to attend over
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")
FEATURE_KINDS = ("pixels", "descriptor")  # the model's CNN features are the third kind (image_model)
ORIENTATION_BINS = 8
# A student's own query starts with cosine similarity at T = 0.1: a score in
# [−1, 1] for any features (a dot product of 768 pixel values and one of 11
# descriptor numbers live on very different scales), sharpened so that
# "regions like the clicked one" stand out.  The page starts from these.
QUERY_METHOD, QUERY_TEMPERATURE = "cosine", 0.1

# Pillow's own bomb check as a second line of defence: Image.open raises
# DecompressionBombError from twice this many pixels.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


# ------------------------------------------------------------------ decoding


def load_image(data: bytes) -> np.ndarray:
    """Decode an uploaded PNG / JPEG (GIF, BMP, WebP) into RGB ``uint8 [H, W, 3]``, long side ≤ MAX_SIDE.

    The header's size is checked before any pixel is decoded (a tiny file can
    claim 30000×30000 pixels).  EXIF rotation is applied; CMYK, palette,
    grey, 16-bit and transparent images become plain RGB (transparency over
    white); an animated image gives its first frame.  Anything else raises
    ``InputError`` with one sentence.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError("upload.too_big", mb=len(data) / 1e6, limit=MAX_UPLOAD_MB)
    try:
        with warnings.catch_warnings():
            # Pillow warns from MAX_IMAGE_PIXELS (our cap) and refuses from twice that; between the
            # two, our own check below refuses with the claimed width × height
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))  # lazy: reads the header only
            _check_header(img)
            img.seek(0)  # an animation: its first frame
            if img.format == "JPEG":
                img.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode a big JPEG at 1/2, 1/4 or 1/8 scale
            img.load()
            img = _reduce_early(img)
            img = ImageOps.exif_transpose(img)
            rgb = _to_rgb(img)
    except InputError:
        raise
    except Image.DecompressionBombError as exc:
        # Pillow's own check (in Image.open, from the header) fired first; its message holds the claimed count
        found = re.search(r"\((\d+) pixels\)", str(exc))
        if found:
            raise InputError(
                "image.too_many_pixels_claimed", millions=int(found.group(1)) / 1e6, limit=MAX_PIXELS / 1e6
            ) from exc
        raise InputError("image.too_many_pixels_over", limit=MAX_PIXELS / 1e6) from exc
    except UnidentifiedImageError as exc:
        raise InputError("image.unreadable") from exc
    except (
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        IndexError,
        KeyError,
        TypeError,
        struct.error,
        zlib.error,
        MemoryError,
    ) as exc:
        raise InputError("image.damaged") from exc
    return _shrink(rgb)


def _check_header(img: Image.Image) -> None:
    if img.format not in IMAGE_FORMATS:
        raise InputError("image.format", format=img.format) if img.format else InputError("image.format_unknown")
    w, h = img.size
    if w * h > MAX_PIXELS:
        raise InputError("image.too_many_pixels", width=w, height=h, limit=MAX_PIXELS / 1e6)
    if min(w, h) < MIN_SIDE:
        raise InputError("image.too_small", width=w, height=h, min=MIN_SIDE)
    _check_shown_size(w, h)


def _shown_size(w: int, h: int) -> tuple[int, int]:
    """The size (width, height) of a w × h picture once shrunk so that its long side is at most MAX_SIDE."""
    scale = MAX_SIDE / max(w, h)
    return (max(1, round(w * scale)), max(1, round(h * scale))) if scale < 1 else (w, h)


def _check_shown_size(w: int, h: int) -> None:
    """InputError when the picture as shown would be thinner than MIN_SIDE: no region fits it, so no view can use it.

    A 20000 × 16 picture passed the size check and became 512 × 1, and the
    region views failed ("Regions of 16 px do not fit in a 512 × 1 image").
    """
    shown_w, shown_h = _shown_size(w, h)
    if min(shown_w, shown_h) < MIN_SIDE:
        raise InputError(
            "image.too_thin", width=w, height=h, side=MAX_SIDE, shown_width=shown_w, shown_height=shown_h, min=MIN_SIDE
        )


# Modes whose pixels may be averaged: no palette indices; alpha is averaged premultiplied
# (RGBa, La), or the colour hidden under a transparent pixel would darken the edges.
REDUCIBLE_MODES = ("L", "RGB", "CMYK", "YCbCr", "I", "F", "I;16", "I;16L", "I;16B", "RGBA", "LA")
PREMULTIPLIED = {"RGBA": "RGBa", "LA": "La"}


def _reduce_early(img: Image.Image) -> Image.Image:
    """A big decoded image averaged down by a whole factor to a long side of ≥ 2·MAX_SIDE, before any full copy.

    Why: every later step (EXIF rotation, mode conversion, laying
    transparency over white) copies the whole image, and a 25-megapixel PNG
    added 380 MB (RGBA) to 620 MB (16-bit grey) on its way to 512 pixels.
    The later resize would average these same blocks anyway
    (``reducing_gap``).  Done in strips: 16-bit grey must be widened to
    32-bit for Pillow to average it, and transparency premultiplied, and a
    strip at a time these copies stay small.
    """
    factor = max(img.size) // (2 * MAX_SIDE)
    mode = img.mode
    if factor < 2 or mode not in REDUCIBLE_MODES:
        return img
    wide = "I" if mode.startswith("I;16") else PREMULTIPLIED.get(mode, mode)
    w, h = img.size
    out = Image.new(mode, (-(-w // factor), -(-h // factor)))
    step = factor * 64  # rows a strip: a whole number of blocks
    for top in range(0, h, step):
        strip = img.crop((0, top, w, min(h, top + step))).convert(wide).reduce(factor)
        out.paste(strip.convert(mode), (0, top // factor))
    return out


def _to_rgb(img: Image.Image) -> Image.Image:
    """Any decoded mode as 8-bit RGB: why each branch exists is the mode Pillow would get wrong."""
    mode = img.mode
    if mode.startswith("I") or mode == "F":
        # 16/32-bit grey: Pillow's convert("L") clips at 255 instead of scaling
        a = np.asarray(img, dtype=np.float64)
        top = 65535.0 if mode.startswith("I;16") or a.max(initial=0) > 255 else 255.0
        img = Image.fromarray(np.clip(a / top * 255.0 + 0.5, 0, 255).astype(np.uint8), "L")
        mode = "L"
    if mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif mode in ("LA", "La", "PA", "RGBa"):
        img = img.convert("RGBA")
    if img.mode == "RGBA":  # transparent pixels over white, not over whatever colour they hide
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, img)
    return img.convert("RGB")


def _shrink(img: Image.Image) -> np.ndarray:
    w, h = img.size
    _check_shown_size(w, h)  # again after decoding: a JPEG draft or an early reduction may round differently
    if _shown_size(w, h) != (w, h):
        img = img.resize(_shown_size(w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = np.asarray(img, dtype=np.uint8).copy()
    out.flags.writeable = False  # images are shared between reruns; nobody edits one in place
    return out


def resize(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``uint8 [H, W, 3]`` → ``uint8 [h, w, 3]`` with ``size = (h, w)``; area-averaging when shrinking."""
    h, w = size
    if image.shape[:2] == (h, w):
        return image
    return np.asarray(Image.fromarray(np.ascontiguousarray(image)).resize((w, h), Image.Resampling.BOX))


# ------------------------------------------------------------------ patches


def grid_shape(height: int, width: int, patch: int) -> tuple[int, int]:
    """(rows, cols) of whole p×p patches; the remainder on the right and bottom is left out."""
    if patch < 1:
        raise InputError("image.region_size", patch=patch)
    rows, cols = height // patch, width // patch
    if rows < 1 or cols < 1:
        raise InputError("image.regions_dont_fit", patch=patch, width=width, height=height)
    return rows, cols


def patchify(image, patch: int) -> tuple[np.ndarray, tuple[int, int]]:
    """image ``[H, W, C]`` → patch vectors ``[n, p·p·C]`` (row by row) and the grid (rows, cols).

    Pixels right of cols·p and below rows·p are left out.
    """
    x = np.asarray(image)
    if x.ndim == 2:
        x = x[:, :, None]
    rows, cols = grid_shape(x.shape[0], x.shape[1], patch)
    c = x.shape[2]
    x = x[: rows * patch, : cols * patch]
    p = x.reshape(rows, patch, cols, patch, c).transpose(0, 2, 1, 3, 4)  # [rows, cols, p, p, C]
    return p.reshape(rows * cols, patch * patch * c), (rows, cols)


def unpatchify(patches, grid: tuple[int, int], patch: int, channels: int = 3) -> np.ndarray:
    """The inverse of ``patchify``: ``[n, p·p·C]`` → ``[rows·p, cols·p, C]``."""
    rows, cols = grid
    x = np.asarray(patches).reshape(rows, cols, patch, patch, channels).transpose(0, 2, 1, 3, 4)
    return x.reshape(rows * patch, cols * patch, channels)


def region_boxes(grid: tuple[int, int], height: int, width: int) -> np.ndarray:
    """``[rows, cols, 4]`` pixel boxes (x0, y0, x1, y1) of the regions when the grid covers ``height × width``."""
    rows, cols = grid
    ys, xs = np.linspace(0, height, rows + 1), np.linspace(0, width, cols + 1)
    y0, x0 = np.meshgrid(ys[:-1], xs[:-1], indexing="ij")
    y1, x1 = np.meshgrid(ys[1:], xs[1:], indexing="ij")
    return np.stack([x0, y0, x1, y1], axis=-1)


# ------------------------------------------------------------------ region features


def _standardise(x: np.ndarray) -> np.ndarray:
    """Each column to mean 0, variance 1 over the rows; a constant column becomes 0.

    Why: raw pixels are all positive, so every dot product is large and
    every region looks alike; centred on the image's average, a region's
    vector says how it *differs* from the rest.
    """
    mean, std = x.mean(axis=0), x.std(axis=0)
    return ((x - mean) / np.where(std > 1e-6, std, np.inf)).astype(np.float32)


def pixel_features(image: np.ndarray, patch: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Normalised pixels: each colour channel to mean 0, variance 1 over the image, then cut into patches.

    image ``uint8 [H, W, 3]`` → X ``float32 [n, p·p·3]``, grid (rows, cols).
    """
    x = np.asarray(image, dtype=np.float32) / 255.0
    flat = _standardise(x.reshape(-1, x.shape[-1])).reshape(x.shape)
    return patchify(flat, patch)


def descriptor_features(image: np.ndarray, patch: int) -> tuple[np.ndarray, tuple[int, int]]:
    """A region descriptor: mean colour (3) + a histogram of gradient orientations (8 bins).

    The histogram adds up each pixel's gradient magnitude into the bin of its
    direction (0…180°: a dark-to-light edge and a light-to-dark one count
    alike), averaged over the region.  Every one of the 11 columns is then
    standardised over the regions.  image ``uint8 [H, W, 3]`` →
    X ``float32 [n, 11]``, grid (rows, cols).
    """
    x = np.asarray(image, dtype=np.float32) / 255.0
    rows, cols = grid_shape(x.shape[0], x.shape[1], patch)
    x = x[: rows * patch, : cols * patch]
    colour = x.reshape(rows, patch, cols, patch, 3).mean(axis=(1, 3)).reshape(-1, 3)  # [n, 3]
    grey = x.mean(axis=-1)
    gy, gx = np.gradient(grey)
    magnitude = np.hypot(gx, gy)
    angle = np.mod(np.arctan2(gy, gx), np.pi)  # unsigned orientation in [0, π)
    bins = np.minimum((angle / np.pi * ORIENTATION_BINS).astype(np.int64), ORIENTATION_BINS - 1)
    region = (np.arange(rows * patch)[:, None] // patch) * cols + np.arange(cols * patch)[None, :] // patch
    hist = np.zeros((rows * cols, ORIENTATION_BINS), dtype=np.float64)
    np.add.at(hist, (region.ravel(), bins.ravel()), magnitude.ravel())
    hist /= patch * patch
    return _standardise(np.concatenate([colour, hist], axis=1)), (rows, cols)


def region_features(image: np.ndarray, patch: int, kind: str) -> tuple[np.ndarray, tuple[int, int]]:
    """X ``[n, d]`` and its grid for ``kind`` in FEATURE_KINDS (the CNN's are ``image_model.cnn_features``)."""
    if kind == "pixels":
        return pixel_features(image, patch)
    if kind == "descriptor":
        return descriptor_features(image, patch)
    raise InputError("image.unknown_features", kind=kind, choices=", ".join(FEATURE_KINDS))


# ------------------------------------------------------------------ attention over regions


@dataclass(frozen=True)
class SpatialAttention:
    """One query over every region, laid back onto the grid.

    scores, weights ``[rows, cols]``; output ``[d]`` = Σ wᵢxᵢ.
    """

    scores: torch.Tensor
    weights: torch.Tensor
    output: torch.Tensor


def spatial_attention(
    query, features, grid: tuple[int, int], method: str = "scaled_dot", temperature: float = 1.0
) -> SpatialAttention:
    """a = score(q, xᵢ), w = softmax(a / T), o = Σ wᵢxᵢ over the regions X ``[n, d]``, as ``[rows, cols]`` maps."""
    rows, cols = grid
    x = torch.as_tensor(np.asarray(features))
    if x.ndim != 2 or x.shape[0] != rows * cols:
        raise InputError("image.grid_mismatch", rows=rows, cols=cols, count=x.shape[0] if x.ndim else 0)
    result = attend(query, x, method=method, temperature=temperature)
    return SpatialAttention(
        scores=result.scores.reshape(rows, cols),
        weights=result.weights.reshape(rows, cols),
        output=result.output,
    )


def region_self_attention(features, grid: tuple[int, int], num_heads: int = 1, seed: int = 0):
    """Every region attends over every region: seeded projections, the core's multi-head attention.

    features ``[n, d]`` → weights ``[h, rows, cols, rows, cols]`` (region (r, c)'s map is
    ``weights[k, r, c]``) and the result of ``multi_head_self_attention``.
    """
    rows, cols = grid
    x = torch.as_tensor(np.asarray(features, dtype=np.float32))
    d = x.shape[-1]
    d_model = num_heads * max(1, math.ceil(min(d, 64) / num_heads))
    rng = np.random.default_rng(seed)
    w = [rng.normal(0, 1 / math.sqrt(d), (d_model, d)) for _ in range(3)]
    params = MultiHeadParams(w_q=w[0], w_k=w[1], w_v=w[2], w_o=np.eye(d_model), num_heads=num_heads)
    result = multi_head_self_attention(x, params)
    return result.weights.reshape(num_heads, rows, cols, rows, cols), result


def target_overlap(mask, grid: tuple[int, int]) -> np.ndarray:
    """``[rows, cols]``: the share of each region's pixels that are True in ``mask`` ``[H, W]`` (H, W multiples of the grid)."""
    rows, cols = grid
    m = np.asarray(mask, dtype=np.float32)
    return m.reshape(rows, m.shape[0] // rows, cols, m.shape[1] // cols).mean(axis=(1, 3))


def most_attended(weights, k: int = 1) -> list[tuple[int, int]]:
    """The (row, col) of the k largest weights of a ``[rows, cols]`` map, largest first."""
    w = np.asarray(weights)
    order = np.argsort(-w, axis=None, kind="stable")[:k]
    return [tuple(int(i) for i in divmod(int(j), w.shape[1])) for j in order]
