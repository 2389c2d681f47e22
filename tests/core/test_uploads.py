"""Uploads: load_sequence on good files, a bad-file corpus and fuzzing."""

from __future__ import annotations

import io
import json
import time
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import attention_core.uploads as uploads_module
from attention_core.attend import attend
from attention_core.errors import InputError
from attention_core.limits import MAX_DIM, MAX_TOKENS
from attention_core.sequences import Sequence
from attention_core.uploads import MAX_UPLOAD_BYTES, load_sequence

from .bad_files import bad_files, npy_bytes, npz_bytes

# ============================================================ loading: good


def load(text: str | bytes, filename: str) -> Sequence:
    return load_sequence(text.encode() if isinstance(text, str) else text, filename)


def assert_loaded(seq: Sequence, values, labels=None):
    assert isinstance(seq, Sequence)
    assert seq.values.dtype == np.float64
    np.testing.assert_array_equal(seq.values, np.asarray(values, dtype=np.float64))
    n = len(values)
    assert seq.labels == (tuple(labels) if labels is not None else tuple(f"x{i}" for i in range(1, n + 1)))


TABLE = [[1.0, 2.0, 3.0], [4.0, -5.5, 6e-3]]


@pytest.mark.parametrize(
    "text, filename",
    [
        ("1,2,3\n4,-5.5,6e-3\n", "a.csv"),
        ("1, 2, 3\n4, -5.5, 0.006\n", "a.csv"),
        ("1,2,3\r\n4,-5.5,6e-3\r\n", "a.csv"),
        ("1,2,3\n\n4,-5.5,6e-3\n\n", "a.csv"),
        ("# a comment\n1,2,3\n4,-5.5,6e-3", "a.csv"),
        ("x,y,z\n1,2,3\n4,-5.5,6e-3\n", "a.csv"),
        ('"x","y","z"\n1,2,3\n4,-5.5,6e-3\n', "a.csv"),
        ("1,2,3,\n4,-5.5,6e-3,\n", "a.csv"),
        ("x,y,z,\n1,2,3,\n4,-5.5,6e-3,\n", "a.csv"),
        ("1;2;3\n4;-5.5;6e-3\n", "a.csv"),
        ("x;y;z\n1;2;3\n4;-5.5;6e-3\n", "a.csv"),
        ("1\t2\t3\n4\t-5.5\t6e-3\n", "a.tsv"),
        ("x\ty\tz\n1\t2\t3\n4\t-5.5\t6e-3\n", "a.tsv"),
        ("1\t2\t3\n4\t-5.5\t6e-3\n", "a.txt"),
        ("1 2 3\n4   -5.5 6e-3\n", "a.txt"),
        ("  1 2 3  \n\t4 -5.5\t6e-3\n", "a.txt"),
        ("1,2,3\n4,-5.5,6e-3\n", "A.CSV"),
        ("1,2,3\n4,-5.5,6e-3\n", "my data.v2.csv"),
        ("+1,2,3\n4,-5.5,.006\n", "a.csv"),
    ],
)
def test_tables_without_labels(text, filename):
    assert_loaded(load(text, filename), TABLE)


@pytest.mark.parametrize(
    "text, filename",
    [
        ("cat,1,2,3\ndog,4,-5.5,6e-3\n", "a.csv"),
        ("token,x,y,z\ncat,1,2,3\ndog,4,-5.5,6e-3\n", "a.csv"),
        ("cat\t1\t2\t3\ndog\t4\t-5.5\t6e-3\n", "a.tsv"),
        ("cat 1 2 3\ndog 4 -5.5 6e-3\n", "a.txt"),
        ("cat;1;2;3\ndog;4;-5.5;6e-3\n", "a.csv"),
        ('"cat",1,2,3\n"dog",4,-5.5,6e-3\n', "a.csv"),
    ],
)
def test_tables_with_a_label_column(text, filename):
    assert_loaded(load(text, filename), TABLE, labels=["cat", "dog"])


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf1,2,3\n4,-5.5,6e-3\n",
        b"\xef\xbb\xbfx,y,z\n1,2,3\n4,-5.5,6e-3\n",
        b"\xef\xbb\xbf1,2,3\r\n4,-5.5,6e-3\r\n",
    ],
)
def test_byte_order_mark(data):
    assert_loaded(load(data, "excel.csv"), TABLE)


