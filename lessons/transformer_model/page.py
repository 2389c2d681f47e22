"""Transformer model: attention inside a real pretrained encoder (all-MiniLM-L6-v2, 6 layers × 12 heads)."""

from __future__ import annotations

import io
import os
import re

import numpy as np
import pandas as pd
import streamlit as st

# attention_core.model_attention imports transformers inside its functions, so the
# first import of transformers happens below, in get_model(), on this page only.
from attention_core import (
    HEAD_STATISTICS,
    InputError,
    LoadedModel,
    ModelAttention,
    RecomputedAttention,
    attention_rollout,
    find_token,
    head_statistics,
    load_model,
    model_attention,
    recompute_layer_attention,
    special_token_mask,
)
from attention_core.model_attention import BUNDLED_MODEL_NAME, MAX_MODEL_TOKENS
from lessons.transformer_model import figures as model_figures
from ui import figures, url_state
from ui.i18n import language, t
from ui.settings import Settings
from ui.text import md_escape

PAGE = "model"
VIEWS = ("head", "model", "matrix", "rollout", "recompute", "stats", "compare")
# {example: (sentence, second sentence, the word to follow in Compare)}
EXAMPLES = {
    "tired_wide": (
        "The animal didn't cross the street because it was too tired.",
        "The animal didn't cross the street because it was too wide.",
        "it",
    ),
    "trophy": (
        "The trophy doesn't fit into the brown suitcase because it is too large.",
        "The trophy doesn't fit into the brown suitcase because it is too small.",
        "it",
    ),
    "bank": ("I went to the bank to deposit my money.", "We sat on the bank of the river and watched the boats.", "bank"),
    "with": ("She ate the cake with a fork.", "She ate the cake with a cherry.", "with"),
    "chinese": ("猫坐在垫子上。", "狗坐在垫子上。", "上"),
}
# layer 4, head 2 (0-based 3, 1): a head whose "it" row is worth a look in the first example (the page says what it holds)
DEFAULTS = {
    "text": EXAMPLES["tired_wide"][0],
    "text2": EXAMPLES["tired_wide"][1],
    "follow": "it",
    "model": "",  # "" = the bundled model
    "layer": 3,
    "head": 1,
    "view": "head",
    "token": -1,  # -1 = all tokens
    "hide": False,
}
MAX_URL_TEXT = 2000  # characters; the model refuses more than MAX_MODEL_TOKENS tokens anyway
HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]{0,95}(/[A-Za-z0-9][\w.-]{0,95})?")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
STATE = st.session_state


# ------------------------------------------------------------------ cached model calls


@st.cache_resource(show_spinner=False, max_entries=2)  # the bundled model and one from the hub: memory is scarce
def get_model(model_id: str) -> LoadedModel:
    """One loaded model per server ("" = the bundled one); shared read-only by every session."""
    return load_model(model_id or None)


@st.cache_data(show_spinner=False, max_entries=64)
def forward(_model: LoadedModel, model_id: str, text: str) -> ModelAttention:
    return model_attention(_model, text, max_tokens=MAX_MODEL_TOKENS)


@st.cache_data(show_spinner=False, max_entries=64)
def recompute(_model: LoadedModel, model_id: str, text: str, layer: int) -> RecomputedAttention:
    return recompute_layer_attention(_model, forward(_model, model_id, text), layer)


# ------------------------------------------------------------------ state: canonical "tm.*", widgets "w.tm.*"


_settings = Settings("tm")
_canon, _widget, _bind, _follow, _copy = _settings.canon, _settings.widget, _settings.bind, _settings.follow, _settings.copy


def _set(name: str, value) -> None:
    STATE[_canon(name)] = value  # its widget follows (Settings.follow)


