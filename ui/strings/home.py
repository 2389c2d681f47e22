"""Strings of the Home page."""

EN = {
    "home.title": "Attention Explorer",
    "home.intro": "Attention lets a model decide **where to look**. A query **q** is compared with every "
    "token **x₁ … xₙ** of a sequence, the comparisons become weights, and the answer is the weighted "
    "mix of the tokens. Three formulas carry the whole idea:",
    "home.formula.scores": "**1 · Score** every token against the query",
    "home.formula.weights": "**2 · Softmax**: positive weights that sum to 1",
    "home.formula.output": "**3 · Mix** the tokens in those proportions",
    "home.live.title": "Try it",
    "home.live.text": "Three tokens point up (x1), right (x2) and left (x3). Turn the query q with the sliders: "
    "the token it points at wins most of the weight.",
    "home.live.chart": "Weights w = softmax(qᵀxᵢ)",
    "home.tour.title": "The tour",
    "home.tour.query.label": "Query attention",
    "home.tour.query.text": "The core lesson: edit q and every score, weight and output follows — with the scoring "
    "methods, temperature, masks, several queries and the arithmetic written out.",
    "home.tour.model.label": "Transformer model",
    "home.tour.model.text": "Attention inside a real pretrained model (all-MiniLM-L6-v2, 6 layers × 12 heads): lines "
    "between tokens, every head at a glance, rollout, head types — and the same weights recomputed by hand.",
    "home.tour.self_attention.label": "Self-attention and multi-head attention",
    "home.tour.self_attention.text": "Every token is a query: Q = XW_Q, K = XW_K, V = XW_V, the whole n×n matrix of "
    "weights per head, causal and padding masks, several heads side by side — click a cell to see its arithmetic.",
    "home.tour.more": "More lessons — image attention, seq2seq alignment and the cost of attention — are on their way.",
}

ZH = {}
