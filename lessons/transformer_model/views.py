"""The Transformer page's views: each draws what it is given (no script globals).

``Shown`` holds the sentences' forward passes, the model and the head picked;
``VIEWS`` maps a view's name to the function that draws it, ``(shown, asked)``.
A view reads settings and changes them only through ``state``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from attention_core.attention_statistics import HEAD_STATISTICS, attention_rollout, head_statistics, tied_largest
from attention_core.errors import InputError
from attention_core.model_attention import LoadedModel, ModelAttention
from attention_core.tokens import find_token, special_token_mask
from lessons.transformer_model import figures as model_figures
from lessons.transformer_model import state
from ui import figures, guided
from ui.feedback import error_text
from ui.figures import show
from ui.i18n import catalogs, t
from ui.text import md_escape


@dataclass(frozen=True)
class Shown:
    """What every view draws from: the sentences' forward passes, the head picked, the model and its special tokens."""

    result: ModelAttention
    result2: ModelAttention | None  # the second sentence's (Compare); None when there is none
    layer: int
    head: int
    follow: str  # the word Compare follows in both sentences
    model: LoadedModel
    model_id: str  # "" = the bundled model

    @property
    def cls(self) -> str:
        return self.model.tokenizer.cls_token or "[CLS]"

    @property
    def sep(self) -> str:
        return self.model.tokenizer.sep_token or "[SEP]"

    @property
    def tokens(self) -> list[str]:
        return self.result.tokens

    @property
    def n(self) -> int:
        return self.result.num_tokens

    @property
    def weights(self) -> np.ndarray:
        return self.result.attentions[self.layer, self.head]  # [n, n]

    @property
    def where(self) -> dict:
        return dict(l=self.layer + 1, h=self.head + 1, li=self.layer, hi=self.head)


# what each view shows of the quantities a guided question may ask about (ui/guided.py, Shown.hides): every
# view but Rollout shows the heads' weights (lines, matrices, the 72 tiles, the statistics computed from them);
# Compare hides its head row itself and keeps the rollout row
VIEW_SHOWS = {
    "head": ("weights",),
    "model": ("weights",),
    "matrix": ("weights",),
    "recompute": ("weights",),
    "stats": ("weights",),
    "rollout": (),
    "compare": (),
}
TIES_NAMED = 4  # the compare sentence names up to this many words that tie for the largest weight
CELL_TEXT_MAX = 12  # By hand's heatmaps sit two to a row: beyond this many tokens the cell numbers are unreadable


def axes() -> dict:
    return dict(x_title=t("tm.axis.key"), y_title=t("tm.axis.query"))


@st.cache_data(show_spinner=False, max_entries=32, max_size="16MB")
def _rollout(attentions: np.ndarray) -> np.ndarray:
    return attention_rollout(attentions)


@st.cache_data(show_spinner=False, max_entries=32, max_size="16MB")
def _stats(attentions: np.ndarray, tokens: tuple, cls: str, sep: str) -> dict[str, np.ndarray]:
    return head_statistics(attentions, list(tokens), cls_token=cls, sep_token=sep)


def stats_of(res: ModelAttention, cls: str, sep: str) -> dict[str, np.ndarray]:
    return _stats(res.attentions, tuple(res.tokens), cls, sep)


# cache_resource: a shared, read-only figure (ui.figures.show draws from a copy); cache_data would
# unpickle a copy of this 72-heatmap figure on every rerun
@st.cache_resource(show_spinner=False, max_entries=64)
def _model_figure(
    attentions: np.ndarray, selected: tuple[int, int], *, title: str, layer: str, head: str, hover: str, colorbar: str
):
    """The model view's figure (72 block-averaged heads: the page's costliest figure), built once per head picked."""
    return model_figures.model_view(
        attentions, selected, title=title, layer=layer, head=head, hover=hover, colorbar=colorbar
    )


# The head view's lines figure (a trace per opacity level): a class on the same sentence asks for
# the same few heads, so it is built once per (head, token, language) for the whole server.
_head_figure = st.cache_resource(show_spinner=False, max_entries=64)(model_figures.head_view)


