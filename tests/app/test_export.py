"""Export: every chart's toolbar, and the page as one self-contained HTML file (figures, settings, numbers)."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import numpy as np
import plotly.graph_objects as go
import pytest

from ui import export
from ui.figures import bar_chart
from ui.i18n import catalogs

from .conftest import LESSON_SCRIPTS, open_page, page_id
from .helpers import bars, no_errors

QUERY = "lessons/query_attention/page.py"


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


def test_every_chart_shares_one_toolbar_named_after_page_and_chart():
    at = open_page(QUERY)
    configs = {el.proto.id.split("-", 2)[-1]: json.loads(el.proto.config) for el in at.get("plotly_chart")}
    assert configs, "the page drew no chart"
    for key, config in configs.items():
        options = config["toImageButtonOptions"]
        assert options["format"] == "png" and options["scale"] == 2
        assert options["filename"] == "attention-explorer-query-" + key.removeprefix("chart.").replace(".", "-")
        assert config["displaylogo"] is False
    at.radio(key="w.export.format").set_value("svg").run()
    assert {json.loads(el.proto.config)["toImageButtonOptions"]["format"] for el in at.get("plotly_chart")} == {"svg"}


def test_the_exported_page_holds_every_chart_its_numbers_and_its_link():
    at = open_page(QUERY, temperature=0.5)
    no_errors(at)
    drawn = chart_keys(at)
    text = at.session_state["_export.record"].html()
    page = parsed(text)
    # every chart of the page, once, in the order drawn, with its title
    assert page.sections == drawn
    titles = {
        el.proto.id.split("-", 2)[-1]: json.loads(el.proto.spec)["layout"]["title"]["text"]
        for el in at.get("plotly_chart")
    }
    assert page.headings[1:] == [titles[key] for key in drawn]  # the first h2 is "Settings"
    # plotly.js once, inline; nothing fetched from the network
    assert all("src" not in script for script in page.scripts)
    assert text.count("Plotly.newPlot(") == len(drawn)
    assert "<link" not in text  # no style sheet from elsewhere either
    # the numbers: the weights the chart shows, in its table
    weights = bars(at, "chart.weights")
    for w in weights:
        assert f"{w:.4g}" in page.cells
    # the settings and the page's link
    # (named as the page names it: issue 21 — the raw URL key "temperature" is for the link only)
    assert catalogs()["en"]["scoring.temperature"] in page.cells and "0.5" in page.cells
    assert any(link and link.startswith("/query?") and "temperature=0.5" in link for link in page.links)


def test_a_view_switched_in_the_fragment_leaves_only_its_own_chart():
    at = open_page(QUERY)
    assert "chart.inputs" in at.session_state["_export.record"].figures
    (view,) = at.button_group
    view.set_value("projection").run()
    no_errors(at)
    figures = at.session_state["_export.record"].figures
    assert "chart.projection" in figures and "chart.inputs" not in figures
    assert list(figures) == chart_keys(at)


def test_a_new_page_starts_a_new_record():
    def html_buttons(at) -> list:
        return [b for b in at.get("download_button") if b.proto.label == catalogs()["en"]["export.html"]]

    at = open_page(QUERY)
    assert len(html_buttons(at)) == 1
    at.switch_page("lessons/home/page.py").run()
    record = at.session_state["_export.record"]
    assert record.page == "home" and record.figures == {}
    assert html_buttons(at) == []  # a page without charts offers no HTML export (there would be nothing in it)


def test_user_text_in_the_export_is_escaped():
    evil = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    spec = bar_chart(np.array([0.25, 0.75]), [evil, "b"], title=evil, y_title="w")
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
    from .conftest import ROOT

    direct = [
        str(path.relative_to(ROOT))
        for path in [*(ROOT / "lessons").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
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
