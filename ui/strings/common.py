"""Strings shared by every page: navigation, sidebar, the sequence widget."""

EN = {
    "app.title": "Attention Explorer",
    "app.tagline": "Change the numbers, watch attention move.",
    "app.language": "Language",
    "app.source": "Source code",
    "app.section.start": "Start",
    "app.section.lessons": "Lessons",
    "nav.home": "Home",
    "nav.query": "Query attention",
    "url.bad_params": "Some settings in the link could not be used and were left at their defaults: {names}.",
    # sequence widget
    "seq.header": "Sequence X",
    "seq.source": "Where the tokens come from",
    "seq.source.generate": "Generate",
    "seq.source.upload": "Upload a file",
    "seq.kind": "Kind",
    "seq.kind.help": "Clusters: a few well-separated groups, so attention visibly picks a group. "
    "One-hot: xᵢ is the unit vector e_(i mod d). Sinusoidal: the Transformer's positional encodings.",
    "seq.kind.gaussian": "Gaussian noise",
    "seq.kind.clusters": "Clusters",
    "seq.kind.one_hot": "One-hot",
    "seq.kind.sinusoidal": "Sinusoidal positions",
    "seq.n": "Tokens n",
    "seq.d": "Dimension d",
    "seq.seed": "Seed",
    "seq.new_seed": "New",
    "seq.upload": "CSV, TSV, TXT, NPY or JSON",
    "seq.upload.help": "One row per token, one column per dimension. An optional header row and an optional "
    "first column of token labels are recognised. At most 4096 tokens × 1024 dimensions.",
    "seq.upload_failed": "Could not use '{name}': {reason} The previous sequence is kept.",
    "seq.size": "n = {n} tokens, d = {d}",
    "seq.from_file": "from {name}",
    "seq.edited": "edited by hand",
    "seq.edit.help": "Click a cell to change a value; every chart follows.",
    "seq.edit.too_big": "The table can be edited when n·d ≤ {limit}; here is a preview of the first rows.",
    "seq.edit_not_finite": "Every cell of X must hold a number; the edit was undone.",
    "seq.download_csv": "⬇ X as CSV",
    "seq.download_npy": "⬇ X as NPY",
    "seq.download_weights": "⬇ weights as CSV",
}

ZH = {}

EN.update(
    {
        "scoring.header": "Scoring",
        "scoring.method": "Scoring method",
        "scoring.method.dot": "Dot product qᵀxᵢ",
        "scoring.method.scaled_dot": "Scaled dot product qᵀxᵢ/√d",
        "scoring.method.cosine": "Cosine similarity",
        "scoring.method.general": "General qᵀWxᵢ (Luong)",
        "scoring.method.additive": "Additive vᵀtanh(W₁q+W₂xᵢ) (Bahdanau)",
        "scoring.temperature": "Temperature T",
        "scoring.temperature.help": "Weights are softmax(a / T). Small T: all weight on the best token. Large T: spread evenly.",
        "scoring.mask": "Masked tokens",
        "scoring.mask.help": "Token numbers the query may not look at, e.g. 2, 5-7 (from 1 to {n}). Press Enter to apply.",
        "scoring.mask_error": "The mask was not applied: {reason}",
        "scoring.pseed": "Parameter seed",
        "scoring.pseed.help": "W (general) and W₁, W₂, v (additive) are drawn at random from this seed.",
    }
)
