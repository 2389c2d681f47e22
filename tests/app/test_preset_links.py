"""The teacher presets and a few hand-made links open the same view as before issue 22's refactor (commit 409818d).

``tests/data/preset_links_before.json`` holds what the old code drew for every README preset of the Query,
Self-attention, Image and Seq2seq pages (today's README links and the old one's) and for a few hand-made links a
page: the link the page published, one fingerprint per chart of its traces' numbers, and its words (markdown,
captions, alerts, metrics).
``tests/data/record_links.py`` says how to record it again.  (The Transformer and Complexity pages have their own
tests, recorded before their own change: ``test_transformer_links.py``, ``test_complexity_links.py``.)

What must be equal, and what may differ on purpose:
- The charts' numbers, for the same settings: always.
- The links are opened without ``guide=``: issue 21 gave every preset its own question (``guide=<step>``) and each
  question hides what it asks, so which charts wait for an answer changed on purpose; the views themselves did not.
- Both today's README links and the old README's are recorded with the old code: today's carry defaults the old ones
  left out (``mask=&scale=1.0``, ``attn=self&wseed=0``, ``view=head``) and one preset gained a setting (Image
  ``row``/``col``), which the old code read too; the old ones are links teachers may have saved.
- The link the page publishes: always the same.
- The words (markdown, captions, alerts, metrics), except those changed on purpose (``CHANGED``, each with its reason).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest

from tests.app.helpers import no_errors
from tests.app.pages import open_page
from tests.app.test_readme_presets import SCRIPTS, readme_presets
from tests.data.record_links import drawn

RECORDED = Path(__file__).resolve().parents[1] / "data" / "preset_links_before.json"
PAGES = ("query", "self-attention", "image", "seq2seq")  # url paths; Transformer and Complexity: their own tests

# a few links a page beyond its presets: other settings, other views (the old code read each of these parameters)
HANDMADE = {
    "query": {
        "scaled_random": {
            "kind": "random",
            "n": "6",
            "d": "3",
            "seed": "7",
            "method": "scaled_dot",
            "temperature": "2",
        },
        "additive": {"kind": "clusters", "n": "10", "d": "5", "seed": "2", "method": "additive", "pseed": "3"},
        "general_masked": {"method": "general", "mask": "1,2", "q": "1,0,-1,0.5"},
        "cosine_scaled": {"method": "cosine", "scale": "2.5", "temperature": "0.5"},
    },
    "self-attention": {
        "three_heads_padded": {"n": "7", "d": "6", "d_model": "12", "heads": "3", "pad": "2", "wseed": "4"},
        "head_pick": {"heads": "4", "head": "3", "i": "2", "j": "5", "temperature": "0.5"},
        "cross_all": {"attn": "cross", "m": "5", "heads": "2", "view": "all"},
        "causal_seed": {"kind": "random", "seed": "9", "mask": "causal", "view": "all"},
    },
    "image": {
        "own_cell": {"view": "own", "row": "3", "col": "4"},
        "own_topk": {"view": "own", "row": "6", "col": "2", "topk": "5", "temperature": "0.5"},
        "moved": {"view": "move", "move": "2"},
    },
    "seq2seq": {
        "reverse_word": {"task": "reverse", "view": "try", "text": "banana"},
        "copy_short": {"task": "copy", "view": "try", "text": "cat"},
    },
}


# words a page changed on purpose since 409818d: {a pattern a word matches: why}; left out on both sides
CHANGED = {
    # the sidebar's preset list: issue 21 gave every preset its own question (guide=<step>) and reworded some
    r"(?s)^- \[.*\]\(.*guide=": "issue 21: presets open on their own question",
    # the metric now prints 2 decimals, as the bars and the strip do (the Query lesson's views.py)
    r"^Largest weight: ": "one number reads one way on the Query page",
    # the Why view asks which model copes with long inputs; the answer is now a sentence computed from the curves
    r"^Without attention the decoder must squeeze": "issue 21: the Why view asks before it tells",
    r"^At \d+ letters the model with attention is exactly right": "issue 21: the Why view's computed answer",
}


def compared(words: list[str]) -> list[str]:
    """The words a link must reproduce: spacing unified (a no-break space now keeps "98.3 %" on one line), the
    words changed on purpose left out."""
    words = [word.replace("\xa0", " ") for word in words]
    return [word for word in words if not any(re.search(pattern, word) for pattern in CHANGED)]


def split(link: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(link)
    return parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))


def without_guide(params: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in params.items() if k != "guide"}


def readme_links(links: list[str], prefix: str) -> dict[str, dict]:
    """{"<prefix><url path>#<row>": {"page", "params"}}: a README table's links of the pages compared here, without
    their question."""
    out, count = {}, {}
    for link in links:
        path, params = split(link)
        if path in PAGES:
            count[path] = count.get(path, 0) + 1
            out[f"{prefix}{path}#{count[path]}"] = {"page": SCRIPTS[path], "params": without_guide(params)}
    return out


def links_to_record(old_readme: list[str]) -> dict[str, dict]:
    """{name: {"page", "params"}}: today's README links, the old README's (``old_readme``: a link saved before still
    opens its view), and the hand-made ones."""
    out = readme_links([link for _, link in readme_presets()], "readme:")
    out |= readme_links(old_readme, "old readme:")
    for path, links in HANDMADE.items():
        for name, params in links.items():
            out[f"{path}:{name}"] = {"page": SCRIPTS[path], "params": params}
    return out


BEFORE = json.loads(RECORDED.read_text(encoding="utf-8")) if RECORDED.exists() else {}


def same_charts(now: list, before: list) -> None:
    assert len(now) == len(before), f"{len(now)} charts, {len(before)} before"
    for i, (a, b) in enumerate(zip(now, before)):
        np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-5, err_msg=f"chart {i + 1}")


def test_every_link_is_recorded():
    """Today's README links and the hand-made ones, as they are now (the old README's: whatever it held)."""
    now = links_to_record([])
    assert {
        name: {"page": BEFORE[name]["page"], "params": BEFORE[name]["params"]} for name in now if name in BEFORE
    } == now
    assert any(name.startswith("old readme:") for name in BEFORE)


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_a_link_draws_what_it_drew_before(name):
    """The same link, old code against new: the same charts, the same published link, the same words."""
    before = BEFORE[name]
    at = open_page(before["page"], **before["params"])
    no_errors(at)
    now = drawn(at)
    same_charts(now["charts"], before["charts"])
    assert now["link"] == before["link"]
    assert compared(now["words"]) == compared(before["words"])


def table_links(readme: str) -> list[str]:
    """The links of a README's preset table (as ``test_readme_presets.readme_presets`` reads today's)."""
    lines = readme.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| page | preset |"))
    return [line.rsplit("`", 2)[1] for line in lines[start + 2 :] if line.startswith("|") and line.count("`") >= 2]


if __name__ == "__main__":  # the links to record, from the README named on the command line: see record_links.py
    old_readme = Path(sys.argv[1]).read_text(encoding="utf-8")
    json.dump(links_to_record(table_links(old_readme)), sys.stdout, ensure_ascii=False, indent=1)
