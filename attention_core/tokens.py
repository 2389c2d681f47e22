"""Finding tokens in a model's token list: a word's position, and the special tokens ([CLS], [SEP])."""

from __future__ import annotations

import numpy as np


def find_token(tokens, word: str) -> int | None:
    """The 0-based position of the first token equal to ``word``, or None.

    Case-insensitive, and a word piece's ``##`` is ignored, so "it" finds
    "it" and "##it"; surrounding spaces of ``word`` do not count.
    """
    word = word.strip().lower()
    for i, token in enumerate(tokens):
        if token.lower().removeprefix("##") == word:
            return i
    return None


def special_token_mask(tokens, special_tokens=("[CLS]", "[SEP]")) -> np.ndarray:
    """bool ``[n]``: True where the token is one of ``special_tokens`` (exact match)."""
    special = set(special_tokens)
    return np.array([token in special for token in tokens], dtype=bool)
