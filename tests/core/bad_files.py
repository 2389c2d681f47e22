"""A corpus of uploads that load_sequence must refuse, built in code (no binary fixtures).

Each case is (id, filename, bytes, fragment): loading must raise ``InputError``
whose message contains ``fragment``.  Build with ``bad_files()``.
"""

from __future__ import annotations

import io
import json
import pickle
from typing import NamedTuple

import numpy as np

from attention_core.limits import MAX_DIM, MAX_TOKENS


class BadFile(NamedTuple):
    id: str
    filename: str
    data: bytes
    fragment: str


def npy_bytes(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=allow_pickle)
    return buf.getvalue()


def npz_bytes(**arrays: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def npy_with_header(header: dict, payload: bytes = b"") -> bytes:
    """An .npy whose header says whatever we like, followed by ``payload``."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    return buf.getvalue() + payload


def _text_cases() -> list[BadFile]:
    too_many_rows = b"1,2\n" * (MAX_TOKENS + 1)
    too_many_cols = b",".join([b"1"] * (MAX_DIM + 1)) + b"\n"
    return [
        BadFile("words", "a.csv", b"1,2\n3,hello\n", "'hello', which is not a number"),
        BadFile("only-words", "a.csv", b"a,b\nc,d\n", "not a number"),
        BadFile("words-txt", "a.txt", b"1 2\n3 four\n", "'four'"),
        BadFile("typo-in-first-row", "a.csv", b"1,5x,2\n3,5,4\n", "mixes numbers and text"),
        BadFile("ragged", "a.csv", b"1,2,3\n4,5\n", "Row 2 has 2 numbers but row 1 has 3"),
        BadFile("ragged-after-header", "a.csv", b"x,y,z\n1,2,3\n4,5\n", "Row 3 has 2 numbers but row 2 has 3"),
        BadFile("ragged-tsv", "a.tsv", b"1\t2\n3\t4\t5\n", "Row 2 has 3 numbers"),
        BadFile("ragged-txt", "a.txt", b"1 2 3\n4 5 6\n7\n", "Row 3 has 1 number but"),
        BadFile("nan", "a.csv", b"1,2\nnan,4\n", "Row 2, column 1 is nan"),
        BadFile("NaN-txt", "a.txt", b"1 2\n3 NaN\n", "finite"),
        BadFile("inf", "a.csv", b"1,inf\n3,4\n", "finite"),
        BadFile("minus-infinity-tsv", "a.tsv", b"1\t-Infinity\n", "finite"),
        BadFile("overflow", "a.csv", b"1,1e999\n2,3\n", "finite"),
        BadFile("empty", "a.csv", b"", "The file is empty"),
        BadFile("empty-txt", "a.txt", b"", "empty"),
        BadFile("blank", "a.csv", b"  \n\n\t \n", "no rows of numbers"),
        BadFile("comments-only", "a.txt", b"# just a comment\n# and another\n", "no rows of numbers"),
        BadFile("only-header", "a.csv", b"x,y\n", "header row but no rows"),
        BadFile("only-header-one-column", "a.csv", b"value\n", "header row but no rows"),
        BadFile("only-header-tsv", "a.tsv", b"token\tx\ty\n", "header row but no rows"),
        BadFile("empty-cells", "a.csv", b",,,\n,,,\n", "not a number"),
        BadFile("too-many-rows", "a.csv", too_many_rows, f"the limit is {MAX_TOKENS}"),
        BadFile("too-many-rows-after-header", "a.csv", b"x,y\n" + too_many_rows, f"the limit is {MAX_TOKENS}"),
        BadFile("far-too-many-rows", "a.txt", b"1\n" * 2_000_000, f"the limit is {MAX_TOKENS}"),
        BadFile("too-many-columns", "a.csv", too_many_cols, f"the limit is {MAX_DIM}"),
        BadFile("too-many-columns-labelled", "a.csv", b"tok," + too_many_cols, f"the limit is {MAX_DIM}"),
        BadFile("too-many-columns-txt", "a.txt", too_many_cols.replace(b",", b" "), f"the limit is {MAX_DIM}"),
        BadFile("far-too-many-columns", "a.csv", b"0," * 2_000_000, f"the limit is {MAX_DIM}"),
        BadFile("cell-over-csv-field-limit", "a.csv", b"1," + b"1" * 200_000 + b"\n", "too long"),
        BadFile("bad-utf8", "a.csv", b"1,2\n\xff\xfe,3\n", "not UTF-8"),
        BadFile("utf16", "a.csv", "x,y\n1,2\n".encode("utf-16"), "not UTF-8"),
        BadFile("latin1-label", "a.csv", "café,1,2\nthé,3,4\n".encode("latin-1"), "not UTF-8"),
        BadFile("binary-as-csv", "a.csv", npy_bytes(np.eye(3)), "not UTF-8"),
        # capped before allocated (issue 24, item 5): lines over 1 MB, refused from their first megabyte;
        # the 48 MB versions are measured in tests/core/test_memory_budget.py
        BadFile("one-long-line-of-cells-txt", "a.txt", b"12 " * 400_000, f"the limit is {MAX_DIM}"),
        BadFile("one-long-line-of-cells-tsv", "a.tsv", b"12\t" * 400_000, f"the limit is {MAX_DIM}"),
        BadFile("one-long-cell-with-an-emoji-txt", "a.txt", "1 🙂".encode() + b"a" * 1_100_000, "far too long"),
        BadFile("one-long-cell-with-an-emoji-csv", "a.csv", "1,🙂".encode() + b"a" * 1_100_000, "far too long"),
        BadFile("a-long-line-after-a-short-one", "a.txt", b"1 2\n3 " + b"a" * 1_100_000, "far too long"),
        BadFile("second-separator-in-a-long-cell", "a.txt", b"1 2\n3 " + b"44," * 400_000, "far too long"),
        BadFile("blank-lines-of-wide-spaces", "a.txt", "\u3000\n\xa0\n\u2003 # x\n".encode(), "no rows of numbers"),
        BadFile("a-wide-space-is-a-separator", "a.txt", "1\u30002\n3\n".encode(), "Row 2 has 1 number but row 1 has 2"),
    ]


def _json_cases() -> list[BadFile]:
    return [
        BadFile("invalid-json", "a.json", b"[[1, 2]", "not valid JSON"),
        BadFile("json-trailing-comma", "a.json", b"[[1, 2],]", "not valid JSON"),
        BadFile("json-of-strings", "a.json", b'[["a", "b"], ["c", "d"]]', 'is "a", not a number'),
        BadFile("json-numbers-as-strings", "a.json", b'[["1", "2"]]', "not a number"),
        BadFile("json-flat-strings", "a.json", b'["a", "b"]', "is not a list of numbers"),
        BadFile("json-flat-numbers", "a.json", b"[1, 2, 3]", "is not a list of numbers"),
        BadFile("json-bools", "a.json", b"[[true, 1], [0, 1]]", "Row 1, column 1 of the JSON is true, not a number"),
        BadFile("json-null", "a.json", b"[[1, null]]", "is null, not a number"),
        BadFile("json-nested", "a.json", b"[[[1, 2]]]", "not a number"),
        BadFile("json-nan", "a.json", b"[[NaN, 1]]", "finite"),
        BadFile("json-infinity", "a.json", b"[[1, -Infinity]]", "finite"),
        BadFile("json-1e999", "a.json", b"[[1e999, 1]]", "finite"),
        BadFile("json-huge-integer", "a.json", b"[[1" + b"0" * 400 + b", 1]]", "too large"),
        BadFile("json-5000-digit-integer", "a.json", b"[[" + b"9" * 5000 + b"]]", "too many digits"),
        BadFile("json-ragged", "a.json", b"[[1, 2], [3]]", "Row 2 has 1 number but row 1 has 2"),
        BadFile("json-empty-list", "a.json", b"[]", "non-empty list"),
        BadFile("json-empty-row", "a.json", b"[[]]", "first row has no numbers"),
        BadFile("json-scalar", "a.json", b"42", "non-empty list"),
        BadFile("json-string", "a.json", b'"hello"', "non-empty list"),
        BadFile("json-object-without-table", "a.json", b'{"a": 1, "b": [1, 2]}', "exactly one list of rows"),
        BadFile("json-object-two-tables", "a.json", b'{"values": [[1]], "data": [[2]]}', "exactly one list of rows"),
        BadFile("json-values-not-a-list", "a.json", b'{"values": 5}', "non-empty list"),
        BadFile(
            "json-labels-mismatch",
            "a.json",
            b'{"values": [[1, 2], [3, 4]], "labels": ["a"]}',
            "There is 1 label but 2 rows",
        ),
        BadFile(
            "json-deep",
            "a.json",
            b"[" * 100_000 + b"]" * 100_000,
            f"100,000 lists or objects; the limit is {MAX_TOKENS}",
        ),
        BadFile(
            "json-too-many-rows",
            "a.json",
            json.dumps([[1, 2]] * (MAX_TOKENS + 1)).encode(),
            f"the limit is {MAX_TOKENS}",
        ),
        BadFile(
            "json-too-many-columns", "a.json", json.dumps([[1] * (MAX_DIM + 1)]).encode(), f"the limit is {MAX_DIM}"
        ),
        BadFile("json-bad-utf8", "a.json", b"[[1, 2]] \xc3\x28", "not UTF-8"),
        BadFile("json-bad-utf8-in-a-label", "a.json", b'{"labels": ["\xc3\x28"], "values": [[1, 2]]}', "not UTF-8"),
        # no list longer than the labels may be: one row of 4.19 M numbers was decoded whole before its cap
        BadFile("json-one-long-row", "a.json", b"[[" + b"1.5," * 5000 + b"1]]", "holds over 4,096 values"),
        BadFile(
            "json-too-many-labels",
            "a.json",
            json.dumps({"labels": ["a"] * (MAX_TOKENS + 1), "values": [[1, 2]]}).encode(),
            "holds over 4,096 values",
        ),
        BadFile("json-long-string", "a.json", '[["🙂'.encode() + b"a" * 1_000_000 + b'"]]', 'is "🙂aaaa'),
        BadFile("json-object-bad-member", "a.json", b'{"values": [[1, 2]], "x": [1, 2,]}', "not valid JSON"),
        BadFile("json-object-trailing", "a.json", b'{"values": [[1, 2]]} {}', "not valid JSON"),
        BadFile(
            "json-deep-in-an-object", "a.json", b'{"values": ' + b"[" * 5000 + b"]" * 5000 + b"}", "lists or objects"
        ),
    ]


def _npy_cases() -> list[BadFile]:
    good = npy_bytes(np.arange(12, dtype=np.float64).reshape(3, 4))
    return [
        BadFile(
            "npy-object-dtype",
            "a.npy",
            npy_bytes(np.array([[1, "a"]], dtype=object), allow_pickle=True),
            "never loaded",
        ),
        BadFile("raw-pickle", "a.npy", pickle.dumps(np.eye(2)), "never loaded"),
        BadFile("raw-pickle-of-list", "a.npy", pickle.dumps([[1.0, 2.0]]), "never loaded"),
        BadFile("old-pickle-protocol", "a.npy", pickle.dumps([[1.0, 2.0]], protocol=0), "not a valid .npy"),
        BadFile("text-named-npy", "a.npy", b"1,2\n3,4\n", "not a valid .npy"),
        BadFile("garbage", "a.npy", bytes(range(256)) * 4, "not a valid .npy"),
        BadFile("magic-only", "a.npy", b"\x93NUMPY", "not a valid .npy"),
        BadFile(
            "corrupt-header", "a.npy", b"\x93NUMPY\x01\x00\x10\x00{'descr': oops}\n" + b"\0" * 16, "not a valid .npy"
        ),
        BadFile("bad-version", "a.npy", b"\x93NUMPY\x09\x00" + good[8:], "not a valid .npy"),
        BadFile("truncated-data", "a.npy", good[:-5], "not a valid .npy"),
        BadFile("truncated-header", "a.npy", good[:20], "not a valid .npy"),
        BadFile(
            "lying-shape",
            "a.npy",
            npy_with_header({"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)}, b"\0" * 64),
            f"1000000 rows (tokens); the limit is {MAX_TOKENS}",
        ),
        BadFile(
            "negative-shape",
            "a.npy",
            npy_with_header({"descr": "<f8", "fortran_order": False, "shape": (-1, 2)}, b"\0" * 16),
            "not a valid .npy",
        ),
        BadFile("npz-named-npy", "a.npy", npz_bytes(x=np.eye(2)), ".npz archive"),
        BadFile("corrupt-zip", "a.npy", b"PK\x03\x04" + b"\x00" * 40, "not a valid .npy"),
        BadFile("complex", "a.npy", npy_bytes(np.array([[1 + 2j, 3]])), "real numbers"),
        BadFile("strings", "a.npy", npy_bytes(np.array([["1", "2"], ["3", "4"]])), "real numbers"),
        BadFile("bytes", "a.npy", npy_bytes(np.array([[b"1", b"2"]])), "real numbers"),
        BadFile("structured", "a.npy", npy_bytes(np.zeros((2, 2), dtype=[("a", "f8"), ("b", "i4")])), "real numbers"),
        BadFile("datetime", "a.npy", npy_bytes(np.array([["2024-01-01"]], dtype="datetime64[D]")), "real numbers"),
        BadFile("timedelta", "a.npy", npy_bytes(np.array([[1, 2]], dtype="timedelta64[s]")), "real numbers"),
        BadFile("1-D", "a.npy", npy_bytes(np.arange(5.0)), "1 dimension;"),
        BadFile("3-D", "a.npy", npy_bytes(np.zeros((2, 3, 4))), "3 dimensions"),
        BadFile("0-D", "a.npy", npy_bytes(np.array(3.0)), "0 dimensions"),
        BadFile("no-rows", "a.npy", npy_bytes(np.zeros((0, 3))), "empty"),
        BadFile("no-columns", "a.npy", npy_bytes(np.zeros((3, 0))), "empty"),
        BadFile("npy-nan", "a.npy", npy_bytes(np.array([[1.0, np.nan]])), "Row 1, column 2 is nan"),
        BadFile(
            "npy-inf-float32", "a.npy", npy_bytes(np.array([[1.0, 2.0], [np.inf, 1.0]], dtype=np.float32)), "finite"
        ),
        BadFile("npy-too-many-rows", "a.npy", npy_bytes(np.zeros((MAX_TOKENS + 1, 2))), f"the limit is {MAX_TOKENS}"),
        BadFile("npy-too-many-columns", "a.npy", npy_bytes(np.zeros((2, MAX_DIM + 1))), f"the limit is {MAX_DIM}"),
        BadFile("empty-npy", "a.npy", b"", "empty"),
        # a version-2 header that says it is 2 MB long: refused before numpy reads it
        BadFile(
            "npy-huge-header",
            "a.npy",
            b"\x93NUMPY\x02\x00" + (2_000_000).to_bytes(4, "little") + b" " * 2_000_000,
            "not a valid .npy",
        ),
    ]


def _name_cases() -> list[BadFile]:
    csv = b"1,2\n3,4\n"
    return [
        BadFile("xlsx", "data.xlsx", b"PK\x03\x04" + b"\0" * 30, "not a supported file"),
        BadFile("pkl", "data.pkl", pickle.dumps([[1.0, 2.0]]), "not a supported file"),
        BadFile("pickle", "data.pickle", pickle.dumps([[1.0, 2.0]]), "not a supported file"),
        BadFile("npz", "data.npz", npz_bytes(x=np.eye(2)), "not a supported file"),
        BadFile("pt", "model.pt", b"\x80\x02", "not a supported file"),
        BadFile("no-extension", "data", csv, "not a supported file"),
        BadFile("extension-without-dot", "csv", csv, "not a supported file"),
        BadFile("empty-name", "", csv, "not a supported file"),
        BadFile("trailing-dot", "data.", csv, "not a supported file"),
        BadFile("double-extension", "data.csv.exe", csv, "not a supported file"),
        BadFile("long-name", "x" * 500 + ".exe", csv, "not a supported file"),
    ]


def bad_files() -> list[BadFile]:
    """Every case; ids are unique."""
    cases = _text_cases() + _json_cases() + _npy_cases() + _name_cases()
    assert len({c.id for c in cases}) == len(cases)
    return cases
