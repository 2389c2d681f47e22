"""Strings of the Speech lesson (Whisper base: attention in speech recognition)."""

EN = {
    "speech.nav": "Speech",
    "speech.tour.label": "Speech",
    "speech.tour.text": "Say a sentence and see which part of your voice each word Whisper wrote listened to: "
    "a real multilingual model, offline, Chinese included.",
    "speech.title": "Speech: where each word listened",
    "speech.lesson_expander": "The lesson: attention in speech recognition",
    "speech.lesson": "Whisper (OpenAI's speech recogniser, the *base* model: 74 M parameters, 99 languages, running "
    "here offline) turns sound into words with the same formula as the Query page. The audio becomes a sequence X of "
    "**frames, one every 20 ms**; each **output token is a query**; its weights "
    "w = softmax(qᵀk/√d) over the frames are a **curve over time**: where in the sound the model was listening when "
    "it wrote that token.\n\n"
    "- **Sound**: the waveform and the log-mel spectrogram (what the model reads), the words placed where they were "
    "said.\n"
    "- **One token**: pick a token; its attention over the audio is drawn on the spectrogram, and the stretch it looks "
    "at is played.\n"
    "- **Alignment**: all tokens × all frames, and the path that dynamic time warping (DTW) finds through them: "
    "this is how word times are found (openai/whisper's recipe, each step switchable).\n"
    "- **Encoder** and **Decoder**: self-attention of the frames among themselves, and of the tokens.\n"
    "- **Language**: the model's first guess is itself a softmax, over 99 languages.\n"
    "- **By hand**: one head recomputed from the model's own q and k — the same numbers.\n\n"
    "The encoder reads only the clip's own frames, not Whisper's full 30-s window (whisper.cpp's trick): six times "
    "less work on a 5-s clip, and the bundled clips come out as well or better.",
    "speech.input": "The sound",
    "speech.clip": "Clip",
    "speech.clip.own": "Your recording or upload",
    "speech.english_clips": "The bundled clips are English, spoken by a speech synthesiser (espeak-ng). Whisper also "
    "understands Chinese: record a sentence in Chinese yourselves.",
    "speech.record": "Record a sentence (up to 30 s)",
    "speech.upload": "…or upload a WAV, FLAC, OGG or MP3 file",
    "speech.privacy": "A recording stays in this browser session's memory only: it is never written to disk or logged.",
    "speech.language": "Language",
    "speech.language.auto": "Detect it",
    "speech.language.en": "English",
    "speech.language.zh": "Chinese",
    "speech.refused": "This audio was not used: {reason} The previous clip stays.",
    "speech.listening": "Whisper is listening…",
    "speech.in_line": "Waiting for the model: you are number {place} in line.",
    "speech.heard": "Heard {seconds} s of audio.",
    "speech.no_words": "Whisper heard no words in this clip. Try speaking closer to the microphone.",
    "speech.transcript": "**Whisper heard:** {text} · :gray[{language}]",
    "speech.language_found": "language: {lang} (detected)",
    "speech.language_chosen": "language: {lang} (chosen in the sidebar)",
    "speech.cut": "The file is {total} s long; Whisper hears 30 s at a time, so only the first 30 s are kept.",
    "speech.token_limit": "The transcript stopped at 128 tokens (the model may have repeated itself).",
    "speech.view": "View",
    "speech.view.sound": "Sound",
    "speech.view.token": "One token",
    "speech.view.alignment": "Alignment",
    "speech.view.encoder": "Encoder",
    "speech.view.decoder": "Decoder",
    "speech.view.language": "Language",
    "speech.view.by_hand": "By hand",
    "speech.layer": "Decoder layer",
    "speech.layer.help": "Cross-attention of one layer and head, or the average of the alignment heads: the heads "
    "OpenAI found to follow the words through time (listed in the model's config.json).",
    "speech.head": "Head",
    "speech.alignment_average": "Alignment heads' average",
    "speech.token": "Output token (the query)",
    "speech.head_name": "layer {l}, head {h}",
    "speech.first_alignment_head": "layer {l}, head {h} (the first alignment head)",
    "speech.sound.caption": "The words sit where the alignment heads' attention puts them (DTW, see Alignment). "
    "The model reads {frames} encoder frames: one every 20 ms.",
    "speech.sound.caption_hidden": "The model reads {frames} encoder frames: one every 20 ms. Where the words sit "
    "waits until you answer.",
    "speech.token.title": "“{token}” over the audio: {heads}",
    "speech.token.caption": "“{token}” looks most at **{peak} s** (w = {w}). The alignment of these heads (DTW, see "
    "Alignment) gives it **{a}–{b} s** (shaded): the player beside plays exactly that stretch.",
    "speech.heads": "Heads averaged",
    "speech.heads.alignment": "Alignment heads",
    "speech.heads.all": "All 48 heads",
    "speech.heads.picked": "Only {head}",
    "speech.filter": "Median filter width (frames)",
    "speech.filter.help": "Each weight replaced by the median of this many neighbouring frames: single-frame spikes "
    "go, the broad ridge stays. 1 = off.",
    "speech.normalise": "Normalise",
    "speech.normalise.help": "Standardise each frame across the tokens (subtract the mean, divide by the spread): a "
    "frame every token looks at (the silence at the end) stops standing out.",
    "speech.alignment.title": "Tokens × frames, averaged over {heads} head(s), and the DTW path",
    "speech.alignment.caption": "Rows: output tokens (“+” continues the piece above); columns: 20-ms frames. DTW finds "
    "the path from top left to bottom right along the brightest cells that never goes back in time; where it steps "
    "down to a new token is when that token starts. {heads} head(s), median filter {width}.",
    "speech.word": "Word",
    "speech.start": "Start (s)",
    "speech.end": "End (s)",
    "speech.encoder.title": "Encoder self-attention: frames × frames, {head}",
    "speech.encoder.caption": "Each row: one frame's weights over all {n} frames (a cell is {ms} ms). A bright "
    "diagonal: a frame listens to its neighbours.",
    "speech.decoder.title": "Decoder self-attention: tokens × earlier tokens, {head}",
    "speech.decoder.caption": "Each row: one token's weights over the tokens before it (causal: nothing to the right of "
    "the diagonal). The first four are Whisper's task tokens.",
    "speech.language.caption": "At its first step the decoder's softmax over the 99 language tokens: {p} on {lang}.",
    "speech.by_hand.intro": "Cross-attention {head}, query “{token}”: q = W_q x + b_q from the decoder's state, "
    "k_j = W_k h_j from every encoder frame j (Whisper's K has no bias), then the core's `attend()`. "
    "At the frame it weighs most:",
    "speech.by_hand.difference": "Largest difference from the model's weights",
    "speech.by_hand.caption": "The line (by hand) runs through the dots (the model): frame {peak} ({time} s) is the "
    "peak of both.",
    "speech.fig.time": "time (s)",
    "speech.fig.amplitude": "amplitude",
    "speech.fig.wave_title": "Waveform",
    "speech.fig.mel_title": "Log-mel spectrogram: what Whisper reads",
    "speech.fig.mel_band": "mel band (low → high pitch)",
    "speech.fig.weight": "weight w",
    "speech.fig.hover_mel": "%{x:.2f} s, band %{y}: %{z:.2f}",
    "speech.fig.hover_weight": "%{x:.2f} s: w = %{y:.3f}",
    "speech.fig.hover_matrix": "%{x:.2f} s, row %{y}: %{z:.2f}",
    "speech.fig.path": "DTW path",
    "speech.fig.token": "output token",
    "speech.fig.key_time": "key frame (s)",
    "speech.fig.query_time": "query frame (s)",
    "speech.fig.key_token": "key token",
    "speech.fig.query_token": "query token",
    "speech.fig.hover_frames": "query %{y:.2f} s → key %{x:.2f} s: w = %{z:.3f}",
    "speech.fig.hover_tokens": "query %{y} → key %{x}: w = %{z:.3f}",
    "speech.fig.language_title": "Which language? The ten likeliest",
    "speech.fig.probability": "probability",
    "speech.fig.model_weights": "the model's weights",
    "speech.fig.hand_weights": "by hand: softmax(qᵀk/√64)",
    "speech.fig.by_hand_title": "By hand vs the model, frame by frame",
    "speech.lang.en": "English",
    "speech.lang.zh": "Chinese",
    "speech.lang.de": "German",
    "speech.lang.es": "Spanish",
    "speech.lang.fr": "French",
    "speech.lang.ja": "Japanese",
    "speech.lang.ko": "Korean",
    "speech.lang.ru": "Russian",
    "speech.lang.it": "Italian",
    "speech.lang.pt": "Portuguese",
    "speech.lang.nl": "Dutch",
    "speech.lang.la": "Latin",
    "speech.lang.cy": "Welsh",
    "speech.lang.fi": "Finnish",
    "speech.lang.nn": "Norwegian Nynorsk",
    "speech.lang.sv": "Swedish",
    # guided lesson (lessons/speech/guide.py)
    "guide.speech.stretch.explain": "Each output token is a query over the audio's frames. Listen to the clip, look at "
    "the spectrogram, and predict.",
    "guide.speech.stretch.question": "While writing “{word}”, which part of the clip do the alignment heads look at "
    "most?",
    "guide.speech.stretch.why": "Their average peaks at {peak} s: that is where “{word}” was said.",
    "guide.speech.forward.explain": "Now every word: take the frame each word's attention peaks on (alignment heads' "
    "average).",
    "guide.speech.forward.question": "Going from each word to the next, does that peak always move forward in time?",
    "guide.speech.forward.yes": "Yes, always forward",
    "guide.speech.forward.no": "No, at least once it goes back",
    "guide.speech.forward.why": "It goes back {back} time(s) over {words} words. The DTW path never goes back: it "
    "smooths such slips into word times.",
    "guide.speech.heads.explain": "Not every head follows the words through time. Score a head by how well its peaks "
    "keep the words' order; the Encoder and Decoder views do not give it away.",
    "guide.speech.heads.question": "Which of these heads follows the words through time best?",
    "guide.speech.heads.option": "Layer {l}, head {h}",
    "guide.speech.heads.why": "Head {best}: the rank correlation of word order and peak time is {score} (1 = "
    "perfectly in order). OpenAI lists {listed} (layer.head) as alignment heads; pick one in the head picker to see.",
    "guide.speech.language.explain": "Before writing any word, Whisper guesses the language: a softmax over 99 "
    "language tokens.",
    "guide.speech.language.question": "How sure is it (in %) that this clip is in {lang}?",
    "guide.speech.language.why": "{p} %: its softmax weight on {lang}.",
    "guide.speech.nofit.reason": "the clip has fewer than two words: a word's place in time needs another word to "
    "compare with",
    "guide.speech.nofit.button": "Use a bundled clip",
    "guide.speech.preset.stretch": "Speech: where in the sound does one word look?",
    "guide.speech.preset.dtw": "Speech: the alignment with no filter and no normalising (what each step adds)",
    "guide.speech.preset.heads": "Speech: an alignment head against an ordinary head",
    "guide.speech.preset.language": "Speech: how sure is Whisper of the language?",
}