def _on_example() -> None:
    choice = STATE.get(_widget("example"))
    if choice in EXAMPLES:
        text, text2, follow = EXAMPLES[choice]
        STATE[_widget("text")], STATE[_widget("text2")] = text, text2
        _set("follow", follow)
    STATE[_widget("example")] = None  # the box offers examples; it does not hold a setting


def _clicked(chart_key: str) -> list[list[int]]:
    """customdata of the points clicked in ``chart_key``, each as a list of ints (markers without it are skipped)."""
    event = STATE.get(chart_key)
    found = []
    for point in event.selection.points if event else []:
        data = point.get("customdata")
        if isinstance(data, dict):  # a typed array arrives as {"0": …, "1": …}
            data = [data[k] for k in sorted(data, key=int)]
        if data is not None:
            found.append([int(v) for v in (data if isinstance(data, list) else [data])])
    return found


def _on_token_click() -> None:
    picked = _clicked("chart.tm.head")
    _set("token", picked[0][0] if picked else -1)  # clicking the chosen token again shows all


def _on_head_click() -> None:
    picked = [p for p in _clicked("chart.tm.model") if len(p) == 2]
    if picked:
        _set("layer", picked[0][0])
        _set("head", picked[0][1])
        _set("view", "matrix")


def _open_matrix() -> None:
    _set("view", "matrix")


def _text(raw: str) -> str:
    if len(raw) > MAX_URL_TEXT:
        raise ValueError(raw)
    return raw


for _name, _value in DEFAULTS.items():
    STATE.setdefault(_canon(_name), _value)

if url_state.entering(PAGE):
    found = url_state.read(
        {
            "text": _text,
            "text2": _text,
            "model": lambda raw: raw.strip()[:200],
            "layer": url_state.int_in(1, 256),
            "head": url_state.int_in(1, 256),
            "view": url_state.one_of(VIEWS),
            "token": url_state.int_in(1, 4096),
            "follow": lambda raw: raw[:50],
            "hide": url_state.one_of(("0", "1")),
        }
    )
    # text and model are tried like typed input (kept only if they work); the rest is set directly
    for name in ("text", "text2", "model"):
        if name in found:
            STATE[_widget(name)] = found[name]
    STATE["_tm.url_text"] = "text" in found  # a link's token number belongs to the link's text
    for name in ("layer", "head", "token"):
        if name in found:
            _set(name, found[name] - 1)
    for name in ("view", "follow"):
        if name in found:
            _set(name, found[name])
    if "hide" in found:
        _set("hide", found["hide"] == "1")


# ------------------------------------------------------------------ model and sentences


def is_hub_id(text: str) -> bool:
    """'name' or 'owner/name' and not a folder on this server (load_model would read folders; visitors may not)."""
    return bool(HUB_ID.fullmatch(text)) and not os.path.exists(os.path.expanduser(text))


def resolve_model() -> tuple[LoadedModel, str, str | None]:
    """The model to show, its id ("" = bundled) and an error about the one the user asked for, if it failed.

    A failed id is remembered and not tried again (a hub timeout can take a minute).
    """
    failed: dict = STATE.setdefault("tm.model_failed", {})
    wanted = str(STATE.get(_widget("model"), STATE[_canon("model")])).strip()
    if wanted and not is_hub_id(wanted):
        failed[wanted] = t("tm.model_id_invalid", id=wanted)
    if wanted != STATE[_canon("model")] and wanted not in failed:
        try:
            with st.spinner(t("tm.loading", name=wanted or BUNDLED_MODEL_NAME)):
                get_model(wanted)
            STATE[_canon("model")] = wanted
        except InputError as exc:
            failed[wanted] = str(exc)
            while len(failed) > 20:
                failed.pop(next(iter(failed)))
    active = STATE[_canon("model")]
    try:
        with st.spinner(t("tm.loading", name=active or BUNDLED_MODEL_NAME)):
            model = get_model(active)
    except InputError as exc:  # a hub model that loaded earlier in the session no longer does
        failed[active] = str(exc)
        STATE[_canon("model")] = active = ""
        with st.spinner(t("tm.loading", name=BUNDLED_MODEL_NAME)):
            model = get_model("")
    return model, active, failed.get(wanted) if wanted != active else None


