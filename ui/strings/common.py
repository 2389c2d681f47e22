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
    "nav.self_attention": "Self-attention",
    "nav.model": "Transformer model",
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
    "seq.seed.unused": "{kind} does not use a seed: its numbers follow from n and d alone.",
    "seq.link_note": "The link in the address bar reproduces the settings, not your uploaded or edited data — "
    "download the data to share it:",
    "seq.upload": "CSV, TSV, TXT, NPY or JSON",
    "seq.upload_lost": "Your uploaded file was lost when the server restarted; upload it again.",
    "seq.upload.help": "One row per token, one column per dimension. An optional header row and an optional "
    "first column of token labels are recognised. At most {n} tokens × {d} dimensions and {mb} MB.",
    "seq.upload_failed": "Could not use '{name}': {reason} The previous sequence is kept.",
    "seq.size": "n = {n} tokens, d = {d}",
    "seq.from_file": "from {name}",
    "seq.edited": "edited by hand",
    "seq.edit.help": "Click a cell to change a value; every chart follows.",
    "seq.edit.too_big": "The table can be edited when n·d ≤ {limit}; here is a preview of the first rows.",
    "seq.edit_not_finite": "Every cell of X must hold a number; the edit was undone.",
    "seq.edit_refused": "The edit was undone: {reason}",
    "seq.edit_no_cell": "The table has no cell at row '{row}', column '{column}' (X has {n} rows and {d} columns).",
    "seq.download_csv": "⬇ X as CSV",
    "seq.download_npy": "⬇ X as NPY",
    "seq.download_weights": "⬇ weights as CSV",
    # figure builders
    "fig.masked": "masked",
    "fig.value": "value",
    "fig.pooled": "block-averaged to {rows}×{cols}",
    "fig.block_max": "largest w in block",
    "fig.hover_cell": "row %{y}, col %{x}",
    "fig.hover_pooled": "≈ row %{y:.0f}, col %{x:.0f}",
    "fig.hover_token_dim": "token %{y}, dim %{x}",
    "fig.hover_output_dim": "o, dim %{x}",
    "fig.output": "output",
}

ZH = {
    "app.title": "注意力探索器",
    "app.tagline": "改动数字，看注意力如何变化。",
    "app.language": "语言",
    "app.source": "源代码",
    "app.section.start": "开始",
    "app.section.lessons": "课程",
    "nav.home": "首页",
    "nav.query": "查询注意力",
    "nav.self_attention": "自注意力",
    "nav.model": "Transformer 模型",
    "url.bad_params": "链接中的部分设置无法使用，已保留默认值：{names}。",
    # sequence widget
    "seq.header": "序列 X",
    "seq.source": "词元来源",
    "seq.source.generate": "生成",
    "seq.source.upload": "上传文件",
    "seq.kind": "类型",
    "seq.kind.help": "聚类：几个彼此分得很开的组，可以清楚地看到注意力选中了哪一组。"
    "独热：xᵢ 是单位向量 e_(i mod d)。正弦位置：Transformer 的位置编码。",
    "seq.kind.gaussian": "高斯噪声",
    "seq.kind.clusters": "聚类",
    "seq.kind.one_hot": "独热编码",
    "seq.kind.sinusoidal": "正弦位置编码",
    "seq.n": "词元数 n",
    "seq.d": "维度 d",
    "seq.seed": "随机种子",
    "seq.new_seed": "重抽",
    "seq.seed.unused": "{kind}不使用随机种子：它的数值只由 n 和 d 决定。",
    "seq.link_note": "地址栏里的链接只能重现设置，不包含你上传或编辑的数据。要分享数据，请下载：",
    "seq.upload": "CSV、TSV、TXT、NPY 或 JSON",
    "seq.upload_lost": "服务器重启后，你上传的文件已丢失，请重新上传。",
    "seq.upload.help": "每行一个词元，每列一个维度。可以带一行表头，也可以在第一列写词元标签，都能自动识别。"
    "最多 {n} 个词元 × {d} 个维度，文件不超过 {mb} MB。",
    "seq.upload_failed": "无法使用“{name}”：{reason} 已保留之前的序列。",
    "seq.size": "n = {n} 个词元，d = {d} 维",
    "seq.from_file": "来自 {name}",
    "seq.edited": "已手动编辑",
    "seq.edit.help": "点击单元格即可修改数值，所有图表都会随之更新。",
    "seq.edit.too_big": "当 n·d ≤ {limit} 时才能编辑表格；这里只预览前几行。",
    "seq.edit_not_finite": "X 的每个单元格都必须是数字；此次编辑已撤销。",
    "seq.edit_refused": "此次编辑已撤销：{reason}",
    "seq.edit_no_cell": "表格中没有第“{row}”行、“{column}”列这个单元格（X 共 {n} 行、{d} 列）。",
    "seq.download_csv": "⬇ X（CSV）",
    "seq.download_npy": "⬇ X（NPY）",
    "seq.download_weights": "⬇ 权重（CSV）",
}

