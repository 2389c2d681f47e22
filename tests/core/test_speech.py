"""The Speech lesson's core: the CTranslate2 reader, transcription, word timing, the merge and a head by hand."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile

from attention_core import whisper_weights as ww
from attention_core.errors import InputError
from attention_core.speech import timing
from attention_core.speech.audio import decode_audio
from attention_core.speech.by_hand import by_hand
from attention_core.speech.tokens import merge_pieces, token_bytes, words_of
from tests.core.bad_audio import bad_audio, good_audio

CLIPS = Path(__file__).resolve().parents[2] / "assets" / "speech"
TEXTS = json.loads((CLIPS / "clips.json").read_text())


@pytest.fixture(scope="module")
def ct2():
    return ww.parse_ct2(ww.read_model_bytes())


@pytest.fixture(scope="module")
def whisper():
    from attention_core.speech.model import load_whisper

    return load_whisper()


@pytest.fixture(scope="module")
def heard(whisper):
    from attention_core.speech.transcribe import transcribe

    return {name: transcribe(whisper, decode_audio((CLIPS / f"{name}.wav").read_bytes()).samples) for name in TEXTS}


def test_the_reader_finds_212_variables_with_their_shapes_and_the_recorded_sha256(ct2):
    data = b"".join(part.read_bytes() for part in ww.whisper_files().parts)
    assert len(data) == 145_217_532
    assert hashlib.sha256(data).hexdigest() == ww.MODEL_SHA256
    assert (ct2.spec, ct2.revision, len(ct2.variables)) == ("WhisperSpec", 3, 212)
    assert ct2.aliases == {"decoder/projection/weight": "decoder/embeddings/weight"}
    assert ct2.get("decoder/projection/weight").shape == (51865, 512)
    assert ct2.variables["encoder/conv1/weight"].shape == (512, 80, 3)
    assert ct2.variables["encoder/position_encodings/encodings"].shape == (1500, 512)
    assert ct2.variables["encoder/layer_5/self_attention/linear_0/weight"].shape == (1536, 512)  # Q, K, V stacked
    assert ct2.variables["decoder/layer_0/attention/linear_1/weight"].shape == (1024, 512)  # K, V stacked
    assert int(ct2.variables["decoder/num_heads"]) == 8
    # Whisper's K has no bias: CTranslate2 stores zeros in the middle third
    assert not ct2.variables["encoder/layer_0/self_attention/linear_0/bias"][512:1024].any()


def test_a_changed_byte_is_refused(tmp_path):
    files = ww.whisper_files()
    changed = bytearray(files.parts[1].read_bytes())
    changed[-1] ^= 1
    (tmp_path / "part2").write_bytes(changed)
    with pytest.raises(ValueError, match="sha256"):
        ww.read_model_bytes(ww.WhisperFiles((files.parts[0], tmp_path / "part2"), files.config, files.tokenizer))


def test_every_variable_lands_in_the_model(whisper, ct2):
    weights = dict(whisper.model.named_parameters())
    qkv = ct2.variables["decoder/layer_2/self_attention/linear_0/weight"].astype(np.float32)
    assert np.array_equal(weights["model.decoder.layers.2.self_attn.v_proj.weight"].numpy(), qkv[1024:])
    kv = ct2.variables["decoder/layer_4/attention/linear_1/weight"].astype(np.float32)
    assert np.array_equal(weights["model.decoder.layers.4.encoder_attn.k_proj.weight"].numpy(), kv[:512])
    assert whisper.model.proj_out.weight.data_ptr() == whisper.model.model.decoder.embed_tokens.weight.data_ptr()


def words(text: str) -> list[str]:
    return re.sub(r"[^\w\s']", " ", text.lower()).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, by edit distance over words."""
    ref, hyp = words(reference), words(hypothesis)
    distance = np.arange(len(hyp) + 1)
    for i, word in enumerate(ref, 1):
        previous, distance = distance, np.empty_like(distance)
        distance[0] = i
        for j, other in enumerate(hyp, 1):
            distance[j] = min(previous[j] + 1, distance[j - 1] + 1, previous[j - 1] + (word != other))
    return distance[-1] / len(ref)