def resolve_text(name: str, model: LoadedModel, model_id: str) -> tuple[ModelAttention | None, str | None]:
    """The forward pass of the sentence ``name`` ("text" or "text2") and an error about a refused edit.

    The canonical text is the last one the model accepted; a refused edit
    stays in the box (to fix) while the charts keep showing the canonical one.
    """
    wanted = STATE.get(_widget(name), STATE[_canon(name)])
    error = None
    if wanted != STATE[_canon(name)]:
        if name == "text2" and not wanted.strip():
            STATE[_canon(name)] = ""
        else:
            try:
                forward(model, model_id, wanted)
                STATE[_canon(name)] = wanted
                if name == "text" and not STATE.get("_tm.url_text"):
                    _set("token", -1)  # token numbers belong to the old sentence
            except InputError as exc:
                error = str(exc)
    if name == "text2" and not STATE[_canon(name)].strip():
        return None, error
    try:
        return forward(model, model_id, STATE[_canon(name)]), error
    except InputError:  # the accepted text does not fit a newly chosen model: back to the default
        STATE[_canon(name)] = DEFAULTS[name]
        return forward(model, model_id, DEFAULTS[name]), error


st.title(t("tm.title"))
url_state.show_warnings()
model, model_id, model_error = resolve_model()
result, text_error = resolve_text("text", model, model_id)
result2, text2_error = resolve_text("text2", model, model_id)
STATE["_tm.url_text"] = False
L, H = result.num_layers, result.num_heads
CLS = model.tokenizer.cls_token or "[CLS]"
SEP = model.tokenizer.sep_token or "[SEP]"
tokens = result.tokens
n = result.num_tokens
for name, top in (("layer", L), ("head", H)):
    if not 0 <= STATE[_canon(name)] < top:
        _set(name, min(DEFAULTS[name], top - 1))
if not -1 <= STATE[_canon("token")] < n:
    _set("token", -1)

with st.expander(t("tm.lesson_expander", name=md_escape(model.name)), icon=":material/school:"):  # the view starts on the first screen
    st.markdown(t("tm.lesson", name=md_escape(model.name), layers=L, heads=H))

# ---- sidebar: sentences and model
with st.sidebar:
    st.subheader(t("tm.sentences"))
    st.selectbox(
        t("tm.example"), list(EXAMPLES), index=None, placeholder=t("tm.example.placeholder"),
        format_func={k: t(f"tm.example.{k}") for k in EXAMPLES}.get, key=_widget("example"), on_change=_on_example,
    )
    st.text_area(t("tm.text"), key=_bind("text"), height=96, help=t("tm.text.help", max=MAX_MODEL_TOKENS))
    st.caption(t("tm.n_tokens", n=n, max=min(MAX_MODEL_TOKENS, model.max_positions)))
    st.text_area(t("tm.text2"), key=_bind("text2"), height=96, help=t("tm.text2.help"))
    st.subheader(t("tm.model"))
    card = "tm.model.bundled" if not model_id else "tm.model.hub"
    st.markdown(t(card, name=md_escape(model.name), layers=L, heads=H, d=model.hidden_size, dh=model.d_head))
    st.text_input(
        t("tm.model_id"), key=_bind("model"), placeholder=t("tm.model_id.placeholder"), help=t("tm.model_id.help"),
    )

# ---- messages: refused input, and honesty about what this model can read
if model_error:
    st.error(t("tm.model_failed", reason=md_escape(model_error), name=md_escape(model.name)), icon="⚠️")
if text_error:
    st.error(t("tm.text_failed", reason=md_escape(text_error)), icon="⚠️")
if text2_error:
    st.error(t("tm.text2_failed", reason=md_escape(text2_error)), icon="⚠️")
