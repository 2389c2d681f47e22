"""Sequences X = (x₁ … xₙ): generated from a seed, or read from an uploaded file.

A ``Sequence`` holds ``values`` (float64 numpy ``[n, d]``) and ``labels`` (n
token labels).  ``load_sequence`` is the only door for uploaded bytes: it
checks size caps before parsing, never unpickles, and raises ``InputError``
with one sentence for anything it cannot use.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
from dataclasses import dataclass, field

import numpy as np

from .errors import InputError

SEQUENCE_KINDS = ("gaussian", "clusters", "one_hot", "sinusoidal")
MIN_TOKENS, MAX_TOKENS = 2, 4096  # for generated sequences (issue: n from 2 to 4096)
MIN_DIM, MAX_DIM = 2, 1024
# one number with Streamlit's uploader (`server.maxUploadSize = 50`, which counts 10⁶ bytes)
MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1_000_000  # 4096 × 1024 numbers as text fit in ~45 MB
# The largest |x| the app accepts anywhere (uploads, cell edits, typed queries).
# Why a bound: a dot product of two such vectors in 1024 dimensions is at most
# 1024·10¹² ≈ 10¹⁵, far inside float32 (3·10³⁸), so every scoring method, the
# PCA picture and the printed arithmetic stay finite on every page.
MAX_ABS_VALUE = 1e6
MAX_LABEL_CHARS = 40
SUPPORTED_EXTENSIONS = (".csv", ".tsv", ".txt", ".npy", ".json")


@dataclass(frozen=True)
class Sequence:
    """A sequence of n tokens in d dimensions. values ``[n, d]`` float64."""

    values: np.ndarray
    labels: tuple[str, ...] = field(default=())

    def __post_init__(self):
        values = np.asarray(self.values, dtype=np.float64)
        values.setflags(write=False)  # shared between reruns: nobody may edit it in place
        object.__setattr__(self, "values", values)
        if not self.labels:
            object.__setattr__(self, "labels", default_labels(values.shape[0]))
        else:
            object.__setattr__(self, "labels", tuple(str(s) for s in self.labels))

    @property
    def n(self) -> int:
        return int(self.values.shape[0])

    @property
    def d(self) -> int:
        return int(self.values.shape[1])


def default_labels(n: int) -> tuple[str, ...]:
    """x1 … xn, the labels of the formulas."""
    return tuple(f"x{i + 1}" for i in range(n))


# ----------------------------------------------------------------- generating


def generate_sequence(kind: str, n: int, d: int, seed: int = 0) -> Sequence:
    """A seeded sequence ``[n, d]``: the same (kind, n, d, seed) always gives the same numbers.

    - ``gaussian``: i.i.d. N(0, 1) entries.
    - ``clusters``: up to 4 well-separated groups (centres of length 3, noise
      0.35), tokens shuffled, so a query near one centre visibly picks a group.
    - ``one_hot``: xᵢ = e_(i mod d); the seed is not used.
    - ``sinusoidal``: the Transformer's positional encodings
      PE(i, 2j) = sin(i / 10000^(2j/d)), PE(i, 2j+1) = cos(…); the seed is not used.
    """
    if kind not in SEQUENCE_KINDS:
        raise InputError(f"Unknown sequence kind '{kind}'; choose one of {', '.join(SEQUENCE_KINDS)}.")
    n, d, seed = _whole(n, "n"), _whole(d, "d"), _whole(seed, "seed")
    if not MIN_TOKENS <= n <= MAX_TOKENS:
        raise InputError(f"The number of tokens n must be between {MIN_TOKENS} and {MAX_TOKENS}; got {n}.")
    if not MIN_DIM <= d <= MAX_DIM:
        raise InputError(f"The dimension d must be between {MIN_DIM} and {MAX_DIM}; got {d}.")
    if seed < 0:
        raise InputError("The seed must be zero or a positive whole number.")
    rng = np.random.default_rng(seed)
    if kind == "gaussian":
        x = rng.standard_normal((n, d))
    elif kind == "clusters":
        x = _clusters(rng, n, d)
    elif kind == "one_hot":
        x = np.zeros((n, d))
        x[np.arange(n), np.arange(n) % d] = 1.0
    else:
        x = _sinusoidal(n, d)
    return Sequence(values=x)


def _whole(value, name: str) -> int:
    try:
        as_int = int(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError(f"{name} must be a whole number.") from exc
    if as_int != value:
        raise InputError(f"{name} must be a whole number.")
    return as_int


def _clusters(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    k = min(4, n)
    if d >= k:
        # orthonormal directions: every pair of centres is 3·√2 apart
        basis, _ = np.linalg.qr(rng.standard_normal((d, k)))
        centres = 3.0 * basis.T
    else:
        # too few dimensions for orthogonal centres: spread them on a circle
        angles = 2 * np.pi * np.arange(k) / k + rng.uniform(0, 2 * np.pi)
        centres = np.zeros((k, d))
        centres[:, 0], centres[:, 1] = 3.0 * np.cos(angles), 3.0 * np.sin(angles)
    group = rng.permutation(np.arange(n) % k)
    return centres[group] + 0.35 * rng.standard_normal((n, d))


def _sinusoidal(n: int, d: int) -> np.ndarray:
    position = np.arange(n)[:, None]  # [n, 1]
    j = np.arange(0, d, 2)[None, :]  # [1, ⌈d/2⌉]
    angle = position / np.power(10000.0, j / d)
    x = np.zeros((n, d))
    x[:, 0::2] = np.sin(angle)
    x[:, 1::2] = np.cos(angle[:, : d // 2])
    return x


# ------------------------------------------------------------------- loading


def load_sequence(data: bytes, filename: str) -> Sequence:
    """Parse an uploaded file into a ``Sequence``.

    Accepts CSV/TSV/TXT of numbers (optional header row, optional first
    column of token labels), ``.npy`` (numeric, 2-D, never pickled) and
    ``.json`` (a list of lists, or an object holding one, optionally with
    ``labels``/``tokens``).  Anything else raises ``InputError``.
    """
    name = filename or ""
    ext = name[name.rfind(".") :].lower() if "." in name else ""
    if ext not in SUPPORTED_EXTENSIONS:
        raise InputError(
            f"'{_short(name)}' is not a supported file; use one of {', '.join(SUPPORTED_EXTENSIONS)}."
        )
    if len(data) == 0:
        raise InputError("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"The file is {len(data) / 1e6:.1f} MB; the limit is {MAX_UPLOAD_MB} MB.")
    if ext == ".npy":
        values, labels = _parse_npy(data), None
    else:
        text = _decode(data)
        if ext == ".json":
            values, labels = _parse_json(text)
        else:
            values, labels = _parse_table(text, "\t" if ext == ".tsv" else None)
    return _checked(values, labels)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # -sig: Excel writes a byte-order mark
    except UnicodeDecodeError as exc:
        raise InputError("The file is not UTF-8 text; save it as UTF-8 (or as .npy) and try again.") from exc


def _parse_npy(data: bytes) -> np.ndarray:
    try:
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except ValueError as exc:
        # numpy calls anything that is not .npy or .npz "pickled": only say so
        # for an object array or a real pickle (protocol 2+ starts with 0x80)
        object_array = data.startswith(b"\x93NUMPY") and "object arrays" in str(exc).lower()
        if object_array or data.startswith(b"\x80"):
            raise InputError(
                "This .npy file holds Python objects, which are never loaded for safety; "
                "save a plain numeric array instead."
            ) from exc
        raise InputError("This is not a valid .npy file.") from exc
    except Exception as exc:  # numpy raises many kinds on a corrupt header
        raise InputError("This is not a valid .npy file.") from exc
    if not isinstance(array, np.ndarray):
        raise InputError("This is not a single .npy array (an .npz archive is not supported).")
    if array.dtype.kind not in "biuf":
        raise InputError(f"The array holds {array.dtype} values; it must hold real numbers.")
    return array


def _parse_json(text: str):
    try:
        obj = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError("The file is not valid JSON.") from exc
    except ValueError as exc:  # an integer of more than 4300 digits
        raise InputError("A number in the JSON has too many digits.") from exc
    labels = None
    if isinstance(obj, dict):
        for key in ("labels", "tokens"):
            if isinstance(obj.get(key), list):
                labels = obj[key]
                break
        tables = [obj[k] for k in ("values", "data", "vectors", "embeddings", "X", "x") if k in obj]
        if not tables:
            tables = [v for v in obj.values() if isinstance(v, list) and v and isinstance(v[0], list)]
        if len(tables) != 1:
            raise InputError(
                "The JSON object must hold exactly one list of rows, e.g. {\"values\": [[1, 2], [3, 4]]}."
            )
        obj = tables[0]
    if not isinstance(obj, list) or not obj:
        raise InputError("The JSON must be a non-empty list of rows, e.g. [[1, 2], [3, 4]].")
    _check_counts(len(obj), max((len(row) for row in obj if isinstance(row, list)), default=0))
    rows = []
    for r, row in enumerate(obj, start=1):
        if not isinstance(row, list):
            raise InputError(f"Row {r} of the JSON is not a list of numbers.")
        for c, cell in enumerate(row, start=1):
            if isinstance(cell, bool) or not isinstance(cell, (int, float)):
                raise InputError(f"Row {r}, column {c} of the JSON is {_short(json.dumps(cell), 20)}, not a number.")
        rows.append(row)
    _check_rectangular([len(r) for r in rows])
    if labels is not None and (len(labels) != len(rows)):
        raise InputError(f"There are {len(labels)} labels but {len(rows)} rows; give one label per row.")
    try:
        values = np.array(rows, dtype=np.float64)
    except OverflowError as exc:
        raise InputError("A number in the JSON is too large.") from exc
    return values, labels


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _parse_table(text: str, delimiter: str | None):
    kept = (line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    # at most a header, MAX_TOKENS rows and one more to know there are too many
    lines = list(itertools.islice(kept, MAX_TOKENS + 2))
    if not lines:
        raise InputError("The file has no rows of numbers.")
    _check_counts(len(lines), 0, extra=1)  # before parsing any cell
    if delimiter is None:
        first = lines[0]
        delimiter = "\t" if "\t" in first else ";" if ";" in first else "," if "," in first else None
    if delimiter is None:
        rows = [line.split() for line in lines]
    else:
        try:
            rows = [[cell.strip() for cell in row] for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error as exc:  # e.g. a cell longer than csv's field limit
            raise InputError("The file could not be read as a table: a cell is far too long.") from exc
        # a trailing delimiter leaves an empty last cell: drop it, don't call it ragged
        rows = [row[:-1] if len(row) > 1 and row[-1] == "" else row for row in rows]

    _check_counts(0, max(len(row) for row in rows), extra=2)  # label column, trailing delimiter
    if delimiter == ";" and any("," in cell for row in rows for cell in row):
        # "1,5;2,5" is how European spreadsheets write 1.5 and 2.5
        rows = [[cell.replace(",", ".") for cell in row] for row in rows]
    body = rows[1:] if len(rows) > 1 else rows
    has_labels = all(row and not _is_number(row[0]) for row in body) and any(len(r) > 1 for r in body)
    start = 1 if has_labels else 0
    first = rows[0][start:]
    text_cells = [cell for cell in first if not _is_number(cell)]
    # a header is all names; a first row mixing numbers and text is a typo, not a header
    if text_cells and len(text_cells) < len(first) and len(rows) > 1:
        raise InputError(
            f"Line 1 mixes numbers and text ('{_short(text_cells[0], 20)}'); "
            "a header row must hold only column names."
        )
    has_header = bool(text_cells)
    if has_header:
        rows = rows[1:]
        if not rows:
            raise InputError("The file has a header row but no rows of numbers.")
    labels = [row[0] for row in rows] if has_labels else None
    cells = [row[start:] for row in rows]
    _check_rectangular([len(r) for r in cells], offset=2 if has_header else 1)
    values = np.empty((len(cells), len(cells[0])))
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            try:
                values[r, c] = float(cell)
            except ValueError as exc:
                line = r + (2 if has_header else 1)
                raise InputError(
                    f"Line {line}, column {c + start + 1} is '{_short(cell, 20)}', which is not a number."
                ) from exc
    return values, labels


def _check_counts(n: int, d: int, extra: int = 0) -> None:
    """Reject too many rows or columns before converting millions of cells."""
    if n > MAX_TOKENS + extra:
        raise InputError(f"The file has over {MAX_TOKENS} rows (tokens); the limit is {MAX_TOKENS}.")
    if d > MAX_DIM + extra:
        raise InputError(f"The file has over {MAX_DIM} columns (dimensions); the limit is {MAX_DIM}.")


def _check_rectangular(lengths: list[int], offset: int = 1) -> None:
    if not lengths or lengths[0] == 0:
        raise InputError("The first row has no numbers.")
    for r, length in enumerate(lengths):
        if length != lengths[0]:
            raise InputError(
                f"Row {r + offset} has {length} numbers but row {offset} has {lengths[0]}; "
                "every row needs the same number of values."
            )


def _checked(values: np.ndarray, labels) -> Sequence:
    if values.ndim != 2:
        raise InputError(
            f"The data has {values.ndim} dimension{'s' if values.ndim != 1 else ''}; it must be a 2-D table "
            "(one row per token, one column per feature)."
        )
    n, d = values.shape
    if n == 0 or d == 0:
        raise InputError("The table is empty.")
    if n > MAX_TOKENS:
        raise InputError(f"The file has {n} rows (tokens); the limit is {MAX_TOKENS}.")
    if d > MAX_DIM:
        raise InputError(f"The file has {d} columns (dimensions); the limit is {MAX_DIM}.")
    if d < MIN_DIM:
        raise InputError(
            f"The file has {d} column of numbers; attention needs at least {MIN_DIM} dimensions per token."
        )
    values = check_values(values.astype(np.float64))
    if labels is not None:
        labels = [_clean_label(s) for s in labels]
    return Sequence(values=values, labels=tuple(labels) if labels else ())


def check_values(values: np.ndarray) -> np.ndarray:
    """``values [n, d]`` unchanged when every entry is finite and |x| ≤ MAX_ABS_VALUE; else InputError.

    The message names the first offending cell (1-based) and the bound.
    """
    values = np.asarray(values, dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise InputError(f"Row {r + 1}, column {c + 1} is {values[r, c]}; every value must be a finite number.")
    big = np.abs(values) > MAX_ABS_VALUE
    if big.any():
        r, c = np.argwhere(big)[0]
        raise InputError(
            f"Row {r + 1}, column {c + 1} is {values[r, c]:g}; values must lie between "
            f"-{MAX_ABS_VALUE:g} and {MAX_ABS_VALUE:g}."
        )
    return values


def _clean_label(label) -> str:
    text = "".join(ch for ch in str(label) if ch.isprintable()).strip()
    return _short(text, MAX_LABEL_CHARS) or "?"


# ------------------------------------------------------- small text parsers


def parse_vectors(text: str, d: int, max_rows: int = 64) -> np.ndarray:
    """Parse query text into ``[m, d]``: numbers split by commas or spaces,
    one query per line (or separated by ';').  InputError when a number is
    malformed or a row's length is not d.
    """
    rows = [r for r in text.replace(";", "\n").splitlines() if r.strip()]
    if not rows:
        raise InputError("Type at least one query: d numbers separated by commas.")
    if len(rows) > max_rows:
        raise InputError(f"At most {max_rows} queries at once; you typed {len(rows)}.")
    out = []
    for i, row in enumerate(rows, start=1):
        cells = [c for c in row.replace(",", " ").split()]
        try:
            numbers = [float(c) for c in cells]
        except ValueError:
            bad = next(c for c in cells if not _is_number(c))
            raise InputError(f"'{_short(bad, 20)}' in query {i} is not a number.") from None
        if not all(math.isfinite(x) for x in numbers):
            raise InputError(f"Query {i} holds NaN or infinity; use finite numbers.")
        if any(abs(x) > MAX_ABS_VALUE for x in numbers):
            raise InputError(f"Query {i} holds a number beyond ±{MAX_ABS_VALUE:g}; use smaller numbers.")
        if len(numbers) != d:
            raise InputError(
                f"Query {i} has {len(numbers)} numbers, but each token has d = {d} dimensions; "
                f"give exactly {d}."
            )
        out.append(numbers)
    return np.array(out, dtype=np.float64)


def format_vectors(q: np.ndarray, decimals: int = 3) -> str:
    """The inverse of ``parse_vectors``: ``[m, d]`` → one comma-separated line per query."""
    return "\n".join(", ".join(_fmt(x, decimals) for x in row) for row in np.atleast_2d(q))


def _fmt(x: float, decimals: int) -> str:
    text = f"{x:.{decimals}f}"
    if "." in text:  # never strip the zeros of a whole number like 100
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def parse_positions(text: str, n: int) -> list[int]:
    """'2, 5-7' (1-based, inclusive ranges) → sorted 0-based indices [1, 4, 5, 6]."""
    out: set[int] = set()
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        lo_hi = [p.strip() for p in part.split("-")]
        # isdecimal, not isdigit: int() rejects digits such as '²'; and int()
        # refuses more than 4300 digits, which no position needs
        if len(lo_hi) > 2 or not all(p.isdecimal() and len(p) < 20 for p in lo_hi):
            raise InputError(f"'{_short(part, 20)}' is not a position; write numbers like 2, 5-7.")
        lo, hi = int(lo_hi[0]), int(lo_hi[-1])
        if lo > hi:
            lo, hi = hi, lo
        if lo < 1 or hi > n:
            raise InputError(f"Position {hi if hi > n else lo} is outside 1…{n}.")
        out.update(range(lo - 1, hi))
    return sorted(out)


def format_positions(indices) -> str:
    """Sorted 0-based indices → compact 1-based text: [1, 4, 5, 6] → '2, 5-7'."""
    parts, idx = [], sorted(set(int(i) for i in indices))
    i = 0
    while i < len(idx):
        j = i
        while j + 1 < len(idx) and idx[j + 1] == idx[j] + 1:
            j += 1
        parts.append(str(idx[i] + 1) if i == j else f"{idx[i] + 1}-{idx[j] + 1}")
        i = j + 1
    return ", ".join(parts)
