"""The committed corpus of bad uploads (tests/data/bad_uploads/): each file gets one InputError sentence naming its problem.

The corpus and its expected messages are written by tests/data/make_bad_uploads.py;
its large cases (up to 48 MB) are written at test time into a temporary folder.
"""

from __future__ import annotations

import io
import json
import time

import numpy as np
import pytest

from attention_core.errors import InputError
from attention_core.images import load_image
from attention_core.uploads import load_sequence
from tests.data.make_bad_uploads import FOLDER, IMAGE_SUFFIXES, small_cases, write_large

EXPECTED: dict[str, str] = json.loads((FOLDER / "expected.json").read_text())


def load(data: bytes, name: str):
    return load_image(data) if name.endswith(IMAGE_SUFFIXES) else load_sequence(data, name)


def assert_one_sentence(data: bytes, name: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        load(data, name)
    message = str(info.value)
    assert fragment in message, message
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message


def test_the_corpus_holds_every_file_it_lists_and_at_least_40():
    files = {p.name for p in FOLDER.iterdir()} - {"expected.json"}
    assert files == set(EXPECTED)
    assert len(files) >= 40


def test_the_committed_files_are_what_the_generator_writes():
    for name, (data, fragment) in small_cases().items():
        assert (FOLDER / name).read_bytes() == data, name
        assert EXPECTED[name] == fragment


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_bad_file_gets_one_clear_sentence(name):
    assert_one_sentence((FOLDER / name).read_bytes(), name, EXPECTED[name])


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    folder = tmp_path_factory.mktemp("large_bad_uploads")
    return folder, write_large(folder)


@pytest.mark.parametrize(
    "name",
    [
        "12_million_rows.json",
        "nested_100000_deep.json",
        "24_million_lines.csv",
        "a_million_columns.csv",
        "a_million_columns.txt",
        "4096_lines_of_6000_columns.csv",
        "5_million_numbers.json",
        "5_million_rows.npy",
    ],
)
def test_large_bad_files_are_refused_from_a_count_in_seconds(large, name):
    folder, expected = large
    data = (folder / name).read_bytes()
    start = time.perf_counter()
    assert_one_sentence(data, name, expected[name])
    # ~0.2 s on an idle machine; 5 s leaves room for a loaded one (these took 2–24 s before)
    assert time.perf_counter() - start < 5


# ---- fortran order: accepted, as np.load reads it (the same numbers as C order)


def test_a_fortran_order_npy_loads_the_same_values_as_c_order():
    x = np.arange(12.0).reshape(3, 4) ** 1.5
    buf = io.BytesIO()
    np.save(buf, np.asfortranarray(x))
    seq = load_sequence(buf.getvalue(), "f.npy")
    np.testing.assert_array_equal(seq.values, x)
    assert seq.values.flags.c_contiguous
