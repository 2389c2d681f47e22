"""Input limits: the magnitude bound (check_values) and the one whole-number check."""

from __future__ import annotations

import numpy as np
import pytest

from attention_core.errors import InputError
from attention_core.limits import whole_number
from attention_core.multihead import MultiHeadParams
from attention_core.sequences import generate_sequence


def test_check_values_names_the_cell():
    from attention_core.limits import check_values

    with pytest.raises(InputError, match="Row 2, column 3"):
        check_values(np.array([[0, 0, 0], [0, 0, 5e6]]))
    with pytest.raises(InputError, match="finite"):
        check_values(np.array([[0, np.nan]]))


# ---- one whole-number check for every count (it used to be two that disagreed on 3.0 and True)


@pytest.mark.parametrize("value", [3, np.int64(3), np.int32(3), 3.0, np.float64(3.0)])
def test_whole_numbers_are_accepted_as_int(value):
    got = whole_number(value, "n")
    assert got == 3 and type(got) is int


@pytest.mark.parametrize("value", [3.5, float("nan"), float("inf"), True, np.bool_(False), "3", None, [3]])
def test_anything_else_is_refused(value):
    with pytest.raises(InputError, match="n must be a whole number"):
        whole_number(value, "n")


def test_generate_sequence_and_multi_head_params_agree_on_whole_numbers():
    # 3.0 was accepted by generate_sequence and refused by MultiHeadParams.random
    assert generate_sequence("gaussian", 4.0, np.int64(3), seed=2.0).values.shape == (4, 3)
    params = MultiHeadParams.random(8.0, np.int64(2), seed=1.0, d_in=3.0)
    assert (params.d_model, params.num_heads, params.w_q.shape[1]) == (8, 2, 3)
    torch_equal = MultiHeadParams.random(8, 2, seed=1, d_in=3).w_q
    np.testing.assert_array_equal(params.w_q.numpy(), torch_equal.numpy())
    # True was accepted by generate_sequence (as 1) and refused by MultiHeadParams
    for make in (lambda v: generate_sequence("gaussian", 4, 3, seed=v), lambda v: MultiHeadParams.random(8, 2, seed=v)):
        with pytest.raises(InputError, match="whole number"):
            make(True)
        with pytest.raises(InputError, match="whole number"):
            make(1.5)
