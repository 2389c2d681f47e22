"""Uploaded files → ``Sequence``: the only door for uploaded bytes.

``load_sequence`` checks the size cap before parsing, never unpickles, and
raises ``InputError`` with one sentence for anything it cannot use.
Accepted: CSV/TSV/TXT of numbers, ``.npy`` (numeric, 2-D) and ``.json``.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re

import numpy as np

from .errors import InputError, Term, clip
from .limits import MAX_DIM, MAX_TOKENS, MIN_DIM, check_values, is_number
from .sequences import Sequence

# one number with Streamlit's uploader (`server.maxUploadSize = 50`, which counts 10⁶ bytes)
MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1_000_000  # 4096 × 1024 numbers as text fit in ~45 MB
MAX_LABEL_CHARS = 40
UPLOAD_EXTENSIONS = ("csv", "tsv", "txt", "npy", "json")  # what the uploader offers (no dot, as Streamlit wants)


def load_sequence(data: bytes, filename: str) -> Sequence:
    """Parse an uploaded file into a ``Sequence``.

    Accepts CSV/TSV/TXT of numbers (optional header row, optional first
    column of token labels), ``.npy`` (numeric, 2-D, never pickled) and
    ``.json`` (a list of lists, or an object holding one, optionally with
    ``labels``/``tokens``).  Anything else raises ``InputError``.
    """
    name = filename or ""
    ext = name[name.rfind(".") :].lower() if "." in name else ""
    if ext.removeprefix(".") not in UPLOAD_EXTENSIONS:
        raise InputError("upload.unsupported", name=clip(name), choices=", ".join("." + e for e in UPLOAD_EXTENSIONS))
    if len(data) == 0:
        raise InputError("upload.empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError("upload.too_big", mb=len(data) / 1e6, limit=MAX_UPLOAD_MB)
    if ext == ".npy":
        values, labels = _parse_npy(data), None
    else:
        text = _utf8(data)
        if ext == ".json":
            values, labels = _parse_json(str(text, "latin-1"))
        else:
            values, labels = _parse_table(text, "\t" if ext == ".tsv" else None)
    return _checked(values, labels)


NOT_UTF8 = "upload.not_utf8"
UTF16 = "upload.utf16"


def _utf8(data: bytes) -> memoryview:
    """The bytes after a byte-order mark (Excel writes one), once they are known to be UTF-8 text; else one sentence.

    The text is checked a megabyte at a time and never decoded whole: one
    emoji makes Python store every character of a str in 4 bytes, so a 50 MB
    file of one long line with an emoji in it became a 200 MB str (and
    +935 MB by the time it was refused).  Lines are decoded one at a time
    (``_parse_table``); JSON is read as Latin-1, one byte a character
    (``_parse_json``).

    UTF-16 (Excel's "Unicode text") is refused and named, not decoded:
    without a byte-order mark its ASCII is valid UTF-8 with a NUL byte after
    every character, which used to reach the table parser as empty cells
    ("Row 3 has 0 numbers").  A text file never holds NUL, so any NUL byte
    means "not UTF-8 text".
    """
    if b"\x00" in data or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(UTF16 if _looks_utf16(data) else NOT_UTF8)
    text = memoryview(data)[len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0 :]
    if not data.isascii():
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for start in range(0, len(text), UTF8_CHUNK):
                decoder.decode(bytes(text[start : start + UTF8_CHUNK]))
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise InputError(NOT_UTF8) from exc
    return text


UTF8_CHUNK = 1 << 20  # bytes checked at a time


def _looks_utf16(data: bytes) -> bool:
    """A UTF-16 byte-order mark, or NUL bytes at odd positions only (little-endian ASCII) or even only (big-endian)."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return False
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = data[:4096]
    nul_even, nul_odd = b"\x00" in sample[0::2], b"\x00" in sample[1::2]
    return nul_even != nul_odd


NPY_MAGIC = b"\x93NUMPY"
NPY_MAX_HEADER = 10_000  # bytes: numpy's own max_header_size; a header of a 2-D array is ~128
NOT_NPY = "upload.not_npy"
OBJECTS = "upload.npy_objects"


def _parse_npy(data: bytes) -> np.ndarray:
    """A numeric 2-D array; its header's dtype and shape are checked against the caps before any data is read."""
    if data.startswith(NPY_MAGIC):
        dtype, shape = _npy_header(data)
        if dtype.hasobject:
            raise InputError(OBJECTS)
        if dtype.kind not in "biuf":
            raise InputError("upload.npy_dtype", dtype=str(dtype))
        _check_shape(shape)
    try:
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except ValueError as exc:
        # numpy calls anything that is not .npy or .npz "pickled": only say so
        # for an object array or a real pickle (protocol 2+ starts with 0x80)
        if data.startswith(b"\x80"):
            raise InputError(OBJECTS) from exc
        raise InputError(NOT_NPY) from exc
    except Exception as exc:  # numpy raises many kinds on a corrupt header
        raise InputError(NOT_NPY) from exc
    if not isinstance(array, np.ndarray):
        raise InputError("upload.npz")
    if array.dtype.kind not in "biuf":
        raise InputError("upload.npy_dtype", dtype=str(array.dtype))
    return array


def _npy_header(data: bytes) -> tuple[np.dtype, tuple[int, ...]]:
    """dtype and shape from an .npy header (a few hundred bytes), without reading the data after it.

    Fortran order is accepted: np.load gives the same values (the loader
    makes them C-ordered float64 like any other array).
    """
    f = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(f)
        # the header's length, before numpy reads that many bytes (a 49 MB "header" cost +94 MB)
        if int.from_bytes(data[8:10] if version == (1, 0) else data[8:12], "little") > NPY_MAX_HEADER:
            raise ValueError("header too long")
        if version == (1, 0):
            shape, _fortran_order, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, _fortran_order, dtype = np.lib.format.read_array_header_2_0(f)
        else:  # 3.0 only differs for non-Latin-1 field names: a structured dtype, refused anyway
            raise ValueError(f"unsupported .npy version {version}")
    except Exception as exc:  # ValueError, SyntaxError, EOFError… on a damaged header
        raise InputError(NOT_NPY) from exc
    return dtype, shape


# A JSON string, escapes included; removed before counting brackets and commas.
JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def _parse_json(text: str):
    """JSON → (values ``[n, d]``, labels or None).

    ``text`` is the file read as Latin-1, one character a byte (``_utf8``):
    JSON holds non-ASCII only inside strings, which ``_from_latin1`` turns
    back into what their UTF-8 bytes say.  Every list, the top one or a
    member of the top object, is decoded one item at a time, and an item
    that is a row of numbers goes straight into float64: the largest table
    (4096 × 1024) used to cost ~230 MB of Python floats and lists as a list,
    +262 MB inside an object with labels.
    """
    _check_json_counts(text)
    at = JSON_BLANK.match(text).end()
    if text.startswith("[", at):
        obj, end = _json_list(text, at)
    elif text.startswith("{", at):
        obj, end = _json_object(text, at)
    else:  # a number or a string: refused below
        obj, end = _json_decoded(lambda: json.JSONDecoder().raw_decode(text, at))
    if JSON_BLANK.match(text, end).end() != len(text):
        raise InputError(NOT_JSON)
    labels = None
    if isinstance(obj, dict):
        for key in ("labels", "tokens"):
            if isinstance(obj.get(key), list):
                labels = [_from_latin1(label) if isinstance(label, str) else label for label in obj[key]]
                break
        tables = [obj[k] for k in ("values", "data", "vectors", "embeddings", "X", "x") if k in obj]
        if not tables:
            tables = [v for v in obj.values() if isinstance(v, list) and v and isinstance(v[0], (list, np.ndarray))]
        if len(tables) != 1:
            raise InputError("upload.json_one_table")
        obj = tables[0]
    if not isinstance(obj, list):
        obj = None
    rows = []  # float64 [d] each
    for r, row in enumerate(obj or (), start=1):
        _check_counts(r, 0)
        if isinstance(row, np.ndarray):  # numbers, already converted
            _check_counts(0, len(row))
            rows.append(row)
            continue
        if not isinstance(row, list):
            raise InputError("upload.json_row", row=r)
        _check_counts(0, len(row))
        for c, cell in enumerate(row, start=1):
            if isinstance(cell, bool) or not isinstance(cell, (int, float)):
                shown = (
                    _from_latin1(cell[:80], cut=len(cell) > 80) if isinstance(cell, str) else cell
                )  # a long string is cut first
                raise InputError("upload.json_cell", row=r, col=c, text=clip(json.dumps(shown, ensure_ascii=False), 20))
        try:
            rows.append(np.array(row, dtype=np.float64))
        except OverflowError as exc:
            raise InputError("upload.json_too_large") from exc
    if not rows:
        raise InputError("upload.json_empty")
    _check_rectangular([len(r) for r in rows])
    if labels is not None and (len(labels) != len(rows)):
        raise InputError("upload.json_labels", labels=len(labels), rows=len(rows))
    return np.stack(rows), labels


JSON_BLANK = re.compile(r"[ \t\n\r]*")  # the whitespace JSON allows between tokens


def _json_list(text: str, at: int) -> tuple[list, int]:
    """The list starting at ``text[at]`` ('['), decoded one item at a time (``_compact``), and the index after it."""
    items = []
    i = JSON_BLANK.match(text, at + 1).end()
    if text.startswith("]", i):
        return items, i + 1
    while True:
        item, i = _json_value(text, i)
        items.append(_compact(item))
        i = JSON_BLANK.match(text, i).end()
        if text.startswith(",", i):
            i = JSON_BLANK.match(text, i + 1).end()
        elif text.startswith("]", i):
            return items, i + 1
        else:
            raise InputError(NOT_JSON)


def _json_object(text: str, at: int) -> tuple[dict, int]:
    """The object starting at ``text[at]`` ('{'), each list member decoded by ``_json_list``, and the index after it."""
    members = {}
    i = JSON_BLANK.match(text, at + 1).end()
    if text.startswith("}", i):
        return members, i + 1
    while True:
        if not text.startswith('"', i):
            raise InputError(NOT_JSON)
        key, i = _json_value(text, i)
        i = JSON_BLANK.match(text, i).end()
        if not text.startswith(":", i):
            raise InputError(NOT_JSON)
        i = JSON_BLANK.match(text, i + 1).end()
        members[key], i = _json_list(text, i) if text.startswith("[", i) else _json_value(text, i)
        i = JSON_BLANK.match(text, i).end()
        if text.startswith(",", i):
            i = JSON_BLANK.match(text, i + 1).end()
        elif text.startswith("}", i):
            return members, i + 1
        else:
            raise InputError(NOT_JSON)


def _json_value(text: str, at: int):
    """One JSON value starting at ``text[at]`` (at most a row: ``_check_json_counts`` bounds every list)."""
    return _json_decoded(lambda: JSON_DECODER.raw_decode(text, at))


JSON_DECODER = json.JSONDecoder()


def _compact(item):
    """A list of numbers as float64 ``[d]`` (8 bytes a number, not a 24-byte float and a pointer); anything else as is."""
    if isinstance(item, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in item):
        try:
            return np.array(item, dtype=np.float64)
        except OverflowError:  # an integer beyond float64: refused with its own sentence later
            return item
    return item


def _from_latin1(s: str, cut: bool = False) -> str:
    """A JSON string of text read as Latin-1 back to what its UTF-8 bytes say (kept as is when they do not).

    ``cut``: ``s`` was cut short, perhaps inside a character, which is dropped.
    """
    try:
        raw = s.encode("latin-1")
        return codecs.getincrementaldecoder("utf-8")().decode(raw, final=not cut)
    except UnicodeError:  # an escape beyond U+00FF, or an escaped Latin-1 letter: already the right characters
        return s


NOT_JSON = "upload.not_json"


def _json_decoded(decode):
    """``decode()``, its errors as one sentence."""
    try:
        return decode()
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(NOT_JSON) from exc
    except ValueError as exc:  # an integer of more than 4300 digits
        raise InputError("upload.json_digits") from exc


def _check_json_counts(text: str) -> None:
    """Refuse a JSON with more lists or values than a table may have, before json.loads builds them.

    A table is one outer list of at most MAX_TOKENS rows (lists) of at most
    MAX_DIM numbers, and perhaps a list of labels.  Counting brackets and
    commas outside strings is a scan in C; 12 million one-number rows used to
    cost 1.2 GB of Python lists before the row cap was checked.
    """
    bare = JSON_STRING.sub('""', text) if '"' in text else text
    containers = bare.count("[") + bare.count("{")
    if containers > MAX_TOKENS + 4:  # the outer list or object, a list of labels
        raise InputError("upload.json_containers", count=containers, max=MAX_TOKENS)
    values = bare.count(",") + 1
    most = MAX_TOKENS * (MAX_DIM + 1) + 8  # every number, and a label a row
    if values > most:
        raise InputError("upload.json_values", most=most, rows=MAX_TOKENS, cols=MAX_DIM)
    # no list is longer than the labels: one row of 4 million numbers was decoded whole (+177 MB) before its cap
    for inner in INNERMOST_LIST.finditer(bare):  # at most as many as the containers just counted
        if bare.count(",", inner.start(), inner.end()) >= MAX_TOKENS:
            raise InputError("upload.json_list", most=MAX_TOKENS, rows=MAX_TOKENS, cols=MAX_DIM)


INNERMOST_LIST = re.compile(r"\[[^\[\]{}]*\]")


# The line breaks of a table.  str.splitlines() also breaks at U+0085, U+2028 and U+2029, which no
# spreadsheet writes: here they are blanks inside a line.
LINE_BREAKS = rb"\n\r\v\f\x1c\x1d\x1e"
# The non-ASCII characters str.isspace() knows, as UTF-8 (no-break, en, em, ideographic spaces…).
WIDE_BLANK = rb"(?:\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80)"
# A kept line: blanks, then a character that is neither blank nor '#' (a comment), then the rest of the line.
KEPT = rb"[ \t\x1f]*+(?:" + WIDE_BLANK + rb"[ \t\x1f]*+)*+[^\s#\x1c-\x1f][^" + LINE_BREAKS + rb"]*"
FIRST_LINE = re.compile(KEPT)
# The scan searches for a line break first, which the regex engine does in a fast loop
KEPT_LINE = re.compile(rb"[" + LINE_BREAKS + rb"]" + KEPT)
# The longest line a table needs: 1025 cells (a label and 1024 numbers) of ~975 characters each.
# A longer line is refused from its first MAX_LINE_BYTES alone, never decoded or split whole.
MAX_LINE_BYTES = 1_000_000


def _parse_table(text: memoryview, delimiter: str | None):
    """CSV/TSV/TXT (UTF-8 bytes) → (values ``[n, d]``, labels or None), never holding more than one row's cells.

    The kept lines are found by a regex scan of the bytes that stops after
    MAX_TOKENS + 2 of them, and each line is decoded and split only when it
    is needed, and only its first MAX_LINE_BYTES, so a file of 24 million
    lines, of a million columns or of one 50 MB line is refused without
    building them (each used to cost hundreds of MB, the one line 1.19 GB).
    """
    spans = _kept_lines(text)
    if not spans:
        raise InputError("upload.no_rows")
    _check_counts(len(spans), 0, extra=1)  # before parsing any cell
    if delimiter is None:
        delimiter = _sniff_separator(_line(text, span) for span in spans)
    # "1,5;2,5" is how European spreadsheets write 1.5 and 2.5
    decimal_comma = delimiter == ";" and any("," in _line(text, span) for span in spans)

    def cells_of(span: tuple[int, int]) -> list[str]:
        line = _line(text, span)
        if span[1] - span[0] > MAX_LINE_BYTES:
            _refuse_long_line(line, delimiter)
        return _cells(line, delimiter, decimal_comma)

    first_cells, lengths = [], []
    for r, span in enumerate(spans):
        row = cells_of(span)
        if r == 0:
            first_row = row
        first_cells.append(row[0] if row else None)
        lengths.append(len(row))
    for r, row in enumerate([first_row] + [[] if cell is None else [cell] for cell in first_cells[1:]], start=1):
        _refuse_mixed(row, delimiter, r)  # the cells that may be taken for a header or labels
    body = slice(1, None) if len(spans) > 1 else slice(None)
    has_labels = all(cell is not None and not is_number(cell) for cell in first_cells[body]) and any(
        length > 1 for length in lengths[body]
    )
    start = 1 if has_labels else 0
    first = first_row[start:]
    text_cells = [cell for cell in first if not is_number(cell)]
    # a header is all names; a first row mixing numbers and text is a typo, not a header
    if text_cells and len(text_cells) < len(first) and len(spans) > 1:
        raise InputError("upload.header_mixed", text=clip(text_cells[0], 20))
    has_header = bool(text_cells)
    if has_header:
        spans, first_cells, lengths = spans[1:], first_cells[1:], lengths[1:]
        if not spans:
            raise InputError("upload.header_only")
    labels = first_cells if has_labels else None
    offset = 2 if has_header else 1
    try:
        _check_rectangular([max(0, length - start) for length in lengths], offset=offset)
    except InputError:
        for r, span in enumerate(spans):  # a second separator explains a ragged row better
            _refuse_mixed(cells_of(span)[start:], delimiter, r + offset)
        raise
    values = np.empty((len(spans), lengths[0] - start))  # [n, d]
    for r, span in enumerate(spans):
        cells = cells_of(span)[start:]
        try:
            values[r] = [float(cell) for cell in cells]
        except ValueError as exc:
            c, cell = next((c, cell) for c, cell in enumerate(cells) if not is_number(cell))
            _refuse_mixed([cell], delimiter, r + offset)
            raise InputError("upload.cell_not_number", line=r + offset, col=c + start + 1, text=clip(cell, 20)) from exc
    return values, labels


def _kept_lines(text: memoryview) -> list[tuple[int, int]]:
    """(start, end) of each kept line, as byte offsets; at most a header, MAX_TOKENS rows and one more."""
    first = FIRST_LINE.match(text)
    after_breaks = ((m.start() + 1, m.end()) for m in KEPT_LINE.finditer(text))  # the break is not the line's
    return list(itertools.islice(itertools.chain([first.span()] if first else [], after_breaks), MAX_TOKENS + 2))


def _line(text: memoryview, span: tuple[int, int]) -> str:
    """One line decoded, at most its first MAX_LINE_BYTES (a character cut at the end is dropped)."""
    start, end = span
    return str(text[start : min(end, start + MAX_LINE_BYTES)], "utf-8", "ignore")


def _refuse_long_line(head: str, delimiter: str | None) -> None:
    """A line over MAX_LINE_BYTES: too many cells if its head already has them, else a cell far too long."""
    _cells(head, delimiter, False)
    raise InputError("upload.cell_too_long")


def _cells(line: str, delimiter: str | None, decimal_comma: bool) -> list[str]:
    """The cells of one line; InputError when it has more than MAX_DIM + 2 (counted before splitting it all)."""
    most = MAX_DIM + 2  # a label column and an empty cell after a trailing delimiter
    if delimiter is None:
        cells = line.split(None, most)  # at most most + 1 pieces: enough to know the row is too long
    else:
        bare = re.sub(r'"[^"]*"', "", line) if '"' in line else line  # a quoted label may hold the delimiter
        if bare.count(delimiter) >= most:
            cells = [""] * (most + 1)
        else:
            try:
                cells = [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter), [])]
            except csv.Error as exc:  # e.g. a cell longer than csv's field limit
                raise InputError("upload.cell_too_long") from exc
            # a trailing delimiter leaves an empty last cell: drop it, don't call it ragged
            if len(cells) > 1 and cells[-1] == "":
                cells.pop()
    _check_counts(0, len(cells), extra=2)
    return [cell.replace(",", ".") for cell in cells] if decimal_comma else cells


