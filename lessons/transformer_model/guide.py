"""The Transformer page's guided lesson: questions from the real model's attention weights, and the teacher presets.

Pure functions (numpy only): ``steps`` takes the weights the model computed
for the sentence (and for the second sentence) and returns the questions with
their answers; ``tests/app/test_guides.py`` checks them on the bundled model.
"""

from __future__ import annotations

import difflib

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
    (the Compare view's) give one more question when both sentences hold the
    word: how its weight on a shared word changes when the sentences differ in
    a word or two, or what it attends to in the second when they are different
    sentences.  Every question asks about this head's weights (the views that
    show them wait); the last asks about every layer.
    """
    stack = np.asarray(attentions, dtype=np.float64)
    a = stack[layer, head]  # [n, n]
    tokens = [str(tok) for tok in tokens]
    out = []
    i = _find(tokens, follow)
    if i is not None:
        out.append(follow_top(a, tokens, i, follow, layer, head, cls, sep))
    special = [j for j, tok in enumerate(tokens) if tok in (cls, sep)]
    if special:
        out.append(special_share(a, special, layer, head, cls, sep))
    if attentions2 is not None and tokens2 is not None and i is not None:
        tokens2 = [str(tok) for tok in tokens2]
        a2 = np.asarray(attentions2, dtype=np.float64)[layer, head]
        i2 = _find(tokens2, follow)
        changes = changed_words(tokens, tokens2, (cls, sep))
        if i2 is not None and changes is not None:
            step = second_sentence(a, tokens, a2, tokens2, follow, (cls, sep), layer, head, changes)
        elif i2 is not None:
            step = follow_top(a2, tokens2, i2, follow, layer, head, cls, sep, name="follow_top2")
        else:
            step = None
        if step is not None:
            out.append(step)
    if stack.shape[0] >= 2:
        out.append(broadest_layer(stack))
    return out


def _find(tokens, word: str) -> int | None:
    """The first token that is ``word`` (case-insensitive), or None."""
    word = word.strip().lower()
    return next((j for j, tok in enumerate(tokens) if str(tok).lower() == word), None) if word else None


def is_word(token: str, special) -> bool:
    """A word of the sentence: not a special token ([CLS], [SEP]) and not punctuation."""
    return token not in special and any(c.isalnum() for c in token)


def follow_top(
    a: np.ndarray, tokens, i: int, follow: str, layer: int, head: int, cls: str, sep: str, name: str = "follow_top"
) -> Step:
    """Which token does ``follow`` (token i) attend to most in this head?  (``name``: of the second sentence.)

    The hint under the question follows the options offered (never the answer):
    "use your sense of the sentence" only when every option is a word.
    """
    names = distinct_labels(tokens)
    ranked = np.argsort(-a[i], kind="stable")
    best = int(ranked[0])
    options, answer = choose_options(best, [j for j in ranked[1:] if a[i, best] - a[i, j] >= NEAR])
    words = sum(is_word(tokens[j], (cls, sep)) for j in options)
    hint = "words" if words == len(options) else "none" if words == 0 else "mixed"
    # a word the sentence holds twice is named with its position ("it (#11)"), as the options are
    repeated = sum(str(tok).lower() == follow.strip().lower() for tok in tokens) > 1
    return Step(
        LESSON,
        name,
        values={
            "word": names[i] if repeated else follow,
            "l": layer + 1,
            "h": head + 1,
            "token": names[best],
            "token_w": round(float(a[i, best]), 3),
            "cls": cls,
            "sep": sep,
            "hint": Word(f"guide.tm.hint.{hint}"),
        },
        options=tuple(names[j] for j in options),
        answer=answer,
        asks=("weights",),
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
        asks=("weights",),
    )


MAX_CHANGES = 2  # sentences that differ in more words than this are "different sentences", not a minimal pair


def changed_words(tokens, tokens2, special) -> list[tuple[str, str]] | None:
    """[(word in sentence 1, word in sentence 2)] where the two differ, or None when they differ in more than a few.

    A word added or removed pairs with "".
    """
    pairs = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=list(tokens), b=list(tokens2), autojunk=False).get_opcodes():
        if op != "equal":
            pairs.append((" ".join(tokens[i1:i2]), " ".join(tokens2[j1:j2])))
    changed = sum(max(len(a.split()), len(b.split())) for a, b in pairs)
    return pairs if 0 < changed <= MAX_CHANGES else None


def second_sentence(
    a, tokens, a2, tokens2, follow: str, special, layer: int, head: int, changes: list[tuple[str, str]]
) -> Step | None:
    """From the first sentence to the second, does ``follow``'s weight on a shared word go up or down?

    The word asked about is the one whose weight changes most (say "street",
    when "tired" becomes "wide"), among the words that occur once in each
    sentence (a word that occurs three times would not say which one).
    None when no such word is left.
    """
    i, i2 = _find(tokens, follow), _find(tokens2, follow)
    if i is None or i2 is None:
        return None
    shared = [
        w
        for w in dict.fromkeys(tokens)
        if is_word(w, special) and w.lower() != follow.lower() and tokens.count(w) == 1 and tokens2.count(w) == 1
    ]
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
            "changes": ", ".join(f"“{one or '—'}” → “{two or '—'}”" for one, two in changes),
        },
        options=(Word("guide.up"), Word("guide.down"), Word("guide.same")),
        answer=("up", "down", "same").index(outcome),
        asks=("weights",),
    )


def layer_entropy(attentions: np.ndarray) -> np.ndarray:
    """H̄ per layer ``[layers]``: each row's entropy in bits, averaged over the rows and the heads."""
    w = np.asarray(attentions, dtype=np.float64)
    terms = np.where(w > 0, -w * np.log2(np.where(w > 0, w, 1.0)), 0.0)
    return terms.sum(axis=-1).mean(axis=(-1, -2))


