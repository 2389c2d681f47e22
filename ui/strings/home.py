"""Strings of the Home page."""

EN = {
    "home.title": "Attention Explorer",
    "home.intro": "Attention lets a model decide **where to look**. A query **q** is compared with every "
    "token **x₁ … xₙ** of a sequence, the comparisons become weights, and the answer is the weighted "
    "mix of the tokens. Three formulas carry the whole idea:",
    "home.formula.scores": "1 · score every token against the query",
    "home.formula.weights": "2 · turn the scores into weights that are positive and sum to 1",
    "home.formula.output": "3 · mix the tokens in those proportions",
    "home.live.title": "Try it",
    "home.live.text": "Three tokens point up (x1), right (x2) and left (x3). Turn the query q with the sliders: "
    "the token it points at wins most of the weight.",
    "home.live.chart": "Weights w = softmax(qᵀxᵢ)",
    "home.tour.title": "The tour",
    "home.tour.query.label": "Query attention",
    "home.tour.query.text": "The core lesson: edit q and every score, weight and output follows — with the scoring "
    "methods, temperature, masks, several queries and the arithmetic written out.",
    "home.tour.more": "More lessons — self-attention and multi-head attention, a real pretrained Transformer, image "
    "attention, seq2seq alignment and the cost of attention — are on their way.",
}

ZH = {}
