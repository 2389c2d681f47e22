"""The Transformer page's guided lesson: questions from the real model's attention weights, and the teacher presets.

Pure functions (numpy only): ``steps`` takes the weights the model computed
for the sentence (and for the second sentence) and returns the questions with
their answers; ``tests/app/test_guides.py`` checks them on the bundled model.
"""

from __future__ import annotations

import numpy as np

from ui.guide_steps import Step, Word, choose_options, distinct_labels

LESSON = "tm"
NEAR = 0.01
SHARE_BINS = (0.1, 0.5)  # the share of attention on [CLS]/[SEP]: below 10 %, 10–50 %, above 50 %
SHARES = ("low", "middle", "high")


def steps(
    attentions: np.ndarray,
    tokens,
    layer: int,
    head: int,
    follow: str,
    cls: str,
    sep: str,
    attentions2: np.ndarray | None = None,
    tokens2=None,
) -> list[Step]:
    """The lesson for one sentence: attentions ``[layers, heads, n, n]`` (rows sum to 1), its n tokens.

    ``layer``, ``head``: the head the page shows (0-based); ``follow``: the
    word the page follows (say "it"); the second sentence's weights and tokens
    (the Compare view's) give one more question when both sentences hold the word.
    """
    a = np.asarray(attentions, dtype=np.float64)[layer, head]  # [n, n]
    names = distinct_labels(tokens)
    out = []
    i = _find(tokens, follow)
    if i is not None:
        out.append(follow_top(a, names, i, follow, layer, head))
    special = [j for j, tok in enumerate(tokens) if tok in (cls, sep)]
    if special:
        out.append(special_share(a, special, layer, head, cls, sep))
    if attentions2 is not None and tokens2 is not None and i is not None:
        a2 = np.asarray(attentions2, dtype=np.float64)[layer, head]
        step = second_sentence(a, list(tokens), a2, list(tokens2), follow, (cls, sep), layer, head)
        if step is not None:
            out.append(step)
    return out


def _find(tokens, word: str) -> int | None:
    """The first token that is ``word`` (case-insensitive), or None."""
    word = word.strip().lower()
    return next((j for j, tok in enumerate(tokens) if str(tok).lower() == word), None) if word else None


def follow_top(a: np.ndarray, names: list[str], i: int, follow: str, layer: int, head: int) -> Step:
    """Which token does ``follow`` (token i) attend to most in this head?"""
    ranked = np.argsort(-a[i], kind="stable")
    best = int(ranked[0])
    options, answer = choose_options(best, [j for j in ranked[1:] if a[i, best] - a[i, j] >= NEAR])
    return Step(
        LESSON,
        "follow_top",
        values={
            "word": follow,
            "l": layer + 1,
            "h": head + 1,
            "token": names[best],
            "token_w": round(float(a[i, best]), 3),
        },
        options=tuple(names[j] for j in options),
        answer=answer,
        asks=("views",),
    )


def special_share(a: np.ndarray, special: list[int], layer: int, head: int, cls: str, sep: str) -> Step:
    """What share of this head's attention lands on [CLS] and [SEP], averaged over the rows?"""
    share = float(a[:, special].sum(axis=1).mean())
    answer = int(np.searchsorted(SHARE_BINS, share))
    return Step(
        LESSON,
        "special",
        values={"l": layer + 1, "h": head + 1, "cls": cls, "sep": sep, "share": round(100 * share)},
        options=tuple(Word(f"guide.tm.special.{name}") for name in SHARES),
        answer=answer,
        asks=("views",),
    )


def second_sentence(a, tokens, a2, tokens2, follow: str, special, layer: int, head: int) -> Step | None:
    """From the first sentence to the second, does ``follow``'s weight on a shared word go up or down?

    The word asked about is the one whose weight changes most (say "street",
    when "tired" becomes "wide").  None when the word is missing in the second sentence.
    """
    i, i2 = _find(tokens, follow), _find(tokens2, follow)
    if i is None or i2 is None:
        return None
    shared = [w for w in dict.fromkeys(tokens) if w in tokens2 and w not in special and w.lower() != follow.lower()]
    if not shared:
        return None
    change = {w: a2[i2, tokens2.index(w)] - a[i, tokens.index(w)] for w in shared}
    word = max(shared, key=lambda w: abs(change[w]))
    delta = change[word]
    outcome = "up" if delta > 0.005 else "down" if delta < -0.005 else "same"
    return Step(
        LESSON,
        "second",
        values={
            "word": follow,
            "token": word,
            "w1": round(float(a[i, tokens.index(word)]), 3),
            "w2": round(float(a2[i2, tokens2.index(word)]), 3),
            "l": layer + 1,
            "h": head + 1,
        },
        options=(Word("guide.up"), Word("guide.down"), Word("guide.same")),
        answer=("up", "down", "same").index(outcome),
        asks=("views",),
    )


# ---- presets for teachers (the sentences are the page's own examples)
TIRED = "The animal didn't cross the street because it was too tired."
WIDE = "The animal didn't cross the street because it was too wide."


def presets() -> list[tuple[str, dict]]:
    """[(catalog key of the preset's name, its URL settings)]."""
    return [
        # layer 4, head 2: "it" looks at "animal" (token 11 is "it" in the bundled model's tokens)
        ("guide.tm.preset.coref", {"text": TIRED, "text2": WIDE, "layer": 4, "head": 2, "view": "head", "token": 11}),
        ("guide.tm.preset.compare", {"text": TIRED, "text2": WIDE, "layer": 4, "head": 2, "view": "compare"}),
        (
            "guide.tm.preset.bank",
            {
                "text": "I went to the bank to deposit my money.",
                "text2": "We sat on the bank of the river and watched the boats.",
                "follow": "bank",
                "layer": 4,
                "head": 2,
                "view": "compare",
            },
        ),
        ("guide.tm.preset.model", {"text": TIRED, "text2": WIDE, "view": "model"}),
    ]
