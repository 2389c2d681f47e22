"""The guided lessons' questions (lessons/*/guide.py): what every step promises, and the catalogs' guide strings.

Each lesson's answers are computed again, independently, with plain torch and
numpy, in lessons/<lesson>/tests/test_<lesson>_guide_answers.py, which checks every step
with ``check_step`` here: the options must be distinct and hold the answer;
every string a step names exists in both languages.
"""

from __future__ import annotations

from ui.guide_steps import Step, Word
from ui.i18n import catalogs

SEEDS = range(8)


def check_step(step: Step) -> None:
    """The step's own promises: distinct options holding the answer, strings in both catalogs."""
    if step.options:
        assert len(step.options) >= 2
        assert len(set(step.options)) == len(step.options), step.options
        assert 0 <= step.answer < len(step.options)
    for lang in ("en", "zh"):
        table = catalogs()[lang]
        for part in ("explain", "question", "why"):
            assert table.get(step.key(part)), (lang, step.key(part))
        words = [v for v in step.values.values() if isinstance(v, Word)] + [
            o for o in step.options if isinstance(o, Word)
        ]
        for word in words:
            assert table.get(word.key), (lang, word.key)


def test_catalogs_have_the_same_guide_keys_and_no_empty_value():
    en, zh = catalogs()["en"], catalogs()["zh"]
    guide_en = {k for k in en if k.startswith("guide.")}
    assert guide_en == {k for k in zh if k.startswith("guide.")}
    assert all(str(table[k]).strip() for table in (en, zh) for k in guide_en)
