"""The Speech page's guided lesson: questions computed from the clip Whisper heard, and the teacher presets.

Pure functions of the transcription's numbers (numpy only), so a test checks them without a browser.
"""

from __future__ import annotations

import numpy as np

from attention_core.speech import timing
from attention_core.speech.model import LANGUAGES
from ui.guide_steps import Step, Word

LESSON = "speech"
PARTS = 4  # the stretch question offers the clip in quarters
# heads to compare with the alignment heads: ones config.json does not list (0-based layer, head)
OTHER_HEADS = ((0, 0), (1, 3), (5, 7))


def word_rows(cross: np.ndarray, heads, words, frames: int) -> np.ndarray:
    """Each word's weights over the clip's frames, averaged over ``heads`` and its tokens: ``[words, frames]``."""
    weights = timing.head_weights(cross, heads).mean(axis=0)[:, :frames]
    return timing.unit_weights(weights, words)


def steps(result, alignment_heads, language_name) -> list[Step]:
    """The lesson for one clip (a ``Transcription``); ``language_name(code)`` names a language in the page's words."""
    frames = result.frames_in_clip
    rows = word_rows(result.cross, alignment_heads, result.words, frames)
    out = [stretch(result, rows, frames), forward(rows)]
    out.append(which_head(result, alignment_heads, frames))
    out.append(language(result, language_name))
    return out


def _asked_word(words) -> int:
    """The word asked about: the longest in the middle half of the clip's words (a clear one)."""
    n = len(words)
    middle = range(n // 4, max(n // 4 + 1, 3 * n // 4))
    return max(middle, key=lambda i: (len(words[i].text.strip()), -i))


def stretch(result, rows: np.ndarray, frames: int) -> Step:
    """Which quarter of the clip does word k look at most (the alignment heads' average)?"""
    k = _asked_word(result.words)
    peak = int(np.argmax(rows[k]))
    bounds = np.linspace(0, frames * timing.FRAME_SECONDS, PARTS + 1)
    options = tuple(f"{a:.1f}–{b:.1f} s" for a, b in zip(bounds[:-1], bounds[1:], strict=True))
    answer = min(int(peak * PARTS // frames), PARTS - 1)
    return Step(
        LESSON,
        "stretch",
        values={"word": result.words[k].text.strip(), "peak": f"{peak * timing.FRAME_SECONDS:.2f}"},
        options=options,
        answer=answer,
        asks=("attention", "alignment"),
    )


def forward(rows: np.ndarray) -> Step:
    """Does the alignment heads' peak move forward in time from each word to the next?"""
    peaks = timing.peak_frames(rows)
    back = np.flatnonzero(np.diff(peaks) < 0)
    return Step(
        LESSON,
        "forward",
        values={"back": len(back), "words": len(peaks)},
        options=(Word("guide.speech.forward.yes"), Word("guide.speech.forward.no")),
        answer=0 if len(back) == 0 else 1,
        asks=("attention", "alignment"),
    )


def which_head(result, alignment_heads, frames: int) -> Step:
    """Which of four heads (two alignment heads, two others) follows the words through time best?"""
    heads = sorted({alignment_heads[0], alignment_heads[-1], *OTHER_HEADS[:2]})
    scores = [timing.follows_time(word_rows(result.cross, [head], result.words, frames)) for head in heads]
    best = int(np.argmax(scores))
    return Step(
        LESSON,
        "heads",
        values={
            "best": f"{heads[best][0] + 1}.{heads[best][1] + 1}",
            "score": f"{scores[best]:.2f}",
            "listed": ", ".join(f"{layer + 1}.{head + 1}" for layer, head in alignment_heads),
        },
        options=tuple(Word("guide.speech.heads.option", (("l", lay + 1), ("h", h + 1))) for lay, h in heads),
        answer=best,
        asks=("attention", "alignment"),
    )


def language(result, language_name) -> Step:
    """How sure is Whisper, in %, of the clip's likeliest language?"""
    best = int(np.argmax(result.language_probs))
    percent = 100 * float(result.language_probs[best])
    return Step(
        LESSON,
        "language",
        values={"lang": language_name(LANGUAGES[best]), "p": f"{percent:.0f}"},
        answer=round(percent),
        tolerance=10,
        decimals=0,
        asks=("languages",),
    )


def presets() -> list[tuple[str, dict]]:
    """[(catalog key of the preset's name, its URL settings)]."""
    return [
        ("guide.speech.preset.stretch", {"clip": "attention", "view": "token", "guide": "stretch"}),
        (
            "guide.speech.preset.dtw",
            {"clip": "attention", "view": "alignment", "filter": 1, "normalise": 0, "guide": "forward"},
        ),
        (
            "guide.speech.preset.heads",
            {"clip": "weather", "view": "alignment", "heads": "picked", "layer": 1, "head": 1, "guide": "heads"},
        ),
        ("guide.speech.preset.language", {"clip": "cat", "view": "language", "guide": "language"}),
    ]
