"""Every InputError the core can raise, said in English and in 简体中文 by the UI (issue 21, item 8)."""

from __future__ import annotations

import re
import string

import pytest

from attention_core.errors import MESSAGES, TERMS, InputError, Quoted, Term
from tests.core.error_sites import sites
from ui.feedback import say
from ui.i18n import catalogs

# Latin words a Chinese sentence may keep: file formats, units, code names, the model and task names, the
# month abbreviations the date task reads, and identifiers the student types or sees in formulas.
KEPT_LATIN = {
    "MB", "PNG", "JPEG", "UTF", "WAV", "FLAC", "OGG", "MP3", "JSON", "NaN", "npy", "npz", "Python", "True", "False", "Hugging", "Face", "Hub",
    "config", "json", "python", "training", "train_image_model", "safetensors", "bert", "base", "uncased", "BERT",
    "MultiheadAttention", "add_bias_kv", "add_zero_attn", "num_heads", "d_model", "W_Q", "W_O", "W", "Jan", "Feb",
    "Dec", "Nov", "none", "general", "additive", "values", "w_name", "m", "n", "d", "q", "k", "a", "z",
}  # fmt: skip
FIELD = re.compile(r"\{[A-Za-z_]+(?:[:!][^}]*)?\}")


def fields(template: str) -> dict[str, str]:
    return {name: spec for _, name, spec, _ in string.Formatter().parse(template) if name}


def sample(site, count: int) -> InputError:
    """The site's error with a number for every parameter (a Term where the site passes one)."""
    zh = catalogs()["zh"]["error." + site.key]
    params = {}
    for name, spec in (fields(MESSAGES[site.key]) | fields(zh)).items():
        if site.is_term(name):
            params[name] = Term("keys")
        elif site.is_quoted(name):
            params[name] = Quoted(("$", " ")[:count])
        elif any(c in spec for c in "fg,"):
            params[name] = count + 0.5
        else:
            params[name] = count
    return InputError(site.key, **params)


def english_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z_][A-Za-z_0-9]*", text) if w not in KEPT_LATIN]


SITES = {site.key: site for site in sites()}


@pytest.mark.parametrize("key", sorted(MESSAGES))
@pytest.mark.parametrize("count", [1, 3])
def test_every_error_is_said_in_both_languages(key, count):
    table = catalogs()
    assert "error." + key in table["en"] and "error." + key in table["zh"], key
    err = sample(SITES[key], count)
    english, chinese = say(err, "en"), say(err, "zh")
    assert english == str(err)
    for text in (english, chinese):
        assert not FIELD.search(text), text  # no {field} left
    assert re.search(r"[\u4e00-\u9fff]", chinese), chinese
    assert english_words(chinese) == [], chinese


def test_the_chinese_sentence_uses_every_number_the_english_one_does():
    # a Chinese template must not drop what the English sentence tells the student (a row, a limit)
    zh = catalogs()["zh"]
    lost = {key: set(fields(text)) - set(fields(zh["error." + key])) for key, text in MESSAGES.items()}
    # the one exception: a Chinese date names the month by its number ("2 月"), not as the student typed it ("Feb")
    assert {key: names for key, names in lost.items() if names} == {"task.no_such_day": {"month"}}


def test_every_term_has_a_chinese_word():
    zh = catalogs()["zh"]
    for term in TERMS:
        word = zh["error.term." + term]
        assert english_words(word) == [] and word.strip() == word, (term, word)


def test_a_latin_term_is_spaced_from_the_chinese_that_follows():
    assert say(InputError("number.not_whole", name=Term("n")), "zh") == "n 必须是整数。"
    assert say(InputError("number.not_whole", name=Term("seed")), "zh") == "随机种子必须是整数。"


def test_the_upload_error_of_the_trial_reads_in_chinese():
    err = InputError("upload.row_length", row=3, count=3, first=2, expected=2)
    assert say(err, "zh") == "第 3 行有 3 个数，而第 2 行有 2 个；每一行的数值个数必须相同。"
    assert say(err, "en") == "Row 3 has 3 numbers but row 2 has 2; every row needs the same number of values."


def test_the_characters_a_task_refuses_are_listed_the_chinese_way():
    from attention_core.toy_tasks import make_task

    with pytest.raises(InputError) as info:
        make_task("reverse").check("ab 3$", 20)
    assert say(info.value, "en") == 'This task only knows the letters a–z; remove the space, "$", "3".'
    assert say(info.value, "zh") == "这个任务只认识字母 a–z；请删掉空格、“$”、“3”。"


def test_a_sentence_without_a_key_is_shown_as_it_is():
    assert say(InputError("已经翻译好的句子。"), "zh") == "已经翻译好的句子。"
