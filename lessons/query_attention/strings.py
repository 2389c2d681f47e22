"""Strings of the Query-attention page."""

EN = {
    # guided lesson (lessons/query_attention/guide.py)
    "guide.query.top.explain": "Each token gets a score aᵢ: how well xᵢ matches the query q. The softmax turns the "
    "scores into weights that add up to 1. The weights are hidden until you answer: look at the scores.",
    "guide.query.top.question": "Which token gets the most weight?",
    "guide.query.top.why": "{token} has the largest score (a = {a}). The softmax keeps the order of the scores, so it "
    "also gets the largest weight, w = {w}.",
    "guide.query.temperature.explain": "The temperature T divides every score before the softmax: "
    "$w = \\mathrm{{softmax}}(a / T)$. Now T = {T:g}, and the weights have an entropy of H = {h} bits "
    "(high: spread out, low: on a few tokens).",
    "guide.query.temperature.question": "If T halves (to {half:g}), does the entropy go up, down, or stay the same?",
    "guide.query.temperature.why": "{reason} At T = {half:g}, H = {h_half} bits (now {h}), and {token}'s weight "
    "goes from {w} to {w_half}.",
    "guide.query.temperature.reason.down": "Dividing by a smaller T stretches the gaps between the scores, so the "
    "largest score takes even more of the weight.",
    "guide.query.temperature.reason.up": "Here the weights spread out.",
    "guide.query.temperature.reason.same": "The scores the query may see are all equal, so every T gives the same "
    "even weights.",
    "guide.query.softmax.explain": "The softmax by hand: $w_j = e^{{a_j/T}} \\big/ \\sum_i e^{{a_i/T}}$, "
    "the sum running over the tokens the query may see.",
    "guide.query.softmax.question": "{token} has the score a = {a}, and T = {T:g}, so a/T = {z}. The sum "
    "$\\sum_i e^{{a_i/T}}$ = {total:g}. What is its weight w? (Two decimals are enough.)",
    "guide.query.softmax.why": "$w = e^{{{z}}} / {total:g}$ = {w}.",
    "guide.query.softmax_shifted.explain": "The softmax by hand. These scores are large, so every exponent is first "
    "reduced by the largest, m = {shift} (that changes no weight): "
    "$w_j = e^{{a_j/T - m}} \\big/ \\sum_i e^{{a_i/T - m}}$.",
    "guide.query.softmax_shifted.question": "For {token}, a/T − m = {z}, and $\\sum_i e^{{a_i/T - m}}$ = {total:g}. "
    "What is its weight w? (Two decimals are enough.)",
    "guide.query.softmax_shifted.why": "$w = e^{{{z}}} / {total:g}$ = {w}. Subtracting the same m from every "
    "exponent multiplies the top and the bottom by $e^{{-m}}$, so the weights stay.",
    "guide.query.closest.explain": "The output is the weighted average of the tokens: $o = \\sum_i w_i x_i$. "
    "A token with more weight pulls o further towards itself.",
    "guide.query.closest.question": "Which token is the output o closest to (straight-line distance)?",
    "guide.query.closest.why": "‖o − {token}‖ = {dist}, the smallest distance. {reason}",
    "guide.query.closest.reason.top": "{top} has the most weight (w = {w}) and pulls o towards itself.",
    "guide.query.closest.reason.other": "The most weight (w = {w}) goes to {top}, yet o is a blend of every token: "
    "it can end up nearer another one.",
    "guide.query.preset.copy": "q is a copy of x3, yet x6 gets more weight: the dot product rewards length too",
    "guide.query.preset.split": "Two similar tokens, x4 and x5, split the attention (cosine, T = 0.1)",
    "guide.query.preset.sharp": "A low temperature, T = 0.2: almost all the weight on one token",
    "guide.query.preset.flat": "A high temperature, T = 5: the weights spread out",
    "guide.query.preset.mask": "Mask the favourite, x5: its weight moves to the other tokens",
    "query.title": "Query attention",
    "query.lesson": "One query **q** looks at every token **xᵢ** of the sequence: it scores each one "
    "(**aᵢ = qᵀxᵢ**), turns the scores into weights that sum to 1 (**w = softmax(a)**), and returns "
    "their weighted mix (**o = Σ wᵢxᵢ**). Move the query and watch every number follow.",
    "query.header": "Query q",
    "query.count": "Queries m",
    "query.count.help": "With several queries, each one attends on its own: the scores and weights become m×n matrices.",
    "query.selected": "Show and edit",
    "query.text": "All queries, one per line",
    "query.text.help": "d = {d} numbers per line, separated by commas or spaces. Press Ctrl+Enter to apply.",
    "query.text_error": "The query text was not applied: {reason} The charts still show the previous query.",
    "query.copy_index": "Token i",
    "query.copy": "Copy xᵢ → q",
    "query.scale": "Scale q by",
    "query.scale.help": "Multiplying q by a number multiplies the dot-product scores by it: larger q, sharper attention.",
    "query.random": "Random q",
    "query.all_masked": "Every token is masked, so there is nothing to attend to: all weights are 0 and the output is the zero vector.",
    "query.scores_title.dot": "Scores aᵢ = qᵀxᵢ",
    "query.scores_title.scaled_dot": "Scores aᵢ = qᵀxᵢ / √d",
    "query.scores_title.cosine": "Scores aᵢ = cos(q, xᵢ)",
    "query.scores_title.general": "Scores aᵢ = qᵀW xᵢ",
    "query.scores_title.additive": "Scores aᵢ = vᵀtanh(W₁q + W₂xᵢ)",
    "query.weights_title": "Weights w = softmax(a / T), T = {T}",
    "query.score_axis": "score aᵢ",
    "query.weight_axis": "weight wᵢ",
    "query.token_axis": "token",
    "query.dim_axis": "dimension",
    "query.entropy": "Entropy H(w)",
    "query.entropy.help": "0 bits: all attention on one token. {max:.2f} bits (log₂ of the tokens that may be attended): spread evenly.",
    "query.max_weight": "Largest weight",
    "query.max_weight.help": "The biggest share one token gets.",
    "query.max_token": "Most attended token",
    "query.output_norm": "‖o‖",
    "query.view": "View",
    "query.tab.inputs": "Inputs and output",
    "query.tab.projection": "2-D picture",
    "query.tab.arithmetic": "The arithmetic",
    "query.tab.all": "All queries",
    "query.tab.data": "Data",
    "query.inputs_title": "The tokens X, their weights w, and the output o = Σ wᵢxᵢ",
    "query.inputs_caption": "Each row of X is a token; the strip on the left is its weight. The bottom row is the output: "
    "the rows of X mixed in those proportions, on the same colour scale.",
    "query.projection_title": "Keys, query and output in 2-D (PCA of the keys)",
    "query.projection_caption": "The keys projected on their first two principal components; q and o use the same projection. "
    "A key's marker grows with its weight. The output always lies inside the cloud of keys: it is their weighted average.",
    "query.keys": "keys xᵢ",
    "query.arith.scores": "**1 · Scores** — how well each token matches the query:",
    "query.arith.softmax": "**2 · Softmax** with temperature T = {T} — exponentiate, then divide by the total:",
    "query.arith.masked": "Masked tokens are left out of the sum and get weight exactly 0.",
    "query.arith.output": "**3 · Output** — the weighted sum of the tokens:",
    "query.params_title": "The scoring parameters (seeded at random; a trained model would learn them)",
    "query.all_scores": "Scores, one row per query",
    "query.all_weights": "Weights, one row per query",
    "query.zoom": "Zoom in on the weights",
    "query.zoom.help": "Weights are probabilities, so their axis and colours run from 0 to 1: at a high temperature "
    "0.12 and 0.13 look alike, as they should. Zoom in to stretch the axis and colours to the largest weight and see the small differences.",
    "query.bits": "{h:.2f} bits",
    "query.bits_unit": "bits",
    "query.pc": "PC {k}",
    "query.why.longer": "**{win}** wins although q = {copy}: a dot product is ‖q‖·‖x‖·cos θ, and {win} is longer "
    "(‖{win}‖ = {norm_win} > ‖{copy}‖ = {norm_copy}), which outweighs its angle (cos θ = {cos}): "
    "a = {a_win} > {a_copy}. Cosine scoring ignores length; try it.",
    "query.why.learned": "**{win}** wins although q = {copy}: W scores q against each token, so a token need not match "
    "itself best (a = {a_win} > {a_copy}).",
    "query.why.masked": "q = {copy}, but {copy} is masked, so it gets no weight.",
    "query.why.tie": "q = {copy}, and **{win}** scores exactly as high: the two share the largest weight ({w}).",
    "query.arith.tokens": "Tokens written out",
    "query.arith.tokens.help": "Pick the tokens whose arithmetic is written out below. Leave it empty to show the largest weights.",
    "query.arith.largest": "Written out: the {k} largest weights.",
    "query.arith.picked": "Written out: the {k} tokens you picked.",
    "query.arith.left_out": "Left out ({m}): {names}.",
}