def test_byte_order_mark_with_labels():
    assert_loaded(load(b"\xef\xbb\xbfcat,1,2,3\ndog,4,-5.5,6e-3\n", "a.csv"), TABLE, labels=["cat", "dog"])


def test_unicode_labels_and_long_labels_are_kept_printable():
    seq = load("猫,1,2\nchien,3,4\n" + "x" * 100 + "\x07,5,6\n", "a.csv")
    assert seq.labels[:2] == ("猫", "chien")
    assert len(seq.labels[2]) <= 40 and seq.labels[2].isprintable()


def test_one_row_loads_and_one_column_is_refused():
    assert_loaded(load("1,2,3\n", "a.csv"), [[1.0, 2.0, 3.0]])
    with pytest.raises(InputError, match="at least 2 dimensions"):
        load("value\n1\n2\n", "a.csv")


def test_largest_table_loads():
    text = "\n".join(",".join(["0.5"] * MAX_DIM) for _ in range(64))
    assert load(text, "a.csv").values.shape == (64, MAX_DIM)
    text = "h,g\n" + "1,2\n" * MAX_TOKENS
    assert load(text, "a.csv").values.shape == (MAX_TOKENS, 2)


@pytest.mark.parametrize(
    "array",
    [
        np.array(TABLE, dtype=np.float32),
        np.array(TABLE, dtype=np.float64),
        np.array(TABLE, dtype=">f8"),
        np.asfortranarray(np.array(TABLE)),
        np.array([[1, 2, 3], [4, -5, 6]], dtype=np.int64),
        np.array([[1, 2, 3], [4, 5, 6]], dtype=np.uint8),
        np.array([[1, 2, 3], [4, -5, 6]], dtype=np.int32),
        np.array([[True, False], [False, True]]),
        np.array(TABLE, dtype=np.float16),
    ],
)
def test_npy(array):
    seq = load_sequence(npy_bytes(array), "x.npy")
    assert_loaded(seq, array.astype(np.float64))


def test_npy_float32_keeps_its_float32_values_exactly():
    array = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_array_equal(load_sequence(npy_bytes(array), "x.NPY").values, array.astype(np.float64))


@pytest.mark.parametrize(
    "obj, labels",
    [
        ([[1, 2, 3], [4, -5.5, 0.006]], None),
        ({"values": [[1, 2, 3], [4, -5.5, 0.006]]}, None),
        ({"values": [[1, 2, 3], [4, -5.5, 0.006]], "labels": ["cat", "dog"]}, ["cat", "dog"]),
        ({"tokens": ["cat", "dog"], "embeddings": [[1, 2, 3], [4, -5.5, 0.006]]}, ["cat", "dog"]),
        ({"data": [[1, 2, 3], [4, -5.5, 0.006]], "labels": [1, None]}, ["1", "None"]),
        ({"whatever": [[1, 2, 3], [4, -5.5, 0.006]], "note": "hi"}, None),
    ],
)
def test_json(obj, labels):
    assert_loaded(load(json.dumps(obj), "a.json"), TABLE, labels=labels)


def test_json_with_bom_and_whitespace():
    assert_loaded(load(b"\xef\xbb\xbf\n  [[1, 2, 3],\n [4, -5.5, 6e-3]]  \n", "a.json"), TABLE)


def test_loaded_values_are_read_only_and_attendable():
    seq = load("1,2\n3,4\n", "a.csv")
    with pytest.raises(ValueError):
        seq.values[0, 0] = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. torch's "non-writable array" warning
        out = attend(seq.values[0], seq.values)
    assert out.weights.shape == (2,)


# ============================================================= loading: bad

BAD = bad_files()


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_bad_file_is_refused_with_a_helpful_message(case):
    started = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_sequence(case.data, case.filename)
    assert time.perf_counter() - started < 3, "refusing a file must not take long"
    message = str(info.value)
    assert case.fragment in message
    assert message.endswith("."), message
    assert 10 < len(message) < 250
    assert "Traceback" not in message and "allow_pickle" not in message


