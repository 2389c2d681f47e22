"""Strings of the Self-attention and multi-head attention page."""

EN = {
    # guided lesson (lessons/self_attention/guide.py)
    "guide.sa.row1.explain": "The causal mask lets token i attend only to tokens 1…i: no peeking ahead. "
    "The weights are hidden until you answer.",
    "guide.sa.row1.question": "After the causal mask, what is row 1 of the weights (head {head})?",
    "guide.sa.row1.why": "Token 1 may see only itself, so the softmax puts all its weight there: w = {w}. "
    "Every head agrees, whatever its scores.",
    "guide.sa.row1_if.explain": "The causal mask (Mask, in the sidebar) lets token i attend only to tokens 1…i: "
    "no peeking ahead. It is off now.",
    "guide.sa.row1_if.question": "If you turn the causal mask on, what will row 1 of the weights be?",
    "guide.sa.row1_if.why": "Token 1 may then see only itself, so the softmax puts all its weight there: w = 1. "
    "Every head agrees, whatever its scores.",
    "guide.sa.row1.one_hot": "[1, 0, 0, …]: all on itself",
    "guide.sa.row1.uniform": "[1/n, …, 1/n]: spread evenly",
    "guide.sa.row1.last": "[0, …, 0, 1]: all on the last token",
    "guide.sa.row1.depends": "Different in every head",
    "guide.sa.top_key.explain": "Every token is a query: row i of the matrix holds token i's weights over the keys. "
    "The weights are hidden until you answer: the scores matrix is there.",
    "guide.sa.top_key.question": "In head {head}, which key does {token} attend to most?",
    "guide.sa.top_key.why": "In row {token}, {key} has the largest score (s = {s}); the softmax keeps the order, so it "
    "gets the largest weight, w = {w}.",
    "guide.sa.d_head.explain": "Multi-head attention splits the model's d_model = {d_model} dimensions among "
    "h = {h} heads; each head has its own W_Q, W_K and W_V.",
    "guide.sa.d_head.question": "How many dimensions does each head's query qᵢ have?",
    "guide.sa.d_head.why": "d_head = d_model / h = {d_model} / {h} = {d_head}: each head attends in its own smaller "
    "space, and the heads' outputs are put side by side again (then mixed by W_O).",
    "guide.sa.spread.explain": "Each head has its own W_Q and W_K, so each looks at the sequence its own way: "
    "some put their weight on a few keys, others spread it. Pick a head in the head view to compare them.",
    "guide.sa.spread.question": "Which head spreads its attention most (the highest mean entropy)?",
    "guide.sa.spread.why": "Head {head} has the highest mean entropy, H̄ = {h_max} bits; head {sharp} is the sharpest, "
    "H̄ = {h_min} bits. The All heads view shows them side by side.",
    "guide.sa.temperature.explain": "The temperature divides every score before the softmax: "
    "w = softmax(s / T). At T = 1, {token}'s favourite key in head {head}, {key}, gets w = {w1}. "
    "The weights are hidden until you answer: the scores matrix is there.",
    "guide.sa.temperature.question": "Now T = {T}. Does {key}'s weight in the row of {token} go up, down, or stay "
    "the same?",
    "guide.sa.temperature.why": "At T = {T} it is w = {w} (w = {w1} at T = 1). Dividing by T stretches the gaps "
    "between the scores when T < 1 and shrinks them when T > 1; the softmax turns larger gaps into a sharper row.",
    "guide.sa.head": "Head {k}",
    "guide.sa.preset.causal": "The causal mask: every token sees only itself and the tokens before it",
    "guide.sa.preset.heads": "Four heads side by side: each looks at the sequence its own way",
    "guide.sa.preset.sharp": "A low temperature, T = 0.2: what happens to each row's favourite key?",
    "guide.sa.preset.cross": "Cross-attention: the tokens of X attend to another sequence, Y",
    "sa.title": "Multi-head self-attention",
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
    "sa.zoom": "Zoom the weight colours",
    "sa.zoom.help": "Off: weights are probabilities, so colours (and the row's bars) run from 0 to 1 and equal weights "
    "look equal. On: the scale stops at the largest weight shown, to see small differences.",
    "sa.formula.output": "output",
    "sa.lesson_expander": "The lesson and its formulas: every token is a query",
    "sa.hover_pair": "query {i} → key {j}",
    "sa.bits": "bits",
    "sa.row_top.tie": "{names} (equal)",
    "sa.y_error": "Y cannot be generated: {reason}",
    # messages
    "sa.heads_error": "{heads} heads cannot share d_model = {d_model} evenly: each head needs the same number of "
    "dimensions, so the number of heads must divide d_model. Choose d_model = {up}, or a number of heads among "
    "{fits}. The charts still show d_model = {kept_d} with {kept_h} heads.",
    "sa.too_many": "This page draws an n×n matrix per head, which it can do for up to {max} tokens; the sequence "
    "has n = {n}. Choose n ≤ {max} in the sidebar (the Query attention page takes up to 4096).",
    "sa.custom_too_big": "A custom mask is drawn one cell at a time, which works up to {max} tokens a side; here "
    "there are {n}. No mask is applied: choose causal or padding, or fewer tokens.",
    "sa.causal_cross": "A causal mask stops a token from reading the tokens after it in the same sequence. In "
    'cross-attention the queries (x) and the keys (y) come from two different sequences, so there is no "after": '
    "a Transformer decoder's cross-attention reads every encoder token. No mask is applied here.",
    "sa.rows_empty.one": "The mask hides every key from query {names}. With nothing to attend to, its row of weights "
    "is all zeros (not NaN) and its head outputs are zero vectors.",
    "sa.rows_empty.many": "The mask hides every key from {count} queries: {names}. With nothing to attend to, their "
    "rows of weights are all zeros (not NaN) and their head outputs are zero vectors.",
    "sa.and_more": " and {count} more",
    "sa.computing": "Computing every head…",
    # header
    "sa.summary.no_d_head": "{n} queries × {m} keys · tokens of dimension d = {d}, projected to "
    "d_model = {d_model}, shared among h = {h} heads",
    "sa.summary": "{n} queries × {m} keys · tokens of dimension d = {d}, projected to d_model = {d_model}, "
    "split into h = {h} × d_head = {d_head}",
    "sa.cross_caption": "Cross-attention: the queries are the tokens of X; the keys and values come from Y = y1 … y{m} "
    "(see the Data tab).",
    "sa.head": "Head",
    "sa.head_n": "head {k}",
    # tabs
    "sa.view": "View",
    "sa.tab.head": "One head: scores and weights",
    "sa.tab.all": "All heads",
    "sa.tab.qkv": "Q, K, V",
    "sa.tab.output": "Output",
    "sa.tab.data": "Data",
    # one head
    "sa.weights_title": "Weights A = softmax(S / T)<br><span style='font-size:14px'>head {k}, T = {T}</span>",
    "sa.scores_title": "Scores S = QKᵀ / √d_head<br><span style='font-size:14px'>head {k}</span>",
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
    "sa.small_caption": "Same tokens, same mask — each head has its own W_Q and W_K. H̄ is the head's mean row "
    "entropy: low = sharp, each query picks a few keys; high = diffuse.",
    "sa.small_compare": "Here the sharpest head is {sharp} (H̄ = {h_sharp:.2f} bits) and the most diffuse is {diffuse} "
    "(H̄ = {h_diffuse:.2f} bits); the largest difference between two heads' weights is {gap:.2f}.",
    "sa.small_same": "Here every head has the same mean entropy (H̄ = {h:.2f} bits).",
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
    "sa.output_caption": "Row i of the output is what token i takes to the next layer: a mix of the values it "
    "attended to, in every head.",
    "sa.output_caption.lines": "Dashed lines separate the heads.",
    # data
    "sa.download_weights": "⬇ the weights of head {k} as CSV",
    "sa.y_title": "**Y** — the keys and values of cross-attention ({m} tokens; the first 50 shown):",
}

