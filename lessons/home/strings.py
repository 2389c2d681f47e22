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
    "home.q1": "q₁",
    "home.q2": "q₂",
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
    "home.tour.seq2seq.label": "Seq2seq alignment",
    "home.tour.seq2seq.text": "Attention where it was born: an RNN encoder–decoder learns to reverse, sort or reformat "
    "text — watch its alignment form while it trains, and see why a model without attention fails on long inputs.",
    "home.tour.complexity.label": "Complexity",
    "home.tour.complexity.text": "Why attention costs O(n²), measured: time and memory against n, and how it is beaten — "
    "exact attention in blocks (online softmax), local windows, linear and random-feature attention, with their error.",
}

ZH = {
    "home.title": "注意力探索器",
    "home.intro": "注意力让模型决定**看向哪里**。把一个查询 **q** 与序列中的每个词元 **x₁ … xₙ** 作比较，"
    "比较的结果变成权重，答案就是这些词元的加权混合。整个思想只需要三个公式：",
    "home.formula.scores": "**1 · 打分**：用查询给每个词元打分",
    "home.formula.weights": "**2 · Softmax**：得到总和为 1 的正权重",
    "home.formula.output": "**3 · 混合**：按这些比例混合词元",
    "home.live.title": "动手试试",
    "home.live.text": "三个词元分别指向上方（x1）、右方（x2）和左方（x3）。用滑块转动查询 q："
    "它指向哪个词元，哪个词元就获得大部分权重。",
    "home.live.chart": "权重 w = softmax(qᵀxᵢ)",
    "home.q1": "q₁",
    "home.q2": "q₂",
    "home.tour.title": "课程导览",
    "home.tour.query.label": "查询注意力",
    "home.tour.query.text": "核心一课：编辑 q，每个得分、权重和输出都随之变化——还有各种打分方法、温度、掩码、"
    "多个查询，以及一步步写出的计算过程。",
    "home.tour.model.label": "Transformer 模型",
    "home.tour.model.text": "真实预训练模型中的注意力（all-MiniLM-L6-v2，6 层 × 12 个头）：词元之间的连线、"
    "一眼看遍所有头、注意力展开（rollout）、头的类型——还能手算出完全相同的权重。",
    "home.tour.self_attention.label": "自注意力与多头注意力",
    "home.tour.self_attention.text": "每个词元都是一个查询：Q = XW_Q，K = XW_K，V = XW_V；每个头都有完整的 n×n "
    "权重矩阵，还有因果掩码和填充掩码、多个头并排对比——点击一个格子即可看到它的计算过程。",
    "home.tour.seq2seq.label": "Seq2seq 对齐",
    "home.tour.seq2seq.text": "注意力的发源地：RNN 编码器–解码器学习反转、排序或改写文本——训练时看着它的对齐逐渐形成，"
    "并看到没有注意力的模型为什么在长输入上失败。",
    "home.tour.complexity.label": "计算复杂度",
    "home.tour.complexity.text": "为什么注意力的代价是 O(n²)，亲手测量：时间和内存随 n 的变化，以及怎样降低这个代价——"
    "分块精确注意力（在线 softmax）、局部窗口、线性注意力和随机特征注意力，以及它们的误差。",
}
