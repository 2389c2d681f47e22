"""Strings of the Complexity page."""

EN = {
    # guided lesson (lessons/complexity/guide.py)
    "guide.complexity.time.explain": "Full attention scores every token against every token: an n × n matrix. "
    "The chart of measured times is hidden until you answer.",
    "guide.complexity.time.question": "If n doubles, what is the time of {method} multiplied by?",
    "guide.complexity.time.why": "The fitted slope is {slope}: the time grows like n^{slope}, so doubling n multiplies "
    "it by 2^{slope} ≈ {factor}. Twice the tokens, four times the cells of the matrix.",
    "guide.complexity.memory.explain": "Plain attention holds the n × n matrix of weights in memory all at once. "
    "The chart of measured peak memory is hidden until you answer.",
    "guide.complexity.memory.question": "If n doubles, what is the peak memory of {method} multiplied by?",
    "guide.complexity.memory.why": "The peak memory grows like n^{slope}: doubling n multiplies it by ≈ {factor}, "
    "since the n × n matrix has four times the cells.",
    "guide.complexity.fast.explain": "Some methods never build the n × n matrix: {method} works with n rows of a "
    "fixed size.",
    "guide.complexity.fast.question": "If n doubles, what is the time of {method} multiplied by?",
    "guide.complexity.fast.why": "Its fitted slope is {slope}: doubling n multiplies its time by ≈ {factor}, where "
    "exact attention's grows ≈ {exact_factor}×.",
    "guide.complexity.matrix.explain": "A float32 number takes 4 bytes, so an n × n matrix takes 4n² bytes.",
    "guide.complexity.matrix.question": "How many MB (10⁶ bytes) does the n × n float32 matrix take at n = {n}?",
    "guide.complexity.matrix.why": "4 × {n}² bytes = {mb} MB, for one head of one layer and one sentence.",
    "guide.complexity.times": "About {k}×",
    "guide.complexity.online.explain": "The keys arrive in {blocks} blocks. Whenever a block holds a score above the "
    "running max m, m is raised and the sum so far ℓ is rescaled by e^(m_old − m_new). Read the scores: the running "
    "max, the sum and the weights are hidden until you answer.",
    "guide.complexity.online.question": "Which block raises the running max m the most (so ℓ is rescaled the most)?",
    "guide.complexity.online.why": "Block {block} raises m from {m_old} to {m_new}, more than any other block, so "
    "the sum so far is multiplied by e^({m_old} − {m_new}) = {factor}. Move the slider through the blocks to watch it.",
    "guide.complexity.block": "Block {k}",
    "guide.complexity.preset.time": "Time against n: exact attention against linear attention",
    "guide.complexity.preset.memory": "Peak memory: the n × n matrix against exact attention in blocks",
    "guide.complexity.preset.steps": "The online softmax, block by block: exact attention without the n × n matrix",
    "complexity.nav": "Complexity",
    "complexity.formula.flops": "FLOPs",
    "complexity.formula.memory": "numbers in memory",
    "complexity.title": "Complexity: attention costs O(n²) — measure it, and beat it",
    "complexity.lesson": "Every query scores every key: for n tokens that is an **n × n** matrix of scores, so doubling "
    "the sequence makes the work and the memory **four times** larger. Measure it yourself, then see how it is beaten: "
    "**chunked** attention computes the *same* result block by block with an online softmax (the idea behind "
    "FlashAttention: memory O(n)); **local**, **linear** and **random-feature** attention change the result to make "
    "the work O(n) — at a price you can see in the error.",
    # run settings
    "complexity.n_range": "Sequence lengths n",
    "complexity.n_range.help": "Each run measures every power of two in this range (at most {max}); local, linear and "
    "Performer go on to {linear_max}, where their work outweighs the fixed cost of a call.",
    "complexity.methods": "Methods",
    "complexity.methods.help": "Exact: attend() keeps the n×n scores and weights. torch SDPA: PyTorch's fused kernel. "
    "Chunked: exact, block by block. Local, linear and Performer: approximations.",
    "complexity.method.exact": "exact (attend)",
    "complexity.method.sdpa": "torch SDPA",
    "complexity.method.chunked": "chunked (online softmax)",
    "complexity.method.local": "local window",
    "complexity.method.linear": "linear (elu+1)",
    "complexity.method.performer": "Performer (random features)",
    "complexity.block": "Block size",
    "complexity.block.help": "Keys per block in chunked attention: the memory it needs grows with the block, not with n².",
    "complexity.window": "Window w",
    "complexity.window.help": "Local attention: token i sees only tokens i − w … i + w.",
    "complexity.features": "Random features r",
    "complexity.features.help": "Performer: how many random features estimate the softmax kernel; more is more exact and slower.",
    "complexity.threads": "CPU threads",
    "complexity.threads.help": "Run with 1 thread, then with 2: how much faster does the second core make each method?",
    "complexity.run": "Run",
    "complexity.run_note": "Measures time and real peak memory (float32, d = 64) in a separate process: n ≤ {max} "
    "(local, linear and Performer on to {linear_max}), the median of {repeats} timings each; stopped after {seconds} s.",
    "complexity.starting": "Starting the measuring process…",
    "complexity.in_line": "Another training or measurement is using this server: you are number {place} in line. "
    "Your run starts by itself when your turn comes.",
    "complexity.cancel": "Cancel",
    "complexity.cancelled": "You left the line before your run started. Press Run to line up again.",
    "complexity.busy": "While it measured, other work kept about {others} of this machine's {cores} cores busy: "
    "these times may be longer than on a quiet machine.",
    "complexity.progress": "Measured {done} of {total}: {method} at n = {n}",
    "complexity.run_failed": "The measurement stopped with an error; the previous results are kept.",
    "complexity.stopped": "The server is busy: the run was stopped after {seconds} s. The sizes measured so far are shown.",
    "complexity.live_note": "Your run: n = {lo} … {hi}{further}, {threads} thread(s), measured just now on this server.",
    "complexity.further": " (local, linear and Performer on to n = {n}, where their work outweighs the fixed cost of a "
    "call)",
    "complexity.show_reference": "Show reference",
    "complexity.reference_note": "Reference results shipped with the app (benchmarks/bench_complexity.py, n = {lo} … "
    "{hi}{further}, {threads} thread(s), block 256, window 64, 256 features, each point the median of several timings). "
    "Press **Run** to measure on this server.",
    "complexity.no_results": "No measurements for the chosen methods yet: press Run.",
    # views
    "complexity.view": "View",
    "complexity.view.time": "Time",
    "complexity.view.memory": "Memory",
    "complexity.view.error": "Error",
    "complexity.view.weights": "Weights",
    "complexity.view.steps": "Online softmax",
    "complexity.slope": "slope {slope:.2f}",
    "complexity.ms": "time per call (ms)",
    "complexity.mib": "peak extra memory (MiB)",
    "complexity.time_title": "Time against n (log–log)",
    "complexity.time_caption": "On log–log axes a cost ∝ nᵏ is a straight line of slope k. Each slope is fitted on its "
    "line's filled points: the upper half of its sizes (at least three), where the work outweighs the fixed cost of a "
    "call.",
    "complexity.slopes": "Fitted slopes: {items}.",
    "complexity.slope.about": "{method} about {k} ({slope})",
    "complexity.slope.is": "{method} {slope}",
    "complexity.list_sep": "; ",
    "complexity.flatter": "At small n the lines are flatter — {items}: there the fixed cost of each call (Python, "
    "dispatch into torch, allocation) weighs as much as the work.",
    "complexity.flatter.item": "{method} {below} below n = {n}",
    "complexity.steeper": "Steeper than the work they do — {items}: each operation costs more at large n, typically "
    "once the arrays outgrow the CPU's caches.",
    "complexity.steeper.item": "{method} {slope} while its FLOPs grow like n^{k}",
    "complexity.col.method": "method",
    "complexity.col.ms": "ms per call",
    "complexity.memory_title": "Peak extra memory against n (log–log)",
    "complexity.matrix": "one n×n float32 matrix",
    "complexity.bars_title": "At n = {n}: memory used beside the n×n matrix",
    "complexity.bar_value": "{mib:.1f} MiB ({share:.1%})",
    "complexity.memory_caption": "Real peak memory: how far the measuring process's resident size rose during one call, "
    "not a formula. attend() holds the scores and the weights; chunked attention and torch's fused kernel only ever "
    "hold one block of scores.",
    "complexity.memory_exact": "At n = {n} attend() peaked at {ratio} n×n matrices.",
    "complexity.error_lesson": "How far the approximations are from exact attention (n = {n}, d = {d}, random "
    "Gaussian tokens, queries and keys scaled by {scale}). Chunked attention is exact, so it has no curve here.",
    "complexity.err.local_title": "Local window: error against w",
    "complexity.err.performer_title": "Performer: error against r",
    "complexity.err.y": "|approximate − exact|",
    "complexity.err.max_out": "output, max",
    "complexity.err.mean_out": "output, mean",
    "complexity.err.max_w": "weights, max",
    "complexity.err.mean_w": "weights, mean",
    "complexity.err.linear_out": "linear: output, mean",
    "complexity.err.linear_w": "linear: weights, mean",
    "complexity.error_caption": "A wide enough window is exact: from w = {window} on, the difference is float32 "
    "rounding (below 10⁻⁶). The Performer's mean output error falls like r^{slope} as features are added "
    "(1/√r would be r^−0.5). Linear attention has no knob — it is a different model, not an estimate of softmax "
    "attention.",
    "complexity.approx": "Beside exact attention",
    "complexity.axis.key": "key j",
    "complexity.axis.query": "query i",
    "complexity.w.title": "Weights for n = {n} tokens: exact against the other method",
    "complexity.w.exact": "exact softmax(QKᵀ/√d)",
    "complexity.w.chunked": "chunked, rebuilt block by block from the log-sum-exp (block {block})",
    "complexity.w.local": "local, window w = {window}",
    "complexity.w.performer": "Performer, r = {features} features",
    "complexity.w.max_diff": "max |difference|",
    "complexity.w.mean_diff": "mean |difference|",
    "complexity.w.row_sum": "row sums",
    "complexity.w.caption.chunked": "Chunked attention never holds this matrix, but it keeps each row's log-sum-exp: "
    "w = e^(a − lse) rebuilds any block exactly (the differences are float32 rounding).",
    "complexity.w.caption.local": "Outside the band |i − j| ≤ w the weights are 0; inside, each row is renormalised.",
    "complexity.w.caption.linear": "φ(x) = elu(x) + 1 replaces e^(qᵀk/√d): the weights are positive and sum to 1, "
    "but they are flatter — the model would have to be trained this way.",
    "complexity.w.caption.performer": "Random features estimate e^(qᵀk/√d): the pattern is right on average, noisy per "
    "cell; more features, less noise.",
    "complexity.steps_lesson": "How can the softmax be exact when the keys arrive one block at a time? Keep a **running "
    "max** m and a **running sum** ℓ = Σ e^(a − m). When a block brings a larger score, the old sum is **rescaled** by "
    "e^(m_old − m_new). After the last block, e^(a − m)/ℓ is exactly softmax(a).",
    "complexity.step_block": "Block",
    "complexity.step": "Blocks merged",
    "complexity.steps.scores_title": "Scores of one query — block {b} of {blocks}",
    "complexity.steps.score_axis": "score a",
    "complexity.steps.done": "merged",
    "complexity.steps.current": "this block",
    "complexity.steps.pending": "still to come",
    "complexity.steps.max": "running max m = {m:.2f}",
    "complexity.steps.weights_title": "e^(a − m)/ℓ with {seen} of {n} keys seen",
    "complexity.steps.weight_axis": "weight",
    "complexity.steps.partial": "so far",
    "complexity.steps.final": "final softmax",
    "complexity.steps.m": "running max m",
    "complexity.steps.l": "running sum ℓ",
    "complexity.steps.rescale": "rescale e^(m_old − m_new)",
    "complexity.steps_caption": "Only m, ℓ and the running output Σ e^(a − m) v are kept per query: memory does not grow "
    "with n. Chunked attention does this for a whole block of queries at once.",
}