def token_select(label: str, tokens, all_label: str) -> int:
    """A token picker (−1 = none / all): the setting "token", under ``label``."""
    labels = [all_label] + [t("tm.token.option", i=i + 1, token=tok) for i, tok in enumerate(tokens)]
    options = [-1, *range(len(tokens))]
    return state.SETTINGS.draw(
        "token", labels=labels, label=label, options=options, format_func=lambda i: labels[i + 1]
    )


def hide_checkbox(tokens, cls: str, sep: str) -> np.ndarray:
    """The hide-[CLS]/[SEP] option; returns the token indices to show."""
    state.SETTINGS.draw("hide", label_args={"cls": cls, "sep": sep})
    n = len(tokens)
    hidden = special_token_mask(tokens, (cls, sep)) if state.get("hide") else np.zeros(n, dtype=bool)
    return np.flatnonzero(~hidden) if (~hidden).any() else np.arange(n)


# ------------------------------------------------------------------ the views


def head_view(s: Shown, asked: guided.Shown = guided.OFF) -> None:
    with st.columns([1, 2])[0]:
        token = token_select("tm.token", s.tokens, t("tm.token.all"))
    left, right = st.columns([1, 1.15], gap="large")
    show(
        _head_figure(
            s.weights,
            s.tokens,
            None if token < 0 else token,
            title=t("tm.head.title", **s.where),
            left=t("tm.head.left"),
            right=t("tm.head.right"),
            hover=t("tm.head.hover"),
        ),
        key="chart.tm.head",
        on_select=partial(state.on_token_click, "chart.tm.head"),
        selection_mode="points",
        where=left,
    )
    if token < 0:
        values, title = s.weights.mean(axis=0), t("tm.head.received_title")
    else:
        values, title = (
            s.weights[token],
            t("tm.head.row_title", token=figures.escape([s.tokens[token]])[0], i=token + 1),
        )
    show(
        figures.bar_chart(
            values,
            s.tokens,
            title,
            t("tm.axis.weight"),
            color=values,
            height=380,
            hide_text_below=0.005,
            words=figures.words(t),
        ),
        key="chart.tm.row",
        where=right,
    )
    right.caption(t("tm.head.caption"))


def model_view(s: Shown, asked: guided.Shown = guided.OFF) -> None:
    L, H = s.result.num_layers, s.result.num_heads
    show(
        _model_figure(
            s.result.attentions,
            (s.layer, s.head),
            title=t("tm.model_view.title", layers=L, heads=H),
            layer=t("tm.axis.layer"),
            head=t("tm.axis.head"),
            hover=t("tm.model_view.hover"),
            colorbar=t("tm.model_view.colorbar"),
        ),
        key="chart.tm.model",
        on_select=partial(state.on_head_click, "chart.tm.model"),
        selection_mode="points",
    )
    st.caption(t("tm.model_view.caption", k=min(s.n, model_figures.GRID_TILE_MAX)))
    st.button(
        t("tm.open_matrix", **s.where),
        on_click=state.open_matrix,
        icon=":material/open_in_full:",
        key=state.SETTINGS.widget("open"),
    )


def matrix_view(s: Shown, asked: guided.Shown = guided.OFF) -> None:
    left, right = st.columns([2.2, 1], gap="large")
    with left:
        keep = hide_checkbox(s.tokens, s.cls, s.sep)
        labels = [s.tokens[i] for i in keep]
        show(
            figures.heatmap(
                s.weights[np.ix_(keep, keep)],
                labels,
                labels,
                t("tm.matrix.title", **s.where),
                zmin=0,
                colorbar_title="w",
                words=figures.words(t),
                **axes(),
            ),
            key="chart.tm.matrix",
        )
        st.caption(t("tm.matrix.caption"))
    with right:
        stats = stats_of(s.result, s.cls, s.sep)
        for name in HEAD_STATISTICS:
            value = float(stats[name][s.layer, s.head])
            label = t(f"tm.stat.{name}", cls=s.cls, sep=s.sep)
            if name == "entropy":
                st.metric(label, f"{value:.2f} {t('tm.stats.bits')}", help=t("tm.stat.entropy.help", max=np.log2(s.n)))
            else:
                st.metric(label, f"{value:.2f}")
        download_buttons(s.result, s.layer, s.head)