ZH = {
    # 引导练习（lessons/self_attention/guide.py）
    "guide.sa.row1.explain": "因果掩码只允许词元 i 关注词元 1…i：不能偷看后面的词元。回答之前权重是隐藏的。",
    "guide.sa.row1.question": "加上因果掩码后，头 {head} 的权重矩阵第 1 行是什么？",
    "guide.sa.row1.why": "词元 1 只能看到它自己，所以 softmax 把全部权重都给了它：w = {w}。无论得分如何，每个头都一样。",
    "guide.sa.row1_if.explain": "因果掩码（侧边栏的“掩码”）只允许词元 i 关注词元 1…i：不能偷看后面的词元。现在它是关闭的。",
    "guide.sa.row1_if.question": "如果打开因果掩码，权重的第 1 行会是什么？",
    "guide.sa.row1_if.why": "那时词元 1 只能看到它自己，所以 softmax 把全部权重都给了它：w = 1。无论得分如何，"
    "每个头都一样。",
    "guide.sa.row1.one_hot": "[1, 0, 0, …]：全部权重都给自己",
    "guide.sa.row1.uniform": "[1/n, …, 1/n]：均匀分布",
    "guide.sa.row1.last": "[0, …, 0, 1]：全部给最后一个词元",
    "guide.sa.row1.depends": "每个头都不一样",
    "guide.sa.top_key.explain": "每个词元都是一个查询：矩阵的第 i 行是词元 i 对各个键的权重。"
    "回答之前权重是隐藏的，但得分矩阵可以看。",
    "guide.sa.top_key.question": "在头 {head} 中，{token} 最关注哪个键？",
    "guide.sa.top_key.why": "在 {token} 这一行，{key} 的得分最大（s = {s}）；softmax 不改变大小顺序，所以它的权重也最大，w = {w}。",
    "guide.sa.d_head.explain": "多头注意力把模型的 d_model = {d_model} 个维度分给 h = {h} 个头；每个头都有自己的 W_Q、W_K 和 W_V。",
    "guide.sa.d_head.question": "每个头的查询 qᵢ 有多少维？",
    "guide.sa.d_head.why": "d_head = d_model / h = {d_model} / {h} = {d_head}：每个头在自己更小的空间里做注意力，"
    "各头的输出再并排拼接起来（然后由 W_O 混合）。",
    "guide.sa.spread.explain": "每个头都有自己的 W_Q 和 W_K，所以各自以不同的方式看序列：有的把权重集中在少数键上，"
    "有的分散开。可以在“单个头”视图里切换不同的头来比较。",
    "guide.sa.spread.question": "哪个头的注意力最分散（平均熵最高）？",
    "guide.sa.spread.why": "头 {head} 的平均熵最高，H̄ = {h_max} 比特；头 {sharp} 最集中，H̄ = {h_min} 比特。"
    "“所有头”视图把它们并排显示。",
    "guide.sa.temperature.explain": "温度在 softmax 之前把每个得分都除以 T：w = softmax(s / T)。"
    "T = 1 时，在头 {head} 中 {token} 最关注的键是 {key}，权重 w = {w1}。回答之前权重是隐藏的，但得分矩阵可以看。",
    "guide.sa.temperature.question": "现在 T = {T}。在 {token} 这一行中，{key} 的权重是升高、降低，还是不变？",
    "guide.sa.temperature.why": "T = {T} 时 w = {w}（T = 1 时 w = {w1}）。T < 1 时除以 T 会拉大得分之间的差距，"
    "T > 1 时会缩小差距；softmax 把更大的差距变成更集中的一行权重。",
    "guide.sa.head": "头 {k}",
    "guide.sa.preset.causal": "因果掩码：每个词元只看到自己和它之前的词元",
    "guide.sa.preset.heads": "四个头并排：每个头以自己的方式看序列",
    "guide.sa.preset.sharp": "低温 T = 0.2：每一行最受关注的键的权重会怎样变化？",
    "guide.sa.preset.cross": "交叉注意力：X 的词元关注另一个序列 Y",
    "sa.title": "多头自注意力",
    "sa.lesson": "在 Transformer 中，**每个词元都是一个查询**。每个词元 xᵢ 被投影成三种向量——查询 "
    "**qᵢ = xᵢW_Q**、键 **kᵢ = xᵢW_K** 和值 **vᵢ = xᵢW_V**——每个查询都要与每个键计算得分："
    "权重构成一个 **n×n 矩阵**，每个查询占一行。**多个头**并排做这件事，每个头只分到 d_model 中属于自己的一小份，"
    "因此每个头可以寻找不同的东西；它们的输出被拼接起来，再由 W_O 混合。**掩码 M**（0 或 −∞）用来隐藏键："
    "因果掩码隐藏的是未来。",
    # sidebar
    "sa.header": "注意力层",
    "sa.mode": "注意力",
    "sa.mode.self": "自注意力：X → X",
    "sa.mode.cross": "交叉注意力：X → Y",
    "sa.mode.help": "自注意力：查询、键和值都来自 X。交叉注意力：查询来自 X，键和值来自第二个序列 Y"
    "（就像解码器读取编码器的输出）。",
    "sa.m": "Y 的词元数 m",
    "sa.m.help": "Y 的生成方式与 X 相同（同样的类型和 d），随机种子为 X 的种子加一；它的词元是 y1 … ym。",
    "sa.d_model": "d_model",
    "sa.d_model.help": "Q、K、V 的宽度：每个 d 维的词元被投影成 d_model 个数，再由各个头分摊。",
    "sa.heads": "头数 h",
    "sa.heads.help": "每个头分到投影后维度中的 d_head = d_model / h 个，所以 h 必须整除 d_model。",
    "sa.wseed": "权重随机种子",
    "sa.wseed.help": "W_Q、W_K、W_V 和 W_O 都由这个随机种子随机生成（训练好的模型会学习它们）。",
    "sa.mask": "掩码",
    "sa.mask.help": "每个查询可以看哪些键。被隐藏的键得分变为 −∞，所以它的权重恰好为 0。"
    "因果：查询 i 只能看到键 1…i。填充：最后 k 个键对所有查询都隐藏。自定义：点击权重矩阵的格子来隐藏或显示。",
    "sa.mask.none": "无",
    "sa.mask.causal": "因果（不看未来）",
    "sa.mask.padding": "填充（最后 k 个键）",
    "sa.mask.custom": "自定义（点击格子）",
    "sa.pad": "填充词元数 k",
    "sa.pad.help": "{n} 个键中的最后 k 个是填充：任何查询都不能关注它们。k = {n} 时就一个键也不剩了。",
    "sa.custom.help": "点击权重矩阵的一个格子，就对这个查询隐藏那个键；再点一次即可重新显示。",
    "sa.custom.clear": "全部显示",
    "sa.custom.causal": "先设为因果掩码",
    "sa.temperature": "温度 T",
    "sa.temperature.help": "权重为 softmax(得分 / T)。T 很小：每个查询只选一个键。T 很大：权重均匀分布。",
    "sa.zoom": "放大权重色标",
    "sa.zoom.help": "关闭：权重是概率，所以颜色（以及这一行的条形）从 0 到 1，相等的权重看起来也相等。"
    "打开：色标止于图中最大的权重，用来看细小的差别。",
    "sa.formula.output": "输出",
    "sa.lesson_expander": "本课与公式：每个词元都是一个查询",
    "sa.hover_pair": "查询 {i} → 键 {j}",
    "sa.bits": "比特",
    "sa.row_top.tie": "{names}（并列）",
    "sa.y_error": "无法生成 Y：{reason}",
    # messages
    "sa.heads_error": "{heads} 个头无法平均分配 d_model = {d_model}：每个头需要相同数量的维度，"
    "所以头数必须整除 d_model。请选择 d_model = {up}，或从 {fits} 中选择头数。"
    "图表仍显示 d_model = {kept_d}、{kept_h} 个头。",
    "sa.too_many": "本页为每个头画一个 n×n 矩阵，最多支持 {max} 个词元；当前序列有 n = {n} 个。"
    "请在侧栏中选择 n ≤ {max}（查询注意力页面最多支持 4096 个）。",
    "sa.custom_too_big": "自定义掩码需要逐个格子绘制，每边最多支持 {max} 个词元；这里有 {n} 个。"
    "当前未应用任何掩码：请选择因果或填充掩码，或者减少词元数。",
    "sa.causal_cross": "因果掩码阻止一个词元读取同一序列中位于它之后的词元。在交叉注意力中，查询（x）和键（y）"
    "来自两个不同的序列，所以不存在“之后”：Transformer 解码器的交叉注意力会读取编码器的每个词元。这里不应用掩码。",
    "sa.rows_empty.one": "掩码对查询 {names} 隐藏了所有键。没有可以关注的对象，它那一行权重全为 0（不是 NaN），"
    "它在各个头的输出都是零向量。",
    "sa.rows_empty.many": "掩码对 {count} 个查询隐藏了所有键：{names}。没有可以关注的对象，这些行的权重全为 0"
    "（不是 NaN），它们在各个头的输出都是零向量。",
    "sa.and_more": " 及另外 {count} 个",
    "sa.computing": "正在计算所有头…",
    # header
    "sa.summary.no_d_head": "{n} 个查询 × {m} 个键 · 词元维度 d = {d}，投影到 d_model = {d_model}，由 h = {h} 个头分摊",
    "sa.summary": "{n} 个查询 × {m} 个键 · 词元维度 d = {d}，投影到 d_model = {d_model}，"
    "分给 h = {h} 个头，每个头 d_head = {d_head} 维",
    "sa.cross_caption": "交叉注意力：查询是 X 的词元；键和值来自 Y = y1 … y{m}（见“数据”标签页）。",
    "sa.head": "头",
    "sa.head_n": "头 {k}",
    # tabs
    "sa.view": "视图",
    "sa.tab.head": "单个头：得分与权重",
    "sa.tab.all": "所有头",
    "sa.tab.qkv": "Q、K、V",
    "sa.tab.output": "输出",
    "sa.tab.data": "数据",
    # one head
    "sa.weights_title": "权重 A = softmax(S / T)<br><span style='font-size:14px'>头 {k}，T = {T}</span>",
    "sa.scores_title": "得分 S = QKᵀ / √d_head<br><span style='font-size:14px'>头 {k}</span>",
    "sa.axis.query": "查询 i",
    "sa.axis.key": "键 j",
    "sa.pooled": "已按块平均为 {r}×{c}",
    "sa.capped": "色标上限为第 99 百分位数",
    "sa.click_help": "每一行是一个查询，它在自己能看到的键上加起来为 1。灰色格子表示被掩码。"
    "点击一个格子（或在下方选择 i 和 j），查看它的计算过程。",
    "sa.click_help_custom": "点击一个格子，就对这个查询隐藏那个键（变成灰色）；再点一次即可重新显示。"
    "所点格子的计算过程写在下方。",
    "sa.pick_i": "查询 i",
    "sa.pick_j": "键 j",
    "sa.pair_title": "**查询 {query} → 键 {key_label}**，头 {k}：得分、所在行的 softmax，以及这一行的输出",
    "sa.arith.masked": "已掩码",
    "sa.arith.all_masked": "对所有键都是如此：全部被掩码，没有可关注的键",
    "sa.arith.visible": "在 {count} 个可见的键上求和",
    "sa.arith.visible.one": "在 1 个可见的键上求和",
    "sa.row_title": "行视图：查询 {query} 的权重，头 {k}",
    "sa.weight_axis": "权重",
    "sa.row_entropy": "这一行的熵",
    "sa.row_entropy.help": "0 比特：权重全部集中在一个键上。{max:.2f} 比特（可见键数的 log₂）：均匀分布。",
    "sa.row_top": "最受关注的键",
    "sa.row_caption": "行视图把权重矩阵的第 i 行画成条形图，和查询注意力页面一样：第 i 个词元是查询，"
    "键是它所关注的词元。",
    "sa.head_short": "h{k}",
    # all heads
    "sa.small_title": "所有头的权重，使用同一色标（选中的头带框）",
    "sa.small_caption": "同样的词元、同样的掩码——每个头有自己的 W_Q 和 W_K。"
    "H̄ 是这个头各行熵的平均值：低 = 集中，每个查询只选几个键；高 = 分散。",
    "sa.small_compare": "这里最集中的是{sharp}（H̄ = {h_sharp:.2f} 比特），最分散的是{diffuse}（H̄ = {h_diffuse:.2f} 比特）；"
    "两个头的权重之间最大相差 {gap:.2f}。",
    "sa.small_same": "这里每个头的平均熵都相同（H̄ = {h:.2f} 比特）。",
    "sa.entropy_title": "每个头各行的平均熵",
    "sa.entropy_axis": "H（比特）",
    "sa.heads_axis": "头",
    "sa.entropy_max": "均匀：{bits:.2f} 比特",
    "sa.entropy_caption": "虚线表示注意力在可见的键上完全均匀分配时的值。",
    # Q, K, V
    "sa.qkv_lesson": "头 {k} 在它自己的 d_head = {d_head} 维空间中工作：Q⁽ʰ⁾ = X W_Q⁽ʰ⁾，其中 W_Q⁽ʰ⁾ 的大小为 "
    "{d} × {d_head}（K 和 V 同理）。每个词元占一行。",
    "sa.q_title": "Q<sup>({k})</sup> = X W<sub>Q</sub><sup>({k})</sup>：查询",
    "sa.k_title": "K<sup>({k})</sup> = {src} W<sub>K</sub><sup>({k})</sup>：键",
    "sa.v_title": "V<sup>({k})</sup> = {src} W<sub>V</sub><sup>({k})</sup>：值",
    "sa.dim_axis": "头的维度",
    "sa.input_axis": "输入维度",
    "sa.weights_expander": "头 {k} 的投影权重（由随机种子随机生成；训练好的模型会学习它们）",
    # output
    "sa.output_lesson": "每个头为每个词元返回 d_head = {d_head} 个数（A_h V_h）。h = {h} 个头并排拼接，"
    "得到 d_model = {d_model} 个数；然后 W_O 把它们混合成这一层的输出。",
    "sa.concat_title": "concat(A₁V₁, …, A_hV_h)：h = {h} 个头并排拼接",
    "sa.output_title": "输出 = concat · W_O",
    "sa.model_axis": "d_model 的维度",
    "sa.output_caption": "输出的第 i 行就是词元 i 带到下一层的内容：它在每个头中所关注的值的混合。",
    "sa.output_caption.lines": "虚线分隔各个头。",
    # data
    "sa.download_weights": "⬇ 头 {k} 的权重（CSV）",
    "sa.y_title": "**Y** —— 交叉注意力的键和值（{m} 个词元；显示前 50 个）：",
}

