"""The shared Sequence X sidebar on the Query page: a link's mask fitted to n, the seed controls, the upload's cap and
an upload in the link (tests/app/test_sequence_widget.py: the sidebar on its own)."""

from __future__ import annotations

import pytest

from attention_core.sequences import SEQUENCE_KINDS
from attention_core.uploads import MAX_UPLOAD_MB
from tests.app.pages import open_page
from ui.i18n import catalogs
from ui.sequence_input import SEEDLESS_KINDS

EN = catalogs()["en"]
QUERY = "lessons/query_attention/page.py"


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