def _sniff_separator(lines) -> str | None:
    """Tab, semicolon or comma, as the first line with more than one cell uses it; None: whitespace.

    ``lines`` is an iterable of decoded lines, read only up to the first
    line that tells.  It never splits a line into all its cells: the 16 M
    cells of a 47 MiB line cost 1.19 GB just to learn there were two.
    """
    for line in lines:
        bare = re.sub(r'"[^"]*"', "", line) if '"' in line else line  # a quoted label may hold any separator
        delimiter = next((d for d in ("\t", ";", ",") if d in bare), None)
        if delimiter is not None or len(bare.split(None, 1)) > 1:  # a one-number line says nothing yet
            return delimiter
    return None


SEPARATORS = {
    "\t": Term("tabs"),
    ";": Term("semicolons"),
    ",": Term("commas"),
    None: Term("spaces"),
}  # None: str.split()'s whitespace


def _refuse_mixed(cells: list[str], delimiter: str | None, line: int) -> None:
    """InputError when a cell is numbers split by a second separator, e.g. '2;3' in a tab-separated file.

    Such a file used to load as a smaller table (``1\\t2;3`` as one label
    and one header cell).  Labels and headers with separators in them
    ('hello, world') are not numbers once split, and pass.
    """
    for cell in cells:
        if is_number(cell):
            continue
        for other in SEPARATORS:
            if other == delimiter or (other == "," and delimiter == ";"):  # ;-files write decimal commas
                continue
            # at most a row's worth of parts: a cell of 15 M numbers split whole cost 1.2 GB
            parts = cell.split(other, MAX_DIM + 1)
            if len(parts) > 1 and all(is_number(part) for part in parts[: MAX_DIM + 1]):
                raise InputError(
                    "upload.mixed_separators",
                    line=line,
                    first=SEPARATORS[delimiter],
                    second=SEPARATORS[other],
                    text=clip(cell, 20),
                )


