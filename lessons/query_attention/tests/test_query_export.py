"""The Query page's export: its charts' shared toolbar, the exported file's charts, numbers and link, a view switched
in the fragment, a new page's new record, the settings named in Chinese (tests/app/test_export.py and
test_export_settings.py: export on every page)."""

from __future__ import annotations

import json
import re

from tests.app.helpers import bars, no_errors
from tests.app.pages import HOME, open_page
from tests.app.test_export import chart_keys, parsed
from ui.i18n import catalogs

QUERY = "lessons/query_attention/page.py"


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
    at.switch_page(HOME).run()
    record = at.session_state["_export.record"]
    assert record.page == "home" and record.figures == {}
    assert html_buttons(at) == []  # a page without charts offers no HTML export (there would be nothing in it)


def test_the_chinese_export_names_the_settings_and_their_values_in_chinese():
    at = open_page(QUERY, guide=1, projector=1)
    at.selectbox(key="w.lang").set_value("zh").run()
    rec = at.session_state["_export.record"]
    zh = catalogs()["zh"]
    rows = dict(rec.readable)
    assert rows[zh["seq.kind"]] == zh["seq.kind.clusters"]
    assert rows[zh["scoring.method"]] == zh["scoring.method.dot"]
    assert rows[zh["seq.n"]] == "8"
    assert rows[zh["guide.toggle"]] == zh["export.on"]
    assert rows[zh["app.language"]] == "简体中文"
    text = rec.html()
    table = re.search(r"<table class='settings'>(.*?)</table>", text).group(1)
    cells = re.findall(r"<t[hd]>(.*?)</t[hd]>", table)
    for raw in ("kind", "clusters", "method", "dot", "guide", "projector", "lang"):
        assert raw not in cells, (raw, cells)
    # the link keeps the URL's own keys: it must still open the view
    assert "kind=clusters" in rec.link()
