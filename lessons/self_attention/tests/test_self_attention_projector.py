"""The Self-attention page opened from a link in projector mode (tests/app/test_projector.py: the styling itself)."""

from __future__ import annotations

from tests.app.helpers import no_errors
from tests.app.pages import open_page


def test_a_link_with_projector_1_opens_in_projector_mode():
    at = open_page("lessons/self_attention/page.py", projector=1)
    no_errors(at)
    assert at.toggle(key="w.projector").value is True
    assert at.query_params["projector"] == "1"
