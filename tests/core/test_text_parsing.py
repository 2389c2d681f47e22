"""Typed text: parse_vectors / format_vectors and parse_positions / format_positions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from attention_core.errors import InputError
from attention_core.text_parsing import format_positions, format_vectors, parse_positions, parse_vectors

# ======================================================= text parsers


@pytest.mark.parametrize(
    "text, d, expected",
    [
        ("1, 2, 3", 3, [[1, 2, 3]]),
        ("1 2 3", 3, [[1, 2, 3]]),
        ("1,2,3\n4,5,6", 3, [[1, 2, 3], [4, 5, 6]]),
        ("1,2,3; 4,5,6", 3, [[1, 2, 3], [4, 5, 6]]),
        ("  -1.5e2 , +0.25 \n\n", 2, [[-150, 0.25]]),
        ("1,,2", 2, [[1, 2]]),
    ],
)
def test_parse_vectors(text, d, expected):
    got = parse_vectors(text, d)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, np.array(expected, dtype=np.float64))


@pytest.mark.parametrize(
    "text, d, fragment",
    [
        ("", 3, "at least one query"),
        ("  \n ; ", 3, "at least one query"),
        ("1, 2", 3, "has 2 numbers"),
        ("1, 2, 3, 4", 3, "d = 3"),
        ("1, 2, 3\n1, 2", 3, "Query 2 has 2 numbers"),
        ("1, two, 3", 3, "'two' in query 1 is not a number"),
        ("1, nan, 3", 3, "NaN or infinity"),
        ("1, 2, inf", 3, "NaN or infinity"),
        ("1, 2, 1e999", 3, "NaN or infinity"),
        ("1;2;3", 1, "At most 2 queries"),
    ],
)
def test_parse_vectors_errors(text, d, fragment):
    max_rows = 2 if fragment.startswith("At most") else 64
    with pytest.raises(InputError, match=fragment):
        parse_vectors(text, d, max_rows=max_rows)


@settings(max_examples=200, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=st.floats(-1e6, 1e6)),
    st.integers(0, 6),
)
def test_format_then_parse_vectors_round_trips(q, decimals):
    text = format_vectors(q, decimals=decimals)
    back = parse_vectors(text, q.shape[1])
    assert back.shape == q.shape
    np.testing.assert_allclose(back, q, rtol=1e-12, atol=0.5 * 10.0**-decimals * (1 + 1e-9))
    # and the text is a fixed point
    assert format_vectors(back, decimals=decimals) == text


def test_format_vectors_examples():
    assert format_vectors(np.array([[1.0, -0.5, 100.0], [0.0, -0.0001, 2.25]])) == "1, -0.5, 100\n0, 0, 2.25"
    assert format_vectors(np.array([100.0, 20.0, -3.0]), decimals=0) == "100, 20, -3"
    assert format_vectors(np.array([1.23456]), decimals=2) == "1.23"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.integers(1, 50))
def test_fuzz_parse_vectors(text, d):
    try:
        q = parse_vectors(text, d)
    except InputError:
        return
    assert q.shape[1] == d and np.isfinite(q).all()


@pytest.mark.parametrize(
    "text, n, expected",
    [
        ("2, 5-7", 10, [1, 4, 5, 6]),
        ("7-5, 2", 10, [1, 4, 5, 6]),
        ("1;3 ; 3", 5, [0, 2]),
        ("", 5, []),
        (" , ,", 5, []),
        ("1-5", 5, [0, 1, 2, 3, 4]),
        ("4 - 4", 5, [3]),
    ],
)
def test_parse_positions(text, n, expected):
    assert parse_positions(text, n) == expected


@pytest.mark.parametrize(
    "text, n, fragment",
    [
        ("0", 5, "Position 0 is outside 1…5"),
        ("6", 5, "Position 6 is outside 1…5"),
        ("2-9", 5, "Position 9"),
        ("a", 5, "'a' is not a position"),
        ("1-2-3", 5, "is not a position"),
        ("-3", 5, "is not a position"),
        ("2-", 5, "is not a position"),
        ("1.5", 5, "is not a position"),
        ("²", 5, "is not a position"),
        ("9" * 5000, 5, "is not a position"),
        ("1-" + "9" * 5000, 5, "is not a position"),
    ],
)
def test_parse_positions_errors(text, n, fragment):
    with pytest.raises(InputError, match=fragment):
        parse_positions(text, n)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.integers(0, n - 1), max_size=40))))
def test_format_then_parse_positions_round_trips(n_indices):
    n, indices = n_indices
    text = format_positions(indices)
    assert parse_positions(text, n) == sorted(set(indices))
    assert format_positions(parse_positions(text, n)) == text


def test_format_positions_examples():
    assert format_positions([1, 4, 5, 6]) == "2, 5-7"
    assert format_positions([6, 4, 5, 1, 5]) == "2, 5-7"
    assert format_positions([]) == ""
    assert format_positions(np.array([0, 1])) == "1-2"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40) | st.text(alphabet="0123456789-,; ²٣", max_size=40), st.integers(1, 100))
def test_fuzz_parse_positions(text, n):
    try:
        got = parse_positions(text, n)
    except InputError:
        return
    assert got == sorted(set(got)) and all(0 <= i < n for i in got)


def test_typed_queries_obey_the_bound():
    with pytest.raises(InputError, match="beyond"):
        parse_vectors("1e200, 1", 2)


def test_a_query_of_one_number_is_counted_in_the_singular():
    with pytest.raises(InputError, match="Query 1 has 1 number, but each token has d = 2 dimensions"):
        parse_vectors("5", 2)


# ---------------------------------------------------- capped before split (issue 24, item 5)


def test_a_query_text_longer_than_its_queries_can_be_is_refused_before_it_is_split():
    d, rows = 4, 16
    most = rows * d * 32  # 32 characters a number, blanks and separators included
    long_numbers = ", ".join(["-0.1234567890123456789012345"] * d)  # 28-character numbers: far more than anyone types
    assert parse_vectors("\n".join([long_numbers] * rows), d, max_rows=rows).shape == (rows, d)
    with pytest.raises(InputError, match=f"The query text is {most + 1:,} characters long; the limit is {most:,}"):
        parse_vectors("1 " * (most // 2) + "1", d, max_rows=rows)


def test_a_positions_text_over_40960_characters_is_refused_before_it_is_split():
    every = ", ".join(str(i) for i in range(1, 4097))  # every position written out: 24,574 characters
    assert parse_positions(every, 4096) == list(range(4096))
    with pytest.raises(InputError, match="The positions are 40,961 characters long; the limit is 40,960"):
        parse_positions("1," * 20480 + "1", 4096)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.integers(1, 60)), max_size=12))
def test_merged_ranges_are_the_positions_each_range_names(ranges):
    # ranges are merged, not filled one by one (2,000 × "1-999999" in a link took 85 s)
    text = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in ranges)
    expected = sorted({i - 1 for a, b in ranges for i in range(min(a, b), max(a, b) + 1)})
    assert parse_positions(text, 60) == expected


def test_many_long_ranges_take_no_time():
    import time

    started = time.perf_counter()
    assert parse_positions(", ".join(["1-999999"] * 4000), 10**6) == list(range(999999))
    assert time.perf_counter() - started < 1
