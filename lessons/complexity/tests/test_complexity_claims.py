"""Every claim the Complexity page and the README make about the measurements is what the numbers say.

The page's sentences of the form "about k" / "≈ k" are read back from the page and checked against the slopes
recomputed (numpy, here) from the chart's own points; fake measurements whose slopes are not whole numbers must
not read "about 1".
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from attention_core.complexity import Measurement, from_csv
from lessons.complexity import controls
from tests.app.helpers import figure, no_errors, trace
from tests.app.pages import ROOT, open_page
from ui.i18n import catalogs

PAGE = "lessons/complexity/page.py"
CATALOG = catalogs()
TOLERANCE = 0.25  # "about k" within this of k (the page's rule, restated here so the test does not borrow it)


def chart_slopes(at) -> dict[str, dict]:
    """{method name: {"slope", "below", "n_from"}} recomputed from the time chart: filled points fitted, by numpy."""
    spec = figure(at, "chart.complexity.time")
    out = {}
    for index, data in enumerate(spec["data"]):
        line = trace(at, "chart.complexity.time", index)
        n, y = np.asarray(line["x"], float), np.asarray(line["y"], float)
        filled = np.array([s == "circle" for s in data["marker"]["symbol"]])
        slope = np.polyfit(np.log(n[filled]), np.log(y[filled]), 1)[0]
        lower = n <= n[filled].min()
        below = np.polyfit(np.log(n[lower]), np.log(y[lower]), 1)[0] if lower.sum() >= 2 else None
        out[data["name"]] = {"slope": slope, "below": below, "n_from": int(n[filled].min()), "n": n, "filled": filled}
    return out


def caption(at, lang: str) -> str:
    start = CATALOG[lang]["complexity.time_caption"][:20]
    (found,) = [c.value for c in at.caption if c.value.startswith(start)]
    return found


def claims(text: str, lang: str) -> list[tuple[str, int | None, float]]:
    """[(method, k or None, slope)] from the caption's "Fitted slopes" sentence."""
    words = CATALOG[lang]
    head, tail = words["complexity.slopes"].split("{items}")
    body = text[text.index(head) + len(head) :]
    end = re.search(re.escape(tail.strip()) + r"(?=\s|$)", body)  # the sentence's end, not a decimal point
    body = body[: end.start()] if end else body
    about = re.escape(words["complexity.slope.about"]).replace(r"\{method\}", "(?P<m>.+)")
    about = about.replace(r"\{k\}", r"(?P<k>\d+)").replace(r"\{slope\}", r"(?P<s>-?\d+\.\d\d)")
    plain = re.escape(words["complexity.slope.is"]).replace(r"\{method\}", "(?P<m>.+)")
    plain = plain.replace(r"\{slope\}", r"(?P<s>-?\d+\.\d\d)")
    out = []
    for item in body.split(words["complexity.list_sep"].strip()):
        item = item.strip().rstrip(".。")
        if match := re.fullmatch(about, item):
            out.append((match["m"].strip(), int(match["k"]), float(match["s"])))
        elif match := re.fullmatch(plain, item):
            out.append((match["m"].strip(), None, float(match["s"])))
        else:
            raise AssertionError(f"a slope claim the test cannot read: {item!r}")
    return out


def assert_claims_hold(at, lang: str) -> list:
    slopes = chart_slopes(at)
    said = claims(caption(at, lang), lang)
    assert {m for m, _, _ in said} == set(slopes)
    for method, k, printed in said:
        slope = slopes[method]["slope"]
        assert printed == pytest.approx(slope, abs=0.006), (method, printed, slope)
        if k is not None:  # "about k" only where the slope is near k
            assert abs(slope - k) <= TOLERANCE, (method, k, slope)
        else:  # and the slope itself where it is near no whole number
            assert abs(slope - round(slope)) > TOLERANCE, (method, slope)
        n = slopes[method]["n"]  # the filled points: the upper half of the sizes in log n (at least three)
        mid = (np.log2(n.min()) + np.log2(n.max())) / 2
        expect = np.log2(n) >= mid
        if expect.sum() < 3:
            expect = n >= np.sort(n)[-min(3, len(n))]
        assert (slopes[method]["filled"] == expect).all(), method
    # the annotations at the lines' ends print the same slopes
    labels = [a["text"] for a in figure(at, "chart.complexity.time")["layout"]["annotations"]]
    assert sorted(labels) == sorted(CATALOG[lang]["complexity.slope"].format(slope=s) for _, _, s in said)
    return said


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_reference_slopes_read_as_the_chart_says(lang):
    at = open_page(PAGE)
    if lang != "en":
        at.selectbox(key="w.lang").set_value(lang).run()
    no_errors(at)
    said = assert_claims_hold(at, lang)
    assert len(said) == len(controls.DEFAULTS["methods"])