ZH = {
    # 引导练习（lessons/complexity/guide.py）
    "guide.complexity.time.explain": "完整注意力要让每个词元与所有词元两两打分：得到一个 n × n 的矩阵。"
    "回答之前，实测时间的图是隐藏的。",
    "guide.complexity.time.question": "如果 n 翻倍，{method} 所用的时间约为原来的几倍？",
    "guide.complexity.time.why": "拟合斜率是 {slope}：时间按 n^{slope} 增长，所以 n 翻倍时，时间变为原来的 "
    "2^{slope} ≈ {factor} 倍。词元数翻倍，矩阵的格子数就变为原来的四倍。",
    "guide.complexity.memory.explain": "普通注意力要把整个 n × n 权重矩阵同时放在内存里。回答之前，实测峰值内存的图是隐藏的。",
    "guide.complexity.memory.question": "如果 n 翻倍，{method} 的峰值内存约为原来的几倍？",
    "guide.complexity.memory.why": "峰值内存按 n^{slope} 增长：n 翻倍时变为原来的 ≈ {factor} 倍，"
    "因为 n × n 矩阵的格子数变为原来的四倍。",
    "guide.complexity.fast.explain": "有些方法从不构造 n × n 矩阵：{method} 只处理 n 行、每行大小固定的数据。",
    "guide.complexity.fast.question": "如果 n 翻倍，{method} 所用的时间约为原来的几倍？",
    "guide.complexity.fast.why": "它的拟合斜率是 {slope}：n 翻倍时，时间变为原来的 ≈ {factor} 倍，"
    "而精确注意力变为原来的 ≈ {exact_factor} 倍。",
    "guide.complexity.matrix.explain": "一个 float32 数占 4 字节，所以 n × n 矩阵占 4n² 字节。",
    "guide.complexity.matrix.question": "当 n = {n} 时，n × n 的 float32 矩阵占多少 MB（10⁶ 字节）？",
    "guide.complexity.matrix.why": "4 × {n}² 字节 = {mb} MB，而这还只是一个句子在一层中一个头的矩阵。",
    "guide.complexity.times": "约为原来的 {k} 倍",
    "guide.complexity.online.explain": "键分成 {blocks} 块依次到来。每当某一块中有得分超过累计最大值 m，m 就会提高，"
    "之前累计的和 ℓ 要乘以 e^(m_旧 − m_新) 重新缩放。请观察得分：累计最大值、累计和以及权重在你回答之前是隐藏的。",
    "guide.complexity.online.question": "哪一块让累计最大值 m 提高得最多（因而 ℓ 被缩放得最多）？",
    "guide.complexity.online.why": "第 {block} 块把 m 从 {m_old} 提高到 {m_new}，比其他任何一块都多，"
    "所以之前的和要乘以 e^({m_old} − {m_new}) = {factor}。拖动滑块逐块查看这一过程。",
    "guide.complexity.block": "第 {k} 块",
    "guide.complexity.preset.time": "时间随 n 的变化：精确注意力对比线性注意力",
    "guide.complexity.preset.memory": "峰值内存：n × n 矩阵对比分块的精确注意力",
    "guide.complexity.preset.steps": "在线 softmax 逐块计算：不用 n × n 矩阵的精确注意力",
    "complexity.nav": "计算复杂度",
    "complexity.formula.flops": "次浮点运算",
    "complexity.formula.memory": "个数同时在内存中",
    "complexity.title": "计算复杂度：注意力的代价是 O(n²)——测量它，再战胜它",
    "complexity.lesson": "每个查询都要给每个键打分：n 个词元就是一个 **n × n** 的得分矩阵，所以序列长度翻倍，"
    "计算量和内存都变为原来的**四倍**。先亲手测量，再看它如何被战胜：**分块**注意力用在线 softmax 逐块算出*完全相同*的结果"
    "（FlashAttention 背后的思想：内存 O(n)）；**局部**、**线性**和**随机特征**注意力则改变结果，换来 O(n) 的计算量——"
    "代价是误差，你可以在图中直接看到。",
    "complexity.n_range": "序列长度 n",
    "complexity.n_range.help": "每次运行测量此范围内的每个 2 的幂（最多 {max}）；局部、线性和 Performer 一直测到 "
    "{linear_max}，在那里它们的计算开销才超过每次调用的固定开销。",
    "complexity.methods": "方法",
    "complexity.methods.help": "精确：attend() 保存 n×n 的得分和权重。torch SDPA：PyTorch 的融合内核。"
    "分块：精确，逐块计算。局部、线性和 Performer：近似方法。",
    "complexity.method.exact": "精确（attend）",
    "complexity.method.sdpa": "torch SDPA",
    "complexity.method.chunked": "分块（在线 softmax）",
    "complexity.method.local": "局部窗口",
    "complexity.method.linear": "线性（elu+1）",
    "complexity.method.performer": "Performer（随机特征）",
    "complexity.block": "块大小",
    "complexity.block.help": "分块注意力中每块的键数：所需内存随块大小增长，而不是随 n² 增长。",
    "complexity.window": "窗口 w",
    "complexity.window.help": "局部注意力：词元 i 只看词元 i − w … i + w。",
    "complexity.features": "随机特征数 r",
    "complexity.features.help": "Performer：用多少个随机特征来估计 softmax 核；越多越精确，也越慢。",
    "complexity.threads": "CPU 线程数",
    "complexity.threads.help": "先用 1 个线程运行，再用 2 个：第二个核心让每种方法快了多少？",
    "complexity.run": "运行",
    "complexity.run_note": "在独立进程中测量时间和真实的峰值内存（float32，d = 64）：n ≤ {max}"
    "（局部、线性和 Performer 一直测到 {linear_max}），每个点取 {repeats} 次计时的中位数；超过 {seconds} 秒自动停止。",
    "complexity.starting": "正在启动测量进程…",
    "complexity.in_line": "服务器正在进行别的训练或测量：你排在第 {place} 位。轮到你时，测量会自动开始。",
    "complexity.cancel": "取消",
    "complexity.cancelled": "你在测量开始前离开了队列。请再按“运行”重新排队。",
    "complexity.busy": "测量期间，其他任务平均占用了本机 {cores} 个核心中的约 {others} 个：这些时间可能比空闲机器上的长。",
    "complexity.progress": "已测量 {done} / {total}：{method}，n = {n}",
    "complexity.run_failed": "测量因错误而停止；之前的结果已保留。",
    "complexity.stopped": "服务器繁忙：运行在 {seconds} 秒后停止。下面显示已测量的规模。",
    "complexity.live_note": "你的运行：n = {lo} … {hi}{further}，{threads} 个线程，刚刚在本服务器上测得。",
    "complexity.further": "（局部、线性和 Performer 一直测到 n = {n}，在那里它们的计算开销才超过每次调用的固定开销）",
    "complexity.show_reference": "显示参考结果",
    "complexity.reference_note": "应用随附的参考结果（benchmarks/bench_complexity.py，n = {lo} … {hi}{further}，"
    "{threads} 个线程，块大小 256，窗口 64，256 个特征，每个点取多次计时的中位数）。点击**运行**在本服务器上测量。",
    "complexity.no_results": "所选方法还没有测量结果：请点击运行。",
    "complexity.view": "视图",
    "complexity.view.time": "时间",
    "complexity.view.memory": "内存",
    "complexity.view.error": "误差",
    "complexity.view.weights": "权重",
    "complexity.view.steps": "在线 softmax",
    "complexity.slope": "斜率 {slope:.2f}",
    "complexity.ms": "每次调用时间（毫秒）",
    "complexity.mib": "峰值额外内存（MiB）",
    "complexity.time_title": "时间随 n 的变化（双对数坐标）",
    "complexity.time_caption": "在双对数坐标中，∝ nᵏ 的代价是一条斜率为 k 的直线。每条线的斜率只用实心点拟合："
    "即该方法所测规模中较大的一半（至少三个），在那里计算本身的开销超过每次调用的固定开销。",
    "complexity.slopes": "拟合斜率：{items}。",
    "complexity.slope.about": "{method} 约为 {k}（{slope}）",
    "complexity.slope.is": "{method} 为 {slope}",
    "complexity.list_sep": "；",
    "complexity.flatter": "n 较小时线更平缓——{items}：那里每次调用的固定开销（Python、调用 torch、分配内存）"
    "与计算本身相当。",
    "complexity.flatter.item": "{method} 在 n = {n} 以下为 {below}",
    "complexity.steeper": "比计算量增长得更快——{items}：n 越大，每次运算越慢，通常是因为数组超出了 CPU 缓存。",
    "complexity.steeper.item": "{method} 为 {slope}，而它的浮点运算量按 n^{k} 增长",
    "complexity.col.method": "方法",
    "complexity.col.ms": "每次调用（毫秒）",
    "complexity.memory_title": "峰值额外内存随 n 的变化（双对数坐标）",
    "complexity.matrix": "一个 n×n float32 矩阵",
    "complexity.bars_title": "n = {n} 时：实际内存与 n×n 矩阵对比",
    "complexity.bar_value": "{mib:.1f} MiB（{share:.1%}）",
    "complexity.memory_caption": "真实的峰值内存：一次调用期间测量进程的常驻内存上涨了多少，而不是用公式算出来的。"
    "attend() 要保存得分和权重；分块注意力和 torch 的融合内核始终只保存一块得分。",
    "complexity.memory_exact": "n = {n} 时，attend() 的峰值内存相当于 {ratio} 个 n×n 矩阵。",
    "complexity.error_lesson": "各近似方法与精确注意力相差多少（n = {n}，d = {d}，随机高斯词元，查询和键乘以 {scale}）。"
    "分块注意力是精确的，所以这里没有它的曲线。",
    "complexity.err.local_title": "局部窗口：误差随 w 的变化",
    "complexity.err.performer_title": "Performer：误差随 r 的变化",
    "complexity.err.y": "|近似 − 精确|",
    "complexity.err.max_out": "输出，最大值",
    "complexity.err.mean_out": "输出，平均值",
    "complexity.err.max_w": "权重，最大值",
    "complexity.err.mean_w": "权重，平均值",
    "complexity.err.linear_out": "线性：输出，平均值",
    "complexity.err.linear_w": "线性：权重，平均值",
    "complexity.error_caption": "窗口足够宽时就是精确的：从 w = {window} 起，差异只是 float32 舍入（小于 10⁻⁶）。"
    "随着特征数增加，Performer 的平均输出误差按 r^{slope} 下降（若按 1/√r 下降，则为 r^−0.5）。"
    "线性注意力没有可调参数——它是另一种模型，而不是对 softmax 注意力的估计。",
    "complexity.approx": "与精确注意力对比",
    "complexity.axis.key": "键 j",
    "complexity.axis.query": "查询 i",
    "complexity.w.title": "n = {n} 个词元的权重：精确与另一种方法对比",
    "complexity.w.exact": "精确 softmax(QKᵀ/√d)",
    "complexity.w.chunked": "分块，由 log-sum-exp 逐块重建（块大小 {block}）",
    "complexity.w.local": "局部，窗口 w = {window}",
    "complexity.w.performer": "Performer，r = {features} 个特征",
    "complexity.w.max_diff": "|差值| 最大值",
    "complexity.w.mean_diff": "|差值| 平均值",
    "complexity.w.row_sum": "行和",
    "complexity.w.caption.chunked": "分块注意力从不保存这个矩阵，但它保留每行的 log-sum-exp：w = e^(a − lse) 可以精确重建"
    "任意一块（差异只是 float32 舍入）。",
    "complexity.w.caption.local": "在带状区域 |i − j| ≤ w 之外权重为 0；带内每一行重新归一化。",
    "complexity.w.caption.linear": "φ(x) = elu(x) + 1 取代 e^(qᵀk/√d)：权重为正且和为 1，但更平坦——模型必须按这种方式训练。",
    "complexity.w.caption.performer": "随机特征估计 e^(qᵀk/√d)：整体模式平均来说是对的，但每个格子有噪声；特征越多，噪声越小。",
    "complexity.steps_lesson": "键一块一块地到来，softmax 怎么还能精确？保留一个**累计最大值** m 和一个**累计和** "
    "ℓ = Σ e^(a − m)。当某块带来更大的得分时，旧的和要乘以 e^(m_旧 − m_新) 进行**重新缩放**。最后一块之后，"
    "e^(a − m)/ℓ 恰好等于 softmax(a)。",
    "complexity.step_block": "块大小",
    "complexity.step": "已合并的块",
    "complexity.steps.scores_title": "一个查询的得分——第 {b} 块，共 {blocks} 块",
    "complexity.steps.score_axis": "得分 a",
    "complexity.steps.done": "已合并",
    "complexity.steps.current": "当前块",
    "complexity.steps.pending": "尚未处理",
    "complexity.steps.max": "累计最大值 m = {m:.2f}",
    "complexity.steps.weights_title": "已看到 {seen} / {n} 个键时的 e^(a − m)/ℓ",
    "complexity.steps.weight_axis": "权重",
    "complexity.steps.partial": "到目前为止",
    "complexity.steps.final": "最终 softmax",
    "complexity.steps.m": "累计最大值 m",
    "complexity.steps.l": "累计和 ℓ",
    "complexity.steps.rescale": "缩放因子 e^(m_旧 − m_新)",
    "complexity.steps_caption": "每个查询只保留 m、ℓ 和累计输出 Σ e^(a − m) v：内存不随 n 增长。"
    "分块注意力一次对一整块查询这样做。",
}