def test_over_the_size_cap(monkeypatch):
    monkeypatch.setattr(uploads_module, "MAX_UPLOAD_BYTES", 64)
    assert_loaded(load_sequence(b"1,2\n" * 16, "a.csv"), [[1.0, 2.0]] * 16)  # exactly 64 bytes
    for name, data in [("a.csv", b"1,2\n" * 17), ("a.npy", npy_bytes(np.eye(3))), ("a.json", b"[[1]]" + b" " * 60)]:
        with pytest.raises(InputError, match="the limit is"):
            load_sequence(data, name)


def test_over_the_real_size_cap_is_refused_before_parsing():
    data = b"1," * (MAX_UPLOAD_BYTES // 2) + b"1\n"
    assert len(data) > MAX_UPLOAD_BYTES
    started = time.perf_counter()
    with pytest.raises(InputError, match="MB"):
        load_sequence(data, "big.csv")
    assert time.perf_counter() - started < 0.5


def test_bad_files_never_unpickle(monkeypatch):
    import pickle

    def refuse(*args, **kwargs):
        raise AssertionError("pickle.load was called")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    for case in BAD:
        if case.filename.endswith(".npy"):
            with pytest.raises(InputError):
                load_sequence(case.data, case.filename)


# ---------------------------------------------------------------- fuzzing

EXTENSIONS = ["a.csv", "a.tsv", "a.txt", "a.npy", "a.json"]


def assert_sequence_or_input_error(data: bytes, filename: str) -> None:
    """The whole contract for untrusted bytes: a finite Sequence, or InputError — nothing else."""
    try:
        seq = load_sequence(data, filename)
    except InputError as exc:
        assert str(exc)
        return
    assert isinstance(seq, Sequence)
    assert seq.values.ndim == 2 and seq.values.dtype == np.float64
    assert 1 <= seq.n <= MAX_TOKENS and 1 <= seq.d <= MAX_DIM
    assert np.isfinite(seq.values).all()
    assert len(seq.labels) == seq.n and all(isinstance(s, str) for s in seq.labels)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(EXTENSIONS))
@example(b"\x93NUMPY\x01\x00v\x00", "a.npy")
@example(b'"unclosed\n1,2', "a.csv")
def test_fuzz_arbitrary_bytes(data, filename):
    assert_sequence_or_input_error(data, filename)


TEXTY = st.text(alphabet=st.sampled_from(list("0123456789.,;\t -+eE\n\r\"#'xnaif_²٣\x00\x0c")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(TEXTY, st.sampled_from(["a.csv", "a.tsv", "a.txt", "a.json"]))
def test_fuzz_number_like_text(text, filename):
    assert_sequence_or_input_error(text.encode(), filename)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.sampled_from(["values", "labels", "tokens", "data", "x", "other"]), inner, max_size=3)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_fuzz_json(obj):
    assert_sequence_or_input_error(json.dumps(obj).encode(), "a.json")


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        [
            npy_bytes(np.arange(6.0).reshape(2, 3)),
            npy_bytes(np.arange(6, dtype=np.int16).reshape(3, 2)),
            npy_bytes(np.array([[1, "a"]], dtype=object), allow_pickle=True),
            npz_bytes(x=np.eye(2)),
        ]
    ),
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 255)), max_size=4),
    st.integers(0, 300),
)
def test_fuzz_mutated_npy(data, flips, cut):
    data = bytearray(data)
    for position, byte in flips:
        if position < len(data):
            data[position] = byte
    assert_sequence_or_input_error(bytes(data[: max(cut, 0) or None]), "a.npy")


def test_first_row_with_a_typo_is_not_taken_for_a_header():
    from attention_core.errors import InputError
    from attention_core.uploads import load_sequence

    with pytest.raises(InputError, match="mixes numbers and text"):
        load_sequence(b"1.5,2x,3\n4,5,6\n", "typo.csv")
    # a real header is still recognised
    assert load_sequence(b"a,b,c\n4,5,6\n", "h.csv").values.tolist() == [[4.0, 5.0, 6.0]]