def broadest_layer(attentions: np.ndarray) -> Step:
    """Which layer spreads its attention most (the highest mean entropy over its heads)?  The model view's question."""
    h_mean = layer_entropy(attentions)
    ranked = np.argsort(-h_mean, kind="stable")
    best, sharp = int(ranked[0]), int(ranked[-1])
    options, answer = choose_options(best, [k for k in ranked[1:] if h_mean[best] - h_mean[k] >= NEAR])
    return Step(
        LESSON,
        "broad_layer",
        values={
            "layers": len(h_mean),
            "heads": int(np.asarray(attentions).shape[1]),
            "layer": best + 1,
            "h_max": round(float(h_mean[best]), 2),
            "sharp": sharp + 1,
            "h_min": round(float(h_mean[sharp]), 2),
        },
        options=tuple(Word("guide.tm.layer", (("k", k + 1),)) for k in options),
        answer=answer,
        asks=("weights",),
    )


# ---- presets for teachers (the sentences are the page's own examples)
TIRED = "The animal didn't cross the street because it was too tired."
WIDE = "The animal didn't cross the street because it was too wide."


BANK = "I went to the bank to deposit my money."
RIVER = "We sat on the bank of the river and watched the boats."


def presets() -> list[tuple[str, dict]]:
    """[(catalog key of the preset's name, its URL settings)]; ``guide`` names the question that makes its point."""
    return [
        # layer 4, head 2: "it" looks at "animal" (token 11 is "it" in the bundled model's tokens)
        (
            "guide.tm.preset.coref",
            {"text": TIRED, "text2": WIDE, "layer": 4, "head": 2, "view": "head", "token": 11, "guide": "follow_top"},
        ),
        (
            "guide.tm.preset.compare",
            {"text": TIRED, "text2": WIDE, "layer": 4, "head": 2, "view": "compare", "guide": "second"},
        ),
        # layer 1, head 5: of the 72 heads, the one where "bank" puts most weight on the content words of both
        # sentences: "deposit" (0.68) by the money, "river" (0.69) by the river (tests/test_transformer_guided.py)
        (
            "guide.tm.preset.bank",
            {
                "text": BANK,
                "text2": RIVER,
                "follow": "bank",
                "layer": 1,
                "head": 5,
                "view": "compare",
                "guide": "follow_top",
            },
        ),
        ("guide.tm.preset.model", {"text": TIRED, "text2": WIDE, "view": "model", "guide": "broad_layer"}),
    ]