texts_shown = STATE[_canon("text")] + STATE[_canon("text2")]
if not model_id and (language() == "zh" or CJK.search(texts_shown)):
    st.info(t("tm.chinese_note"), icon=":material/translate:")
elif result.num_unknown:
    st.info(t("tm.unknown_note", count=result.num_unknown), icon=":material/help:")

# ---- controls: view, layer, head
view = st.segmented_control(
    t("tm.view"), VIEWS, format_func={v: t(f"tm.view.{v}") for v in VIEWS}.get, key=_follow("view"),
    on_change=_copy, args=("view",), required=True,
)
c_layer, c_head, c_note = st.columns([1, 1, 3], vertical_alignment="bottom")
layer = c_layer.selectbox(
    t("tm.layer", max=L), list(range(L)), format_func=lambda i: str(i + 1), key=_follow("layer", [L]), on_change=_copy,
    args=("layer", [L]),
)
head = c_head.selectbox(
    t("tm.head", max=H), list(range(H)), format_func=lambda i: str(i + 1), key=_follow("head", [H]), on_change=_copy,
    args=("head", [H]),
)
c_note.caption(t("tm.index_note", l=layer + 1, h=head + 1, li=layer, hi=head))
where = dict(l=layer + 1, h=head + 1, li=layer, hi=head)
weights = result.attentions[layer, head]  # [n, n]
axes = dict(x_title=t("tm.axis.key"), y_title=t("tm.axis.query"))


def token_select(label: str, n_tokens: int, all_label: str) -> int:
    """A token picker (−1 = none / all); its value is the canonical "tm.token"."""
    labels = [all_label] + [t("tm.token.option", i=i + 1, token=tokens[i]) for i in range(n_tokens)]
    st.selectbox(
        label, [-1] + list(range(n_tokens)), key=_follow("token", labels), on_change=_copy, args=("token", labels),
        format_func=lambda i: labels[i + 1],
    )
    return STATE[_canon("token")]


def stats_of(res: ModelAttention) -> dict[str, np.ndarray]:
    return head_statistics(res.attentions, res.tokens, cls_token=CLS, sep_token=SEP)


def stat_label(name: str) -> str:
    return t(f"tm.stat.{name}", cls=CLS, sep=SEP)


# ------------------------------------------------------------------ the views


def show_head_view() -> None:
    with st.columns([1, 2])[0]:
        token = token_select(t("tm.token"), n, t("tm.token.all"))
    texts = dict(title=t("tm.head.title", **where), left=t("tm.head.left"), right=t("tm.head.right"), hover=t("tm.head.hover"))
    left, right = st.columns([1, 1.15], gap="large")
    left.plotly_chart(
        model_figures.head_view(weights, tokens, None if token < 0 else token, texts),
        key="chart.tm.head", on_select=_on_token_click, selection_mode="points", width="stretch",
    )
    if token < 0:
        values, title = weights.mean(axis=0), t("tm.head.received_title")
    else:
        values, title = weights[token], t("tm.head.row_title", token=figures.escape([tokens[token]])[0], i=token + 1)
    right.plotly_chart(
        figures.bar_chart(values, tokens, title, t("tm.axis.weight"), color=values, height=380, hide_text_below=0.005),
        key="chart.tm.row", width="stretch",
    )
    right.caption(t("tm.head.caption"))


def show_model_view() -> None:
    texts = dict(
        title=t("tm.model_view.title", layers=L, heads=H), layer=t("tm.axis.layer"), head=t("tm.axis.head"),
        hover=t("tm.model_view.hover"), colorbar=t("tm.model_view.colorbar"),
    )
    st.plotly_chart(
        model_figures.model_view(result.attentions, (layer, head), texts),
        key="chart.tm.model", on_select=_on_head_click, selection_mode="points", width="stretch",
    )
    st.caption(t("tm.model_view.caption", k=min(n, model_figures.GRID_TILE_MAX)))
    st.button(t("tm.open_matrix", **where), on_click=_open_matrix, icon=":material/open_in_full:", key="w.tm.open")