def fake(
    exponents: dict[str, float], overhead: float = 0.0, scale=1e-9, ns=(512, 1024, 2048, 4096, 8192, 16384, 32768)
):
    """Measurements growing like n^p (on top of a fixed cost of ``overhead`` seconds a call)."""
    return [
        Measurement(method, n, 64, 256, 64, 256, 1, overhead + scale * n**p, 4 * n, 0.0)
        for method, p in exponents.items()
        for n in ns
    ]


def test_a_slope_that_is_not_about_1_is_not_called_about_1():
    at = open_page(PAGE, methods="exact,local,linear,performer")
    at.session_state[controls.RESULTS_KEY] = fake({"exact": 2.0, "local": 1.0, "linear": 0.6, "performer": 1.5})
    at.run()
    no_errors(at)
    said = {m: (k, s) for m, k, s in assert_claims_hold(at, "en")}
    assert said["linear (elu+1)"] == (None, 0.6) and said["Performer (random features)"] == (None, 1.5)
    assert said["local window"] == (1, 1.0) and said["exact (attend)"] == (2, 2.0)
    text = caption(at, "en")
    # the Performer grows faster than its work: the page says so, with its slope and its FLOPs' exponent
    assert (
        CATALOG["en"]["complexity.steeper.item"].format(method="Performer (random features)", slope="1.50", k=1) in text
    )


def test_a_fixed_cost_flattens_the_small_sizes_and_the_page_says_where():
    """Linear attention with a 0.2 ms fixed cost a call: flatter below, slope about 1 where the work dominates."""
    results = fake({"exact": 2.0}) + fake({"linear": 1.0}, 2e-4, 1e-7, ns=tuple(2**k for k in range(9, 17)))
    at = open_page(PAGE, methods="exact,linear")
    at.session_state[controls.RESULTS_KEY] = results
    at.run()
    no_errors(at)
    said = {m: (k, s) for m, k, s in assert_claims_hold(at, "en")}
    assert said["linear (elu+1)"][0] == 1
    slopes = chart_slopes(at)["linear (elu+1)"]
    item = CATALOG["en"]["complexity.flatter.item"].format(
        method="linear (elu+1)", below=f"{slopes['below']:.2f}", n=slopes["n_from"]
    )
    assert slopes["below"] < 0.75 and item in caption(at, "en")


def test_the_error_view_says_what_its_curves_show():
    at = open_page(PAGE, view="error")
    no_errors(at)
    start = CATALOG["en"]["complexity.error_caption"][:20]
    (text,) = [c.value for c in at.caption if c.value.startswith(start)]
    local = figure(at, "chart.complexity.error.local")
    x = np.asarray(trace(at, "chart.complexity.error.local", 0)["x"])
    max_out, max_w = (np.asarray(trace(at, "chart.complexity.error.local", i)["y"]) for i in (0, 2))
    assert local["data"][2]["name"] == CATALOG["en"]["complexity.err.max_w"]
    first_exact = int(x[np.argmax((max_out < 1e-6) & (max_w < 1e-6))])
    assert f"from w = {first_exact} on" in text
    r = np.asarray(trace(at, "chart.complexity.error.performer", 1)["x"])
    mean_out = np.asarray(trace(at, "chart.complexity.error.performer", 1)["y"])
    slope = np.polyfit(np.log(r), np.log(mean_out), 1)[0]
    assert f"r^{slope:.2f}".replace("-", "−") in text


