"""The home page, and the string catalog every page draws its words from."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import torch

from ui.i18n import catalogs

from .conftest import ROOT, open_page
from .helpers import bars, no_errors


def home_weights(at) -> np.ndarray:
    """The live example's weights as the home page shows them: one progress bar a token, "x1 ↑ · w₁ = 0.62".

    Returns the printed weights (2 decimals); checks each bar's length (a whole percent) against its number.
    """
    shown = at.get("progress")
    assert len(shown) == 3, shown
    printed = np.array([float(p.proto.text.rsplit("= ", 1)[1]) for p in shown])
    lengths = np.array([p.proto.value for p in shown])  # percent
    assert np.all(np.abs(lengths - 100 * printed) <= 1), (lengths, printed)
    return printed


def test_home_shows_the_formulas_and_a_live_example():
    at = open_page()
    no_errors(at)
    assert len(at.latex) >= 3
    x = np.array([[0.0, 2.0], [2.0, 0.0], [-2.0, 0.0]])
    np.testing.assert_allclose(home_weights(at), torch.softmax(torch.tensor(x @ [1.0, 0.5]), 0).numpy(), atol=0.005)
    at.slider(key="w.home.q1").set_value(-2.0).run()
    at.slider(key="w.home.q2").set_value(0.0).run()
    w = home_weights(at)
    np.testing.assert_allclose(w, torch.softmax(torch.tensor(x @ [-2.0, 0.0]), 0).numpy(), atol=0.005)
    assert w.argmax() == 2  # pointing left: x3 ← wins
    # the page's numpy arithmetic is attention_core's: a, w and o as printed
    from attention_core.attend import attend

    ref = attend(np.array([-2.0, 0.0]), x)
    printed = [v.value.strip("$\n") for v in at.latex[-3:]]
    for name, values in zip("awo", (ref.scores, ref.weights, ref.output)):
        assert f"{name} = [" + ", ".join(f"{s:.2f}" for s in values.numpy()) + "]" in printed


def test_home_example_lives_in_the_url():
    at = open_page()
    at.slider(key="w.home.q1").set_value(-1.5).run()
    assert at.query_params["q1"] in ("-1.5", ["-1.5"])
    linked = open_page(q1="-2.0", q2="0.0")  # a shared link to the home page
    no_errors(linked)
    assert linked.slider(key="w.home.q1").value == -2.0 and home_weights(linked).argmax() == 2


def test_home_links_every_registered_page():
    from ui.layout import PAGES

    at = open_page()
    linked = {link.proto.page for link in at.get("page_link")}
    lessons = {spec["url_path"] for section in PAGES.values() for spec in section if not spec.get("default")}
    assert lessons <= linked, lessons - linked


def test_the_home_tour_is_the_registry(monkeypatch):
    """The tour lists the registry's lessons in its order with their own words: a lesson is added (or removed) in
    ui/layout.py PAGES alone, never in a second list on the home page."""
    from ui import layout

    lessons = layout.PAGES["app.section.lessons"]
    monkeypatch.setitem(layout.PAGES, "app.section.lessons", lessons[:-1])  # a registry without its last lesson
    at = open_page()
    no_errors(at)
    assert [link.proto.page for link in at.get("page_link")] == [s["url_path"] for s in lessons[:-1]]
    monkeypatch.undo()

    EN = catalogs()["en"]
    at = open_page()
    tour = [(link.proto.page, link.proto.label) for link in at.get("page_link")]
    assert tour == [(s["url_path"], EN[f"{s['tour']}.label"]) for s in layout.lessons()]
    captions = [c.value for c in at.caption]
    assert all(EN[f"{s['tour']}.text"] in captions for s in layout.lessons())


KEY_PATTERN = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")


def _source_files() -> list[Path]:
    """Every Python file of the app: the lessons (at any depth), the shared UI, the entrypoint."""
    return sorted((ROOT / "lessons").rglob("*.py")) + sorted((ROOT / "ui").rglob("*.py")) + [ROOT / "app.py"]


def _used_keys(files=None) -> set[str]:
    """Every literal t("…") key in ``files`` (default: the whole app)."""
    keys = set()
    for path in files or _source_files():
        keys |= set(KEY_PATTERN.findall(Path(path).read_text()))
    return keys


def test_the_key_scan_reads_every_lesson():
    # a scan that reads no lesson passes whatever the lessons use: make sure it reads them all
    lessons = [path for path in _source_files() if "lessons" in path.parts]
    assert len(lessons) >= 4
    for page in ("query_attention", "self_attention", "transformer_model"):
        assert any(page in str(path) for path in lessons), page
        assert _used_keys([path for path in lessons if page in str(path)]), page


def test_every_used_key_has_english_text():
    english = catalogs()["en"]
    missing = sorted(k for k in _used_keys() if k not in english)
    assert not missing, missing


def test_a_missing_key_is_caught(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('st.title(t("lesson.no_such_key"))\n')
    english = catalogs()["en"]
    assert [k for k in _used_keys([page]) if k not in english] == ["lesson.no_such_key"]


def test_navigation_titles_are_catalog_keys():
    from ui.layout import PAGES

    table = catalogs()
    keys = set(PAGES) | {spec["title"] for specs in PAGES.values() for spec in specs}
    for lang in ("en", "zh"):
        assert keys <= set(table[lang]), (lang, sorted(keys - set(table[lang])))


def test_switching_to_chinese_translates_the_navigation_and_the_page():
    at = open_page("lessons/query_attention/page.py")
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
    at.switch_page("lessons/home/page.py").run()
    assert at.title[0].value == catalogs()["zh"]["home.title"]


def test_chinese_keys_exist_in_english():
    table = catalogs()
    assert set(table["zh"]) <= set(table["en"])


def test_both_catalogs_have_the_same_keys_and_no_empty_text():
    # issue 13: under lang=zh no page falls back to English (guided lessons included)
    table = catalogs()
    assert sorted(set(table["en"]) - set(table["zh"])) == []
    for lang, strings in table.items():
        empty = sorted(k for k, v in strings.items() if not str(v).strip())
        assert not empty, (lang, empty)