def hide_checkbox() -> np.ndarray:
    """The hide-[CLS]/[SEP] option; returns the token indices to show."""
    st.checkbox(
        t("tm.hide_special", cls=CLS, sep=SEP), key=_follow("hide"), on_change=_copy, args=("hide",),
        help=t("tm.hide_special.help"),
    )
    hidden = special_token_mask(tokens, (CLS, SEP)) if STATE[_canon("hide")] else np.zeros(n, dtype=bool)
    return np.flatnonzero(~hidden) if (~hidden).any() else np.arange(n)


def show_matrix_view() -> None:
    left, right = st.columns([2.2, 1], gap="large")
    with left:
        keep = hide_checkbox()
        labels = [tokens[i] for i in keep]
        st.plotly_chart(
            figures.heatmap(weights[np.ix_(keep, keep)], labels, labels, t("tm.matrix.title", **where),
                            zmin=0, colorbar_title="w", **axes),
            key="chart.tm.matrix", width="stretch",
        )
        st.caption(t("tm.matrix.caption"))
    with right:
        stats = stats_of(result)
        for name in HEAD_STATISTICS:
            value = float(stats[name][layer, head])
            if name == "entropy":
                st.metric(stat_label(name), f"{value:.2f} {t('tm.stats.bits')}", help=t("tm.stat.entropy.help", max=np.log2(n)))
            else:
                st.metric(stat_label(name), f"{value:.2f}")
        download_buttons(result, layer, head)


def download_buttons(res: ModelAttention, layer: int, head: int) -> None:
    """This head as CSV (token labels included) and every head as NPY; built only when clicked."""

    def head_csv() -> str:
        return pd.DataFrame(res.attentions[layer, head], index=res.tokens, columns=res.tokens).to_csv()

    def all_npy() -> bytes:
        buffer = io.BytesIO()
        np.save(buffer, res.attentions, allow_pickle=False)
        return buffer.getvalue()

    st.download_button(
        t("tm.download_csv"), head_csv, file_name=f"attention_layer{layer + 1}_head{head + 1}.csv",
        mime="text/csv", key="w.tm.download_csv", on_click="ignore", width="stretch",
    )
    st.download_button(
        t("tm.download_npy", layers=res.num_layers, heads=res.num_heads, n=res.num_tokens), all_npy,
        file_name="attentions.npy", mime="application/octet-stream", key="w.tm.download_npy", on_click="ignore",
        width="stretch",
    )


def show_rollout_view() -> None:
    rollout = attention_rollout(result.attentions)  # [n, n]
    left, right = st.columns([1.5, 1], gap="large")
    with left:
        keep = hide_checkbox()
        labels = [tokens[i] for i in keep]
        st.plotly_chart(
            figures.heatmap(rollout[np.ix_(keep, keep)], labels, labels, t("tm.rollout.title", layers=L),
                            zmin=0, colorbar_title="r", **axes),
            key="chart.tm.rollout", width="stretch",
        )
        st.latex(r"\tilde A_\ell = \operatorname{rownorm}\Big(\tfrac{1}{H}\textstyle\sum_h A_{\ell,h} + I\Big),"
                 r"\qquad R = \tilde A_{L} \cdots \tilde A_{2}\,\tilde A_{1}")
    with right:
        token = token_select(t("tm.rollout.token"), n, tokens[0])
        row = max(token, 0)
        st.plotly_chart(
            figures.bar_chart(rollout[row], tokens, t("tm.rollout.row_title", token=figures.escape([tokens[row]])[0]), t("tm.axis.weight"),
                              color=rollout[row], height=360, hide_text_below=0.005),
            key="chart.tm.rollout_row", width="stretch",
        )
        st.caption(t("tm.rollout.caption"))


