"""A hub model's size is known before anything is downloaded, and a load fetches exactly what was measured.

No test here touches the network: the hub's metadata API and the transformers loaders are replaced.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import attention_core.model_attention as ma
from attention_core.errors import InputError
from attention_core.model_attention import load_model


def fake_info(*files, sha="0123abcd"):
    """What ``HfApi.model_info(files_metadata=True)`` returns: the commit and every file with its size."""
    return SimpleNamespace(sha=sha, siblings=[SimpleNamespace(rfilename=name, size=size) for name, size in files])


@pytest.fixture
def hub(monkeypatch):
    """A reachable hub whose metadata says what the test sets; the loaders record their calls and stop."""
    import huggingface_hub
    import transformers

    state = SimpleNamespace(info=None, calls=[])
    monkeypatch.setattr(ma, "hub_reachable", lambda timeout=3.0: True)

    def model_info(self, repo_id, **kwargs):
        state.calls.append(("model_info", repo_id, kwargs))
        if state.info is None:
            raise OSError("404 Repository Not Found")
        return state.info

    def tokenizer(source, **kwargs):
        state.calls.append(("from_pretrained", source, kwargs))
        return object()

    def model(source, **kwargs):
        state.calls.append(("from_pretrained", source, kwargs))
        raise OSError("no network in tests")

    monkeypatch.setattr(huggingface_hub.HfApi, "model_info", model_info)
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", tokenizer)
    monkeypatch.setattr(transformers.AutoModel, "from_pretrained", model)
    return state


def loads(state):
    return [call for call in state.calls if call[0] == "from_pretrained"]


def test_a_model_over_the_cap_is_refused_before_any_download(hub):
    hub.info = fake_info(("config.json", 700), ("vocab.txt", 200_000), ("model.safetensors", 1_340_000_000))
    with pytest.raises(InputError, match=r"needs 1,340 MB; this server loads hub models of up to 600 MB"):
        load_model("bert-large-uncased")
    assert hub.calls[0][2]["files_metadata"] is True
    assert not loads(hub), "something was downloaded before the size was known"


def test_the_cap_counts_every_file_a_load_may_fetch_but_not_other_formats(hub):
    big = 300 * 10**6
    hub.info = fake_info(
        ("model-00001-of-00002.safetensors", big),
        ("model-00002-of-00002.safetensors", big),
        ("tokenizer.json", 2 * 10**6),  # together 602 MB: over a 600 MB cap
        ("pytorch_model.bin", 10**10),  # never fetched (use_safetensors): not counted
        ("onnx/model.safetensors", 10**10),  # a subfolder: never fetched
    )
    assert ma.hub_download_size("x/y") == ("0123abcd", 2 * big + 2 * 10**6, True)
    with pytest.raises(InputError, match="602 MB"):
        load_model("x/y")
    with pytest.raises(InputError, match="cannot reach it"):  # under a bigger cap the (fake) download is tried
        load_model("x/y", max_hub_bytes=10**9)


def test_a_model_that_fits_is_loaded_from_the_measured_commit_as_safetensors_only(hub):
    hub.info = fake_info(("config.json", 700), ("model.safetensors", 90 * 10**6), sha="feedbeef")
    with pytest.raises(InputError, match="cannot reach it or the id does not exist"):
        load_model("prajjwal1/bert-tiny")
    tokenizer_call, model_call = loads(hub)
    assert tokenizer_call[2] == {"revision": "feedbeef"}
    assert model_call[2]["revision"] == "feedbeef" and model_call[2]["use_safetensors"] is True


def test_pickled_only_models_and_unknown_ids_are_refused_without_a_download(hub):
    hub.info = fake_info(("config.json", 700), ("pytorch_model.bin", 10**6))
    with pytest.raises(InputError, match="only safetensors"):
        load_model("old/pickled-model")
    hub.info = None  # the hub answers 404
    with pytest.raises(InputError, match="does not exist"):
        load_model("no-such-owner/no-such-model")
    assert not loads(hub)
