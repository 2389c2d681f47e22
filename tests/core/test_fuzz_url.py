"""Fuzzing every URL parameter parser of every page (called as ``ui.url_state.read`` calls them).

The Query page keeps its few own parsers in its page script; its q and mask
are parse_vectors and parse_positions, fuzzed in test_fuzz.py.

The property: a parser returns a value or raises one of the errors
``url_state.read`` turns into the "ignored link setting" warning
(InputError, ValueError, TypeError), within 2 s and 200 MB.  Anything
else would reach the student as a traceback.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from attention_core.errors import InputError
from tests.core.fuzzing import FUZZ, holds
from ui import layout
from ui.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

# every module that holds URL parsers: the shared inputs, and every module of every registered page's folder
# (ui/layout.py PAGES; not page.py, a script that runs when imported): a new lesson's parsers are fuzzed unlisted
SHARED_MODULES = ("ui.sequence_input", "ui.scoring_input")


def lesson_modules() -> list[str]:
    """The importable modules of every registered page's folder (``lessons/<lesson>/*.py`` but its page script)."""
    folders = sorted({Path(spec["page"]).parent for spec in layout.entries()})
    return [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for folder in folders
        for path in sorted((ROOT / folder).glob("*.py"))
        if path.name != "page.py"
    ]


def url_parsers() -> dict[str, object]:
    found = {}
    for name in SHARED_MODULES + tuple(lesson_modules()):
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, Settings):
                found |= {f"{value.prefix}.{param}": parse for param, parse in value.parsers.items()}
            elif attr.endswith("PARSERS") and isinstance(value, dict):
                found |= {f"{name.removeprefix('ui.')}.{param}": parse for param, parse in value.items()}
    return found


PARSERS = url_parsers()
CAUGHT = (InputError, ValueError, TypeError)  # what url_state.read catches

HOSTILE = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from(list("0123456789.-+eE,;: _xnaifNI")), max_size=60),
    st.sampled_from(
        [
            "nan",
            "NaN",
            "inf",
            "-inf",
            "1e999",
            "-0",
            "0x10",
            "1_000",
            "٣",
            "²",
            "",
            " ",
            "9" * 5000,
            "1" * 4301,
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "%00",
            "\x00",
            "../../etc/passwd",
            "{{7*7}}",
            "$(reboot)",
        ]
    ),
)


def test_every_page_has_url_parsers_to_fuzz():
    assert len(PARSERS) >= 40


@FUZZ
@given(st.sampled_from(sorted(PARSERS)), HOSTILE)
@example("sequence_input.n", "9" * 5000)
@example("sequence_input.d", "1e999")
def test_url_parameters(name, raw):
    # no message needed: url_state.read names the parameter in its own warning
    holds("url parameters", lambda: PARSERS[name](raw), CAUGHT, message=False)
