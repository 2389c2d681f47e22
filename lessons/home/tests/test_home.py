"""The home page: the formulas, the live example (in the link too) and the tour of every registered lesson."""

from __future__ import annotations

import numpy as np
import torch

from tests.app.helpers import no_errors
from tests.app.pages import open_page
from ui.i18n import catalogs


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