def test_semicolon_csv_with_decimal_commas():
    from attention_core.uploads import load_sequence

    seq = load_sequence("tok;a;b\nthe;1,5;-2,25\ncat;3;4,0\n".encode(), "eu.csv")
    assert seq.values.tolist() == [[1.5, -2.25], [3.0, 4.0]]
    assert seq.labels == ("the", "cat")


# ---- one magnitude bound, one upload cap, at least two dimensions (issue 7, item 5 and 20)


def test_values_beyond_the_bound_are_refused_with_the_bound_in_the_message():
    from attention_core.limits import MAX_ABS_VALUE

    with pytest.raises(InputError, match=r"Row 1, column 1 .*1e\+06"):
        load_sequence(b"1e200,-1e200\n2e200,1e200\n-1e200,3e200", "big.csv")
    buffer = io.BytesIO()
    np.save(buffer, np.full((3, 3), 1.79e308), allow_pickle=False)
    with pytest.raises(InputError, match="between"):
        load_sequence(buffer.getvalue(), "huge.npy")
    ok = load_sequence(f"{MAX_ABS_VALUE},1\n2,{-MAX_ABS_VALUE}".encode(), "edge.csv")
    assert ok.values.max() == MAX_ABS_VALUE


def test_a_single_column_file_is_refused():
    with pytest.raises(InputError, match="at least 2 dimensions"):
        load_sequence(b"1\n2\n3", "one.csv")


def test_upload_cap_counts_megabytes_as_streamlit_does():
    from attention_core.uploads import MAX_UPLOAD_MB

    assert MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * 10**6


# ---- issue 7, item 20: counts in messages, UTF-16, mixed separators


@pytest.mark.parametrize(
    "data, filename, expected",
    [
        (b'{"values": [[1, 2], [3, 4]], "labels": ["a"]}', "a.json", "There is 1 label but 2 rows"),
        (b'{"values": [[1, 2]], "labels": ["a", "b"]}', "a.json", "There are 2 labels but 1 row;"),
        (b"1,2\n3\n", "a.csv", "Row 2 has 1 number but row 1 has 2"),
        (b"1\n2,3\n", "a.csv", "Row 2 has 2 numbers but row 1 has 1;"),
    ],
)
def test_counts_in_messages_agree_with_their_nouns(data, filename, expected):
    with pytest.raises(InputError) as info:
        load_sequence(data, filename)
    assert expected in str(info.value)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-32"])
@pytest.mark.parametrize("filename", ["a.csv", "a.txt", "a.json"])
def test_utf16_text_with_or_without_a_byte_order_mark_gets_the_not_utf8_message(encoding, filename):
    # Excel's "Unicode text" is UTF-16; without a BOM the NUL bytes used to read as empty cells ("Row 3 has 0 numbers")
    text = "[[1, 2], [3, 4], [5, 6]]" if filename.endswith(".json") else "1,2\n3,4\n5,6\n"
    with pytest.raises(InputError) as info:
        load_sequence(text.encode(encoding), filename)
    message = str(info.value)
    assert "not UTF-8" in message and "Row" not in message
    assert ("UTF-16" in message) == encoding.startswith("utf-16")


def test_a_nul_byte_in_a_text_file_is_refused_as_not_text():
    with pytest.raises(InputError, match="not UTF-8"):
        load_sequence(b"1,2\n3,4\x00\n5,6\n", "a.csv")


@pytest.mark.parametrize(
    "data, filename, fragment",
    [
        (b"1\t2;3\n4;5\t6", "a.csv", "tabs and semicolons"),
        (b"1;2\n3;4,5,6\n", "a.csv", None),  # decimal commas in a ;-file: 4,5 is 4.5 (then ragged, not mixed)
        (b"1,2,3\n4,5;6\n", "a.csv", "commas and semicolons"),
        (b"1 2 3\n4 5,6\n", "a.txt", "spaces and commas"),
        (b"1\t2\t3\n4\t5 6\n", "a.tsv", "tabs and spaces"),
    ],
)
def test_mixed_separators_are_refused_with_one_sentence(data, filename, fragment):
    with pytest.raises(InputError) as info:
        load_sequence(data, filename)
    message = str(info.value)
    if fragment is None:
        assert "separator" not in message
    else:
        assert fragment in message and "one separator" in message and message.count(".") == 1


