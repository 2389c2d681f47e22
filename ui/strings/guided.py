"""Strings of the guided lessons (ui/guided.py) that every page shares: the panel, the score, the presets."""

EN = {
    "guide.toggle": "Guided lesson",
    "guide.toggle.help": "Predict, then check: a few questions made from the numbers on this page. "
    "A new seed or new data makes new questions.",
    "guide.no_steps": "No questions fit these settings. Change them, and the lesson starts.",
    "guide.no_fit": "No question fits these settings: {reason}",
    "guide.hidden": ":material/visibility_off: Hidden until you answer: predict first, then press **Check**.",
    "guide.step_of": "Step {k} of {n}",
    "guide.check": "Check",
    "guide.pick_first": "Pick an answer (or type a number) first.",
    "guide.right": "Right: {answer}.",
    "guide.wrong": "Not quite: you said {given}, the answer is {answer}.",
    "guide.next": "Next",
    "guide.score_button": "See my score",
    "guide.score": "You got {right} of {total} right",
    "guide.again": "Start again",
    "guide.renewed": "The numbers changed, so the questions did too: a new exercise starts.",
    "guide.presets": "Presets for teachers",
    "guide.presets.help": "Each link opens this page in a new tab with settings that make one point, and the guided lesson on. "
    "Right-click a link to copy it for your class.",
    "guide.up": "Up",
    "guide.down": "Down",
    "guide.same": "Stays the same",
}

ZH = {
    "guide.toggle": "引导练习",
    "guide.toggle.help": "先预测，再核对：几道由本页数字生成的题目。换一个种子或换一组数据，就会出新题。",
    "guide.no_steps": "当前设置下没有合适的题目。改一下设置，练习就会开始。",
    "guide.no_fit": "当前设置下没有合适的题目：{reason}",
    "guide.hidden": ":material/visibility_off: 回答之后才显示：先预测，再点 **核对**。",
    "guide.step_of": "第 {k} 题（共 {n} 题）",
    "guide.check": "核对",
    "guide.pick_first": "请先选一个答案（或输入一个数）。",
    "guide.right": "答对了：{answer}。",
    "guide.wrong": "不太对：你的答案是 {given}，正确答案是 {answer}。",
    "guide.next": "下一题",
    "guide.score_button": "查看得分",
    "guide.score": "共 {total} 题，你答对了 {right} 题",
    "guide.again": "重新开始",
    "guide.renewed": "数字变了，题目也随之改变：开始一组新的练习。",
    "guide.presets": "教师预设",
    "guide.presets.help": "每个链接都会在新标签页中用能说明一个要点的设置打开本页，并开启引导练习。右键点击链接即可复制，分享给学生。",
    "guide.up": "升高",
    "guide.down": "降低",
    "guide.same": "不变",
}
