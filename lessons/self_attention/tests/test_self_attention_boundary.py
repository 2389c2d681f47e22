"""The Self-attention page behind the page boundary: an error in its views' fragment meets it too."""

from __future__ import annotations

from tests.app.helpers import no_errors
from tests.app.pages import open_page
from tests.app.test_boundary import EN, SECRET, visible_text


def test_an_error_inside_a_lesson_fragment_meets_the_boundary_too(monkeypatch):
    """The views of Self-attention live in an st.fragment; an error there must not show Streamlit's error box."""
    import lessons.self_attention.views as saviews

    at = open_page("lessons/self_attention/page.py")
    no_errors(at)

    def broken(*args, **kwargs):
        raise RuntimeError(f"internal failure in {SECRET}")

    monkeypatch.setattr(saviews, "_matrix_figure", broken)  # what the head view draws its matrices with
    at.run()
    assert not at.exception, "a traceback reached the page"
    assert [e.value for e in at.error] == [EN["boundary.message"]]
    assert SECRET not in visible_text(at)
