"""InputError carries a key and parameters; the English sentence comes from one table; every raise names a real key."""

from __future__ import annotations

import copy
import pickle
import string

import pytest

from attention_core.errors import MESSAGES, TERMS, InputError, Term, render
from attention_core.uploads import load_sequence

from .error_sites import sites


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_raise_in_the_core_names_a_key_of_the_table():
    found = sites()
    assert len(found) > 120  # the scan reads the whole core
    unknown = [(s.where, s.key) for s in found if s.key not in MESSAGES]
    assert not unknown, unknown


def test_every_raise_passes_every_parameter_its_sentence_needs():
    missing = [(s.where, s.key, fields(MESSAGES[s.key]) - set(s.params)) for s in sites()]
    assert [m for m in missing if m[2]] == []


def test_every_key_of_the_table_is_raised_somewhere():
    assert set(MESSAGES) - {s.key for s in sites()} == set()


def test_the_english_sentence_is_the_template_filled_with_the_parameters():
    err = InputError("upload.row_length", row=3, count=3, first=2, expected=2)
    assert err.key == "upload.row_length"
    assert err.params == {"row": 3, "count": 3, "first": 2, "expected": 2}
    assert str(err) == "Row 3 has 3 numbers but row 2 has 2; every row needs the same number of values."


def test_english_plurals_follow_the_number():
    assert str(InputError("upload.row_length", row=3, count=1, first=2, expected=2)).startswith("Row 3 has 1 number ")
    assert str(InputError("keys.values_count", keys=1, values=2)).startswith("There is 1 key but 2 values")
    assert str(InputError("keys.values_count", keys=2, values=1)).startswith("There are 2 keys but 1 value;")


def test_a_term_is_said_in_the_language_of_the_table_it_is_looked_up_in():
    err = InputError("tensor.not_numbers", name=Term("keys"))
    assert str(err) == "The keys must be an array of numbers."
    assert render("{name}必须是数组。", err.params, {"keys": "键"}.get) == "键必须是数组。"
    assert render("{name}!", {"name": Term("W_Q")}) == "W_Q!"  # a symbol without an entry stays as it is


def test_a_raised_upload_error_has_its_key_and_the_numbers_for_another_language():
    with pytest.raises(InputError) as info:
        load_sequence(b"1,2\n3\n", "bad.csv")
    assert info.value.key == "upload.row_length"
    assert info.value.params == {"row": 2, "count": 1, "first": 1, "expected": 2}
    assert "Row 2 has 1 number but row 1 has 2" in str(info.value)


def test_a_sentence_that_is_not_a_key_stays_the_message():
    err = InputError("Every cell of X must hold a number; the edit was undone.")
    assert err.key is None and str(err) == "Every cell of X must hold a number; the edit was undone."


def test_copy_and_pickle_keep_the_key_and_parameters():
    err = InputError("steer.no_token", token=9, n=8)
    for clone in (copy.copy(err), pickle.loads(pickle.dumps(err))):
        assert (clone.key, clone.params, str(clone)) == (err.key, err.params, str(err))


def test_every_term_has_an_english_word():
    assert all(word.strip() for word in TERMS.values())


# the helpers whose second argument becomes a Term in their InputError
TERM_TAKERS = {"whole_number", "_positive", "as_float_tensor", "check_memory", "_tokens"}


def test_every_word_a_helper_is_given_for_its_message_is_a_term():
    import ast

    from .error_sites import CORE

    words = []
    for path in CORE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(getattr(node, "func", None), "id", None) or getattr(
                getattr(node, "func", None), "attr", None
            )
            if isinstance(node, ast.Call) and name in TERM_TAKERS and len(node.args) > 1:
                arg = node.args[1]
                if isinstance(arg, ast.Constant):
                    words.append((f"{path.name}:{node.lineno}", arg.value))
    assert len(words) > 10
    assert [w for w in words if w[1] not in TERMS] == []
