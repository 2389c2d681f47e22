"""The shared "Sequence X" widget: generate, upload or edit the tokens x₁ … xₙ.

The sequence lives in session state under ``SEQUENCE_KEY`` and is carried
between pages; it changes only when the user asks (new settings, a file, an
edit).  Bad input leaves the previous sequence in place and queues one error.
"""

from __future__ import annotations

import io
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from attention_core.errors import InputError
from attention_core.limits import MAX_DIM, MAX_TOKENS, check_values
from attention_core.sequences import SEQUENCE_KINDS, Sequence, generate_sequence
from attention_core.uploads import MAX_UPLOAD_MB, UPLOAD_EXTENSIONS, load_sequence

from . import url_state
from .feedback import error_text, push_error
from .i18n import t
from .settings import Settings, transient
from .text import md_escape

SEQUENCE_KEY = "seq"
VERSION_KEY = "seq.version"  # bumped on every change, so pages can react (e.g. reset q when d changes)
ORIGIN_KEY = "seq.origin"
GEN_KEYS = ("kind", "n", "d", "seed")
DEFAULTS = {"kind": "clusters", "n": 8, "d": 4, "seed": 0, "source": "generate"}
DRAWN_KEY = "seq.drawn"  # the page script that last drew the sequence controls
EDIT_LIMIT = 1024  # the table editor appears when n·d ≤ this
SEEDLESS_KINDS = ("one_hot", "sinusoidal")  # generate_sequence ignores the seed for these

URL_PARSERS = {
    "source": url_state.one_of(("upload",)),  # only a marker: the file itself is never in a link
    "kind": url_state.one_of(SEQUENCE_KINDS),
    "n": url_state.int_in(2, MAX_TOKENS),
    "d": url_state.int_in(2, MAX_DIM),
    "seed": url_state.int_in(0, 2**31 - 1),
}


_settings = Settings("seq")
_canon, _widget, _bind = _settings.canon, _settings.widget, _settings.bind


def ensure_sequence() -> Sequence:
    """The session's sequence, generated from the defaults the first time."""
    state = st.session_state
    for name, value in DEFAULTS.items():
        state.setdefault(_canon(name), value)
    if SEQUENCE_KEY not in state:
        made_from = [state[_canon(k)] for k in GEN_KEYS]
        _set(generate_sequence(*made_from), {"type": "generated", "from": made_from})
    return state[SEQUENCE_KEY]


def set_sequence(sequence: Sequence, origin: dict) -> None:
    _set(sequence, origin)


def _set(sequence: Sequence, origin: dict) -> None:
    st.session_state[SEQUENCE_KEY] = sequence
    st.session_state[ORIGIN_KEY] = origin
    st.session_state[VERSION_KEY] = st.session_state.get(VERSION_KEY, 0) + 1


def per_sequence(name: str, compute):
    """``compute()`` once per sequence version, kept in this session only.

    For results that depend on X alone (e.g. the PCA axes): a query change
    must not pay for them again.
    """
    key = f"seq.memo.{name}"
    version = st.session_state.get(VERSION_KEY, 0)
    memo = st.session_state.get(key)
    if memo is None or memo[0] != version:
        memo = (version, compute())
        st.session_state[key] = memo
    return memo[1]


def apply_url(found: dict) -> None:
    """Use generator settings from a link: regenerate when any of them was given.

    ``source=upload`` marks a link made while a file was in use.  A session that
    has that file keeps it; one that has not (the server restarted, or the class
    moved to another process) keeps the Upload choice and asks for the file again.
    """
    ensure_sequence()
    if found.get("source") == "upload":
        if st.session_state.get(ORIGIN_KEY, {}).get("type") != "file":
            st.session_state[_canon("source")] = "upload"
            st.session_state.pop(_widget("source"), None)
            transient().upload_lost = True
        return
    found = {name: value for name, value in found.items() if name in GEN_KEYS}
    if not found:
        return
    for name in GEN_KEYS:
        if name in found:
            st.session_state[_canon(name)] = found[name]
            st.session_state.pop(_widget(name), None)
    st.session_state[_canon("source")] = "generate"
    st.session_state.pop(_widget("source"), None)
    _regenerate_from_canon()


def upload_lost() -> bool:
    """True while the link's uploaded file is missing here and the Upload choice waits for it."""
    return transient().upload_lost


def url_values() -> dict:
    """What the URL should hold about the sequence: generator settings, or only a marker for an upload."""
    origin = st.session_state.get(ORIGIN_KEY, {}).get("type")
    if origin == "file" or upload_lost():
        return {"source": "upload"}
    if origin != "generated":
        return {}
    return {name: st.session_state[_canon(name)] for name in GEN_KEYS}


def unlinked() -> Sequence | None:
    """X when the page now shown draws an uploaded or edited X, which no link holds (the live class sends it)."""
    ctx = get_script_run_ctx()
    here = ctx.page_script_hash if ctx is not None else None
    origin = st.session_state.get(ORIGIN_KEY, {}).get("type")
    if origin not in ("file", "edited") or st.session_state.get(DRAWN_KEY) != here:
        return None
    return st.session_state[SEQUENCE_KEY]