def test_word_error_rate_counts_edits():
    assert word_error_rate("the cat sat", "The cat sat.") == 0
    assert word_error_rate("the cat sat", "the dog sat") == pytest.approx(1 / 3)
    assert word_error_rate("the cat sat", "the cat") == pytest.approx(1 / 3)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_the_bundled_clips_transcribe_to_their_texts(heard, name):
    rate = word_error_rate(TEXTS[name], heard[name].text)
    print(f"{name}: WER {rate:.1%}: {heard[name].text!r}")
    assert rate <= 0.10
    assert heard[name].language == "en" and heard[name].language_probs.argmax() == 0
    assert heard[name].language_probs.sum() == pytest.approx(1, abs=1e-5)


def test_the_attention_shapes_follow_the_tokens_and_frames(heard):
    clip = heard["cat"]
    n, frames = len(clip.text_tokens), clip.frames
    assert clip.cross.shape == (6, 8, n + 1, frames)
    assert clip.decoder_self.shape == (6, 8, n + 5, n + 5)
    assert clip.encoder_self.shape[:2] == (6, 8)
    np.testing.assert_allclose(clip.cross.sum(-1), 1, atol=1e-4)
    np.testing.assert_allclose(clip.encoder_self.sum(-1), 1, atol=1e-4)
    assert np.triu(clip.decoder_self[0, 0], 1).max() == 0  # causal: no position sees a later one


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_word_times_from_dtw_are_monotonic_and_inside_the_clip(heard, whisper, name):
    clip = heard[name]
    in_clip = int(np.ceil(clip.seconds / timing.FRAME_SECONDS))
    aligned = timing.align(clip.cross, whisper.alignment_heads, clip.words, in_clip)
    starts = np.array([start for start, _ in aligned.word_times])
    ends = np.array([end for _, end in aligned.word_times])
    assert len(aligned.word_times) == len(clip.words)
    assert np.all(np.diff(starts) >= 0) and np.all(ends >= starts)
    assert starts[0] >= 0 and ends[-1] <= clip.seconds + timing.FRAME_SECONDS
    assert np.all(np.diff(aligned.path_tokens) >= 0) and np.all(np.diff(aligned.path_frames) >= 0)
    # the words spread over the clip: the last word starts in its second half
    assert starts[-1] > clip.seconds / 2


def test_dtw_follows_the_cheapest_diagonal():
    cost = 1 - np.eye(3).repeat(2, axis=1)  # token i costs nothing in frames 2i, 2i + 1
    tokens, frames = timing.dtw(cost)
    assert list(zip(tokens, frames)) == [(0, 0), (0, 1), (1, 2), (1, 3), (2, 4), (2, 5)]


def test_each_alignment_step_changes_the_matrix(heard, whisper):
    clip = heard["attention"]
    every = timing.align(clip.cross, whisper.alignment_heads, clip.words, clip.frames)
    raw = timing.align(clip.cross, whisper.alignment_heads, clip.words, clip.frames, normalise=False, filter_width=1)
    assert not np.allclose(every.matrix, raw.matrix)
    # without normalising, the raw weights of the averaged heads
    expected = timing.head_weights(clip.cross, whisper.alignment_heads).mean(0)
    np.testing.assert_allclose(raw.matrix, expected, atol=1e-6)
    spikes = np.zeros((1, 1, 9))
    spikes[..., 4] = 1
    assert not timing.median_filter(spikes, 3).any()


@pytest.mark.parametrize(("layer", "head", "token"), [(0, 0, 0), (3, 1, 5), (5, 6, -1)])
def test_a_head_by_hand_equals_the_models_weights(heard, whisper, layer, head, token):
    clip = heard["attention"]
    token = token % clip.cross.shape[2]
    result = by_hand(whisper, clip, layer, head, token)
    assert result.keys.shape == (clip.frames, 64)
    assert result.largest_difference < 1e-5
    np.testing.assert_allclose(result.scores, result.query @ result.keys.T / 8, rtol=1e-5, atol=1e-5)


