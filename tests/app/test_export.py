"""Export: every chart's toolbar, and the page as one self-contained HTML file (figures, settings, numbers)."""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import plotly.graph_objects as go
import pytest

from ui import export
from ui.figures import bar_chart
from ui.i18n import catalogs

from .helpers import no_errors
from .pages import LESSON_SCRIPTS, open_page, page_id


class Page(HTMLParser):
    """What a browser would find in the exported file: scripts (and their src), sections, table cells, links."""

    def __init__(self):
        super().__init__()
        self.scripts, self.sections, self.cells, self.links, self.headings = [], [], [], [], []
        self._in, self._text = None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "section":
            self.sections.append(attrs.get("data-key"))
        if tag == "a":
            self.links.append(attrs.get("href"))
        if tag in ("td", "th", "h2"):
            self._in, self._text = tag, []

    def handle_data(self, data):
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == self._in:
            (self.headings if tag == "h2" else self.cells).append("".join(self._text))
            self._in = None


def parsed(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def chart_keys(at) -> list[str]:
    return [el.proto.id.split("-", 2)[-1] for el in at.get("plotly_chart")]


def test_user_text_in_the_export_is_escaped():
    evil = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    spec = bar_chart(np.array([0.25, 0.75]), [evil, "b"], title=evil, y_title="w").to_dict()
    record = export.PageRecord(page="query", title=evil, url="/query", settings={"q": evil}, words={})
    record.figures["chart.evil"] = (export._title_text(spec), spec, "page")
    text = record.html()
    page = parsed(text)
    assert "<script>alert" not in text and "<img" not in text
    assert [s for s in page.scripts if s] == []  # no script tag with attributes, let alone src
    assert len(page.scripts) == 2  # plotly.js and the one chart
    assert evil in page.cells  # the setting, shown as text
    assert page.sections == ["chart.evil"]


def test_large_matrices_are_summarised_not_printed():
    z = np.random.default_rng(0).random((80, 80))
    fig = go.Figure(go.Heatmap(z=z), dict(title=dict(text="big")))
    record = export.PageRecord(page="x", title="x", words={"too_large": "{rows} × {cols} too many"})
    record.figures["chart.big"] = ("big", fig.to_dict(), "page")
    text = record.html()
    assert "80 × 80 too many" in text
    assert text.count("<td>") == 0


def test_a_matrix_downloads_as_labelled_csv_and_as_npy():
    import io

    import pandas as pd

    values = np.array([[0.25, 0.75], [1.0, 0.0]])
    frame = pd.read_csv(io.StringIO(export.matrix_csv(values, ["o1", "o2"], ["a", "b"])), index_col=0)
    assert list(frame.index) == ["o1", "o2"] and list(frame.columns) == ["a", "b"]
    np.testing.assert_array_equal(frame.to_numpy(), values)
    np.testing.assert_array_equal(np.load(io.BytesIO(export.matrix_npy(values)), allow_pickle=False), values)


@pytest.mark.parametrize("page", LESSON_SCRIPTS, ids=page_id)
def test_every_page_exports_every_chart_it_drew(page):
    at = open_page(page)
    at.selectbox(key="w.lang").set_value("zh").run()
    no_errors(at)
    text = at.session_state["_export.record"].html()
    parsed_page = parsed(text)
    assert parsed_page.sections == chart_keys(at) and parsed_page.sections
    assert all("src" not in script for script in parsed_page.scripts)
    assert (
        "<html lang='zh-CN'>" in text and catalogs()["zh"]["export.exported"] in text
    )  # the file speaks the page's language


def test_every_chart_goes_through_show():
    """A chart drawn with st.plotly_chart directly would miss the shared toolbar, projector mode and the export."""
    from tests.sources import ROOT, app_files

    direct = [
        str(path.relative_to(ROOT))
        for path in app_files("lessons", "ui")
        if ".plotly_chart(" in path.read_text() and path != ROOT / "ui" / "figures.py"
    ]
    assert direct == []


def test_tests_validate_every_drawn_figure_the_server_does_not():
    # ui.figures.show hands st.plotly_chart an unvalidated Figure on the server (a validated dict costs a rebuild);
    # under the test suite every figure is validated, so a builder's typo still fails a test
    import plotly.graph_objects as go
    import pytest

    from ui import figures

    assert figures.VALIDATE_SHOWN
    with pytest.raises(ValueError):
        go.Figure({"data": [{"type": "bar", "y": [1], "opacity": "very"}]}, _validate=figures.VALIDATE_SHOWN)
    go.Figure({"data": [{"type": "bar", "y": [1], "opacity": "very"}]}, _validate=False)  # the server checks names only