# ---- Compare A/B (issue 13)
EN |= {
    "sa.tab.compare": "Compare A/B",
    "compare.sa.mask": "B: mask",
    "compare.sa.mask.help": "B's mask; padding uses the sidebar's number of padded keys, custom the cells hidden there.",
    "compare.sa.temperature": "B: temperature T",
    "compare.sa.wseed": "B: weight seed",
    "compare.sa.wseed.help": "B's W_Q, W_K, W_V, W_O are drawn from this seed: another seed is another layer.",
    "compare.sa.copy_a": "B ← A",
    "compare.sa.copy_a.help": "Give B all of A's settings, then change the one you want to compare.",
    "compare.sa.side_title": "{side}: head {k} · {mask}, T = {T}, seed {seed}",
    "compare.sa.delta_title": "ΔW = W_B − W_A, head {k} (blue: B attends more; red: less)",
    "compare.sa.entropy": "Mean entropy A → B (bits)",
    "compare.sa.entropy.help": "H of each query's weights, averaged over the queries that may attend to something.",
    "compare.sa.delta_h": "ΔH̄ = H̄_B − H̄_A (bits)",
    "compare.sa.delta_h.help": "Positive: B spreads its attention more evenly than A. Negative: B is sharper.",
    "compare.sa.max_delta": "Largest |Δw|",
    "compare.sa.delta_output": "‖ΔOutput‖",
    "compare.sa.delta_output.help": "The size of the change of the layer's whole output (every token, after W_O): "
    "‖Output_B − Output_A‖.",
    "compare.sa.caption": "A is the page's layer (sidebar); B changes its mask, temperature or weights. Both matrices "
    "share one colour range, so equal colours mean equal weights. Every row of ΔW sums to 0 when both A and B may "
    "attend somewhere in it: what one key gains, the others lose.",
}
ZH |= {
    "sa.tab.compare": "对比 A/B",
    "compare.sa.mask": "B：掩码",
    "compare.sa.mask.help": "B 的掩码；填充掩码使用侧边栏中的填充键数，自定义掩码使用侧边栏中隐藏的格子。",
    "compare.sa.temperature": "B：温度 T",
    "compare.sa.wseed": "B：权重随机种子",
    "compare.sa.wseed.help": "B 的 W_Q、W_K、W_V、W_O 由这个随机种子生成：换一个种子就是换一个层。",
    "compare.sa.copy_a": "B ← A",
    "compare.sa.copy_a.help": "让 B 采用 A 的全部设置，然后修改你想对比的那一项。",
    "compare.sa.side_title": "{side}：头 {k} · {mask}，T = {T}，种子 {seed}",
    "compare.sa.delta_title": "ΔW = W_B − W_A，头 {k}（蓝：B 关注得更多；红：更少）",
    "compare.sa.entropy": "平均熵 A → B（比特）",
    "compare.sa.entropy.help": "每个查询的权重的熵 H，对所有能关注到某个键的查询取平均。",
    "compare.sa.delta_h": "ΔH̄ = H̄_B − H̄_A（比特）",
    "compare.sa.delta_h.help": "为正：B 的注意力比 A 分布得更均匀。为负：B 更集中。",
    "compare.sa.max_delta": "最大的 |Δw|",
    "compare.sa.delta_output": "‖Δ输出‖",
    "compare.sa.delta_output.help": "整个层输出（所有词元，经过 W_O 之后）的变化大小：‖输出_B − 输出_A‖。",
    "compare.sa.caption": "A 是页面当前的层（侧边栏）；B 修改它的掩码、温度或权重。两个矩阵共用同一个颜色范围，"
    "所以相同的颜色表示相同的权重。当 A 和 B 在某一行都有可关注的键时，ΔW 的这一行之和为 0：一个键得到的权重，正是其他键失去的。",
}
