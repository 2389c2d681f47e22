"""The bad-upload corpus: what each file holds and the sentence it must get.

``python -m tests.data.make_bad_uploads`` (re)writes the small files into
``tests/data/bad_uploads/`` with ``expected.json`` (file name → a fragment
of its InputError message).  The large cases (tens of MB) are not committed:
``write_large(folder)`` writes them at test time from a fixed seed.
Files ending in an image extension go to ``load_image``, the rest to
``load_sequence``.
"""

from __future__ import annotations

import io
import json
import pickle
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

FOLDER = Path(__file__).with_name("bad_uploads")
IMAGE_SUFFIXES = (".png", ".jpg", ".gif", ".bmp", ".webp")
MAX_TOKENS, MAX_DIM = 4096, 1024  # attention_core.limits; repeated so that the files do not move with the caps


def npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=allow_pickle)
    return buf.getvalue()


def npy_header(shape, descr: str = "<f8", fortran_order: bool = False) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": fortran_order, "shape": shape})
    return buf.getvalue()


def npz(**arrays: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def png(img: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def raw_png(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height RGB pixels, with almost no pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")
    )


def small_cases() -> dict[str, tuple[bytes, str]]:
    """file name → (bytes, a fragment of the message); every parser branch, each file a few kB at most."""
    rng = np.random.default_rng(14)
    junk = rng.integers(0, 256, 600, dtype=np.uint8).tobytes()
    good = npy(np.arange(12.0).reshape(3, 4))
    return {
        # ---- CSV / TSV / TXT
        "ragged.csv": (b"1,2,3\n4,5\n", "Row 2 has 2 numbers but row 1 has 3"),
        "ragged.tsv": (b"1\t2\n3\t4\t5\n", "Row 2 has 3 numbers but row 1 has 2"),
        "ragged.txt": (b"1 2 3\n4 5 6\n7\n", "Row 3 has 1 number but row 1 has 3"),
        "ragged_after_header.csv": (b"x,y,z\n1,2,3\n4,5\n", "Row 3 has 2 numbers but row 2 has 3"),
        "nan.csv": (b"1,2\nnan,4\n", "Row 2, column 1 is nan; every value must be a finite number"),
        "inf.tsv": (b"1\t-inf\n2\t3\n", "Row 1, column 2 is -inf; every value must be a finite number"),
        "1e400.csv": (b"1,1e400\n2,3\n", "Row 1, column 2 is inf; every value must be a finite number"),
        "beyond_the_bound.txt": (b"1 2\n3 2e7\n", "values must lie between -1e+06 and 1e+06"),
        "empty.csv": (b"", "The file is empty"),
        "empty.txt": (b"", "The file is empty"),
        "blank_lines.csv": (b"  \n\n\t \r\n", "The file has no rows of numbers"),
        "comments_only.txt": (b"# x y\n  # z\n", "The file has no rows of numbers"),
        "bom_only.csv": (b"\xef\xbb\xbf", "The file has no rows of numbers"),
        "bom_ragged.csv": (b"\xef\xbb\xbf1,2\n3\n", "Row 2 has 1 number but row 1 has 2"),
        "utf16_with_bom.csv": ("x,y\n1,2\n3,4\n".encode("utf-16"), "The file is UTF-16 text, not UTF-8"),
        "utf16_without_bom.txt": ("1 2\n3 4\n".encode("utf-16-le"), "The file is UTF-16 text, not UTF-8"),
        "utf16_big_endian.json": ("[[1, 2]]".encode("utf-16-be"), "The file is UTF-16 text, not UTF-8"),
        "latin1_labels.csv": ("café,1,2\nthé,3,4\n".encode("latin-1"), "The file is not UTF-8 text"),
        "binary_junk.csv": (b"\xc3\x28" + junk.replace(b"\0", b"\1"), "The file is not UTF-8 text"),
        "binary_junk.txt": (junk, "not UTF-8"),
        "npy_renamed.csv": (good, "not UTF-8"),
        "header_only.csv": (b"token,x,y\n", "The file has a header row but no rows of numbers"),
        "typo_in_first_row.csv": (b"1,5x,2\n3,5,4\n", "Line 1 mixes numbers and text ('5x')"),
        "word_in_a_cell.csv": (b"1,2\n3,hello\n", "Line 2, column 2 is 'hello', which is not a number"),
        "empty_cells.csv": (b",,,\n,,,\n", "which is not a number"),
        "mixed_separators.tsv": (b"1\t2;3\n4\t5;6\n", "mixes tabs and semicolons ('2;3')"),
        "one_column.csv": (b"1\n2\n3\n", "attention needs at least 2 dimensions per token"),
        "1025_columns.csv": (b",".join([b"1"] * (MAX_DIM + 1)) + b"\n", f"the limit is {MAX_DIM}"),
        "4097_rows.txt": (b"1 2\n" * (MAX_TOKENS + 1), f"the limit is {MAX_TOKENS}"),
        "cell_over_the_csv_field_limit.csv": (b"1," + b"1" * 140_000 + b"\n", "a cell is far too long"),
        # ---- JSON
        "invalid.json": (b"[[1, 2]", "The file is not valid JSON"),
        "nan.json": (b"[[NaN, 1], [2, 3]]", "Row 1, column 1 is nan; every value must be a finite number"),
        "infinity.json": (b"[[1, -Infinity], [2, 3]]", "every value must be a finite number"),
        "1e400.json": (b"[[1e400, 1], [2, 3]]", "Row 1, column 1 is inf; every value must be a finite number"),
        "400_digit_integer.json": (b"[[1" + b"0" * 400 + b", 1]]", "A number in the JSON is too large"),
        "10000_digit_number.json": (b"[[" + b"9" * 10_000 + b", 1]]", "A number in the JSON has too many digits"),
        "nested_5000_deep.json": (b"[" * 5000 + b"]" * 5000, f"5,000 lists or objects; the limit is {MAX_TOKENS}"),
        "objects_nested_5000_deep.json": (b'{"a":' * 5000 + b"1" + b"}" * 5000, "lists or objects; the limit is"),
        "strings.json": (b'[["a", "b"], ["c", "d"]]', 'Row 1, column 1 of the JSON is "a", not a number'),
        "booleans.json": (b"[[true, 1], [0, 1]]", "Row 1, column 1 of the JSON is true, not a number"),
        "null.json": (b"[[1, null]]", "Row 1, column 2 of the JSON is null, not a number"),
        "ragged.json": (b"[[1, 2], [3]]", "Row 2 has 1 number but row 1 has 2"),
        "flat_list.json": (b"[1, 2, 3]", "Row 1 of the JSON is not a list of numbers"),
        "scalar.json": (b"42", "The JSON must be a non-empty list of rows"),
        "two_tables.json": (b'{"values": [[1, 2]], "data": [[3, 4]]}', "exactly one list of rows"),
        "labels_mismatch.json": (b'{"values": [[1, 2], [3, 4]], "labels": ["a"]}', "There is 1 label but 2 rows"),
        "brackets_in_labels.json": (
            json.dumps({"labels": ["[" * 3000, "x"], "values": [[1, 2], [3]]}).encode(),
            "Row 2 has 1 number but row 1 has 2",  # brackets inside strings are not counted as lists
        ),
        # ---- .npy
        "object_dtype.npy": (npy(np.array([[1, "a"]], dtype=object), allow_pickle=True), "never loaded for safety"),
        "pickle.npy": (pickle.dumps([[1.0, 2.0]]), "never loaded for safety"),
        "structured_dtype.npy": (
            npy(np.zeros((2, 2), dtype=[("a", "<f8"), ("b", "<i4")])),
            "it must hold real numbers",
        ),
        "complex.npy": (npy(np.array([[1 + 2j, 3], [4, 5]])), "complex128 values; it must hold real numbers"),
        "strings.npy": (npy(np.array([["1", "2"], ["3", "4"]])), "it must hold real numbers"),
        "datetime.npy": (npy(np.array([["2024-01-01"]], dtype="datetime64[D]")), "it must hold real numbers"),
        "0d.npy": (npy(np.array(3.0)), "The data has 0 dimensions; it must be a 2-D table"),
        "1d.npy": (npy(np.arange(5.0)), "The data has 1 dimension; it must be a 2-D table"),
        "3d.npy": (npy(np.zeros((2, 3, 4))), "The data has 3 dimensions; it must be a 2-D table"),
        "no_rows.npy": (npy(np.zeros((0, 3))), "The table is empty"),
        "truncated_header.npy": (good[:20], "This is not a valid .npy file"),
        "truncated_data.npy": (good[:-5], "This is not a valid .npy file"),
        "magic_only.npy": (b"\x93NUMPY", "This is not a valid .npy file"),
        "bad_version.npy": (b"\x93NUMPY\x09\x00" + good[8:], "This is not a valid .npy file"),
        "negative_shape.npy": (npy_header((-1, 2)) + b"\0" * 16, "This is not a valid .npy file"),
        "huge_shape_header.npy": (npy_header((10**6, 10**6)) + b"\0" * 64, f"the limit is {MAX_TOKENS}"),
        "huge_columns_header.npy": (npy_header((2, 10**9)) + b"\0" * 64, f"the limit is {MAX_DIM}"),
        "4097_rows.npy": (npy(np.zeros((MAX_TOKENS + 1, 2), dtype=np.int8)), f"the limit is {MAX_TOKENS}"),
        "fortran_order_nan.npy": (npy(np.asfortranarray([[1.0, 2.0], [np.nan, 4.0]])), "Row 2, column 1 is nan"),
        "fortran_order_1d_header.npy": (npy_header((3,), fortran_order=True) + b"\0" * 24, "1 dimension"),
        "zip_renamed.npy": (npz(x=np.eye(2)), "an .npz archive is not supported"),
        "corrupt_zip.npy": (b"PK\x03\x04" + b"\0" * 40, "This is not a valid .npy file"),
        "text.npy": (b"1,2\n3,4\n", "This is not a valid .npy file"),
        "junk.npy": (junk, "This is not a valid .npy file"),
        # ---- file names
        "spreadsheet.xlsx": (b"PK\x03\x04" + b"\0" * 30, "is not a supported file"),
        "data.pkl": (pickle.dumps([[1.0, 2.0]]), "is not a supported file"),
        # ---- images
        "not_an_image.png": (b"name,value\nx,1\n" * 20, "not an image that can be read"),
        "truncated.png": (png(Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)))[:3000], "truncated"),
        "claims_30000x30000.png": (raw_png(30000, 30000), "the limit is 25 million pixels"),
        "claims_6000x5000.png": (raw_png(6000, 5000), "the limit is 25 million pixels"),
        "tiny_8x8.png": (png(Image.new("RGB", (8, 8))), "it must be at least 16 × 16"),
        "tiff_named.png": (png(Image.new("RGB", (32, 32)), "TIFF"), "TIFF images are not supported"),
    }