def show_recompute_view() -> None:
    try:
        rec = recompute(model, model_id, STATE[_canon("text")], layer)
    except InputError as exc:  # a hub model that is not BERT-shaped
        st.warning(md_escape(str(exc)))
        return
    dh = model.d_head
    st.markdown(t("tm.recompute.intro", l=layer + 1, li=layer, d=model.hidden_size, heads=H, dh=dh))
    st.latex(
        r"Q = xW_q^\top + b_q,\quad K = xW_k^\top + b_k \;\to\; [%d, n, %d]"
        r"\qquad w^{(h)} = \operatorname{softmax}\!\Big(\frac{Q^{(h)} K^{(h)\top}}{\sqrt{%d}}\Big),\; h = %d"
        % (H, dh, dh, head + 1)
    )
    by_hand = rec.weights[head]
    diff = by_hand.astype(np.float64) - weights.astype(np.float64)
    top = st.columns(2, gap="medium")
    top[0].plotly_chart(
        figures.heatmap(weights, tokens, tokens, t("tm.recompute.model_title"), zmin=0, colorbar_title="w", **axes),
        key="chart.tm.rec_model", width="stretch",
    )
    top[1].plotly_chart(
        figures.heatmap(by_hand, tokens, tokens, t("tm.recompute.hand_title", dh=dh), zmin=0, colorbar_title="w", **axes),
        key="chart.tm.rec_hand", width="stretch",
    )
    bottom = st.columns(2, gap="medium")
    bottom[0].plotly_chart(
        model_figures.difference_heatmap(diff, tokens, t("tm.recompute.diff_title"), hover=t("tm.hover_pair"), **axes),
        key="chart.tm.rec_diff", width="stretch",
    )
    with bottom[1]:
        st.metric(t("tm.recompute.max_diff"), f"{np.abs(diff).max():.1e}", help=t("tm.recompute.max_diff.help"))
        if np.abs(diff).max() < 1e-5:
            st.success(t("tm.recompute.same"), icon=":material/check:")
        with st.expander(t("tm.recompute.qk")):
            dims = [str(j + 1) for j in range(dh)]
            for key, title, values in (("q", "tm.recompute.q_title", rec.query[head]), ("k", "tm.recompute.k_title", rec.keys[head])):
                st.plotly_chart(
                    figures.heatmap(values, tokens, dims, t(title, dh=dh), x_title=t("tm.recompute.dim"),
                                    colorscale=figures.VALUE_SCALE),
                    key=f"chart.tm.rec_{key}", width="stretch",
                )


def show_stats_view() -> None:
    stats = stats_of(result)
    st.markdown(t("tm.stats.intro", n=n, l=layer + 1, h=head + 1))
    st.markdown(t("tm.stats.types"))
    cols = st.columns(2, gap="medium")
    for i, name in enumerate(HEAD_STATISTICS):
        is_entropy = name == "entropy"
        texts = dict(
            title=t(f"tm.stats.{name}", cls=CLS, sep=SEP), layer=t("tm.axis.layer"), head=t("tm.axis.head"),
            colorbar=t("tm.stats.bits") if is_entropy else t("tm.stats.share"),
        )
        cols[i % 2].plotly_chart(
            model_figures.head_grid(stats[name], (layer, head), texts, zmax=float(np.log2(n)) if is_entropy else 1.0),
            key=f"chart.tm.stat_{name}", width="stretch",
        )


def top_weights(tokens, values: np.ndarray, k: int = 3) -> str:
    """'[CLS] 0.33, animal 0.28, street 0.12': the k largest weights of a row, as shown in its bars."""
    order = np.argsort(-values, kind="stable")[:k]
    return ", ".join(f"{figures.md_escape(tokens[j])} {values[j]:.2f}" for j in order)