def download_buttons(res: ModelAttention, layer: int, head: int) -> None:
    """This head as CSV (token labels included) and every head as NPY; built only when clicked."""

    def head_csv() -> str:
        return pd.DataFrame(res.attentions[layer, head], index=res.tokens, columns=res.tokens).to_csv()

    def all_npy() -> bytes:
        buffer = io.BytesIO()
        np.save(buffer, res.attentions, allow_pickle=False)
        return buffer.getvalue()

    st.download_button(
        t("tm.download_csv"),
        head_csv,
        file_name=f"attention_layer{layer + 1}_head{head + 1}.csv",
        mime="text/csv",
        key=state.SETTINGS.widget("download_csv"),
        on_click="ignore",
        width="stretch",
    )
    st.download_button(
        t("tm.download_npy", layers=res.num_layers, heads=res.num_heads, n=res.num_tokens),
        all_npy,
        file_name="attentions.npy",
        mime="application/octet-stream",
        key=state.SETTINGS.widget("download_npy"),
        on_click="ignore",
        width="stretch",
    )


def rollout_view(s: Shown, asked: guided.Shown = guided.OFF) -> None:
    rollout = _rollout(s.result.attentions)  # [n, n]
    tokens = s.tokens
    left, right = st.columns([1.5, 1], gap="large")
    with left:
        keep = hide_checkbox(tokens, s.cls, s.sep)
        labels = [tokens[i] for i in keep]
        show(
            figures.heatmap(
                rollout[np.ix_(keep, keep)],
                labels,
                labels,
                t("tm.rollout.title", layers=s.result.num_layers),
                zmin=0,
                colorbar_title="r",
                words=figures.words(t),
                **axes(),
            ),
            key="chart.tm.rollout",
        )
        st.latex(
            r"\tilde A_\ell = \operatorname{rownorm}\Big(\tfrac{1}{H}\textstyle\sum_h A_{\ell,h} + I\Big),"
            r"\qquad R = \tilde A_{L} \cdots \tilde A_{2}\,\tilde A_{1}"
        )
    with right:
        token = token_select("tm.rollout.token", tokens, tokens[0])
        row = max(token, 0)
        show(
            figures.bar_chart(
                rollout[row],
                tokens,
                t("tm.rollout.row_title", token=figures.escape([tokens[row]])[0]),
                t("tm.axis.weight"),
                color=rollout[row],
                height=360,
                hide_text_below=0.005,
                words=figures.words(t),
            ),
            key="chart.tm.rollout_row",
        )
        st.caption(t("tm.rollout.caption"))


def recompute_view(s: Shown, asked: guided.Shown = guided.OFF) -> None:
    model = s.model
    try:
        rec = state.recompute(model, s.model_id, s.result.text, s.layer)
    except InputError as exc:  # a hub model that is not BERT-shaped
        st.warning(md_escape(error_text(exc)))
        return
    H, dh, head, tokens, weights = s.result.num_heads, model.d_head, s.head, s.tokens, s.weights
    words = figures.words(t)
    st.markdown(t("tm.recompute.intro", l=s.layer + 1, li=s.layer, d=model.hidden_size, heads=H, dh=dh))
    st.latex(
        r"Q = xW_q^\top + b_q,\quad K = xW_k^\top + b_k \;\to\; [%d, n, %d]"
        r"\qquad w^{(h)} = \operatorname{softmax}\!\Big(\frac{Q^{(h)} K^{(h)\top}}{\sqrt{%d}}\Big),\; h = %d"
        % (H, dh, dh, head + 1)
    )
    by_hand = rec.weights[head]
    diff = by_hand.astype(np.float64) - weights.astype(np.float64)
    top = st.columns(2, gap="medium")
    for col, key, title, matrix in (
        (top[0], "chart.tm.rec_model", t("tm.recompute.model_title"), weights),
        (top[1], "chart.tm.rec_hand", t("tm.recompute.hand_title", dh=dh), by_hand),
    ):
        fig = figures.heatmap(matrix, tokens, tokens, title, zmin=0, colorbar_title="w", words=words, **axes())
        if s.n > CELL_TEXT_MAX:
            fig["data"][0].pop("texttemplate", None)
        show(fig, key=key, where=col)
    bottom = st.columns(2, gap="medium")
    if s.n > CELL_TEXT_MAX:  # two heatmaps a row: the numbers would overlap; the hover still gives each one
        st.caption(t("tm.recompute.hover_note", n=s.n))
    show(
        model_figures.difference_heatmap(
            diff, tokens, t("tm.recompute.diff_title"), hover=t("tm.hover_pair"), **axes()
        ),
        key="chart.tm.rec_diff",
        where=bottom[0],
    )
    with bottom[1]:
        st.metric(t("tm.recompute.max_diff"), f"{np.abs(diff).max():.1e}", help=t("tm.recompute.max_diff.help"))
        if np.abs(diff).max() < 1e-5:
            st.success(t("tm.recompute.same"), icon=":material/check:")
        with st.expander(t("tm.recompute.qk")):
            dims = [str(j + 1) for j in range(dh)]
            for key, title, values in (
                ("q", "tm.recompute.q_title", rec.query[head]),
                ("k", "tm.recompute.k_title", rec.keys[head]),
            ):
                fig = figures.heatmap(
                    values,
                    tokens,
                    dims,
                    t(title, dh=dh),
                    x_title=t("tm.recompute.dim"),
                    colorscale=figures.VALUE_SCALE,
                    words=words,
                )
                if dh > CELL_TEXT_MAX:  # 32 dimensions in half a screen: the numbers overlap, the hover has them
                    fig["data"][0].pop("texttemplate", None)
                show(fig, key=f"chart.tm.rec_{key}")


