"""The shared Sequence X sidebar: the seed button, the cell-edit bound, the link note, the upload cap, links."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from attention_core.limits import MAX_ABS_VALUE
from attention_core.sequences import SEQUENCE_KINDS, generate_sequence
from attention_core.uploads import MAX_UPLOAD_MB
from ui.i18n import catalogs
from ui.sequence_input import SEEDLESS_KINDS

from .conftest import TIMEOUT, open_page
from .helpers import shown

EN = catalogs()["en"]
QUERY = "lessons/query_attention/page.py"


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


def test_a_link_mask_that_does_not_fit_n_is_warned_about():
    at = open_page(QUERY, kind="gaussian", n=4, d=3, seed=0, mask=9)
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("mask" in w for w in warnings), warnings
    assert at.session_state["score.mask"] == ""


def test_a_link_mask_that_fits_is_taken_without_a_warning():
    at = open_page(QUERY, kind="gaussian", n=4, d=3, seed=0, mask=3)
    assert not at.exception and not at.warning
    assert at.session_state["score.mask"] == "3"


def test_seedless_kinds_are_the_ones_the_generator_ignores_the_seed_for():
    ignores = {
        k
        for k in SEQUENCE_KINDS
        if np.array_equal(generate_sequence(k, 6, 4, 0).values, generate_sequence(k, 6, 4, 1).values)
    }
    assert ignores == set(SEEDLESS_KINDS)


@pytest.mark.parametrize("kind", SEQUENCE_KINDS)
def test_the_seed_controls_are_disabled_where_the_seed_means_nothing(kind):
    at = open_page(QUERY, kind=kind, n=6, d=4, seed=3)
    button, seed = at.button(key="w.seq.new_seed"), at.number_input(key="w.seq.seed")
    seedless = kind in SEEDLESS_KINDS
    assert button.disabled == seedless and seed.disabled == seedless
    if seedless:
        assert EN[f"seq.kind.{kind}"] in button.help and "seed" in button.help
    else:
        button.click().run()
        assert at.session_state["seq.seed"] == 4


def test_the_upload_help_states_the_cap_in_use():
    at = open_page(QUERY)
    at.radio(key="w.seq.source").set_value("upload").run()
    uploader = at.get("file_uploader")
    assert len(uploader) == 1
    assert f"{MAX_UPLOAD_MB} MB" in uploader[0].proto.help
    assert uploader[0].proto.max_upload_size_mb in (0, MAX_UPLOAD_MB)  # 0: the config's server.maxUploadSize


def test_no_source_link_unless_one_is_configured(monkeypatch):
    monkeypatch.delenv("ATTENTION_EXPLORER_SOURCE", raising=False)
    at = open_page()
    assert not at.get("link_button")
    assert "attention-explorer/attention-explorer" not in " ".join(str(m.value) for m in at.sidebar.markdown)

    monkeypatch.setenv("ATTENTION_EXPLORER_SOURCE", "https://example.org/fork")
    at.run()
    links = at.get("link_button")
    assert len(links) == 1 and links[0].proto.url == "https://example.org/fork"


def test_an_upload_in_use_is_marked_in_the_link_and_a_session_without_the_file_asks_for_it_again():
    """After a move to another process the page fell back to "Clusters, seed 0" and warned about q."""
    at = open_page(QUERY)
    at.radio(key="w.seq.source").set_value("upload").run()
    at.file_uploader[0].set_value(("five.csv", b"1,2,3,4,5\n5,4,3,2,1\n0,1,0,1,0\n", "text/csv")).run()
    assert at.session_state["seq"].d == 5
    link = {name: at.query_params[name] for name in at.query_params}
    assert link.get("source") == ["upload"] or link.get("source") == "upload", link
    assert "kind" not in link and "seed" not in link  # the generator's settings would show other data

    # a fresh session (the other process) opens the same link: no file there
    moved = open_page(QUERY, **{k: v[0] if isinstance(v, list) else v for k, v in link.items()})
    assert not moved.exception and not moved.error
    # one sentence, and no warning about q (it was written for the lost file's d = 5)
    assert [w.value for w in moved.warning] == [EN["seq.upload_lost"]], [w.value for w in moved.warning]
    assert [w.value for w in moved.sidebar.warning] == [EN["seq.upload_lost"]]
    assert moved.radio(key="w.seq.source").value == "upload"
    assert moved.query_params.get("source") in (["upload"], "upload")  # a reload still asks for the file

    # the file uploaded again: the sentence goes, the data is the file's
    moved.file_uploader[0].set_value(("five.csv", b"1,2,3,4,5\n5,4,3,2,1\n0,1,0,1,0\n", "text/csv")).run()
    assert moved.session_state["seq"].d == 5
    assert not moved.sidebar.warning