ZH = {
    # 引导练习（lessons/query_attention/guide.py）
    "guide.query.top.explain": "每个词元都有一个得分 aᵢ：xᵢ 与查询 q 的匹配程度。softmax 把得分变成总和为 1 "
    "的权重。作答之前权重暂不显示，请根据得分来判断。",
    "guide.query.top.question": "哪个词元得到的权重最大？",
    "guide.query.top.why": "{token} 的得分最大（a = {a}）。softmax 不改变得分的大小顺序，所以它的权重也最大，w = {w}。",
    "guide.query.temperature.explain": "做 softmax 之前，每个得分都先除以温度 T：$w = \\mathrm{{softmax}}(a / T)$。"
    "当前 T = {T:g}，权重的熵 H = {h} 比特（熵越高，权重越分散；熵越低，权重越集中在少数几个词元上）。",
    "guide.query.temperature.question": "如果把 T 减半（变为 {half:g}），熵会升高、降低，还是不变？",
    "guide.query.temperature.why": "{reason}当 T = {half:g} 时，H = {h_half} 比特（当前为 {h} 比特），"
    "{token} 的权重从 {w} 变为 {w_half}。",
    "guide.query.temperature.reason.down": "除以更小的 T，得分之间的差距被拉大，所以得分最大的词元分到更多的权重。",
    "guide.query.temperature.reason.up": "这里权重变得更分散。",
    "guide.query.temperature.reason.same": "查询能看到的得分全都相等，所以无论 T 取多少，权重都是同样的均匀分布。",
    "guide.query.softmax.explain": "手算 softmax：$w_j = e^{{a_j/T}} \\big/ \\sum_i e^{{a_i/T}}$，"
    "其中的求和遍历查询能看到的所有词元。",
    "guide.query.softmax.question": "{token} 的得分 a = {a}，T = {T:g}，所以 a/T = {z}。总和 "
    "$\\sum_i e^{{a_i/T}}$ = {total:g}。它的权重 w 是多少？（保留两位小数即可。）",
    "guide.query.softmax.why": "$w = e^{{{z}}} / {total:g}$ = {w}。",
    "guide.query.softmax_shifted.explain": "手算 softmax。这些得分很大，所以先从每个指数中减去其中的最大值 "
    "m = {shift}（这不会改变任何权重）：$w_j = e^{{a_j/T - m}} \\big/ \\sum_i e^{{a_i/T - m}}$。",
    "guide.query.softmax_shifted.question": "对于 {token}，a/T − m = {z}，$\\sum_i e^{{a_i/T - m}}$ = {total:g}。"
    "它的权重 w 是多少？（保留两位小数即可。）",
    "guide.query.softmax_shifted.why": "$w = e^{{{z}}} / {total:g}$ = {w}。每个指数都减去同一个 m，"
    "相当于分子分母同乘 $e^{{-m}}$，所以权重不变。",
    "guide.query.closest.explain": "输出是词元的加权平均：$o = \\sum_i w_i x_i$。权重越大的词元，把 o 拉得离自己越近。",
    "guide.query.closest.question": "输出 o 离哪个词元最近（按直线距离，即欧氏距离）？",
    "guide.query.closest.why": "‖o − {token}‖ = {dist}，距离最小。{reason}",
    "guide.query.closest.reason.top": "{top} 的权重最大（w = {w}），把 o 拉向自己。",
    "guide.query.closest.reason.other": "权重最大（w = {w}）的是 {top}，但 o 是所有词元的混合，可能离另一个词元更近。",
    "guide.query.preset.copy": "q 与 x3 完全相同，x6 的权重却更大：点积还偏向长度更大的向量",
    "guide.query.preset.split": "两个相近的词元 x4 和 x5 分摊注意力（余弦相似度，T = 0.1）",
    "guide.query.preset.sharp": "低温 T = 0.2：几乎全部权重落在一个词元上",
    "guide.query.preset.flat": "高温 T = 5：权重分散开",
    "guide.query.preset.mask": "把最受关注的 x5 掩码掉：它的权重转移到其他词元上",
    "query.title": "查询注意力",
    "query.lesson": "一个查询 **q** 会查看序列中的每个词元 **xᵢ**：先给每个词元打分"
    "（**aᵢ = qᵀxᵢ**），再把分数转换成总和为 1 的权重（**w = softmax(a)**），最后返回"
    "这些词元的加权混合（**o = Σ wᵢxᵢ**）。移动查询，看看每个数字如何随之变化。",
    "query.header": "查询 q",
    "query.count": "查询数 m",
    "query.count.help": "有多个查询时，每个查询各自独立地计算注意力：得分和权重变成 m×n 矩阵。",
    "query.selected": "显示和编辑的查询",
    "query.text": "所有查询，每行一个",
    "query.text.help": "每行 d = {d} 个数，用逗号或空格分隔。按 Ctrl+Enter 生效。",
    "query.text_error": "查询文本未生效：{reason} 图表仍显示之前的查询。",
    "query.copy_index": "词元 i",
    "query.copy": "复制 xᵢ → q",
    "query.scale": "q 乘以",
    "query.scale.help": "把 q 乘以一个数，点积得分也会乘以这个数：q 越大，注意力越集中。",
    "query.random": "随机 q",
    "query.all_masked": "所有词元都被掩码，没有可以关注的对象：所有权重都为 0，输出为零向量。",
    "query.scores_title.dot": "得分 aᵢ = qᵀxᵢ",
    "query.scores_title.scaled_dot": "得分 aᵢ = qᵀxᵢ / √d",
    "query.scores_title.cosine": "得分 aᵢ = cos(q, xᵢ)",
    "query.scores_title.general": "得分 aᵢ = qᵀW xᵢ",
    "query.scores_title.additive": "得分 aᵢ = vᵀtanh(W₁q + W₂xᵢ)",
    "query.weights_title": "权重 w = softmax(a / T)，T = {T}",
    "query.score_axis": "得分 aᵢ",
    "query.weight_axis": "权重 wᵢ",
    "query.token_axis": "词元",
    "query.dim_axis": "维度",
    "query.entropy": "熵 H(w)",
    "query.entropy.help": "0 比特：注意力全部集中在一个词元上。{max:.2f} 比特（可关注词元数的 log₂）：均匀分布。",
    "query.max_weight": "最大权重",
    "query.max_weight.help": "单个词元得到的最大权重。",
    "query.max_token": "最受关注的词元",
    "query.output_norm": "‖o‖",
    "query.view": "视图",
    "query.tab.inputs": "输入与输出",
    "query.tab.projection": "二维图示",
    "query.tab.arithmetic": "计算过程",
    "query.tab.all": "所有查询",
    "query.tab.data": "数据",
    "query.inputs_title": "词元 X、它们的权重 w，以及输出 o = Σ wᵢxᵢ",
    "query.inputs_caption": "X 的每一行是一个词元，左侧色条表示它的权重。最下面一行是输出 o："
    "按这些权重把 X 的各行混合而成，颜色刻度与 X 相同。",
    "query.projection_title": "键、查询和输出的二维视图（键的主成分分析）",
    "query.projection_caption": "把键投影到它们的前两个主成分上；q 和 o 使用同一个投影。"
    "键的标记随权重增大而变大。输出总是落在键的点云之内：它就是这些键的加权平均。",
    "query.keys": "键 xᵢ",
    "query.arith.scores": "**1 · 得分** —— 每个词元与查询的匹配程度：",
    "query.arith.softmax": "**2 · Softmax**，温度 T = {T} —— 先取指数，再除以总和：",
    "query.arith.masked": "被掩码的词元不计入总和，权重恰好为 0。",
    "query.arith.output": "**3 · 输出** —— 词元的加权和：",
    "query.params_title": "打分参数（由随机种子随机生成；训练好的模型会学习这些参数）",
    "query.all_scores": "得分，每行一个查询",
    "query.all_weights": "权重，每行一个查询",
    "query.zoom": "放大权重",
    "query.zoom.help": "权重是概率，所以坐标轴和颜色都从 0 到 1：温度很高时，0.12 和 0.13 看起来几乎一样，本来就应如此。"
    "放大后，坐标轴和颜色会拉伸到最大权重，可以看清细小的差别。",
    "query.bits": "{h:.2f} 比特",
    "query.bits_unit": "比特",
    "query.pc": "主成分 {k}",
    "query.why.longer": "虽然 q = {copy}，胜出的却是 **{win}**：点积等于 ‖q‖·‖x‖·cos θ，而 {win} 更长"
    "（‖{win}‖ = {norm_win} > ‖{copy}‖ = {norm_copy}），这抵过了夹角的影响（cos θ = {cos}）："
    "a = {a_win} > {a_copy}。余弦相似度不考虑长度，试试看。",
    "query.why.learned": "虽然 q = {copy}，胜出的却是 **{win}**：W 决定 q 与每个词元的得分，所以词元不一定与自身最匹配"
    "（a = {a_win} > {a_copy}）。",
    "query.why.masked": "q = {copy}，但 {copy} 被掩码了，所以它的权重为 0。",
    "query.why.tie": "q = {copy}，而 **{win}** 的得分与它完全相同：两者并列获得最大权重（{w}）。",
    "query.arith.tokens": "写出计算过程的词元",
    "query.arith.tokens.help": "选择要在下面写出计算过程的词元。留空则显示权重最大的词元。",
    "query.arith.largest": "已写出：权重最大的 {k} 个词元。",
    "query.arith.picked": "已写出：你选择的 {k} 个词元。",
    "query.arith.left_out": "未写出（{m} 个）：{names}。",
}

