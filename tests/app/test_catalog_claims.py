"""No catalog string states a measured number as a literal ("about 2", "≈ 1", "slope 2", "约 4 倍").

A sentence that claims what a page's numbers are must take them from the
numbers (a ``{field}`` filled by the page), so it cannot contradict them.  A
few numbers are definitions, not measurements; they are listed with the
reason they may stay literal.
"""

from __future__ import annotations

import re

import pytest

from ui.i18n import catalogs

NUMBER = r"[−-]?\d"
CLAIMS = (
    re.compile(rf"\b(about|approximately|roughly|around|nearly|almost)\s+(as\s+|like\s+)?{NUMBER}", re.IGNORECASE),
    re.compile(rf"[≈~∼]\s*{NUMBER}"),
    re.compile(rf"\bslopes?\s+(of\s+|is\s+|=\s*|≈\s*)?{NUMBER}", re.IGNORECASE),
    re.compile(rf"(约|大约|大概|近似|斜率)\s*(为|是|=|≈)?\s*{NUMBER}"),
)
# key: why its number is a definition, not a claim about measured numbers
DEFINITIONS = {
    "tm.recompute.max_diff.help": "float32 carries about 7 significant digits: a property of the number format",
}


def claims(text: str) -> list[str]:
    return [m.group(0) for pattern in CLAIMS for m in pattern.finditer(text)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_catalog_string_states_a_number_claim_as_a_literal(lang):
    found = {
        key: claims(text)
        for key, text in catalogs()[lang].items()
        if isinstance(text, str) and key not in DEFINITIONS and claims(text)
    }
    assert not found, f"literal number claims (make them {{fields}} filled from the numbers): {found}"


def test_the_pattern_finds_the_claims_it_is_for():
    for text in ("slopes about 1 for local", "slope ≈ 2", "(≈ 1)", "slope 2", "约 4 倍", "斜率 ≈ 2", "roughly as 1/√r"):
        assert claims(text), text
    for text in ("slope {slope}", "≈ {factor}", "About {k}×", "n ≤ {max}", "斜率 {slope:.2f}", "O(n²)", "w ≥ n − 1"):
        assert not claims(text), text


def test_every_definition_still_exists():
    keys = catalogs()["en"].keys()
    assert set(DEFINITIONS) <= keys
