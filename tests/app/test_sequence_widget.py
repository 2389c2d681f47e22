"""The shared Sequence X sidebar on its own: the seed kinds, the cell-edit bound, the link note, the source link.
(The sidebar on a page, from a link and with an upload: lessons/<lesson>/tests.)"""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from attention_core.limits import MAX_ABS_VALUE
from attention_core.sequences import SEQUENCE_KINDS, generate_sequence
from ui.i18n import catalogs
from ui.sequence_input import SEEDLESS_KINDS

from .helpers import shown
from .pages import TIMEOUT, open_page

EN = catalogs()["en"]


def _sidebar_with_edits():
    """The sequence sidebar, plus a table edit from session state ("test.edit": {row: {column: value}})."""
    import streamlit as st

    from ui import sequence_input
    from ui.feedback import show_errors

    sequence_input.ensure_sequence()
    edit = st.session_state.pop("test.edit", None)
    if edit is not None:  # what st.data_editor hands its on_change callback
        st.session_state["test.editor"] = {"edited_rows": edit, "added_rows": [], "deleted_rows": []}
        sequence_input._on_edit("test.editor")
    sequence_input.sequence_sidebar()
    show_errors()


def edit_app() -> AppTest:
    at = AppTest.from_function(_sidebar_with_edits, default_timeout=TIMEOUT)
    at.run()
    return at


def edit(at: AppTest, row: int, column: str, value) -> AppTest:
    at.session_state["test.edit"] = {row: {column: value}}
    return at.run()


def test_a_cell_edit_beyond_the_bound_is_refused_with_the_bound_and_the_data_stays():
    at = edit_app()
    before = at.session_state["seq"]
    edit(at, 1, "d1", 2e6)
    assert not at.exception
    assert len(at.error) == 1
    message = shown(at.error[0].value)
    assert f"{MAX_ABS_VALUE:g}" in message and "Row 2, column 1" in message, message
    assert at.session_state["seq"] is before


@pytest.mark.parametrize(
    "row, column",
    [("8", "d1"), ("99999", "d2"), ("-1", "d1"), ("1", "d99"), ("1", "token"), ("x", "d1"), ("٣", "d1"), ("1.0", "d1")],
)
def test_a_forged_edit_of_a_cell_the_table_lacks_gets_a_sentence_and_the_data_stays(row, column):
    at = edit_app()  # X is 8 × 4
    before = at.session_state["seq"]
    edit(at, row, column, 1.0)
    assert not at.exception
    assert len(at.error) == 1
    message = shown(at.error[0].value)
    assert "no cell" in message and "8 rows and 4 columns" in message, message
    assert at.session_state["seq"] is before


def test_a_cell_edit_within_the_bound_is_taken():
    at = edit_app()
    edit(at, 1, "d1", -MAX_ABS_VALUE)
    assert not at.error and not at.exception
    assert at.session_state["seq"].values[1, 0] == -MAX_ABS_VALUE


def test_after_an_edit_the_sidebar_says_the_link_drops_the_data_and_offers_it():
    at = edit_app()
    note = EN["seq.link_note"]
    assert not [c for c in at.sidebar.caption if c.value == note]
    edit(at, 0, "d2", 0.5)
    assert [c for c in at.sidebar.caption if c.value == note]
    buttons = [b for b in at.sidebar.get("download_button") if b.proto.id.endswith("w.seq.link_download")]
    assert len(buttons) == 1 and buttons[0].proto.label == EN["seq.download_csv"]


def test_seedless_kinds_are_the_ones_the_generator_ignores_the_seed_for():
    ignores = {
        k
        for k in SEQUENCE_KINDS
        if np.array_equal(generate_sequence(k, 6, 4, 0).values, generate_sequence(k, 6, 4, 1).values)
    }
    assert ignores == set(SEEDLESS_KINDS)


def test_no_source_link_unless_one_is_configured(monkeypatch):
    monkeypatch.delenv("ATTENTION_EXPLORER_SOURCE", raising=False)
    at = open_page()
    assert not at.get("link_button")
    assert "attention-explorer/attention-explorer" not in " ".join(str(m.value) for m in at.sidebar.markdown)

    monkeypatch.setenv("ATTENTION_EXPLORER_SOURCE", "https://example.org/fork")
    at.run()
    links = at.get("link_button")
    assert len(links) == 1 and links[0].proto.url == "https://example.org/fork"
