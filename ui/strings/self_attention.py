"""Strings of the Self-attention and multi-head attention page."""

EN = {
    "sa.title": "Self-attention and multi-head attention",
    "sa.lesson": "In a Transformer **every token is a query**. Each token xᵢ is projected three ways — a query "
    "**qᵢ = xᵢW_Q**, a key **kᵢ = xᵢW_K** and a value **vᵢ = xᵢW_V** — and every query is scored against every "
    "key: the weights form an **n×n matrix**, one row per query. **Several heads** do this side by side, each with "
    "its own small slice of d_model, so each can look for something different; their outputs are concatenated and "
    "mixed by W_O. A **mask M** (0 or −∞) hides keys: the causal mask hides the future.",
    # sidebar
    "sa.header": "Attention layer",
    "sa.mode": "Attention",
    "sa.mode.self": "Self: X → X",
    "sa.mode.cross": "Cross: X → Y",
    "sa.mode.help": "Self-attention: the queries, keys and values all come from X. Cross-attention: the queries come "
    "from X, the keys and values from a second sequence Y (like a decoder reading its encoder).",
    "sa.m": "Tokens m of Y",
    "sa.m.help": "Y is generated like X (same kind and d) with the seed of X plus one; its tokens are y1 … ym.",
    "sa.d_model": "d_model",
    "sa.d_model.help": "The width of Q, K and V: each token of dimension d is projected to d_model numbers, "
    "which the heads share out.",
    "sa.heads": "Heads h",
    "sa.heads.help": "Each head gets d_head = d_model / h of the projected dimensions, so h must divide d_model.",
    "sa.wseed": "Weight seed",
    "sa.wseed.help": "W_Q, W_K, W_V and W_O are drawn at random from this seed (a trained model would learn them).",
    "sa.mask": "Mask",
    "sa.mask.help": "Which keys each query may look at. A hidden key's score becomes −∞, so its weight is exactly 0. "
    "Causal: query i sees keys 1…i only. Padding: the last k keys are hidden from every query. Custom: click cells "
    "of the weights matrix to hide or show them.",
    "sa.mask.none": "None",
    "sa.mask.causal": "Causal (no look-ahead)",
    "sa.mask.padding": "Padding (last k keys)",
    "sa.mask.custom": "Custom (click cells)",
    "sa.pad": "Padding tokens k",
    "sa.pad.help": "The last k of the {n} keys are padding: no query may attend to them. With k = {n} nothing is left.",
    "sa.custom.help": "Click a cell of the weights to hide that key from that query; click again to show it.",
    "sa.custom.clear": "Show all",
    "sa.custom.causal": "Start causal",
    "sa.temperature": "Temperature T",
    "sa.temperature.help": "Weights are softmax(scores / T). Small T: each query picks one key. Large T: spread evenly.",
    # messages
    "sa.heads_error": "{heads} heads cannot share d_model = {d_model} evenly: each head needs the same number of "
    "dimensions, so the number of heads must divide d_model. Choose d_model = {up}, or a number of heads among "
    "{fits}. The charts still show d_model = {kept_d} with {kept_h} heads.",
    "sa.too_many": "This page draws an n×n matrix per head, which it can do for up to {max} tokens; the sequence "
    "has n = {n}. Choose n ≤ {max} in the sidebar (the Query attention page takes up to 4096).",
    "sa.custom_too_big": "A custom mask is drawn one cell at a time, which works up to {max} tokens a side; here "
    "there are {n}. No mask is applied: choose causal or padding, or fewer tokens.",
    "sa.causal_cross": "A causal mask stops a token from reading the tokens after it in the same sequence. In "
    "cross-attention the queries (x) and the keys (y) come from two different sequences, so there is no \"after\": "
    "a Transformer decoder's cross-attention reads every encoder token. No mask is applied here.",
    "sa.rows_empty.one": "The mask hides every key from query {names}. With nothing to attend to, its row of weights "
    "is all zeros (not NaN) and its head outputs are zero vectors.",
    "sa.rows_empty.many": "The mask hides every key from {count} queries: {names}. With nothing to attend to, their "
    "rows of weights are all zeros (not NaN) and their head outputs are zero vectors.",
    "sa.and_more": " and {count} more",
    "sa.computing": "Computing every head…",
    # header
    "sa.summary": "{n} queries × {m} keys · tokens of dimension d = {d}, projected to d_model = {d_model}, "
    "split into h = {h} × d_head = {d_head}",
    "sa.cross_caption": "Cross-attention: the queries are the tokens of X; the keys and values come from Y = y1 … y{m} "
    "(see the Data tab).",
    "sa.head": "Head",
    "sa.head_n": "head {k}",
    # tabs
    "sa.tab.head": "One head: scores and weights",
    "sa.tab.all": "All heads",
    "sa.tab.qkv": "Q, K, V",
    "sa.tab.output": "Output",
    "sa.tab.data": "Data",
    # one head
    "sa.weights_title": "Weights A = softmax(S / T), head {k}, T = {T}",
    "sa.scores_title": "Scores S = QKᵀ / √d_head, head {k}",
    "sa.axis.query": "query i",
    "sa.axis.key": "key j",
    "sa.pooled": "block-averaged to {r}×{c}",
    "sa.capped": "colours capped at the 99th percentile",
    "sa.click_help": "Each row is one query; it sums to 1 over the keys it may see. Grey cells are masked. Click a "
    "cell (or pick i and j below) to see its arithmetic.",
    "sa.click_help_custom": "Click a cell to hide that key from that query (grey); click it again to show it. "
    "The arithmetic of the clicked cell is written out below.",
    "sa.pick_i": "Query i",
    "sa.pick_j": "Key j",
    "sa.pair_title": "**Query {query} → key {key_label}** in head {k}: the score, the softmax of its row, and the row's output",
    "sa.arith.masked": "masked",
    "sa.arith.all_masked": "for every key: all are masked, nothing to attend to",
    "sa.arith.visible": "over the {count} visible keys",
    "sa.arith.visible.one": "over the 1 visible key",
    "sa.row_title": "Row view: the weights of query {query}, head {k}",
    "sa.weight_axis": "weight",
    "sa.row_entropy": "Entropy of this row",
    "sa.row_entropy.help": "0 bits: all weight on one key. {max:.2f} bits (log₂ of the visible keys): spread evenly.",
    "sa.row_top": "Most attended key",
    "sa.row_caption": "The row view is row i of the weights matrix as bars, like the Query attention page: query i "
    "is the query, the keys are the tokens it looks at.",
    "sa.head_short": "h{k}",
    # all heads
    "sa.small_title": "Every head's weights, on one colour scale (the chosen head is framed)",
    "sa.small_caption": "Same tokens, same mask — different W_Q and W_K, so each head spreads its attention "
    "differently. H̄ is the head's mean row entropy: low = sharp, each query picks a few keys; high = diffuse.",
    "sa.entropy_title": "Mean entropy of each head's rows",
    "sa.entropy_axis": "H (bits)",
    "sa.heads_axis": "head",
    "sa.entropy_max": "uniform: {bits:.2f} bits",
    "sa.entropy_caption": "The dashed line is what perfectly even attention over the visible keys would give.",
    # Q, K, V
    "sa.qkv_lesson": "Head {k} works in its own d_head = {d_head} dimensions: Q⁽ʰ⁾ = X W_Q⁽ʰ⁾ with W_Q⁽ʰ⁾ of size "
    "{d} × {d_head} (likewise K and V). One row per token.",
    "sa.q_title": "Q<sup>({k})</sup> = X W<sub>Q</sub><sup>({k})</sup>: queries",
    "sa.k_title": "K<sup>({k})</sup> = {src} W<sub>K</sub><sup>({k})</sup>: keys",
    "sa.v_title": "V<sup>({k})</sup> = {src} W<sub>V</sub><sup>({k})</sup>: values",
    "sa.dim_axis": "dimension of the head",
    "sa.input_axis": "input dimension",
    "sa.weights_expander": "The projection weights of head {k} (seeded at random; a trained model learns them)",
    # output
    "sa.output_lesson": "Each head returns d_head = {d_head} numbers per token (A_h V_h). The h = {h} heads side by "
    "side make d_model = {d_model} numbers; W_O then mixes them into the layer's output.",
    "sa.concat_title": "concat(A₁V₁, …, A_hV_h): h = {h} heads side by side",
    "sa.output_title": "Output = concat · W_O",
    "sa.model_axis": "dimension of d_model",
    "sa.output_caption": "Dashed lines separate the heads. Row i of the output is what token i takes to the next "
    "layer: a mix of the values it attended to, in every head.",
    # data
    "sa.download_weights": "⬇ the weights of head {k} as CSV",
    "sa.y_title": "**Y** — the keys and values of cross-attention ({m} tokens; the first 50 shown):",
}

ZH = {}