def test_byte_pieces_of_chinese_characters_merge_into_the_characters(whisper):
    ids = whisper.tokenizer.encode("今天天气很好，我们去公园散步。", add_special_tokens=False).ids
    pieces = [token_bytes(whisper.tokenizer.id_to_token(i)) for i in ids]
    assert any(_not_text(piece) for piece in pieces)  # the tokenizer does split characters into bytes
    units = merge_pieces(pieces)
    assert "".join(unit.text for unit in units) == "今天天气很好，我们去公园散步。"
    assert all("\ufffd" not in unit.text for unit in units)
    assert [i for unit in units for i in unit.tokens] == list(range(len(ids)))
    assert "园" in [unit.text for unit in units]
    chinese_words = words_of(units, "zh")
    assert chinese_words[-1].text.endswith("。") and "步" in chinese_words[-1].text


def _not_text(piece: bytes) -> bool:
    try:
        piece.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def test_english_units_group_into_words_with_their_punctuation():
    units = merge_pieces([b" The", b" c", b"at", b" sat", b"."])
    assert [w.text for w in words_of(units, "en")] == [" The", " cat", " sat."]


@pytest.mark.parametrize("case", good_audio(), ids=lambda case: case.id)
def test_audio_files_are_decoded_to_16khz_mono(case):
    clip = decode_audio(case.data)
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    assert np.isfinite(clip.samples).all() and np.abs(clip.samples).max() <= 1.0
    if case.expect is not None:
        assert clip.seconds == pytest.approx(case.expect, abs=0.02)
    else:
        assert 0.5 < clip.seconds < 1.5
    if case.id == "longer_than_30s":
        assert clip.cut and clip.seconds_total == pytest.approx(31.0)
    if case.id == "stereo":
        assert clip.channels_in == 2
    if case.id == "clipping":
        assert clip.clipped > 0


def test_resampling_keeps_the_tone():
    from tests.core.bad_audio import encoded, tone

    clip = decode_audio(encoded(tone(1.0, 96_000), 96_000))
    spectrum = np.abs(np.fft.rfft(clip.samples))
    assert np.argmax(spectrum) == pytest.approx(440, abs=2)  # 1 s at 16 kHz: bin k is k Hz


@pytest.mark.parametrize("case", bad_audio(), ids=lambda case: case.id)
def test_bad_audio_is_refused_with_one_sentence(case):
    with pytest.raises(InputError, match=case.expect) as error:
        decode_audio(case.data)
    message = str(error.value)
    assert message.count(". ") == 0 and message.endswith(".")


@pytest.fixture(scope="module")
def ctranslate2_whisper(tmp_path_factory):
    """The same model.bin run by CTranslate2 itself (installed with faster-whisper, a test-only dependency)."""
    ctranslate2 = pytest.importorskip("ctranslate2")
    folder = tmp_path_factory.mktemp("whisper-base-ct2")
    files = ww.whisper_files()
    (folder / "model.bin").write_bytes(ww.read_model_bytes(files))
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (folder / name).write_bytes((files.config.parent / name).read_bytes())
    return ctranslate2.models.Whisper(str(folder), device="cpu", compute_type="float32", intra_threads=1)