EN.update(
    {
        "scoring.header": "Scoring",
        "scoring.method": "Scoring method",
        "scoring.method.help": "How a query scores a token xᵢ. Dot product: qᵀxᵢ. Scaled dot: qᵀxᵢ/√d, as in Transformers. "
        "Cosine: qᵀxᵢ/(‖q‖‖xᵢ‖), the angle only. General (Luong): qᵀWxᵢ. Additive (Bahdanau): vᵀtanh(W₁q + W₂xᵢ).",
        "scoring.method.dot": "Dot product qᵀxᵢ",
        "scoring.method.scaled_dot": "Scaled dot qᵀxᵢ/√d",
        "scoring.method.cosine": "Cosine similarity",
        "scoring.method.general": "General qᵀWxᵢ",
        "scoring.method.additive": "Additive (Bahdanau)",
        "scoring.temperature": "Temperature T",
        "scoring.temperature.help": "Weights are softmax(a / T). Small T: all weight on the best token. Large T: spread evenly.",
        "scoring.mask": "Masked tokens",
        "scoring.mask.help": "Token numbers the query may not look at, e.g. 2, 5-7 (from 1 to {n}). Press Enter to apply.",
        "scoring.mask_error": "The mask was not applied: {reason}",
        "scoring.pseed": "Parameter seed",
        "scoring.pseed.help": "W (general) and W₁, W₂, v (additive) are drawn at random from this seed.",
    }
)

ZH.update(
    {
        "scoring.header": "打分",
        "scoring.method": "打分方法",
        "scoring.method.help": "查询如何给词元 xᵢ 打分。点积：qᵀxᵢ。缩放点积：qᵀxᵢ/√d，与 Transformer 相同。"
        "余弦相似度：qᵀxᵢ/(‖q‖‖xᵢ‖)，只看夹角。通用（Luong）：qᵀWxᵢ。加性（Bahdanau）：vᵀtanh(W₁q + W₂xᵢ)。",
        "scoring.method.dot": "点积 qᵀxᵢ",
        "scoring.method.scaled_dot": "缩放点积 qᵀxᵢ/√d",
        "scoring.method.cosine": "余弦相似度",
        "scoring.method.general": "通用 qᵀWxᵢ",
        "scoring.method.additive": "加性（Bahdanau）",
        "scoring.temperature": "温度 T",
        "scoring.temperature.help": "权重为 softmax(a / T)。T 很小：权重全部集中在得分最高的词元上。T 很大：权重均匀分布。",
        "scoring.mask": "被掩码的词元",
        "scoring.mask.help": "查询不能关注的词元编号，例如 2, 5-7（从 1 到 {n}）。按回车键生效。",
        "scoring.mask_error": "掩码未生效：{reason}",
        "scoring.pseed": "参数随机种子",
        "scoring.pseed.help": "W（通用）以及 W₁、W₂、v（加性）都由这个随机种子随机生成。",
    }
)

ZH.update(
    {
        "fig.masked": "已掩码",
        "fig.value": "数值",
        "fig.pooled": "按块平均为 {rows}×{cols}",
        "fig.block_max": "块内最大 w",
        "fig.hover_cell": "第 %{y} 行，第 %{x} 列",
        "fig.hover_pooled": "≈ 第 %{y:.0f} 行，第 %{x:.0f} 列",
        "fig.hover_token_dim": "词元 %{y}，维度 %{x}",
        "fig.hover_output_dim": "o，维度 %{x}",
        "fig.output": "输出",
    }
)