def test_the_readme_slopes_are_the_reference_slopes():
    """The README's walkthrough prints the slopes of the shipped reference, fitted the page's way."""
    readme = (ROOT / "README.md").read_text()
    at = open_page(PAGE, methods="exact,chunked,local,linear,performer")
    slopes = {name.split(" ")[0].lower(): v["slope"] for name, v in chart_slopes(at).items()}
    found = re.search(
        r"exact (\d\.\d\d), chunked (\d\.\d\d), local (\d\.\d\d), linear (\d\.\d\d),\s+Performer (\d\.\d\d)", readme
    )
    assert found, "the README's walkthrough no longer prints the slopes"
    for method, printed in zip(("exact", "chunked", "local", "linear", "performer"), found.groups()):
        assert float(printed) == pytest.approx(slopes[method], abs=0.006), method
    assert "about 2 for exact attention, about 1 for the others" in " ".join(readme.split())
    assert all(abs(slopes[m] - 1) <= TOLERANCE for m in ("local", "linear", "performer"))
    assert all(abs(slopes[m] - 2) <= TOLERANCE for m in ("exact", "chunked"))


def test_the_shipped_reference_is_a_run_of_the_benchmark():
    """reference.csv: exact attention on 512 … 8192, the methods whose work grows like n on to 65536."""
    rows = from_csv((ROOT / "lessons" / "complexity" / "reference.csv").read_text())
    sizes = {m: sorted(r.n for r in rows if r.method == m) for m in {r.method for r in rows}}
    assert sizes["exact"] == [512, 1024, 2048, 4096, 8192]
    assert sizes["linear"] == sizes["local"] == sizes["performer"] == [2**k for k in range(9, 17)]


def test_the_memory_caption_says_what_the_bars_show():
    at = open_page(PAGE, view="memory")
    no_errors(at)
    bars = trace(at, "chart.complexity.bars")
    assert bars["y"][1] == "exact (attend)"
    n = int(re.search(r"n = (\d+)", figure(at, "chart.complexity.bars")["layout"]["title"]["text"])[1])
    said = CATALOG["en"]["complexity.memory_exact"].format(n=n, ratio=f"{bars['x'][1] / bars['x'][0]:.1f}")
    assert any(said in c.value for c in at.caption), said


ABOUT = re.compile(r"(\babout\b|≈|约为?)\s*(?P<k>[−-]?\d+(\.\d+)?)")
# "most" and "least" as claims about the numbers ("at most 4096", "at least three" are limits, not claims)
MOST = re.compile(r"\b(?<!at )(most|least)\b|\b(largest|smallest|fastest|slowest)\b|最多|最少|最快|最慢")


def template(text: str) -> re.Pattern:
    """A catalog string as a pattern its filled-in form matches."""
    parts = re.split(r"\{[^}]*\}", text)
    return re.compile(".*?".join(re.escape(part) for part in parts), re.DOTALL)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_about_or_most_claim_on_every_view_is_one_the_numbers_were_checked_for(lang):
    """Walk every view: each "about k" / "≈ k" the page prints is a slope claim checked above, and a "most" or
    "least" comes only from a label the catalog fixes (no such sentence about the numbers is computed here)."""
    from tests.app.leaks import texts

    labels = [template(text) for text in CATALOG[lang].values() if MOST.search(text)]
    for view in controls.VIEWS:
        at = open_page(PAGE, view=view)
        if lang != "en":
            at.selectbox(key="w.lang").set_value(lang).run()
        no_errors(at)
        checked = {(k, s) for _, k, s in assert_claims_hold(at, lang)} if view == "time" else set()
        for text in texts(at):
            for match in ABOUT.finditer(text):
                slope = re.match(r"\s*[（(](\d+\.\d\d)[）)]", text[match.end() :])
                assert slope and (int(match["k"]), float(slope[1])) in checked, (view, text[:200])
            for match in MOST.finditer(text):
                assert any(label.search(text) for label in labels), (view, text[:200])