# ---- Steer the query and Compare A/B (issue 13)
EN |= {
    "query.tab.steer": "Steer q",
    "query.tab.compare": "Compare A/B",
    "steer.token": "Raise the weight of token j",
    "steer.token.help": "The arrow shows which way q must move so that this token's weight grows fastest.",
    "steer.step": "Step length",
    "steer.step.help": "How far one step moves q (the numbers in the query box), along the arrow.",
    "steer.take_step": "Take a step",
    "steer.nothing": "Every token is masked, so there is no weight to raise.",
    "steer.zero_cosine": "With cosine scoring, q = 0 points nowhere, so no direction raises a weight: "
    "give q any non-zero value first.",
    "steer.weight": "w of {token}",
    "steer.norm": "‖∂wⱼ/∂q‖",
    "steer.norm.help": "How steeply wⱼ rises along the arrow: the change of wⱼ per unit step, for a small step.",
    "steer.predicted": "Predicted Δwⱼ",
    "steer.predicted.help": "For one step of {step}: step × ‖∂wⱼ/∂q‖, the first-order prediction. After a long step the real change "
    "can be larger or smaller, because the arrow changes as q moves.",
    "steer.last": "The last step moved w of **{token}** from {before:.3f} to {after:.3f} (predicted {predicted:+.3f}).",
    "steer.flat": "The weight of **{token}** cannot grow here: it is the only token q may attend to, or "
    "already (almost) 0 or 1, so every small move leaves it as it is.",
    "steer.title": "Which way must q move to raise the weight of {token}?",
    "steer.after": "q after the step",
    "steer.caption": "The arrow starts at q and points the way to move; the hollow star is where one step lands, "
    "and the ringed key is token j. "
    "For dot-product scoring the arrow is wⱼ (xⱼ − o) / T: away from the output o, towards xⱼ. "
    "Each step recomputes the arrow, so several steps follow a curve.",
    "steer.caption.exact": "With d = 2 the picture is exact: the whole step lies in the plane.",
    "steer.caption.projected": "With d > 2 the picture is the keys' PCA plane and the arrow is the step projected "
    "onto it with the same axes ({share:.0f}% of its length lies in the plane; the rest points out of it, so the arrow "
    "looks shorter).",
    "compare.method": "B: scoring method",
    "compare.temperature": "B: temperature T",
    "compare.mask": "B: masked tokens",
    "compare.mask.help": "Token numbers B may not look at, e.g. 2, 5-7 (from 1 to {n}). Press Enter to apply.",
    "compare.mask_error": "B's mask was not applied: {reason}",
    "compare.q": "B: query q",
    "compare.q.placeholder": "empty: the same q as A",
    "compare.q.help": "d = {d} numbers, separated by commas or spaces; leave it empty to use A's query. "
    "Press Enter to apply.",
    "compare.q_error": "B's query was not applied: {reason}",
    "compare.copy_a": "B ← A",
    "compare.copy_a.help": "Give B all of A's settings, then change the one you want to compare.",
    "compare.weights_title": "{side}: {method}, T = {T}",
    "compare.side_q": "{side}'s query (after the scale): {q}",
    "compare.entropy": "Entropy of {side}",
    "compare.delta_h": "ΔH (bits)",
    "compare.delta_h.help": "H_B − H_A. Positive: B spreads its attention more evenly than A. Negative: B is sharper.",
    "compare.delta_o.help": "‖o_B − o_A‖: how far the output moves from A to B.",
    "compare.delta_w_title": "Δw = w_B − w_A per token",
    "compare.delta_o_title": "Δo = o_B − o_A per dimension",
    "compare.caption": "A is the page's settings (sidebar and query box); B changes any of them. Both weight charts "
    "share one axis, so equal bars look equal. The Δw bars sum to 0: what one token gains, others lose.",
}
ZH |= {
    "query.tab.steer": "引导 q",
    "query.tab.compare": "对比 A/B",
    "steer.token": "提高词元 j 的权重",
    "steer.token.help": "箭头显示 q 应朝哪个方向移动，才能让这个词元的权重增长得最快。",
    "steer.step": "步长",
    "steer.step.help": "沿箭头走一步时 q（查询框中的数）移动的距离。",
    "steer.take_step": "走一步",
    "steer.nothing": "所有词元都被掩码，没有可以提高的权重。",
    "steer.zero_cosine": "使用余弦相似度时，q = 0 没有方向，任何方向都不能提高权重：请先给 q 一个非零值。",
    "steer.weight": "{token} 的权重 w",
    "steer.norm": "‖∂wⱼ/∂q‖",
    "steer.norm.help": "沿箭头方向 wⱼ 上升的陡峭程度：小步移动时每单位步长 wⱼ 的变化。",
    "steer.predicted": "预测的 Δwⱼ",
    "steer.predicted.help": "走一步（步长 {step}）：步长 × ‖∂wⱼ/∂q‖，一阶预测。步子较大时，实际变化可能更大或更小，因为 q 移动时箭头也会改变。",
    "steer.last": "上一步把 **{token}** 的权重 w 从 {before:.3f} 变为 {after:.3f}（预测 {predicted:+.3f}）。",
    "steer.flat": "**{token}** 的权重在这里无法增长：它是 q 唯一可以关注的词元，或者已经（几乎）为 0 或 1，"
    "任何小的移动都不会改变它。",
    "steer.title": "q 应朝哪个方向移动，才能提高 {token} 的权重？",
    "steer.after": "走一步后的 q",
    "steer.caption": "箭头从 q 出发，指向应移动的方向；空心星形是走一步后 q 的位置，带圆环的键是词元 j。"
    "对点积打分，箭头是 wⱼ (xⱼ − o) / T：离开输出 o，朝向 xⱼ。每走一步都会重新计算箭头，所以连续几步走的是一条曲线。",
    "steer.caption.exact": "d = 2 时图是精确的：整步都在平面内。",
    "steer.caption.projected": "d > 2 时，图是键的主成分平面，箭头是这一步用同样的坐标轴投影到这个平面上的结果"
    "（其长度的 {share:.0f}% 在平面内，其余部分指向平面之外，所以箭头看起来更短）。",
    "compare.method": "B：打分方法",
    "compare.temperature": "B：温度 T",
    "compare.mask": "B：被掩码的词元",
    "compare.mask.help": "B 不能关注的词元编号，例如 2, 5-7（从 1 到 {n}）。按 Enter 键生效。",
    "compare.mask_error": "B 的掩码未生效：{reason}",
    "compare.q": "B：查询 q",
    "compare.q.placeholder": "留空：与 A 使用相同的 q",
    "compare.q.help": "d = {d} 个数，用逗号或空格分隔；留空则使用 A 的查询。按 Enter 键生效。",
    "compare.q_error": "B 的查询未生效：{reason}",
    "compare.copy_a": "B ← A",
    "compare.copy_a.help": "让 B 采用 A 的全部设置，然后修改你想对比的那一项。",
    "compare.weights_title": "{side}：{method}，T = {T}",
    "compare.side_q": "{side} 的查询（乘以缩放系数后）：{q}",
    "compare.entropy": "{side} 的熵",
    "compare.delta_h": "ΔH（比特）",
    "compare.delta_h.help": "H_B − H_A。为正：B 的注意力比 A 分布得更均匀。为负：B 更集中。",
    "compare.delta_o.help": "‖o_B − o_A‖：从 A 到 B，输出移动了多远。",
    "compare.delta_w_title": "每个词元的 Δw = w_B − w_A",
    "compare.delta_o_title": "每个维度的 Δo = o_B − o_A",
    "compare.caption": "A 是页面当前的设置（侧边栏和查询框）；B 可以修改其中任何一项。两个权重图共用同一个坐标轴，"
    "所以相同的柱子看起来一样高。Δw 的柱子之和为 0：一个词元得到的权重，正是其他词元失去的。",
}
