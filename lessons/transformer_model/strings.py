"""Strings of the Transformer-model page (attention inside a real pretrained encoder)."""

EN = {
    # guided lesson (lessons/transformer_model/guide.py)
    "guide.tm.follow_top.explain": "A real model read the sentence. In each head, every token puts weights on every "
    "token, and they add up to 1. This head's weights are hidden until you answer (the Rollout view, every layer "
    "with the heads averaged, stays open). {hint}",
    "guide.tm.hint.words": "Use your sense of the sentence: which word does “{word}” need?",
    "guide.tm.hint.mixed": "Some options are {cls}, {sep} or punctuation: many heads park their spare weight there.",
    "guide.tm.hint.none": "Every option is a special token or punctuation: which one does this head park its "
    "weight on?",
    "guide.tm.follow_top.question": "In layer {l}, head {h}, which token does “{word}” attend to most?",
    "guide.tm.follow_top.why": "“{word}” puts w = {token_w} on {token}, its largest weight in this head. Pick “{word}” "
    "in the head view to see its whole row.",
    "guide.tm.special.explain": "Every row must add up to 1, even when a token has nothing useful to look at. "
    "Many heads park that spare weight on the special tokens {cls} and {sep}.",
    "guide.tm.special.question": "In layer {l}, head {h}, what share of all the attention lands on {cls} and {sep}?",
    "guide.tm.special.why": "On average over the rows, {share} % of each token's weight goes to {cls} and {sep}.",
    "guide.tm.special.low": "Less than 10 %",
    "guide.tm.special.middle": "Between 10 % and 50 %",
    "guide.tm.special.high": "More than 50 %",
    "guide.tm.second.explain": "The second sentence changes {changes}; the rest is the same. The model reads it "
    "afresh, so the same word can look elsewhere. This head's weights are hidden until you answer.",
    "guide.tm.second.question": "In layer {l}, head {h}: from the first sentence to the second, does “{word}”'s "
    "weight on “{token}” go up, down, or stay the same?",
    "guide.tm.second.why": "“{word}” → “{token}”: w = {w1} in the first sentence, {w2} in the second. The Compare "
    "view shows both rows.",
    "guide.tm.follow_top2.explain": "Now the second sentence: the same word, “{word}”, in another context. The model "
    "reads it afresh, so the same head can look elsewhere. {hint}",
    "guide.tm.follow_top2.question": "In the second sentence (layer {l}, head {h}), which token does “{word}” attend "
    "to most?",
    "guide.tm.follow_top2.why": "In the second sentence “{word}” puts w = {token_w} on {token}, its largest weight in "
    "this head. The Compare view shows both sentences' rows side by side.",
    "guide.tm.broad_layer.explain": "The model view shows all {layers} × {heads} heads at once. Some heads look at one "
    "or two tokens from each token (sharp: low entropy); others spread their attention over the whole sentence "
    "(broad: high entropy). The heads are hidden until you answer.",
    "guide.tm.broad_layer.question": "Which layer spreads its attention most (the highest mean entropy over its "
    "{heads} heads)?",
    "guide.tm.broad_layer.why": "Layer {layer}: H̄ = {h_max} bits, averaged over its heads and rows; layer {sharp} is "
    "the sharpest, H̄ = {h_min} bits. The Head statistics view shows every head's entropy.",
    "guide.tm.layer": "Layer {k}",
    "guide.tm.preset.coref": "“it” in “…too tired”: what does it look at in head 2 of layer 4?",
    "guide.tm.preset.compare": "“tired” or “wide”: does “it” still look at the animal, or at the street?",
    "guide.tm.preset.bank": "“bank” by money and by a river: the same word, two contexts (head 5 of layer 1)",
    "guide.tm.preset.model": "Every layer and head at once (the model view)",
    "tm.title": "Transformer model",
    "tm.lesson_expander": "The lesson: the same formula inside {name}",
    "tm.lesson": "The same formula, **w = softmax(qᵀk / √d)**, inside a real pretrained model: "
    "**{name}** reads your sentence with **{layers} layers × {heads} heads** of self-attention. "
    "Every token is a query that attends to every token; each head has its own W_q, W_k, W_v, learned from data. "
    "Pick a layer and a head, and look at what they learned.",
    # sidebar
    "tm.sentences": "Sentences",
    "tm.example": "Examples",
    "tm.example.placeholder": "Pick an example pair…",
    "tm.example.tired_wide": "“it” … tired / wide (coreference)",
    "tm.example.trophy": "trophy / suitcase (Winograd)",
    "tm.example.bank": "bank: money / river",
    "tm.example.with": "ate the cake “with” a fork / a cherry (attachment)",
    "tm.example.chinese": "中文 (this model handles it poorly)",
    "tm.text": "Sentence",
    "tm.text.help": "Any English text up to {max} tokens ([CLS] and [SEP] included). Press Ctrl+Enter or click outside to apply.",
    "tm.text2": "Second sentence (for Compare)",
    "tm.text2.help": "Shown in the Compare view next to the first sentence.",
    "tm.n_tokens": "{n} tokens (at most {max})",
    "tm.model": "Model",
    "tm.model.bundled": "**{name}** · {layers} layers × {heads} heads · d_model = {d}, d_head = {dh} · bundled, works offline",
    "tm.model.hub": "**{name}** · {layers} layers × {heads} heads · d_model = {d}, d_head = {dh} · from the Hugging Face hub",
    "tm.model_id": "Another model from the Hugging Face hub (optional)",
    "tm.model_id.placeholder": "e.g. bert-base-uncased",
    "tm.model_id.help": "A BERT-style encoder id such as bert-base-uncased or bert-base-chinese. It is downloaded from "
    "the hub, so it works where the server can reach huggingface.co (e.g. Streamlit Community Cloud), "
    "up to {max_mb} MB and with safetensors weights. Leave empty for the bundled model.",
    "tm.model_id.off": "Other models from the Hugging Face hub are switched off on this server "
    "(whoever runs it can switch them on with `{env}=1`).",
    "tm.loading": "Loading {name} (the first time takes a few seconds)…",
    "tm.model_id_invalid": "'{id}' is not a Hugging Face model id: type a name such as bert-base-uncased or owner/name.",
    "tm.model_failed": "{reason} Still showing {name}.",
    "tm.text_failed": "{reason} The charts still show the previous sentence.",
    "tm.text2_failed": "Second sentence: {reason}",
    # notes
    "tm.chinese_note": "This model learned English: its tokenizer splits Chinese into single characters and does not "
    "know many of them ([UNK]), so its attention on Chinese text means little. For Chinese, type a Chinese model "
    "such as **bert-base-chinese** in the sidebar's hub field (this needs a server that can reach the Hugging Face hub).",
    "tm.chinese_note.no_hub": "This model learned English: its tokenizer splits Chinese into single characters and "
    "does not know many of them ([UNK]), so its attention on Chinese text means little. A Chinese model such as "
    "bert-base-chinese needs a server with hub models switched on.",
    "tm.unknown_note": "{count} of the tokens are [UNK]: the model's vocabulary does not know them "
    "(emoji and most non-Latin scripts), so it cannot tell them apart.",
    # controls
    "tm.view": "View",
    "tm.view.head": "Head view",
    "tm.view.model": "Model view",
    "tm.view.matrix": "Matrix",
    "tm.view.rollout": "Rollout",
    "tm.view.recompute": "By hand",
    "tm.view.stats": "Head statistics",
    "tm.view.compare": "Compare sentences",
    "tm.layer": "Layer (1 = first, {max} = last)",
    "tm.head": "Head (1 – {max})",
    "tm.index_note": "Layers and heads are counted from 1 here. In Python they start at 0: "
    "layer {l}, head {h} is `attentions[{li}, {hi}]`.",
    "tm.token": "Show the lines of",
    "tm.token.all": "all tokens",
    "tm.token.option": "{i} · {token}",
    "tm.layer_head": "layer {l}, head {h}",
    "tm.axis.query": "token (query i)",
    "tm.axis.key": "attends to (key j)",
    "tm.axis.weight": "weight",
    "tm.axis.layer": "layer",
    "tm.axis.head": "head",
    # head view
    "tm.head.title": "Head view · layer {l}, head {h}",
    "tm.head.left": "token i",
    "tm.head.right": "attends to j",
    "tm.head.hover": "{token} → {top}",
    "tm.head.caption": "Each line joins token i (left) to token j (right); its opacity is the weight wᵢⱼ, so the lines "
    "leaving one token add up to 1. Lines below 0.01 are not drawn. Click a token on the left, or choose it above, "
    "to see only its lines. The colour of a right-hand dot is how much attention it receives.",
    "tm.head.row_title": "What “{token}” attends to (row {i} of the matrix)",
    "tm.head.received_title": "Attention each token receives (mean over all rows)",
    # model view
    "tm.model_view.title": "Model view · every head of every layer ({layers} × {heads})",
    "tm.model_view.hover": "layer {layer}, head {head} · largest weight {max:.2f} · click to open",
    "tm.model_view.colorbar": "w / max",
    "tm.model_view.caption": "Each square is one head's attention matrix (queries down, keys across), coloured "
    "relative to its own largest weight, so faint patterns show too; long sentences are block-averaged to {k}×{k}. "
    "Look for diagonals (attend to yourself or a neighbour), vertical stripes (everyone looks at one token, "
    "often [SEP] or [CLS]) and blocks. **Click a square** to open that head in the matrix view.",
    "tm.open_matrix": "Open layer {l}, head {h} in the matrix view",
    # matrix view
    "tm.matrix.title": "Attention weights · layer {l}, head {h} · attentions[{li}, {hi}]",
    "tm.hide_special": "Hide {cls} and {sep}",
    "tm.hide_special.help": "Their rows and columns are removed. The other weights are not renormalised, so a row "
    "that now sums to less than 1 gave the rest of its attention to the hidden tokens.",
    "tm.matrix.caption": "Row i is what token i attends to; every row of the full matrix sums to 1.",
    "tm.stat.entropy": "Entropy",
    "tm.stat.to_cls": "to {cls}",
    "tm.stat.to_sep": "to {sep}",
    "tm.stat.to_previous": "to the previous token",
    "tm.stat.to_self": "to itself",
    "tm.stat.entropy.help": "Average over the rows, in bits: 0 = each token looks at one token; {max:.2f} = spread evenly.",
    "tm.download_csv": "⬇ This head as CSV",
    "tm.download_npy": "⬇ All heads as NPY [{layers}, {heads}, {n}, {n}]",
    # rollout
    "tm.rollout.title": "Attention rollout over all {layers} layers",
    "tm.rollout.row_title": "What “{token}” at the top is made of (rollout row)",
    "tm.rollout.token": "Show the row of",
    "tm.rollout.caption": "One head shows one step. Rollout (Abnar & Zuidema, 2020) follows attention through every "
    "layer: average the heads, add the identity for the residual connection, renormalise the rows, and multiply "
    "the layers. Row i tells how much the final token i draws on each input token. Every row sums to 1.",
    # recompute
    "tm.recompute.intro": "The model's attention is the formula from the first lessons. Take the vectors that enter "
    "layer {l}, x = hidden_states[{li}] (n × {d}), multiply by this layer's learned matrices, split into {heads} heads "
    "of size {dh}, and apply attention_core's own scaled dot product:",
    "tm.recompute.model_title": "The model's own (output_attentions)",
    "tm.recompute.hand_title": "By hand: softmax(QKᵀ/√{dh})",
    "tm.recompute.diff_title": "Difference (by hand − model)",
    "tm.recompute.max_diff": "Largest |difference|",
    "tm.recompute.max_diff.help": "float32 rounding: the two computations agree to about 7 significant digits.",
    "tm.recompute.same": "The same numbers: the pretrained model does exactly what the toy pages do, with learned weights.",
    "tm.recompute.qk": "The query and key vectors of this head",
    "tm.recompute.hover_note": "With {n} tokens the numbers would overlap in the cells: hover over a cell to read it.",
    "tm.recompute.q_title": "Queries Q (n × {dh})",
    "tm.recompute.k_title": "Keys K (n × {dh})",
    "tm.recompute.dim": "dimension",
    # statistics
    "tm.stats.intro": "One number per head, averaged over the {n} tokens of this sentence; the outlined cell is "
    "layer {l}, head {h}. Heads specialise, and these numbers find the types:",
    "tm.stats.types": "- **Previous-token head** — high *to the previous token*: each word looks one step back "
    "(a diagonal just below the main one in its matrix).\n"
    "- **[SEP] head / [CLS] head** — most of the weight on one special token, whatever the query. Clark et al. "
    "(2019) found that a head with nothing useful to do parks its attention on [SEP]: a “no-op”.\n"
    "- **Self head** — high *to itself*: tokens keep to themselves.\n"
    "- **Broad heads** — high entropy: attention spread over many tokens, mixing the whole sentence; "
    "low entropy means each token looks at very few.",
    "tm.stats.entropy": "Entropy (bits)",
    "tm.stats.to_cls": "Share of attention to {cls}",
    "tm.stats.to_sep": "Share of attention to {sep}",
    "tm.stats.to_previous": "Share to the previous token",
    "tm.stats.to_self": "Share to the token itself",
    "tm.stats.bits": "bits",
    "tm.stats.share": "share",
    "tm.stats.hover": "layer {l}, head {h}",
    # compare
    "tm.compare.follow": "Word to follow",
    "tm.compare.follow.help": "The first token equal to this word is followed in both sentences.",
    "tm.compare.intro": "The same word, “{word}”, in two sentences: does the model read it differently? Try several "
    "layers and heads: the sentence under each pair of charts says what they hold. Attention is a clue, not an "
    "explanation.",
    "tm.compare.note.tired_wide": "In this pair “it” means the animal when it is *tired* and the street when it is *wide*.",
    "tm.compare.note.trophy": "In this pair “it” is the trophy when it is too *large* and the suitcase when it is too "
    "*small*.",
    "tm.compare.note.bank": "In this pair “bank” is where money goes in the first sentence and the side of a river in "
    "the second.",
    "tm.compare.note.with": "In this pair “with” goes with “ate” in the first sentence (the fork is how she ate) and "
    "with “cake” in the second (a cake with a cherry on it).",
    "tm.compare.top": "Sentence {which}: “{word}” → {tops}",
    "tm.compare.one": "“{name}” ({w:.2f})",
    "tm.compare.tie": "{names}, which tie at {w:.2f}",
    "tm.compare.tie_names": "{names} (they tie)",
    "tm.compare.tie_many": "{count} words that tie at {w:.2f} ({names}, …)",
    "tm.compare.tie_many_names": "{count} words that tie ({names}, …)",
    "tm.compare.intro_note": "{intro} {note}",
    "tm.compare.same_word": "leaving out {cls}, {sep}, punctuation and “{word}” itself, the largest weight goes to {a} "
    "in both sentences ({wa:.2f} and {wb:.2f}).",
    "tm.compare.other_word": "leaving out {cls}, {sep}, punctuation and “{word}” itself, the largest weight goes to {a} "
    "in sentence 1 and to {b} in sentence 2.",
    "tm.hover_pair": "query {i} → key {j}",
    "tm.compare.no_text2": "Type a second sentence in the sidebar to compare.",
    "tm.compare.missing": "Sentence {which} has no token “{word}”. Its tokens are: {tokens}",
    "tm.compare.head_title": "Sentence {which}: what “{word}” attends to · layer {l}, head {h}",
    "tm.compare.rollout_title": "Sentence {which}: rollout row of “{word}”",
    "tm.compare.head_row": "This head",
    "tm.compare.rollout_row": "All layers (rollout)",
}

