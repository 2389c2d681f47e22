"""Hostile links: every page given nonsense, out-of-range, huge, NaN, repeated and injection-like URL
parameters runs without a traceback, keeps its defaults for what it rejects, says so in exactly one
warning naming the rejected parameters, and finishes quickly."""

from __future__ import annotations

import time

import pytest

from ui.i18n import catalogs

from .conftest import PAGE_SCRIPTS, open_page, page_id
from .helpers import no_errors

EN = catalogs()["en"]
HOME = "lessons/home/page.py"
RUN_SECONDS = 20  # generous: a hang or a huge allocation takes far longer; a normal run takes ~1 s

# {page script: (every parameter the page reads from a link, those that take free text)}: the test data of
# every page in the registry (ui/layout.py PAGES), which the tests below walk.
# Free text (a sentence, a query's numbers) may legitimately hold any characters; it is checked
# by what the page shows, not by a warning.
PAGES = {
    HOME: (("q1", "q2"), ()),
    "lessons/query_attention/page.py": (
        ("kind", "n", "d", "seed", "method", "temperature", "mask", "pseed", "scale", "q", "view", "zoom"),
        (),
    ),
    "lessons/self_attention/page.py": (
        ("kind", "n", "d", "seed", "attn", "m", "d_model", "heads", "wseed", "mask", "pad", "hide")
        + ("temperature", "head", "i", "j", "zoom", "view"),
        (),
    ),
    "lessons/transformer_model/page.py": (
        ("text", "text2", "model", "layer", "head", "view", "token", "follow", "hide"),
        ("text", "text2", "follow"),
    ),
    "lessons/image_attention/page.py": (
        ("sample", "move", "view", "features", "patch", "method", "temperature", "row", "col", "topk"),
        (),
    ),
    "lessons/seq2seq/page.py": (
        ("task", "scoring", "lo", "hi", "hidden", "steps", "seed", "view", "text", "pick", "own"),
        ("text",),
    ),
    "lessons/speech/page.py": (
        ("clip", "view", "token", "layer", "head", "language", "heads", "normalise", "filter"),
        (),
    ),
    "lessons/complexity/page.py": (
        ("n", "methods", "block", "window", "features", "threads", "view", "approx", "step_block", "small_window")
        + ("step",),
        (),
    ),
}

# parameters every page reads from a link besides its own (``lang`` is read only on a session's first run: its own test)
SHARED = ("projector",)
PAGES = {page: (params + SHARED, free_text) for page, (params, free_text) in PAGES.items()}

# values no parameter of any page accepts (except as free text)
HOSTILE = {
    "nonsense": "banana",
    "negative": "-7",
    "huge": str(10**12),
    "many_digits": "9" * 5000,
    "long": "x" * 5000,
    "nan": "nan",
    "unicode_digits": "٣",  # Arabic-Indic 3: Python's int() reads it, a link must not
    "inf": "inf",
    "minus_inf": "-inf",
    "script": "<script>alert(1)</script>",
    "sql": "'; DROP TABLE users; --",
    "path": "../../etc/passwd",
    "nul": "a\x00b",
    "percent_nul": "%00",
    "unicode": "注意力🙂\u202e",
    "empty": "",
    "repeated": ["1", "banana", "-3"],
}


def run_with(page: str, values: dict) -> tuple:
    """The page opened from a link holding ``values``, and the seconds that took."""
    start = time.perf_counter()
    at = open_page(page, **values)  # the home page: the link is there from the first run
    return at, time.perf_counter() - start


def warnings_of(at) -> list[str]:
    return [str(w.value) for w in at.warning]


# parameters for which an empty value means something: no hidden positions, no second sentence
EMPTY_IS_VALID = ("mask", "hide", "text2", "model")  # "" = the bundled model


def expect_clean_fallback(at, elapsed: float, rejected, values: dict) -> None:
    """No error, quick, one warning naming every parameter in ``rejected``, none of which the page published."""
    no_errors(at)
    assert elapsed < RUN_SECONDS, f"{elapsed:.1f} s"
    warnings = [w for w in warnings_of(at) if w.startswith(EN["url.bad_params"].split("{")[0])]
    assert len(warnings) == 1, warnings_of(at)
    named = warnings[0].split(":", 1)[1]
    for name in rejected:
        assert f" {name}," in named or f" {name}." in named, (name, warnings[0])
        # the rejected value is not in the link the page publishes: its setting stayed at its default
        published = at.query_params.get(name)
        assert published in (None, []) or published != values[name], (name, published)


@pytest.fixture(scope="module")
def warm():
    """Every page opened once: a first visit loads models and imports transformers, which is not what is timed."""
    for page in PAGES:
        no_errors(run_with(page, {})[0])