def test_separators_inside_labels_and_headers_are_not_mixing():
    seq = load_sequence(b"token\tx;1\tx;2\nhello, world\t1\t2\nb;c\t3\t4\n", "a.tsv")
    assert seq.labels == ("hello, world", "b;c") and seq.values.tolist() == [[1, 2], [3, 4]]
    seq = load_sequence(b'"a;b",1,2\n"c d",3,4\n', "a.csv")
    assert seq.labels == ("a;b", "c d")


# ---------------------------------------------------- capped before allocated (issue 24, item 5)


@pytest.mark.parametrize(
    "labels",
    [["猫", "chien"], ["🙂", "ok"], ["café", "thé"], ["naïve 中文 🙂", "x"]],
)
def test_non_ascii_labels_read_from_bytes_a_line_at_a_time_are_the_right_text(labels):
    # the table is decoded a line at a time and JSON is read as Latin-1: labels must come back as written
    csv = "".join(f"{label},{i},{i + 1}\n" for i, label in enumerate(labels))
    assert load(csv, "a.csv").labels == tuple(labels)
    tsv = "".join(f"{label}\t{i}\t{i + 1}\n" for i, label in enumerate(labels))
    assert load(tsv, "a.tsv").labels == tuple(labels)
    for ensure_ascii in (False, True):  # raw UTF-8, and \u escapes (surrogate pairs for the emoji)
        obj = {"labels": labels, "values": [[0, 1], [1, 2]]}
        assert load(json.dumps(obj, ensure_ascii=ensure_ascii), "a.json").labels == tuple(labels)


def test_a_json_cell_that_is_a_long_string_is_shown_cut_and_in_its_own_characters():
    with pytest.raises(InputError, match='column 1 of the JSON is "中中中') as info:
        load(json.dumps([["中" * 1000, 1]], ensure_ascii=False), "a.json")
    assert len(str(info.value)) < 120


def test_lines_of_non_ascii_blanks_and_indented_comments_are_skipped_as_before():
    text = "\u3000\n\xa0 \n  # a comment\n\u2003# another\n1 2\n\t3\u00a04\n"  # \xa0 also splits cells, as str.split()
    assert_loaded(load(text, "a.txt"), [[1.0, 2.0], [3.0, 4.0]])


def test_a_json_object_is_read_row_by_row_with_the_same_values_and_labels():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(50, 7))
    obj = {"note": {"nested": [1, {"a": []}]}, "labels": [f"t{i}" for i in range(50)], "values": x.tolist()}
    seq = load(json.dumps(obj), "a.json")
    np.testing.assert_array_equal(seq.values, x)
    assert seq.labels == tuple(obj["labels"])
    for broken in ('{"values": [[1, 2]]} x', '{"values": [[1, 2]], }', '{"values" [[1, 2]]}', "[[1, 2]] ]"):
        with pytest.raises(InputError, match="not valid JSON"):
            load(broken, "a.json")


def test_a_line_over_the_line_cap_is_refused_from_its_head(monkeypatch):
    monkeypatch.setattr(uploads_module, "MAX_LINE_BYTES", 3000)
    row = ",".join(["0.125"] * 500)  # 2999 bytes: loads
    assert load(row + "\n" + row, "a.csv").values.shape == (2, 500)
    with pytest.raises(InputError, match="a cell is far too long"):
        load(row + "\n" + row + "55", "a.csv")  # 3001 bytes
    with pytest.raises(InputError, match="over 1024 columns"):
        load("1\n" + "1 " * 2000, "a.txt")  # the head alone holds too many cells
    with pytest.raises(InputError, match="a cell is far too long"):
        load("1 2\n3 " + "44," * 1000, "a.txt")  # a second separator in a cell, over the cap


def test_a_cell_of_numbers_joined_by_a_second_separator_is_named_without_splitting_it_whole():
    cell = ",".join(["4"] * 5000)
    with pytest.raises(InputError, match="Line 2 mixes spaces and commas"):
        load(f"1 2\n3 {cell}\n", "a.txt")