def stats_view(s: Shown, asked: guided.Shown = guided.OFF) -> None:
    stats = stats_of(s.result, s.cls, s.sep)
    st.markdown(t("tm.stats.intro", n=s.n, l=s.layer + 1, h=s.head + 1))
    st.markdown(t("tm.stats.types"))
    cols = st.columns(2, gap="medium")
    for i, name in enumerate(HEAD_STATISTICS):
        is_entropy = name == "entropy"
        show(
            model_figures.head_grid(
                stats[name],
                (s.layer, s.head),
                title=t(f"tm.stats.{name}", cls=s.cls, sep=s.sep),
                layer=t("tm.axis.layer"),
                head=t("tm.axis.head"),
                colorbar=t("tm.stats.bits") if is_entropy else t("tm.stats.share"),
                hover=t("tm.stats.hover", l="%{y}", h="%{x}"),
                zmax=float(np.log2(s.n)) if is_entropy else 1.0,
            ),
            key=f"chart.tm.stat_{name}",
            where=cols[i % 2],
        )


def top_tied(values: np.ndarray, decimals: int = 2) -> list[int]:
    """Indices of the largest value and of every value equal to it when printed with ``decimals`` (largest first)."""
    return [int(k) for k in tied_largest(values, decimals)]


def top_weights(tokens, values: np.ndarray, k: int = 3) -> str:
    """'[CLS] 0.33, animal 0.28, street 0.12': the k largest weights of a row, as shown in its bars."""
    order = np.argsort(-values, kind="stable")[:k]
    return ", ".join(f"{figures.md_escape(tokens[j])} {values[j]:.2f}" for j in order)


def compare_sentence(word: str, rows: dict, cls: str, sep: str) -> str:
    """What the bars above say, in words computed from them (never written in advance).

    rows: {sentence number: (tokens, weights of the followed token's row [n], its index)}.
    Besides the k largest weights, the largest one on a word: not [CLS], [SEP], punctuation or the followed token itself.
    """
    shown = figures.md_escape(word)
    parts, content = [], {}
    for which, (toks, values, i) in rows.items():
        parts.append(t("tm.compare.top", which=which, word=shown, tops=top_weights(toks, values)))
        others = [
            j for j in range(len(toks)) if j != i and toks[j] not in (cls, sep) and any(c.isalnum() for c in toks[j])
        ]
        if others:
            tied = top_tied(values[others])  # the largest weight, and every word equal to it at the 2 decimals shown
            content[which] = ([toks[others[k]] for k in tied], float(values[others[tied[0]]]))
    text = " · ".join(parts)
    if len(content) == 2:
        (a, wa), (b, wb) = content[1], content[2]
        same = {w.lower() for w in a} == {w.lower() for w in b}
        if same:
            named = dict(a=_named(a), b=_named(b))
        else:
            named = dict(a=_named(a, wa), b=_named(b, wb))
        text += " — " + t(
            "tm.compare.same_word" if same else "tm.compare.other_word",
            word=shown,
            wa=wa,
            wb=wb,
            cls=figures.md_escape(cls),
            sep=figures.md_escape(sep),
            **named,
        )
    return text


