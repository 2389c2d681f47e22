"""Whisper's output tokens as text a student can read: byte-level BPE pieces merged into characters, then words.

Whisper's tokenizer works on UTF-8 bytes: one Chinese character (3 bytes) is often two or three tokens, and
each piece alone is not valid text (it would show as "�"). A piece's bytes are kept until they decode.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache

# languages written without spaces between words: each character is a word (as openai/whisper splits them)
NO_SPACE_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "my", "yue"})


@cache
def _unicode_to_byte() -> dict[str, int]:
    """GPT-2's byte-level alphabet reversed: the printable character a token string uses for each byte."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    printable += list(range(ord("®"), ord("ÿ") + 1))
    chars, extra = {}, 0
    for byte in range(256):
        if byte in printable:
            chars[chr(byte)] = byte
        else:
            chars[chr(256 + extra)] = byte
            extra += 1
    return chars


def token_bytes(piece: str) -> bytes:
    """A token's string from tokenizer.json (e.g. "Ġcat", "ä»") → its UTF-8 bytes (b" cat", b"\\xe4\\xbb")."""
    table = _unicode_to_byte()
    return bytes(table[char] for char in piece)


@dataclass(frozen=True)
class Unit:
    """A piece of text that decodes on its own: ``text`` and the ``tokens`` (0-based positions) it came from."""

    text: str
    tokens: tuple[int, ...]


def merge_pieces(pieces: list[bytes]) -> list[Unit]:
    """Consecutive byte pieces merged until they decode as UTF-8: [b"\\xe4\\xbb", b"\\x8a"] → [Unit("今", (0, 1))].

    A piece that completes one character and starts the next stays with the group it completes. Bytes that
    never complete (a cut-off end) are shown with "�", the one place it is honest.
    """
    units, buffer, members = [], b"", []
    for i, piece in enumerate(pieces):
        buffer += piece
        members.append(i)
        try:
            text = buffer.decode("utf-8")
        except UnicodeDecodeError:
            continue  # an incomplete character: wait for the next piece
        units.append(Unit(text, tuple(members)))
        buffer, members = b"", []
    if members:
        units.append(Unit(buffer.decode("utf-8", errors="replace"), tuple(members)))
    return units


def words_of(units: list[Unit], language: str) -> list[Unit]:
    """Units grouped into words: a new word at a leading space (each character in Chinese, Japanese, …).

    Punctuation joins the word before it, so "focus." is one word on the spectrogram.
    """
    words: list[Unit] = []
    for unit in units:
        punctuation = unit.text.strip() != "" and all(
            c in string.punctuation + "，。！？、；：" for c in unit.text.strip()
        )
        starts = language in NO_SPACE_LANGUAGES or unit.text.startswith(" ")
        if words and (punctuation or not starts):
            last = words[-1]
            words[-1] = Unit(last.text + unit.text, last.tokens + unit.tokens)
        else:
            words.append(unit)
    return words