@pytest.mark.parametrize("name", ["cat"])
def test_ctranslate2_on_the_same_file_hears_the_same_tokens_languages_and_word_path(whisper, ctranslate2_whisper, name):
    """An independent implementation of the same file (C++, not transformers) given the same features:
    the same greedy tokens, the same language probabilities, and each token's start from its own DTW
    (``align``, openai's recipe in C++) within 0.1 s (its median filter and normalisation differ in details)."""
    import ctranslate2

    from attention_core.speech.audio import log_mel
    from attention_core.speech.model import NO_TIMESTAMPS, SOT, TRANSCRIBE
    from attention_core.speech.transcribe import transcribe

    samples = decode_audio((CLIPS / f"{name}.wav").read_bytes()).samples
    ours = transcribe(whisper, samples, whole_window=True)  # CTranslate2 always encodes the whole window
    features = ctranslate2.StorageView.from_array(log_mel(samples)[None])
    english = whisper.language_ids[0]
    theirs = ctranslate2_whisper.generate(
        features, [[SOT, english, TRANSCRIBE, NO_TIMESTAMPS]], beam_size=1, suppress_blank=True, suppress_tokens=[-1]
    )[0].sequences_ids[0]
    print(f"{name}: {ours.text!r}")
    assert list(ours.text_tokens) == theirs
    their_languages = dict(ctranslate2_whisper.detect_language(features)[0])
    assert ours.language_probs[0] == pytest.approx(their_languages["<|en|>"], abs=1e-4)
    mel_frames = int(np.ceil(len(samples) / 160))
    path = np.array(ctranslate2_whisper.align(features, [SOT, english, TRANSCRIBE], [theirs], mel_frames)[0].alignments)
    their_starts = path[np.diff(path[:, 0], prepend=-1) > 0, 1] * timing.FRAME_SECONDS
    ours_aligned = timing.align(ours.cross, whisper.alignment_heads, ours.words, mel_frames // 2)
    differences = np.abs(ours_aligned.token_starts - their_starts)[:-1]  # the text tokens (not EOT)
    print(f"{name}: token starts differ by {differences.max():.2f} s at most, {np.median(differences):.2f} s median")
    assert differences.max() <= 0.1 + 1e-9 and np.median(differences) <= 0.02 + 1e-9


def test_chinese_output_of_the_model_is_merged_into_characters(whisper):
    """Whisper made to write Chinese (language="zh") for an English clip: its byte pieces come back as characters."""
    from attention_core.speech.transcribe import transcribe

    heard = transcribe(whisper, decode_audio((CLIPS / "cat.wav").read_bytes()).samples, language="zh")
    assert heard.language == "zh" and heard.language_chosen
    assert any(len(unit.tokens) > 1 for unit in heard.units)  # a character that took two tokens
    assert all("\ufffd" not in unit.text and unit.text.strip() for unit in heard.units)
    assert all(len(word.text.strip()) <= 2 for word in heard.words)  # a character a word (and its punctuation)
    assert "".join(unit.text for unit in heard.units).strip() == heard.text


def test_a_header_claiming_hours_is_as_long_as_what_it_holds():
    from tests.core.bad_audio import wav_claiming

    clip = decode_audio(wav_claiming(3 * 3600))
    assert clip.seconds_total == pytest.approx(0.5) and not clip.cut


def test_thirty_seconds_of_eight_channels_at_384_khz_is_read_a_block_at_a_time(tmp_path):
    """368 MB as float32 all at once; read block by block it adds far less than the 200 MB per-rerun budget."""
    from tests.core.fuzzing import _reset_peak, _status_kb

    path = tmp_path / "big.flac"
    rate, seconds = 384_000, 31
    with soundfile.SoundFile(path, "w", rate, 8, format="FLAC", subtype="PCM_16") as sound:
        block = (0.3 * np.sin(np.arange(rate) * 0.05)).astype(np.float32)[:, None].repeat(8, axis=1)
        for _ in range(seconds):
            sound.write(block)
    data = path.read_bytes()
    assert len(data) < 40 * 10**6
    base = _reset_peak()
    clip = decode_audio(data)
    if base is not None:
        added_mb = (_status_kb("VmHWM") - base) / 1024
        print(f"decoding 30 s of 8 × 384 kHz added {added_mb:.0f} MB at its peak")
        assert added_mb < 200
    assert clip.seconds == pytest.approx(30.0) and clip.cut and clip.channels_in == 8