def _named(words: list[str], w: float | None = None) -> str:
    """The word(s) with the largest weight: “animal” (0.68), or several that tie at the 2 decimals shown.

    ``w``: the weight, said with the word(s) (left out when the sentence gives the weights itself).
    """
    names = [f"“{figures.md_escape(x)}”" for x in dict.fromkeys(words)]
    if len(names) == 1:
        return names[0] if w is None else t("tm.compare.one", name=figures.md_escape(words[0]), w=w)
    if len(names) > TIES_NAMED:  # a long list would bury the sentence: how many, and the first few
        joined = ", ".join(names[:TIES_NAMED])
        if w is None:
            return t("tm.compare.tie_many_names", count=len(names), names=joined)
        return t("tm.compare.tie_many", count=len(names), names=joined, w=w)
    joined = ", ".join(names)
    return t("tm.compare.tie_names", names=joined) if w is None else t("tm.compare.tie", names=joined, w=w)


def compare_intro(word: str, text: str, text2: str) -> str:
    """The Compare view's first words, about the word followed; a note on the example pair when it is one."""
    intro = t("tm.compare.intro", word=figures.md_escape(word))
    example = next((k for k, (one, two, _) in state.EXAMPLES.items() if (one, two) == (text, text2)), None)
    note = f"tm.compare.note.{example}"
    return t("tm.compare.intro_note", intro=intro, note=t(note)) if example and note in catalogs()["en"] else intro


def compare_view(s: Shown, asked: guided.Shown = guided.OFF) -> None:
    result2 = s.result2
    st.markdown(compare_intro(s.follow, s.result.text, result2.text if result2 is not None else ""))
    word = state.SETTINGS.draw("follow", where=st.columns([1, 3])[0])
    if result2 is None:
        st.info(t("tm.compare.no_text2"))
        return
    pairs = []
    for which, res in ((1, s.result), (2, result2)):
        i = find_token(res.tokens, word)
        if i is None:
            st.warning(
                t(
                    "tm.compare.missing",
                    which=which,
                    word=figures.md_escape(word),
                    tokens=figures.md_escape(" ".join(res.tokens)),
                )
            )
        pairs.append((which, res, i))
    for row_key, label in (("head", t("tm.compare.head_row")), ("rollout", t("tm.compare.rollout_row"))):
        st.markdown(f"**{label}**")
        if row_key == "head" and asked.hides("weights"):  # the head's rows are what the open question asks about
            guided.hidden_note(340)
            continue
        rows = {}
        for which, res, i in pairs:
            if i is not None:
                matrix = res.attentions[s.layer, s.head] if row_key == "head" else _rollout(res.attentions)
                rows[which] = (res, matrix[i], i)
        top = max((float(r.max()) for _, r, _ in rows.values()), default=1.0)
        cols = st.columns(2, gap="medium")
        for which, (res, values, _) in rows.items():
            title_key = "tm.compare.head_title" if row_key == "head" else "tm.compare.rollout_title"
            fig = figures.bar_chart(
                values,
                res.tokens,
                t(title_key, which=which, word=figures.escape([word])[0], **s.where),
                t("tm.axis.weight"),
                color=values,
                height=340,
                hide_text_below=0.005,
                words=figures.words(t),
            )
            fig["layout"]["yaxis"]["range"] = [0, top * 1.18]  # one scale for both sentences
            show(fig, key=f"chart.tm.compare_{row_key}_{which}", where=cols[which - 1])
        if rows:
            st.caption(
                compare_sentence(
                    word, {w: (res.tokens, values, i) for w, (res, values, i) in rows.items()}, s.cls, s.sep
                )
            )


VIEWS = {  # state.VIEWS, in the order the picker offers them
    "head": head_view,
    "model": model_view,
    "matrix": matrix_view,
    "rollout": rollout_view,
    "recompute": recompute_view,
    "stats": stats_view,
    "compare": compare_view,
}
