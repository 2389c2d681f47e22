"""Links open the same view as before the page moved onto the template (issue 22): the presets and a few links,
each drawn number compared with what the old page drew (recorded from commit 57b2acd in
``complexity_links_before.json``), and the link the page publishes unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.app.helpers import no_errors
from tests.app.leaks import numbers
from tests.app.pages import open_page

PAGE = "lessons/complexity/page.py"
BEFORE = json.loads((Path(__file__).with_name("complexity_links_before.json")).read_text())


@pytest.mark.parametrize("before", BEFORE, ids=lambda b: "&".join(f"{k}={v}" for k, v in b["link"].items()) or "plain")
def test_a_link_draws_what_it_drew_before(before):
    at = open_page(PAGE, **before["link"])
    no_errors(at)
    drawn = numbers(at)
    assert len(drawn) == len(before["numbers"])
    np.testing.assert_allclose(drawn, before["numbers"], rtol=1e-5, atol=1e-6)  # float32 round-off differs by CPU
    assert {k: at.query_params[k] for k in at.query_params} == before["query"]
