"""User text (token labels, file names) is shown as plain text: no Markdown, LaTeX or HTML, no remote fetch.

A label ``![](//host/p.png)`` rendered as Markdown makes every viewer's browser
fetch an image from that host (a tracker); ``<img onerror>`` would run script.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from . import helpers

pytestmark = pytest.mark.e2e

LABELS = ["![](//example.invalid/p.png)", "<img src=x onerror=alert(1)>", "$x^2$", "**bold**"]
FILE_NAME = "**$n$** <b>x</b>.csv"
# q = e₁, e₂, −e₁, −e₂ makes token 1, 2, 3, 4 the most attended one
CSV = "token,d1,d2\n" + "\n".join(
    f"{label},{a},{b}" for label, (a, b) in zip(LABELS, [(3, 0), (0, 3), (-3, 0), (0, -3)])
)
QUERY_TEXT = ".st-key-w-q-text textarea"


def watch(page, app_url) -> dict:
    """Record requests to any other host and any dialog (alert) the page opens."""
    seen = {"foreign": [], "dialogs": []}
    own = urlsplit(app_url).netloc
    page.on("request", lambda r: seen["foreign"].append(r.url) if urlsplit(r.url).netloc not in ("", own) else None)
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    return seen


def upload(page, strings) -> None:
    source = page.locator(".st-key-w-seq-source")
    if source.locator("input[type=radio]").nth(1).is_checked() is False:
        helpers.rerun_after(page, lambda: source.locator("label").filter(has_text=strings["seq.source.upload"]).click())
    file_input = page.locator('[class*="st-key-w-seq-file"] input[type="file"]')
    helpers.rerun_after(
        page,
        lambda: file_input.set_input_files(files=[{"name": FILE_NAME, "mimeType": "text/csv", "buffer": CSV.encode()}]),
    )


def assert_plain(page, seen) -> None:
    """No formatted user text anywhere: no image or math in the app, no bold label, nothing fetched, no dialog."""
    main = page.locator('[data-testid="stApp"]')
    assert main.locator('img[src*="example.invalid"], img[src="x"]').count() == 0
    assert not [s for s in main.locator("strong").all_inner_texts() if s.strip() in ("bold", "n", "$n$")]
    assert (
        main.locator(
            '[data-testid="stSidebar"] .katex, [data-testid="stMetric"] .katex, [data-testid="stAlert"] .katex'
        ).count()
        == 0
    )
    assert not seen["dialogs"], seen["dialogs"]
    assert not seen["foreign"], f"requests left for other hosts: {seen['foreign']}"


def test_labels_and_file_names_show_as_text(page, app_url, shots, strings):
    seen = watch(page, app_url)
    # Self-attention with every key padded away: the warning names the queries by their labels
    helpers.open_app(page, app_url + "/self-attention?mask=padding&pad=100", min_charts=3)
    upload(page, strings)
    helpers.assert_no_error_box(page)

    caption = page.locator('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]').filter(has_text="n = 4")
    assert FILE_NAME in caption.inner_text(), caption.inner_text()
    warning = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text=LABELS[0])
    text = warning.inner_text()
    assert all(label in text for label in LABELS), text
    ticks = page.locator(".st-key-chart-sa-weights .xtick text").all_text_contents()
    assert ticks == LABELS, ticks
    assert_plain(page, seen)
    helpers.screenshot(page, shots, "user-text-self-attention")

    # the Query page (same session: the menu keeps the uploaded sequence): the most attended token
    page.locator('[data-testid="stTopNavLink"], [data-testid="stTopNavSection"]').first.wait_for()
    section = page.locator('[data-testid="stTopNavSection"]')
    if section.count():
        section.filter(has_text=strings["app.section.lessons"]).click()
        link = page.locator('[data-testid="stTopNavDropdownLink"]').filter(has_text=strings["nav.query"])
    else:
        link = page.locator('[data-testid="stTopNavLink"]').filter(has_text=strings["nav.query"])
    helpers.rerun_after(page, link.first.click)
    helpers.wait_charts(page, min_count=2)
    box = page.locator(QUERY_TEXT)
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=strings["query.max_token"])
    for q, label in zip(["1, 0", "0, 1", "-1, 0", "0, -1"], LABELS):
        if helpers.numbers(helpers.filled_value(box)) != helpers.numbers(q):
            box.fill(q)
            helpers.rerun_after(page, lambda: box.press("Control+Enter"), changes="chart.weights")
        value = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
        assert value == label, (q, value)
    assert page.locator('[data-testid="stSidebar"]').get_by_text(FILE_NAME, exact=False).count() >= 1
    helpers.assert_no_error_box(page)
    assert_plain(page, seen)
    helpers.screenshot(page, shots, "user-text-query")
    assert not page.e2e_js_errors, page.e2e_js_errors


def test_a_refused_file_name_shows_as_text(page, app_url, strings):
    seen = watch(page, app_url)
    helpers.open_app(page, app_url + "/query", min_charts=2)
    source = page.locator(".st-key-w-seq-source")
    helpers.rerun_after(page, lambda: source.locator("label").filter(has_text=strings["seq.source.upload"]).click())
    name = "![](//example.invalid/q.png) $y$.csv"
    file_input = page.locator('[class*="st-key-w-seq-file"] input[type="file"]')
    helpers.rerun_after(
        page, lambda: file_input.set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": b"1,2\n3\n"}])
    )
    alert = page.locator('[data-testid="stAlertContentError"]')
    alert.first.wait_for()
    assert name in alert.first.inner_text(), alert.first.inner_text()
    assert_plain(page, seen)


SENTENCE = "<img src=x onerror=alert(1)> <script>alert(2)</script> **bold** $x^2$ ![](//example.invalid/s.png)"


def test_sentences_and_inputs_show_as_text(page, app_url, shots, strings):
    """The Transformer page's sentences (from a link: the same path as typed text) and the seq2seq input."""
    from urllib.parse import urlencode

    seen = watch(page, app_url)
    link = urlencode({"text": SENTENCE, "text2": SENTENCE.upper(), "view": "compare", "follow": "<b>x</b>"})
    helpers.open_app(page, app_url + "/model?" + link, timeout=120_000)
    helpers.assert_no_error_box(page)
    assert helpers.filled_value(page.locator(".st-key-w-tm-text textarea")) == SENTENCE
    # the word to follow is in neither sentence: the warning quotes it, and lists the tokens, as text
    warning = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="<b>x</b>")
    assert "* * bold * * $ x ^ 2 $" in warning.first.inner_text(), warning.first.inner_text()
    assert_plain(page, seen)
    assert page.locator('[data-testid="stApp"] script:has-text("alert(2)")').count() == 0
    helpers.screenshot(page, shots, "user-text-transformer")

    helpers.open_app(page, app_url + "/seq2seq", min_charts=1)
    box = page.locator(".st-key-w-s2s-text input")
    box.fill("$x$ **<b>")
    helpers.rerun_after(page, lambda: box.press("Enter"))
    alert = page.locator('[data-testid="stAlertContentError"]')
    alert.first.wait_for()
    assert '"$", "*", "<", ">"' in alert.first.inner_text(), alert.first.inner_text()
    assert_plain(page, seen)
    assert not page.e2e_js_errors, page.e2e_js_errors
