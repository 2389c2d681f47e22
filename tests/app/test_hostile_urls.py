"""Hostile links: every page given nonsense, out-of-range, huge, NaN, repeated and injection-like URL
parameters runs without a traceback, keeps its defaults for what it rejects, says so in exactly one
warning naming the rejected parameters, and finishes quickly."""

from __future__ import annotations

import importlib
import time
from pathlib import Path

import pytest

from ui.i18n import catalogs

from .helpers import no_errors
from .pages import HOME, PAGE_SCRIPTS, ROOT, open_page, page_id

EN = catalogs()["en"]
RUN_SECONDS = 20  # generous: a hang or a huge allocation takes far longer; a normal run takes ~1 s

# parameters that take free text (a sentence, a followed word): they may legitimately hold any characters, so
# they are checked by what the page shows, not by a warning
FREE_TEXT = ("text", "text2", "follow")
# parameters every page reads from a link besides its own (``lang`` is read only on a session's first run: its own
# test): projector mode, and a live class's room, teacher key, seat and projector view (ui/live/links.py)
SHARED = ("projector", "room", "teacher", "seat", "board")


def link_parameters(page: str) -> tuple[str, ...]:
    """Every parameter ``page`` reads from a link: its lesson's ``LINK_PARAMETERS`` (in one module of its folder) and
    the parameters every page reads.  The home page's two are listed here: it has no module but its script."""
    if page == HOME:
        return ("q1", "q2") + SHARED
    folder = Path(page).parent
    for path in sorted((ROOT / folder).glob("*.py")):
        if path.name != "page.py":
            module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
            if hasattr(module, "LINK_PARAMETERS"):
                return tuple(module.LINK_PARAMETERS) + SHARED
    raise AssertionError(f"{folder}: no module declares the page's LINK_PARAMETERS")


# {page script: (its link parameters, those that take free text)} for every page of the registry (ui/layout.py PAGES)
PAGES = {
    page: (link_parameters(page), tuple(p for p in link_parameters(page) if p in FREE_TEXT)) for page in PAGE_SCRIPTS
}

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


def test_every_registered_page_declares_its_link_parameters():
    for page, (params, _) in PAGES.items():
        assert len(params) > len(SHARED), f"{page}: no LINK_PARAMETERS"


@pytest.mark.parametrize("page", PAGE_SCRIPTS, ids=page_id)
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_values_fall_back_to_defaults_with_one_warning(warm, page, kind):
    params, free_text = PAGES[page]
    value = HOSTILE[kind]
    at, elapsed = run_with(page, {name: value for name in params})
    rejected = [p for p in params if p not in free_text and not (value == "" and p in EMPTY_IS_VALID)]
    expect_clean_fallback(at, elapsed, rejected, {name: value for name in params})


# values a parser shared by several pages accepts, but that do not fit the rest of a view (8 tokens, 2 heads, an 8×8
# grid…) are each lesson's to test, in its lessons/<lesson>/tests/test_<lesson>_state.py with ``assert_falls_back``;
# the home page's:
UNFIT_HOME = [({"projector": "2"}, ("projector",))]


def assert_falls_back(page: str, values: dict, rejected) -> None:
    """A link to ``page`` holding ``values`` opens without an error, quickly, with one warning naming every parameter
    in ``rejected``, each left at its default (the first visit, which loads models, is not what is timed)."""
    no_errors(run_with(page, {})[0])
    at, elapsed = run_with(page, values)
    expect_clean_fallback(at, elapsed, rejected, values)


def link_id(values: dict) -> str:
    return "&".join(f"{name}={value}" for name, value in values.items())


@pytest.mark.parametrize(("values", "rejected"), UNFIT_HOME, ids=[link_id(values) for values, _ in UNFIT_HOME])
def test_home_values_that_do_not_fit_fall_back_with_one_warning(values, rejected):
    assert_falls_back(HOME, values, rejected)


@pytest.mark.parametrize("value", ["fr", "ZH", "٣", "<script>"])
def test_an_unknown_language_is_named_in_the_warning(value):
    at = open_page(lang=value)  # the link a student opens: the language is read on the session's first run
    no_errors(at)
    assert at.session_state["lang"] == "en"
    (warning,) = at.warning
    assert warning.value.endswith(" lang.")