def write_large(folder: Path) -> dict[str, str]:
    """The cases too large to commit (up to 48 MB), written into ``folder``; file name → message fragment."""
    cases = {
        "12_million_rows.json": (b"[" + b"[1]," * 11_999_999 + b"[1]]", f"the limit is {MAX_TOKENS} rows"),
        "nested_100000_deep.json": (
            b"[" * 100_000 + b"]" * 100_000,
            f"100,000 lists or objects; the limit is {MAX_TOKENS}",
        ),
        "24_million_lines.csv": (b"1\n" * 24_000_000, f"the limit is {MAX_TOKENS}"),
        "a_million_columns.csv": (b",".join([b"1"] * 1_000_000) + b"\n", f"the limit is {MAX_DIM}"),
        "a_million_columns.txt": (b" ".join([b"1"] * 1_000_000) + b"\n", f"the limit is {MAX_DIM}"),
        "4096_lines_of_6000_columns.csv": ((b"1," * 6000 + b"\n") * 4096, f"the limit is {MAX_DIM}"),
        "5_million_numbers.json": (
            b"[[" + b"1," * 5_000_000 + b"1]]",
            "values; the limit is 4096 rows of 1024 numbers",
        ),
        "5_million_rows.npy": (npy_header((5_000_000, 1)) + b"\0" * 40_000_000, f"the limit is {MAX_TOKENS}"),
    }
    for name, (data, _) in cases.items():
        (folder / name).write_bytes(data)
    return {name: fragment for name, (_, fragment) in cases.items()}


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    cases = small_cases()
    for old in FOLDER.iterdir():
        if old.name != "expected.json" and old.name not in cases:
            old.unlink()
    for name, (data, _) in cases.items():
        (FOLDER / name).write_bytes(data)
    expected = {name: fragment for name, (_, fragment) in sorted(cases.items())}
    (FOLDER / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(cases)} files in {FOLDER}")


if __name__ == "__main__":
    main()