def test_every_registered_page_has_its_link_parameters_here():
    assert sorted(PAGES) == sorted(PAGE_SCRIPTS), "a page of ui/layout.py PAGES needs its parameters in PAGES here"


@pytest.mark.parametrize("page", PAGE_SCRIPTS, ids=page_id)
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_values_fall_back_to_defaults_with_one_warning(warm, page, kind):
    params, free_text = PAGES[page]
    value = HOSTILE[kind]
    at, elapsed = run_with(page, {name: value for name in params})
    rejected = [p for p in params if p not in free_text and not (value == "" and p in EMPTY_IS_VALID)]
    expect_clean_fallback(at, elapsed, rejected, {name: value for name in params})


# values a parser shared by several pages accepts, but that do not fit the rest of this view (8 tokens, 2 heads,
# an 8×8 grid, the n × n matrices of Self-attention…): [(page, the link, the parameters it must name)]
UNFIT = [
    ("lessons/query_attention/page.py", {"mask": "4000", "q": "1,2,3"}, ("mask", "q")),
    (
        "lessons/self_attention/page.py",
        {"i": "4000", "j": "4000", "head": "16", "pad": "4000", "hide": "4000:4000"},
        ("i", "j", "head", "pad", "hide"),
    ),
    ("lessons/self_attention/page.py", {"n": "4096"}, ("n",)),  # the Query page's cap; this page draws n × n
    ("lessons/self_attention/page.py", {"n": "4096", "i": "3000"}, ("n", "i")),  # i is checked against the n kept
    ("lessons/transformer_model/page.py", {"layer": "200", "head": "200", "token": "4000"}, ("layer", "head", "token")),
    ("lessons/image_attention/page.py", {"row": "500", "col": "500"}, ("row", "col")),
    ("lessons/seq2seq/page.py", {"text": "abc", "task": "date"}, ("text",)),
    ("lessons/query_attention/page.py", {"projector": "yes"}, ("projector",)),
    (HOME, {"projector": "2"}, ("projector",)),
    ("lessons/complexity/page.py", {"step_block": "16", "step": "3"}, ("step",)),  # block 16 of 32: two blocks
]


def link_id(page: str, values: dict) -> str:
    return page.split("/")[1] + "?" + "&".join(f"{name}={value}" for name, value in values.items())


@pytest.mark.parametrize(
    ("page", "values", "rejected"), UNFIT, ids=[link_id(page, values) for page, values, _ in UNFIT]
)
def test_values_that_do_not_fit_the_view_fall_back_with_one_warning(warm, page, values, rejected):
    at, elapsed = run_with(page, values)
    expect_clean_fallback(at, elapsed, rejected, values)


def test_a_self_attention_link_with_n_within_its_cap_is_used(warm):
    at, _ = run_with("lessons/self_attention/page.py", {"n": "64"})
    no_errors(at)
    assert not warnings_of(at)
    assert dict(at.query_params)["n"] == "64"


# seq2seq lengths: the link's lo and hi are used, the other end moves to fit; never an error box instead of the lesson
# [(the link, the lengths the page then trains on)]
LENGTH_LINKS = [
    ({"lo": "15"}, (15, 15)),  # above the default longest (10): the longest rises with it
    ({"hi": "3"}, (3, 3)),  # below the default shortest (5): the shortest comes down with it
    ({"lo": "15", "hi": "3"}, (3, 15)),  # both, the wrong way round: swapped
    ({"lo": "7"}, (7, 10)),  # fits the default longest: nothing else moves
    ({"hi": "20", "lo": "20"}, (20, 20)),
]


@pytest.mark.parametrize(
    ("values", "lengths"),
    LENGTH_LINKS,
    ids=[link_id("lessons/seq2seq", values) for values, _ in LENGTH_LINKS],
)
def test_seq2seq_lengths_from_a_link_are_used_never_an_error_box(warm, values, lengths):
    at, elapsed = run_with("lessons/seq2seq/page.py", values)
    no_errors(at)
    assert elapsed < RUN_SECONDS
    assert not warnings_of(at), warnings_of(at)  # every value given was used
    assert at.sidebar.slider[0].value == lengths  # the lengths slider
    published = {name: str(v) for name, v in dict(at.query_params).items() if name in ("lo", "hi")}
    defaults = {"lo": 5, "hi": 10}
    assert published == {name: str(n) for name, n in zip(("lo", "hi"), lengths) if n != defaults[name]}
    assert at.get("button_group"), "the lesson's view picker is drawn"


@pytest.mark.parametrize("value", ["fr", "ZH", "٣", "<script>"])
def test_an_unknown_language_is_named_in_the_warning(value):
    at = open_page(lang=value)  # the link a student opens: the language is read on the session's first run
    no_errors(at)
    assert at.session_state["lang"] == "en"
    (warning,) = at.warning
    assert warning.value.endswith(" lang.")