def seed() -> int:
    """The generator's seed (pages seed their own random parts from it, e.g. the default query)."""
    return int(st.session_state.get(_canon("seed"), DEFAULTS["seed"]))


def _regenerate_from_canon() -> None:
    """X from the generator settings, unless X is what they generate already.

    Kept when it is: a link (or a live class's teacher) that repeats the settings leaves X, its version and
    what was computed from it as they are, so a follower's fragment rerun goes on with the same X.
    """
    state = st.session_state
    made_from = [state[_canon(k)] for k in GEN_KEYS]
    if SEQUENCE_KEY in state and state.get(ORIGIN_KEY, {}) == {"type": "generated", "from": made_from}:
        return
    try:
        seq = generate_sequence(*made_from)
    except InputError as exc:
        push_error(error_text(exc))
        return
    _set(seq, {"type": "generated", "from": made_from})


def _on_generator_change() -> None:
    state = st.session_state
    for name in GEN_KEYS:
        state[_canon(name)] = state[_widget(name)]
    _regenerate_from_canon()


def _on_new_seed() -> None:
    state = st.session_state
    state[_canon("seed")] = int(state[_canon("seed")]) + 1
    state[_widget("seed")] = state[_canon("seed")]
    _regenerate_from_canon()


def _on_source_change() -> None:
    state = st.session_state
    state[_canon("source")] = state[_widget("source")]
    transient().upload_lost = False  # the student chose again: the lost file is no longer waited for
    if state[_canon("source")] == "generate":
        _regenerate_from_canon()


def _uploader_key() -> str:
    # a new key empties the uploader: a refused file must not look accepted
    return f"{_widget('file')}.{st.session_state.get('seq.uploader', 0)}"


def _on_upload() -> None:
    uploaded = st.session_state.get(_uploader_key())
    if uploaded is None:  # the user removed the file: keep the data they had
        return
    try:
        seq = load_sequence(uploaded.getvalue(), uploaded.name)
    except InputError as exc:
        push_error(t("seq.upload_failed", name=uploaded.name, reason=error_text(exc)))
        st.session_state["seq.uploader"] = st.session_state.get("seq.uploader", 0) + 1
        return
    transient().upload_lost = False
    _set(seq, {"type": "file", "name": uploaded.name})


def sequence_sidebar() -> Sequence:
    """Draw the sequence controls in the sidebar and return the current sequence."""
    ensure_sequence()
    ctx = get_script_run_ctx()
    st.session_state[DRAWN_KEY] = ctx.page_script_hash if ctx is not None else None
    with st.sidebar:
        st.subheader(t("seq.header"))
        st.radio(
            t("seq.source"),
            ["generate", "upload"],
            format_func={s: t(f"seq.source.{s}") for s in ("generate", "upload")}.get,
            key=_bind("source"),
            on_change=_on_source_change,
            horizontal=True,
        )
        if st.session_state[_canon("source")] == "generate":
            st.selectbox(
                t("seq.kind"),
                SEQUENCE_KINDS,
                format_func={k: t(f"seq.kind.{k}") for k in SEQUENCE_KINDS}.get,
                key=_bind("kind"),
                on_change=_on_generator_change,
                help=t("seq.kind.help"),
            )
            left, right = st.columns(2)
            left.number_input(t("seq.n"), 2, MAX_TOKENS, step=1, key=_bind("n"), on_change=_on_generator_change)
            right.number_input(t("seq.d"), 2, MAX_DIM, step=1, key=_bind("d"), on_change=_on_generator_change)
            seedless = st.session_state[_canon("kind")] in SEEDLESS_KINDS
            why = t("seq.seed.unused", kind=t(f"seq.kind.{st.session_state[_canon('kind')]}")) if seedless else None
            left, right = st.columns([3, 2], vertical_alignment="bottom")
            left.number_input(
                t("seq.seed"),
                0,
                2**31 - 1,
                step=1,
                key=_bind("seed"),
                on_change=_on_generator_change,
                disabled=seedless,
                help=why,
            )
            right.button(
                t("seq.new_seed"),
                on_click=_on_new_seed,
                width="stretch",
                icon=":material/casino:",
                key="w.seq.new_seed",
                disabled=seedless,
                help=why,
            )
        else:
            if upload_lost():
                st.warning(t("seq.upload_lost"), icon=":material/upload_file:")
            st.file_uploader(
                t("seq.upload"),
                type=UPLOAD_EXTENSIONS,
                key=_uploader_key(),
                on_change=_on_upload,
                help=t("seq.upload.help", mb=MAX_UPLOAD_MB, n=MAX_TOKENS, d=MAX_DIM),
            )
        seq = st.session_state[SEQUENCE_KEY]
        st.caption(describe(seq))
        if st.session_state.get(ORIGIN_KEY, {}).get("type") in ("file", "edited"):
            # the URL holds generator settings only: a shared link would silently show other data
            st.caption(t("seq.link_note"))
            st.download_button(
                t("seq.download_csv"),
                partial(x_csv, seq),
                "sequence.csv",
                "text/csv",
                on_click="ignore",
                key="w.seq.link_download",
                width="stretch",
            )
    return seq


