"""Fuzzing every parser of untrusted input: random and mutated bytes and text.

The property, for every case: the parser returns a valid result or raises
InputError (one non-empty sentence), within 2 s and 200 MB (tests/core/fuzzing.py).
``make fuzz`` runs these with FUZZ_EXAMPLES=1500; the normal test run draws a few.
"""

from __future__ import annotations

import io
import json

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from PIL import Image

from attention_core.errors import InputError
from attention_core.images import MAX_SIDE, load_image
from attention_core.limits import MAX_DIM, MAX_TOKENS
from attention_core.text_parsing import parse_positions, parse_vectors
from attention_core.uploads import load_sequence
from tests.core.fuzzing import FUZZ, holds

EXTENSIONS = ("csv", "tsv", "txt", "json", "npy")
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")


# ------------------------------------------------------------------ seeds and mutations


def npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def encoded(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


_rng = np.random.default_rng(14)
_x = np.round(_rng.normal(size=(5, 3)), 3)
# valid files of every kind: a mutation of one reaches the deep branches, which random bytes rarely do
UPLOAD_SEEDS = [
    ("csv", "\n".join(",".join(map(str, row)) for row in _x).encode()),
    ("csv", b"token,a,b,c\n" + b"\n".join(f"t{i},{r[0]},{r[1]},{r[2]}".encode() for i, r in enumerate(_x))),
    ("csv", b'\xef\xbb\xbf"a, b";1,5;2,5\n"c";3,5;4\n'),
    ("tsv", b"\n".join("\t".join(map(str, row)).encode() for row in _x) + b"\n"),
    ("txt", b"# comment\n" + b"\n".join(" ".join(map(str, row)).encode() for row in _x)),
    ("json", json.dumps(_x.tolist()).encode()),
    ("json", json.dumps({"labels": list("abcde"), "values": _x.tolist()}).encode()),
    ("npy", npy(_x)),
    ("npy", npy(np.asfortranarray(_x.astype(np.float32)))),
    ("npy", npy(np.arange(8, dtype=np.int16).reshape(4, 2))),
]
_img = Image.fromarray(_rng.integers(0, 256, (20, 24, 3), dtype=np.uint8))
IMAGE_SEEDS = [encoded(_img, fmt) for fmt in IMAGE_FORMATS] + [
    encoded(_img.convert("RGBA"), "PNG"),
    encoded(_img.convert("P"), "PNG"),
    encoded(Image.fromarray(_rng.integers(0, 65535, (18, 18), dtype=np.uint16)), "PNG"),
]


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    """A seed with a few byte flips, insertions, deletions, repeats and a cut."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for op, at, chunk in draw(
        st.lists(
            st.tuples(
                st.sampled_from(["flip", "insert", "delete", "repeat"]),
                st.integers(0, 4096),
                st.binary(min_size=1, max_size=16),
            ),
            max_size=6,
        )
    ):
        at %= len(data) + 1
        if op == "flip" and at < len(data):
            data[at] = chunk[0]
        elif op == "insert":
            data[at:at] = chunk
        elif op == "delete":
            del data[at : at + len(chunk)]
        elif op == "repeat":
            data[at:at] = data[at : at + len(chunk) * 8] * 3
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


# ------------------------------------------------------------------ load_sequence


def load(data: bytes, name: str) -> None:
    seq = holds(f"load_sequence .{name.rsplit('.', 1)[-1]}", lambda: load_sequence(data, name), (InputError,))
    if seq is not None:
        assert seq.values.ndim == 2 and seq.values.dtype == np.float64
        assert 2 <= seq.d <= MAX_DIM and 1 <= seq.n <= MAX_TOKENS
        assert np.isfinite(seq.values).all()
        assert len(seq.labels) in (0, seq.n)


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(EXTENSIONS))
@example(b"\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", "npy")
@example(b"[" * 3000, "json")
@example("\u3000\n\xa0 # x\n1\u20032\n3 4\u2028".encode(), "txt")  # blanks str.isspace() knows, as UTF-8
@example(b'{"a": [[1, 2]], "labels": ["\xc3\xa9", "\xf0\x9f\x99\x82"]', "json")  # an object cut short
@example(b'{"values": [[1, 2], [3, 4]], "labels": ["\\u00e9", "\xc3\xa9"]}', "json")  # an escape and raw UTF-8
@example(b"\x93NUMPY\x02\x00\xff\xff\xff\x00", "npy")  # a header said to be 16 MB long
def test_random_bytes_as_every_upload_kind(data, ext):
    load(data, "a." + ext)


@FUZZ
@given(st.sampled_from(UPLOAD_SEEDS), st.data())
def test_mutated_uploads(seed, data):
    ext, good = seed
    bad = data.draw(mutated([good]))
    load(bad, "a." + data.draw(st.sampled_from([ext, ext, *EXTENSIONS])))  # mostly as itself


NUMBERISH = st.text(
    alphabet=st.sampled_from(list("0123456789.,;\t -+eE\n\r\"#'xnaif_[]{}²٣\x00\x0c\u2028\xa0")), max_size=400
)


@FUZZ
@given(NUMBERISH, st.sampled_from(EXTENSIONS[:4]), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_number_like_text_in_every_encoding(text, ext, encoding):
    load(text.encode(encoding, errors="replace"), "a." + ext)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=6)
        | st.dictionaries(st.sampled_from(["values", "labels", "tokens", "data", "x", "other"]), inner, max_size=3)
    ),
    max_leaves=40,
)


@FUZZ
@given(JSON)
def test_json_documents(obj):
    load(json.dumps(obj).encode(), "a.json")


# ------------------------------------------------------------------ load_image


def decode(data: bytes) -> None:
    img = holds("load_image", lambda: load_image(data), (InputError,))
    if img is not None:
        assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3 and max(img.shape[:2]) <= MAX_SIDE


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"BM"]).flatmap(
            lambda head: st.binary(max_size=500).map(lambda tail: head + tail)
        ),
    )
)
def test_random_bytes_as_an_image(data):
    decode(data)


@FUZZ
@given(mutated(IMAGE_SEEDS))
def test_mutated_images(data):
    decode(data)


# ------------------------------------------------------------------ text boxes


@FUZZ
@given(st.one_of(NUMBERISH, st.text(max_size=300)), st.integers(1, 8), st.integers(1, 64))
@example("1e999, 2", 2, 4)
@example("9" * 5000, 1, 4)
def test_query_text(text, d, max_rows):
    q = holds("parse_vectors", lambda: parse_vectors(text, d, max_rows=max_rows), (InputError,))
    if q is not None:
        assert q.shape[1] == d and 1 <= q.shape[0] <= max_rows and np.isfinite(q).all()


@FUZZ
@given(
    st.one_of(st.text(alphabet=st.sampled_from(list("0123456789-,; ²٣x")), max_size=200), st.text(max_size=200)),
    st.integers(1, MAX_TOKENS),
)
@example("1-99999999999999999999", 5)
@example("1-4096", 4096)
def test_positions_text(text, n):
    positions = holds("parse_positions", lambda: parse_positions(text, n), (InputError,))
    if positions is not None:
        assert positions == sorted(set(positions)) and all(0 <= i < n for i in positions)


# ------------------------------------------------------------------ audio (the Speech page's recordings and uploads)


def _audio_seeds() -> list[bytes]:
    from tests.core.bad_audio import encoded, tone

    short = tone(0.2, 16_000)
    return [
        encoded(short, 16_000, subtype="PCM_16"),
        encoded(short, 16_000, subtype="FLOAT"),
        encoded(tone(0.2, 8_000, channels=2), 8_000, subtype="PCM_24"),
        encoded(short, 16_000, format="FLAC"),
        encoded(short, 16_000, format="OGG", subtype="VORBIS"),
        encoded(short, 16_000, format="MP3", subtype="MPEG_LAYER_III"),
    ]


AUDIO_SEEDS = _audio_seeds()


def decode_audio_checked(data: bytes) -> None:
    from attention_core.speech.audio import decode_audio

    clip = holds("decode_audio", lambda: decode_audio(data), (InputError,))
    if clip is not None:
        assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1 and len(clip.samples) > 0
        assert np.isfinite(clip.samples).all() and np.abs(clip.samples).max() <= 1.0
        assert clip.seconds <= 30.0


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.sampled_from([b"RIFF", b"fLaC", b"OggS", b"ID3", b"\xff\xfb"]).flatmap(
            lambda head: st.binary(max_size=500).map(lambda tail: head + tail)
        ),
    )
)
def test_random_bytes_as_audio(data):
    decode_audio_checked(data)


@FUZZ
@given(mutated(AUDIO_SEEDS))
def test_mutated_audio(data):
    decode_audio_checked(data)
