"""The Query page switched to Chinese: the navigation and the page translated, the settings kept, across a page
switch too."""

from __future__ import annotations

from tests.app.helpers import bars, no_errors
from tests.app.pages import HOME, open_page
from ui.i18n import catalogs

PAGE = "lessons/query_attention/page.py"


def test_switching_to_chinese_translates_the_navigation_and_the_page():
    at = open_page(PAGE)
    at.selectbox(key="w.lang").set_value("zh").run()
    no_errors(at)
    assert at.title[0].value == catalogs()["zh"]["query.title"]
    assert at.query_params["lang"] in ("zh", ["zh"])
    # the settings survive, now labelled in Chinese (translated widgets get a per-language key)
    assert at.radio(key="w.seq.source.zh").value == "generate"
    assert at.selectbox(key="w.seq.kind.zh").value == "clusters"
    assert at.selectbox(key="w.score.method.zh").value == "dot"
    assert len(bars(at, "chart.weights")) == 8
    # the choice survives a page switch
    at.switch_page(HOME).run()
    assert at.title[0].value == catalogs()["zh"]["home.title"]