def describe(seq: Sequence) -> str:
    origin = st.session_state.get(ORIGIN_KEY, {})
    size = t("seq.size", n=seq.n, d=seq.d)
    if origin.get("type") == "file":
        return f"{size} · {t('seq.from_file', name=md_escape(origin['name']))}"
    if origin.get("type") == "edited":
        return f"{size} · {t('seq.edited')}"
    kind = t(f"seq.kind.{st.session_state[_canon('kind')]}")
    return f"{size} · {kind}, {t('seq.seed').lower()} {st.session_state[_canon('seed')]}"


# ------------------------------------------------------------ table editor


def _column_names(d: int) -> list[str]:
    return [f"d{j + 1}" for j in range(d)]


def _cell(row, column, n: int, columns: dict[str, int]) -> tuple[int, int]:
    """The (row, column) index of an edited cell, or an InputError when the table has no such cell.

    Only a forged client sends a row past n, a negative row or an unknown column; numpy would index
    from the end for a negative row or raise IndexError past n.
    """
    text = str(row)
    if not (text.isascii() and text.isdigit() and int(text) < n and column in columns):
        raise InputError(t("seq.edit_no_cell", row=text[:20], column=str(column)[:20], n=n, d=len(columns)))
    return int(text), columns[column]


def _on_edit(key: str) -> None:
    seq: Sequence = st.session_state[SEQUENCE_KEY]
    edits = st.session_state.get(key, {}).get("edited_rows", {})
    values = seq.values.copy()
    columns = {name: j for j, name in enumerate(_column_names(seq.d))}
    try:
        for row, cells in edits.items():
            for column, value in cells.items():
                i, j = _cell(row, column, seq.n, columns)
                values[i, j] = np.nan if value is None else float(value)
        if not np.isfinite(values).all():
            raise InputError(t("seq.edit_not_finite"))
        check_values(values)  # the bound every upload meets too (|x| ≤ MAX_ABS_VALUE)
    except (InputError, ValueError, TypeError) as exc:
        push_error(
            t("seq.edit_refused", reason=error_text(exc)) if isinstance(exc, InputError) else t("seq.edit_not_finite")
        )
        st.session_state[VERSION_KEY] = st.session_state.get(VERSION_KEY, 0) + 1  # fresh editor, old numbers
        return
    _set(Sequence(values=values, labels=seq.labels), {"type": "edited"})


def sequence_editor(seq: Sequence) -> None:
    """Edit X cell by cell when it is small (n·d ≤ EDIT_LIMIT); otherwise a preview."""
    frame = pd.DataFrame(seq.values, columns=_column_names(seq.d))
    frame.insert(0, "token", list(seq.labels))
    if seq.n * seq.d <= EDIT_LIMIT:
        key = f"w.seq.editor.{st.session_state.get(VERSION_KEY, 0)}"
        st.data_editor(
            frame,
            key=key,
            on_change=_on_edit,
            args=(key,),
            disabled=["token"],
            hide_index=True,
            num_rows="fixed",
            width="stretch",
        )
        st.caption(t("seq.edit.help"))
    else:
        st.caption(t("seq.edit.too_big", limit=EDIT_LIMIT))
        st.dataframe(frame.head(50).round(4), hide_index=True, width="stretch")


def x_csv(seq: Sequence) -> str:
    """X as a CSV file: a header, then one row a token (its label, then its numbers, exact)."""
    frame = pd.DataFrame(seq.values, columns=_column_names(seq.d))
    frame.insert(0, "token", list(seq.labels))
    return frame.to_csv(index=False)


def download_buttons(seq: Sequence, weights: np.ndarray | None = None) -> None:
    """X as CSV and .npy, and the weights as CSV (plotly's toolbar already saves PNGs).

    The files are built only when clicked (callables): a 4096×1024 CSV takes
    seconds to write and must not slow every rerun.
    """

    def x_npy() -> bytes:
        buffer = io.BytesIO()
        np.save(buffer, seq.values, allow_pickle=False)
        return buffer.getvalue()

    cols = st.columns(3)
    cols[0].download_button(t("seq.download_csv"), partial(x_csv, seq), "sequence.csv", "text/csv", on_click="ignore")
    cols[1].download_button(t("seq.download_npy"), x_npy, "sequence.npy", "application/octet-stream", on_click="ignore")
    if weights is not None:
        w = np.atleast_2d(weights)

        def w_csv() -> str:
            frame = pd.DataFrame(w, columns=list(seq.labels), index=[f"q{i + 1}" for i in range(w.shape[0])])
            return frame.to_csv()

        cols[2].download_button(t("seq.download_weights"), w_csv, "weights.csv", "text/csv", on_click="ignore")