ZH = {
    # 引导练习（lessons/transformer_model/guide.py）
    "guide.tm.follow_top.explain": "一个真实的模型读了这句话。在每个头里，每个词元都给所有词元分配权重，总和为 1。"
    "回答之前这个头的权重是隐藏的（“注意力展开”视图仍然可以看：它把各层连起来、各头取平均）。{hint}",
    "guide.tm.hint.words": "凭你对句子的理解来判断：“{word}” 需要哪个词的信息？",
    "guide.tm.hint.mixed": "有些选项是 {cls}、{sep} 或标点：很多头把用不上的权重放在那里。",
    "guide.tm.hint.none": "每个选项都是特殊词元或标点：这个头把权重放在哪一个上？",
    "guide.tm.follow_top.question": "在第 {l} 层、第 {h} 个头中，“{word}” 最关注哪个词元？",
    "guide.tm.follow_top.why": "“{word}” 给 {token} 的权重是 w = {token_w}，是它在这个头里最大的权重。"
    "在“头视图”里选中 “{word}”，可以看到它的整行权重。",
    "guide.tm.special.explain": "每一行的权重总和都必须为 1，即使一个词元没有什么值得关注的。"
    "很多头把这些用不上的权重放在特殊词元 {cls} 和 {sep} 上。",
    "guide.tm.special.question": "在第 {l} 层、第 {h} 个头中，全部注意力有多大比例落在 {cls} 和 {sep} 上？",
    "guide.tm.special.why": "对所有行取平均，每个词元有 {share}% 的权重落在 {cls} 和 {sep} 上。",
    "guide.tm.special.low": "少于 10%",
    "guide.tm.special.middle": "10% 到 50% 之间",
    "guide.tm.special.high": "多于 50%",
    "guide.tm.second.explain": "第二句话改了这里：{changes}，其余不变。模型会重新读这句话，所以同一个词可能看向别处。"
    "回答之前这个头的权重是隐藏的。",
    "guide.tm.second.question": "在第 {l} 层、第 {h} 个头中：从第一句到第二句，“{word}” 对 “{token}” 的权重是升高、降低，还是不变？",
    "guide.tm.second.why": "“{word}” → “{token}”：第一句中 w = {w1}，第二句中 w = {w2}。“比较句子”视图并排显示这两行。",
    "guide.tm.follow_top2.explain": "现在看第二句：同一个词 “{word}” 换了语境。模型会重新读这句话，所以同一个头可能看向别处。{hint}",
    "guide.tm.follow_top2.question": "在第二句中（第 {l} 层、第 {h} 个头），“{word}” 最关注哪个词元？",
    "guide.tm.follow_top2.why": "在第二句中，“{word}” 给 {token} 的权重是 w = {token_w}，是它在这个头里最大的权重。"
    "“比较句子”视图把两句的这一行并排显示。",
    "guide.tm.broad_layer.explain": "模型视图一次显示全部 {layers} × {heads} 个头。有的头让每个词元只看一两个词元"
    "（集中：熵低）；有的头把注意力分散到整个句子（分散：熵高）。回答之前这些头是隐藏的。",
    "guide.tm.broad_layer.question": "哪一层的注意力最分散（它的 {heads} 个头的平均熵最高）？",
    "guide.tm.broad_layer.why": "第 {layer} 层：对它的各个头和各行取平均，H̄ = {h_max} 比特；最集中的是第 {sharp} 层，"
    "H̄ = {h_min} 比特。“头统计”视图显示每个头的熵。",
    "guide.tm.layer": "第 {k} 层",
    "guide.tm.preset.coref": "“…too tired” 中的 “it”：在第 4 层第 2 个头中它看向哪里？",
    "guide.tm.preset.compare": "“tired” 还是 “wide”：“it” 仍然看向 animal，还是看向 street？",
    "guide.tm.preset.bank": "“bank” 一处指银行，一处指河岸：同一个词，两种语境（第 1 层第 5 个头）",
    "guide.tm.preset.model": "一次看所有层和所有头（模型视图）",
    "tm.title": "Transformer 模型",
    "tm.lesson_expander": "本课：同一个公式，放进 {name}",
    "tm.lesson": "同一个公式 **w = softmax(qᵀk / √d)**，放进一个真实的预训练模型里：**{name}** 用 "
    "**{layers} 层 × {heads} 个头** 的自注意力读你的句子。每个词元都是一个查询，关注所有词元；每个头都有自己从数据中学到的 "
    "W_q、W_k、W_v。选一层、一个头，看看它学到了什么。",
    "tm.sentences": "句子",
    "tm.example": "示例",
    "tm.example.placeholder": "选一对示例句子…",
    "tm.example.tired_wide": "“it” … tired / wide（指代）",
    "tm.example.trophy": "trophy / suitcase（Winograd）",
    "tm.example.bank": "bank：存钱 / 河岸",
    "tm.example.with": "ate the cake “with” a fork / a cherry（介词短语修饰谁）",
    "tm.example.chinese": "中文（这个模型处理得不好）",
    "tm.text": "句子",
    "tm.text.help": "任意英文文本，最多 {max} 个词元（含 [CLS] 和 [SEP]）。按 Ctrl+Enter 或点击别处生效。",
    "tm.text2": "第二个句子（用于“比较”）",
    "tm.text2.help": "在“比较句子”视图中与第一个句子并排显示。",
    "tm.n_tokens": "{n} 个词元（最多 {max}）",
    "tm.model": "模型",
    "tm.model.bundled": "**{name}** · {layers} 层 × {heads} 个头 · d_model = {d}，d_head = {dh} · 随应用附带，可离线使用",
    "tm.model.hub": "**{name}** · {layers} 层 × {heads} 个头 · d_model = {d}，d_head = {dh} · 来自 Hugging Face hub",
    "tm.model_id": "Hugging Face hub 上的其他模型（可选）",
    "tm.model_id.placeholder": "例如 bert-base-chinese",
    "tm.model_id.help": "BERT 类编码器的 id，例如 bert-base-uncased 或 bert-base-chinese。模型从 hub 下载，所以只在服务器能访问 "
    "huggingface.co 时可用（例如 Streamlit Community Cloud），大小不超过 {max_mb} MB，且权重须为 safetensors 格式。"
    "留空则使用附带的模型。",
    "tm.model_id.off": "本服务器未开启 Hugging Face hub 上的其他模型（服务器管理员可以用 `{env}=1` 开启）。",
    "tm.loading": "正在加载 {name}（第一次需要几秒钟）…",
    "tm.model_id_invalid": "'{id}' 不是 Hugging Face 模型 id：请输入类似 bert-base-uncased 或 owner/name 的名字。",
    "tm.model_failed": "{reason} 仍显示 {name}。",
    "tm.text_failed": "{reason} 图表仍显示上一个句子。",
    "tm.text2_failed": "第二个句子：{reason}",
    "tm.chinese_note": "这个模型学的是英文：它的分词器把中文拆成单个汉字，而且很多汉字它不认识（[UNK]），所以它对中文的注意力意义不大。"
    "要看中文，请在侧栏的 hub 输入框中填写中文模型，例如 **bert-base-chinese**（需要服务器能访问 Hugging Face hub）。",
    "tm.chinese_note.no_hub": "这个模型学的是英文：它的分词器把中文拆成单个汉字，而且很多汉字它不认识（[UNK]），"
    "所以它对中文的注意力意义不大。要使用中文模型（例如 bert-base-chinese），服务器需要开启 hub 模型。",
    "tm.unknown_note": "有 {count} 个词元是 [UNK]：模型的词表不认识它们（表情符号和大多数非拉丁文字），所以无法区分它们。",
    "tm.view": "视图",
    "tm.view.head": "头视图",
    "tm.view.model": "模型视图",
    "tm.view.matrix": "矩阵",
    "tm.view.rollout": "注意力展开",
    "tm.view.recompute": "手算",
    "tm.view.stats": "头统计",
    "tm.view.compare": "比较句子",
    "tm.layer": "层（1 – {max}）",
    "tm.head": "头（1 – {max}）",
    "tm.index_note": "这里的层和头从 1 开始编号。Python 中从 0 开始：第 {l} 层第 {h} 个头是 `attentions[{li}, {hi}]`。",
    "tm.token": "显示哪个词元的连线",
    "tm.token.option": "{i} · {token}",
    "tm.head.hover": "{token} → {top}",
    "tm.model_view.colorbar": "w / 最大值",
    "tm.token.all": "所有词元",
    "tm.layer_head": "第 {l} 层，第 {h} 个头",
    "tm.axis.query": "词元（查询 i）",
    "tm.axis.key": "关注的词元（键 j）",
    "tm.axis.weight": "权重",
    "tm.axis.layer": "层",
    "tm.axis.head": "头",
    "tm.head.title": "头视图 · 第 {l} 层，第 {h} 个头",
    "tm.head.left": "词元 i",
    "tm.head.right": "关注 j",
    "tm.head.caption": "每条线把左边的词元 i 连到右边的词元 j；线的不透明度就是权重 wᵢⱼ，所以从一个词元出发的线加起来为 1。"
    "小于 0.01 的线不画。点击左边的词元，或在上方选择它，只看它的连线。右边圆点的颜色表示它收到多少注意力。",
    "tm.head.row_title": "“{token}” 关注什么（矩阵的第 {i} 行）",
    "tm.head.received_title": "每个词元收到的注意力（所有行的平均）",
    "tm.model_view.title": "模型视图 · 每一层的每一个头（{layers} × {heads}）",
    "tm.model_view.hover": "第 {layer} 层，第 {head} 个头 · 最大权重 {max:.2f} · 点击打开",
    "tm.model_view.caption": "每个小方块是一个头的注意力矩阵（查询向下，键向右），按它自己的最大权重着色，所以微弱的模式也能看见；"
    "长句子被块平均到 {k}×{k}。找找对角线（关注自己或邻居）、竖条（所有词元都看同一个词元，常常是 [SEP] 或 [CLS]）和方块。"
    "**点击一个方块**，在矩阵视图中打开这个头。",
    "tm.open_matrix": "在矩阵视图中打开第 {l} 层第 {h} 个头",
    "tm.matrix.title": "注意力权重 · 第 {l} 层，第 {h} 个头 · attentions[{li}, {hi}]",
    "tm.hide_special": "隐藏 {cls} 和 {sep}",
    "tm.hide_special.help": "删去它们的行和列。其余权重不重新归一化，所以一行的和小于 1 时，差额就是给了被隐藏词元的注意力。",
    "tm.matrix.caption": "第 i 行表示词元 i 关注哪些词元；完整矩阵的每一行加起来都是 1。",
    "tm.stat.entropy": "熵",
    "tm.stat.to_cls": "给 {cls}",
    "tm.stat.to_sep": "给 {sep}",
    "tm.stat.to_previous": "给前一个词元",
    "tm.stat.to_self": "给自己",
    "tm.stat.entropy.help": "各行的平均，单位为比特：0 = 每个词元只看一个词元；{max:.2f} = 平均分配。",
    "tm.download_csv": "⬇ 这个头（CSV）",
    "tm.download_npy": "⬇ 所有头（NPY）[{layers}, {heads}, {n}, {n}]",
    "tm.rollout.title": "全部 {layers} 层的注意力展开（rollout）",
    "tm.rollout.row_title": "顶层的 “{token}” 由什么组成（注意力展开的一行）",
    "tm.rollout.token": "显示哪个词元的这一行",
    "tm.rollout.caption": "一个头只显示一步。注意力展开（rollout，Abnar & Zuidema，2020）沿着每一层追踪注意力：对各头取平均，加上表示残差连接的单位矩阵，"
    "把各行重新归一化，再把各层相乘。第 i 行表示最后一层的词元 i 从每个输入词元中各取了多少。每一行加起来都是 1。",
    "tm.recompute.intro": "模型的注意力就是前几课的公式。取进入第 {l} 层的向量 x = hidden_states[{li}]（n × {d}），乘以这一层学到的矩阵，"
    "分成 {heads} 个大小为 {dh} 的头，再用 attention_core 自己的缩放点积：",
    "tm.recompute.model_title": "模型自己输出的权重（output_attentions）",
    "tm.recompute.hand_title": "手算：softmax(QKᵀ/√{dh})",
    "tm.recompute.diff_title": "差（手算 − 模型）",
    "tm.recompute.max_diff": "最大 |差|",
    "tm.recompute.max_diff.help": "float32 的舍入误差：两种计算大约有 7 位有效数字相同。",
    "tm.recompute.same": "数字相同：预训练模型做的正是玩具页面做的事，只是权重是学出来的。",
    "tm.recompute.qk": "这个头的查询向量和键向量",
    "tm.recompute.hover_note": "共有 {n} 个词元，格子里的数字会挤在一起：把鼠标移到格子上即可读数。",
    "tm.recompute.q_title": "查询 Q（n × {dh}）",
    "tm.recompute.k_title": "键 K（n × {dh}）",
    "tm.recompute.dim": "维度",
    "tm.stats.intro": "每个头一个数，在这个句子的 {n} 个词元上取平均；带框的格子是第 {l} 层第 {h} 个头。头会分工，这些数能找出它们的类型：",
    "tm.stats.types": "- **“前一个词元”头** —— *给前一个词元* 的份额高：每个词回看一步（矩阵中主对角线正下方的一条对角线）。\n"
    "- **[SEP] 头 / [CLS] 头** —— 不管查询是什么，大部分权重都给一个特殊词元。Clark 等人（2019）发现，"
    "没有有用的事可做的头会把注意力停放在 [SEP] 上：相当于“空操作”。\n"
    "- **“自身”头** —— *给自己* 的份额高：词元只看自己。\n"
    "- **分散型头** —— 熵高：注意力分散在很多词元上，混合整个句子；熵低表示每个词元只看很少几个。",
    "tm.stats.entropy": "熵（比特）",
    "tm.stats.to_cls": "给 {cls} 的注意力份额",
    "tm.stats.to_sep": "给 {sep} 的注意力份额",
    "tm.stats.to_previous": "给前一个词元的份额",
    "tm.stats.to_self": "给词元自己的份额",
    "tm.stats.bits": "比特",
    "tm.stats.share": "份额",
    "tm.stats.hover": "第 {l} 层，第 {h} 个头",
    "tm.compare.follow": "要追踪的词",
    "tm.compare.follow.help": "在两个句子中，各追踪第一个与这个词相同的词元。",
    "tm.compare.intro": "同一个词 “{word}” 出现在两个句子里：模型对它的理解一样吗？多试几层、几个头："
    "每组图下面的一句话说明图中的数字。注意力是线索，不是解释。",
    "tm.compare.note.tired_wide": "在这对句子中，*tired* 时 “it” 指动物，*wide* 时指街道。",
    "tm.compare.note.trophy": "在这对句子中，*too large* 时 “it” 指奖杯，*too small* 时指手提箱。",
    "tm.compare.note.bank": "在这对句子中，第一句的 “bank” 是存钱的银行，第二句的是河岸。",
    "tm.compare.note.with": "在这对句子中，第一句的 “with” 修饰 “ate”（用叉子吃），第二句的修饰 “cake”（带樱桃的蛋糕）。",
    "tm.compare.top": "句子 {which}：“{word}” → {tops}",
    "tm.compare.one": "“{name}”（{w:.2f}）",
    "tm.compare.tie": "{names}（并列最大，均为 {w:.2f}）",
    "tm.compare.tie_names": "{names}（并列）",
    "tm.compare.tie_many": "{count} 个并列最大的词（{names} 等，均为 {w:.2f}）",
    "tm.compare.tie_many_names": "{count} 个并列最大的词（{names} 等）",
    "tm.compare.intro_note": "{intro}{note}",
    "tm.compare.same_word": "除去 {cls}、{sep}、标点和 “{word}” 本身，两个句子中最大的权重都给了 {a}（{wa:.2f} 和 {wb:.2f}）。",
    "tm.compare.other_word": "除去 {cls}、{sep}、标点和 “{word}” 本身，最大的权重在句子 1 中给了 {a}，在句子 2 中给了 {b}。",
    "tm.hover_pair": "查询 {i} → 键 {j}",
    "tm.compare.no_text2": "在侧栏输入第二个句子来比较。",
    "tm.compare.missing": "句子 {which} 中没有词元 “{word}”。它的词元是：{tokens}",
    "tm.compare.head_title": "句子 {which}：“{word}” 关注什么 · 第 {l} 层，第 {h} 个头",
    "tm.compare.rollout_title": "句子 {which}：“{word}” 的注意力展开行",
    "tm.compare.head_row": "这个头",
    "tm.compare.rollout_row": "所有层（注意力展开）",
}