def _check_counts(n: int, d: int, extra: int = 0) -> None:
    """Reject too many rows or columns before converting millions of cells."""
    if n > MAX_TOKENS + extra:
        raise InputError("upload.over_rows", max=MAX_TOKENS)
    if d > MAX_DIM + extra:
        raise InputError("upload.over_cols", max=MAX_DIM)


def _check_rectangular(lengths: list[int], offset: int = 1) -> None:
    if not lengths or lengths[0] == 0:
        raise InputError("upload.first_row_empty")
    for r, length in enumerate(lengths):
        if length != lengths[0]:
            raise InputError("upload.row_length", row=r + offset, count=length, first=offset, expected=lengths[0])


def _check_shape(shape: tuple[int, ...]) -> None:
    """A 2-D table within the caps, from its shape alone (an .npy header's, before its data is read)."""
    if len(shape) != 2:
        raise InputError("upload.dimensions", ndim=len(shape))
    n, d = shape
    if n == 0 or d == 0:
        raise InputError("upload.table_empty")
    if n > MAX_TOKENS:
        raise InputError("upload.rows", n=n, max=MAX_TOKENS)
    if d > MAX_DIM:
        raise InputError("upload.cols", d=d, max=MAX_DIM)
    if d < MIN_DIM:
        raise InputError("upload.too_few_cols", d=d, min=MIN_DIM)


def _checked(values: np.ndarray, labels) -> Sequence:
    _check_shape(values.shape)
    values = check_values(np.ascontiguousarray(values, dtype=np.float64))
    if labels is not None:
        labels = [_clean_label(s) for s in labels]
    return Sequence(values=values, labels=tuple(labels) if labels else ())


def _clean_label(label) -> str:
    text = "".join(ch for ch in str(label) if ch.isprintable()).strip()
    return clip(text, MAX_LABEL_CHARS) or "?"