ZH = {
    "speech.nav": "语音",
    "speech.tour.label": "语音",
    "speech.tour.text": "说一句话，看看 Whisper 写出的每个词听的是你声音的哪一段：一个真实的多语言模型，离线运行，也能听中文。",
    "speech.title": "语音：每个词听的是哪一段",
    "speech.lesson_expander": "本课：语音识别中的注意力",
    "speech.lesson": "Whisper（OpenAI 的语音识别模型，这里用 *base* 版：7400 万参数，支持 99 种语言，在本机离线运行）"
    "把声音变成文字，用的正是“查询”页上的同一个公式。音频被切成序列 X：**每 20 毫秒一帧**；每个**输出词元就是一个查询**；"
    "它在各帧上的权重 w = softmax(qᵀk/√d) 就是**一条随时间变化的曲线**：模型写出这个词元时，正在听声音的哪一段。\n\n"
    "- **声音**：波形和对数梅尔频谱图（模型读到的东西），每个词标在它被说出的位置。\n"
    "- **单个词元**：选一个词元，它对音频的注意力画在频谱图上，并播放它注意的那一段。\n"
    "- **对齐**：所有词元 × 所有帧，以及动态时间规整（DTW）在其中找到的路径：词的时间就是这样求出来的"
    "（openai/whisper 的做法，每一步都可以开关）。\n"
    "- **编码器**和**解码器**：帧与帧之间、词元与词元之间的自注意力。\n"
    "- **语言**：模型的第一个判断本身就是一个 softmax，覆盖 99 种语言。\n"
    "- **手算**：用模型自己的 q 和 k 重新算一个注意力头——结果完全一样。\n\n"
    "编码器只读取这段音频本身的帧，而不是 Whisper 完整的 30 秒窗口（whisper.cpp 的做法）：5 秒的音频计算量少六倍，"
    "自带的音频识别得一样好甚至更好。",
    "speech.input": "声音",
    "speech.clip": "音频",
    "speech.clip.own": "你的录音或上传的文件",
    "speech.english_clips": "自带的音频都是英语，由语音合成器（espeak-ng）朗读。Whisper 也听得懂中文：请大家自己用中文录一句话。",
    "speech.record": "录一句话（最长 30 秒）",
    "speech.upload": "……或上传 WAV、FLAC、OGG 或 MP3 文件",
    "speech.privacy": "录音只保存在本次浏览器会话的内存里：不会写入磁盘，也不会记录到日志。",
    "speech.language": "语言",
    "speech.language.auto": "自动识别",
    "speech.language.en": "英语",
    "speech.language.zh": "中文",
    "speech.refused": "没有使用这段音频：{reason} 仍保留之前的音频。",
    "speech.listening": "Whisper 正在听……",
    "speech.in_line": "正在等待模型：你排在第 {place} 位。",
    "speech.heard": "已听完 {seconds} 秒音频。",
    "speech.no_words": "Whisper 在这段音频里没有听到任何词。请靠近麦克风再试一次。",
    "speech.transcript": "**Whisper 听到的是：** {text} · :gray[{language}]",
    "speech.language_found": "语言：{lang}（自动识别）",
    "speech.language_chosen": "语言：{lang}（在侧边栏中选定）",
    "speech.cut": "文件长 {total} 秒；Whisper 一次只听 30 秒，所以只保留前 30 秒。",
    "speech.token_limit": "转写在 128 个词元处停止（模型可能在重复自己）。",
    "speech.view": "视图",
    "speech.view.sound": "声音",
    "speech.view.token": "单个词元",
    "speech.view.alignment": "对齐",
    "speech.view.encoder": "编码器",
    "speech.view.decoder": "解码器",
    "speech.view.language": "语言",
    "speech.view.by_hand": "手算",
    "speech.layer": "解码器层",
    "speech.layer.help": "某一层某个头的交叉注意力，或对齐头的平均：OpenAI 发现这些头会随时间跟着词走"
    "（列在模型的 config.json 里）。",
    "speech.head": "头",
    "speech.alignment_average": "对齐头的平均",
    "speech.token": "输出词元（查询）",
    "speech.head_name": "第 {l} 层第 {h} 个头",
    "speech.first_alignment_head": "第 {l} 层第 {h} 个头（第一个对齐头）",
    "speech.sound.caption": "每个词放在对齐头的注意力所指的位置（DTW，见“对齐”视图）。模型读取 {frames} 个编码器帧：每 20 毫秒一帧。",
    "speech.sound.caption_hidden": "模型读取 {frames} 个编码器帧：每 20 毫秒一帧。词的位置要等你回答之后才显示。",
    "speech.token.title": "“{token}”对音频的注意力：{heads}",
    "speech.token.caption": "“{token}”最注意 **{peak} 秒** 处（w = {w}）。这些头的对齐（DTW，见“对齐”视图）"
    "给它的时间是 **{a}–{b} 秒**（阴影部分）：旁边的播放器正好播放这一段。",
    "speech.heads": "取平均的头",
    "speech.heads.alignment": "对齐头",
    "speech.heads.all": "全部 48 个头",
    "speech.heads.picked": "只用{head}",
    "speech.filter": "中值滤波宽度（帧）",
    "speech.filter.help": "每个权重换成相邻这么多帧的中位数：去掉单帧的尖峰，保留宽的山脊。1 = 关闭。",
    "speech.normalise": "标准化",
    "speech.normalise.help": "对每一帧在所有词元上做标准化（减去均值，除以标准差）：每个词元都注意的帧（比如结尾的静音）"
    "就不再突出。",
    "speech.alignment.title": "词元 × 帧（{heads} 个头的平均）和 DTW 路径",
    "speech.alignment.caption": "行：输出词元（“+”表示接着上一行的片段）；列：20 毫秒的帧。DTW 从左上到右下，沿着最亮的格子"
    "找一条时间上从不后退的路径；路径下移到新词元的地方，就是这个词元开始的时间。{heads} 个头，中值滤波 {width}。",
    "speech.word": "词",
    "speech.start": "开始（秒）",
    "speech.end": "结束（秒）",
    "speech.encoder.title": "编码器自注意力：帧 × 帧，{head}",
    "speech.encoder.caption": "每一行：一帧对全部 {n} 帧的权重（每格 {ms} 毫秒）。对角线很亮：一帧在听它的邻居。",
    "speech.decoder.title": "解码器自注意力：词元 × 之前的词元，{head}",
    "speech.decoder.caption": "每一行：一个词元对它之前各词元的权重（因果：对角线右边全为空）。前四个是 Whisper 的任务词元。",
    "speech.language.caption": "解码器第一步在 99 个语言词元上的 softmax：{lang} 占 {p}。",
    "speech.by_hand.intro": "交叉注意力，{head}，查询“{token}”：q = W_q x + b_q 来自解码器的状态，"
    "k_j = W_k h_j 来自每个编码器帧 j（Whisper 的 K 没有偏置），再用核心库的 `attend()` 计算。在权重最大的那一帧：",
    "speech.by_hand.difference": "与模型权重的最大差值",
    "speech.by_hand.caption": "线（手算）正好穿过点（模型）：第 {peak} 帧（{time} 秒）是两者共同的峰值。",
    "speech.fig.time": "时间（秒）",
    "speech.fig.amplitude": "振幅",
    "speech.fig.wave_title": "波形",
    "speech.fig.mel_title": "对数梅尔频谱图：Whisper 读到的东西",
    "speech.fig.mel_band": "梅尔频带（低音 → 高音）",
    "speech.fig.weight": "权重 w",
    "speech.fig.hover_mel": "%{x:.2f} 秒，频带 %{y}：%{z:.2f}",
    "speech.fig.hover_weight": "%{x:.2f} 秒：w = %{y:.3f}",
    "speech.fig.hover_matrix": "%{x:.2f} 秒，第 %{y} 行：%{z:.2f}",
    "speech.fig.path": "DTW 路径",
    "speech.fig.token": "输出词元",
    "speech.fig.key_time": "键帧（秒）",
    "speech.fig.query_time": "查询帧（秒）",
    "speech.fig.key_token": "键词元",
    "speech.fig.query_token": "查询词元",
    "speech.fig.hover_frames": "查询 %{y:.2f} 秒 → 键 %{x:.2f} 秒：w = %{z:.3f}",
    "speech.fig.hover_tokens": "查询 %{y} → 键 %{x}：w = %{z:.3f}",
    "speech.fig.language_title": "哪种语言？可能性最大的十种",
    "speech.fig.probability": "概率",
    "speech.fig.model_weights": "模型的权重",
    "speech.fig.hand_weights": "手算：softmax(qᵀk/√64)",
    "speech.fig.by_hand_title": "手算与模型，逐帧对比",
    "speech.lang.en": "英语",
    "speech.lang.zh": "中文",
    "speech.lang.de": "德语",
    "speech.lang.es": "西班牙语",
    "speech.lang.fr": "法语",
    "speech.lang.ja": "日语",
    "speech.lang.ko": "韩语",
    "speech.lang.ru": "俄语",
    "speech.lang.it": "意大利语",
    "speech.lang.pt": "葡萄牙语",
    "speech.lang.nl": "荷兰语",
    "speech.lang.la": "拉丁语",
    "speech.lang.cy": "威尔士语",
    "speech.lang.fi": "芬兰语",
    "speech.lang.nn": "新挪威语",
    "speech.lang.sv": "瑞典语",
    "guide.speech.stretch.explain": "每个输出词元都是对音频各帧的一个查询。听一听这段音频，看看频谱图，然后预测。",
    "guide.speech.stretch.question": "写出“{word}”的时候，对齐头最注意音频的哪一段？",
    "guide.speech.stretch.why": "它们的平均在 {peak} 秒处达到峰值：“{word}”正是在那里说的。",
    "guide.speech.forward.explain": "现在看所有词：找出每个词的注意力（对齐头的平均）峰值所在的帧。",
    "guide.speech.forward.question": "从一个词到下一个词，这个峰值是否总是在时间上往前走？",
    "guide.speech.forward.yes": "是，总是往前",
    "guide.speech.forward.no": "不是，至少有一次往回走",
    "guide.speech.forward.why": "在 {words} 个词中往回走了 {back} 次。DTW 路径从不后退：它把这样的偏差平滑成词的时间。",
    "guide.speech.heads.explain": "并不是每个头都会随时间跟着词走。看一个头的峰值能否保持词的先后顺序，来给它打分；"
    "“编码器”和“解码器”视图不会泄露答案。",
    "guide.speech.heads.question": "下面哪个头最能随时间跟着词走？",
    "guide.speech.heads.option": "第 {l} 层第 {h} 个头",
    "guide.speech.heads.why": "第 {best} 个头（层.头）：词序与峰值时间的秩相关系数是 {score}（1 = 完全按顺序）。"
    "OpenAI 把 {listed}（层.头）列为对齐头；在“头”选择框里选一个看看。",
    "guide.speech.language.explain": "在写出任何词之前，Whisper 先猜语言：在 99 个语言词元上做一次 softmax。",
    "guide.speech.language.question": "它有多确定（百分之多少）这段音频是{lang}？",
    "guide.speech.language.why": "{p} %：它的 softmax 在{lang}上的权重。",
    "guide.speech.nofit.reason": "这段音频少于两个词：要看一个词在时间上的位置，需要另一个词来比较",
    "guide.speech.nofit.button": "使用自带的音频",
    "guide.speech.preset.stretch": "语音：一个词在声音里注意哪一段？",
    "guide.speech.preset.dtw": "语音：不滤波、不标准化的对齐（看看每一步的作用）",
    "guide.speech.preset.heads": "语音：对齐头与普通头的对比",
    "guide.speech.preset.language": "语音：Whisper 对语言有多确定？",
}