def compare_sentence(word: str, rows: dict) -> str:
    """What the bars above say, in words computed from them (never written in advance).

    rows: {sentence number: (tokens, weights of the followed token's row [n], its index)}.
    Besides the k largest weights, the largest one on a word: not [CLS], [SEP], punctuation or the followed token itself.
    """
    shown = figures.md_escape(word)
    parts, content = [], {}
    for which, (toks, values, i) in rows.items():
        parts.append(t("tm.compare.top", which=which, word=shown, tops=top_weights(toks, values)))
        others = [j for j in range(len(toks)) if j != i and toks[j] not in (CLS, SEP) and any(c.isalnum() for c in toks[j])]
        if others:
            j = max(others, key=lambda j: values[j])
            content[which] = (toks[j], float(values[j]))
    text = " · ".join(parts)
    if len(content) == 2:
        (a, wa), (b, wb) = content[1], content[2]
        key = "tm.compare.same_word" if a.lower() == b.lower() else "tm.compare.other_word"
        text += " — " + t(key, word=shown, a=figures.md_escape(a), b=figures.md_escape(b), wa=wa, wb=wb,
                       cls=figures.md_escape(CLS), sep=figures.md_escape(SEP))
    return text


def show_compare_view() -> None:
    st.markdown(t("tm.compare.intro"))
    st.columns([1, 3])[0].text_input(
        t("tm.compare.follow"), key=_follow("follow"), on_change=_copy, args=("follow",),
        help=t("tm.compare.follow.help"), max_chars=50,
    )
    if result2 is None:
        st.info(t("tm.compare.no_text2"))
        return
    word = STATE[_canon("follow")]
    pairs = []
    for which, res in ((1, result), (2, result2)):
        i = find_token(res.tokens, word)
        if i is None:
            st.warning(t("tm.compare.missing", which=which, word=figures.md_escape(word), tokens=figures.md_escape(" ".join(res.tokens))))
        pairs.append((which, res, i))
    for row_key, label in (("head", t("tm.compare.head_row")), ("rollout", t("tm.compare.rollout_row"))):
        st.markdown(f"**{label}**")
        rows = {}
        for which, res, i in pairs:
            if i is not None:
                matrix = res.attentions[layer, head] if row_key == "head" else attention_rollout(res.attentions)
                rows[which] = (res, matrix[i], i)
        top = max((float(r.max()) for _, r, _ in rows.values()), default=1.0)
        cols = st.columns(2, gap="medium")
        for which, (res, values, _) in rows.items():
            title_key = "tm.compare.head_title" if row_key == "head" else "tm.compare.rollout_title"
            fig = figures.bar_chart(values, res.tokens, t(title_key, which=which, word=figures.escape([word])[0], **where), t("tm.axis.weight"),
                                    color=values, height=340, hide_text_below=0.005)
            fig.update_yaxes(range=[0, top * 1.18])  # one scale for both sentences
            cols[which - 1].plotly_chart(fig, key=f"chart.tm.compare_{row_key}_{which}", width="stretch")
        if rows:
            st.caption(compare_sentence(word, {which: (res.tokens, values, i) for which, (res, values, i) in rows.items()}))


{
    "head": show_head_view,
    "model": show_model_view,
    "matrix": show_matrix_view,
    "rollout": show_rollout_view,
    "recompute": show_recompute_view,
    "stats": show_stats_view,
    "compare": show_compare_view,
}[view]()

url_state.publish(
    {
        "text": STATE[_canon("text")],
        "text2": STATE[_canon("text2")],
        "model": model_id or None,
        "layer": layer + 1,
        "head": head + 1,
        "view": view,
        "token": STATE[_canon("token")] + 1 if STATE[_canon("token")] >= 0 else None,
        "follow": STATE[_canon("follow")] if STATE[_canon("follow")] != DEFAULTS["follow"] else None,
        "hide": 1 if STATE[_canon("hide")] else None,
    }
)
