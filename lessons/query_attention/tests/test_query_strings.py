"""The Query lesson's Chinese words, read as a maths teacher would: what a sentence says the formula does, it does."""

from __future__ import annotations

from lessons.query_attention.strings import EN, ZH


def test_the_temperature_divides_each_score_in_chinese_too():
    # "去除每个得分" reads as "removes each score"; T divides them (除以)
    assert "除以温度 T" in ZH["guide.query.temperature.explain"]
    assert not [key for key, text in ZH.items() if "去除" in text]


def test_a_split_is_not_an_even_split():
    # "平分" says "halve equally"; the preset's x4 and x5 share the attention unequally
    assert "平分" not in ZH["guide.query.preset.split"] and "split" in EN["guide.query.preset.split"]


def test_the_query_lesson_says_masked_one_way():
    # the page says 掩码 (the sidebar's mask box, the charts' "已掩码"): the preset said 掩蔽
    assert not [key for key, text in ZH.items() if "掩蔽" in text]
