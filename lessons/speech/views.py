"""The Speech page's views: each draws what ``Shown`` holds; every element that shows an answerable quantity asks
``asked.hides(...)`` first ("attention": cross-attention weights, "alignment": word times and the DTW path,
"languages": the language probabilities)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from attention_core.speech import timing
from attention_core.speech.by_hand import by_hand
from attention_core.speech.model import LANGUAGES, SAMPLE_RATE, LoadedWhisper
from attention_core.speech.transcribe import FRAME_SECONDS, Transcription
from lessons.speech import controls, guide, listening
from lessons.speech import figures as sfig
from ui import guided
from ui.figures import show
from ui.guide_steps import NoFit, Word
from ui.i18n import t

SAMPLES_PER_FRAME = int(SAMPLE_RATE * FRAME_SECONDS)
PREFIX_LABELS = ("<|sot|>", "<|lang|>", "<|transcribe|>", "<|notimestamps|>")
NAMED_LANGUAGES = ("en", "zh", "de", "es", "fr", "ja", "ko", "ru", "it", "pt", "nl", "la", "cy", "fi", "nn", "sv")


@dataclass(frozen=True)
class Shown:
    """What every view draws from: the clip, what Whisper heard, the head picked and the open question."""

    heard: controls.Heard
    result: Transcription
    whisper: LoadedWhisper
    layer: int  # 0: the alignment heads' average; 1…6
    head: int  # 1…8
    token: int  # 0-based unit of the transcript
    asked: guided.Shown

    @property
    def unit_labels(self) -> list[str]:
        return [f"{i + 1}: {unit.text.strip() or '␣'}" for i, unit in enumerate(self.result.units)]

    @property
    def heads(self) -> tuple[tuple[int, int], ...]:
        """The heads the token view averages: the alignment heads, or the one picked."""
        return self.whisper.alignment_heads if self.layer == 0 else ((self.layer - 1, self.head - 1),)

    @property
    def one_head(self) -> tuple[int, int]:
        """One head (0-based) for the views that need one: the picked head, or the first alignment head."""
        return self.whisper.alignment_heads[0] if self.layer == 0 else (self.layer - 1, self.head - 1)

    def head_words(self, cross: bool = True) -> str:
        """The head shown, in words; the first alignment head is named so only where it is a cross-attention head."""
        layer, head = self.one_head
        note = "speech.first_alignment_head" if self.layer == 0 and cross else "speech.head_name"
        return t(note, l=layer + 1, h=head + 1)

    def unit_attention(self, heads=None) -> np.ndarray:
        """``[units, frames in clip]``: each unit's weights, averaged over ``heads`` (default: the picked ones)."""
        weights = timing.head_weights(self.result.cross, heads or self.heads).mean(axis=0)
        return timing.unit_weights(weights, self.result.units)[:, : self.result.frames_in_clip]

    def placed_words(self, alignment: timing.Alignment) -> list[tuple[str, float, float]]:
        return [(w.text.strip(), a, b) for w, (a, b) in zip(self.result.words, alignment.word_times, strict=True)]


def words() -> dict:
    names = (
        "time amplitude wave_title mel_title mel_band weight hover_mel hover_weight hover_matrix path token "
        "key_time query_time key_token query_token hover_frames hover_tokens language_title probability "
        "model_weights hand_weights by_hand_title"
    ).split()
    return {name: t(f"speech.fig.{name}") for name in names}


def default_alignment(s: Shown) -> timing.Alignment:
    return listening.aligned(s.heard, controls.get("language"), s.result, s.whisper.alignment_heads, True, 7)


def sound_view(s: Shown) -> None:
    """Waveform and log-mel spectrogram, the words placed where the DTW puts them."""
    clip, result = s.heard.clip, s.result
    st.audio(clip.samples, sample_rate=SAMPLE_RATE)
    show(sfig.waveform(clip.samples, SAMPLE_RATE, words()), key="chart.speech.wave")
    placed = () if s.asked.hides("alignment") else s.placed_words(default_alignment(s))
    mel = result.mel[:, : 2 * result.frames_in_clip]
    show(sfig.spectrogram(mel, clip.seconds, words(), placed), key="chart.speech.mel")
    st.caption(t("speech.sound.caption" if placed else "speech.sound.caption_hidden", frames=result.frames_in_clip))


def token_picker(s: Shown, where=st) -> int:
    labels = s.unit_labels
    return controls.SETTINGS.draw(
        "token", where=where, options=range(len(labels)), labels=labels, format_func=labels.__getitem__
    )


def token_view(s: Shown) -> None:
    """One output token's attention over the audio, on the spectrogram; the stretch the alignment gives it, played."""
    unit = s.result.units[s.token]
    if s.asked.hides("attention", "alignment"):
        guided.hidden_note(360)
        return
    weights = s.unit_attention()[s.token]  # [frames in clip]
    peak = int(np.argmax(weights))
    aligned = listening.aligned(s.heard, controls.get("language"), s.result, s.heads, True, 7)
    start, end = aligned.span(unit.tokens)
    mel = s.result.mel[:, : 2 * s.result.frames_in_clip]
    heads = t("speech.alignment_average") if s.layer == 0 else s.head_words()
    title = t("speech.token.title", token=unit.text.strip(), heads=heads)
    fig = sfig.spectrogram(mel, s.heard.clip.seconds, words(), (), weights, (start, end), title)
    show(fig, key="chart.speech.token")
    play, say = st.columns([1, 2], vertical_alignment="center")
    samples = s.heard.clip.samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
    play.audio(samples, sample_rate=SAMPLE_RATE)
    say.markdown(
        t(
            "speech.token.caption",
            token=unit.text.strip(),
            peak=f"{peak * FRAME_SECONDS:.2f}",
            w=f"{weights[peak]:.3f}",
            a=f"{start:.2f}",
            b=f"{end:.2f}",
        )
    )


def alignment_view(s: Shown) -> None:
    """The token × frame matrix, the DTW path through it, and the toggles for each step of openai's recipe."""
    if s.asked.hides("attention", "alignment"):
        guided.hidden_note(420)
        return
    c_heads, c_filter, c_norm = st.columns([2, 2, 1], vertical_alignment="bottom")
    draw = controls.SETTINGS.draw
    heads = draw("heads", where=c_heads, format_func=lambda h: t(f"speech.heads.{h}", head=s.head_words()))
    width = draw("filter", where=c_filter)
    normalise = draw("normalise", where=c_norm)
    layer, head = s.one_head
    chosen = listening.heads_of(s.whisper, heads, layer + 1, head + 1)
    aligned = listening.aligned(s.heard, controls.get("language"), s.result, chosen, normalise, width)
    labels = [_token_label(s.result, k) for k in range(aligned.matrix.shape[0])]
    title = t("speech.alignment.title", heads=len(chosen))
    fig = sfig.alignment(aligned.matrix, labels, aligned.path_tokens, aligned.path_frames, words(), title)
    show(fig, key="chart.speech.alignment")
    st.caption(t("speech.alignment.caption", heads=len(chosen), width=width))
    table = pd.DataFrame(
        [
            (w.text.strip(), f"{a:.2f}", f"{b:.2f}")
            for w, (a, b) in zip(s.result.words, aligned.word_times, strict=True)
        ],
        columns=[t("speech.word"), t("speech.start"), t("speech.end")],
    )
    st.dataframe(table, hide_index=True, height=min(400, 38 + 35 * len(table)))


def _token_label(result: Transcription, k: int) -> str:
    """Output token k's label: its unit's text on the unit's first piece, "+" on the pieces that continue it."""
    for i, unit in enumerate(result.units):
        if k in unit.tokens:
            return f"{i + 1}: {unit.text.strip() or '␣'}" if k == unit.tokens[0] else "+"
    return "<|endoftext|>"


def encoder_view(s: Shown) -> None:
    """Encoder self-attention: every 20-ms frame over every frame (block-averaged beyond 300 frames)."""
    layer, head = s.one_head
    block = s.result.encoder_block
    matrix = s.result.encoder_self[layer, head]
    title = t("speech.encoder.title", head=s.head_words(cross=False))
    show(sfig.square(matrix, words(), title, step=block * FRAME_SECONDS), key="chart.speech.encoder")
    st.caption(t("speech.encoder.caption", n=s.result.frames, ms=int(block * FRAME_SECONDS * 1000)))


def decoder_view(s: Shown) -> None:
    """Decoder self-attention: each token over the tokens before it (causal)."""
    layer, head = s.one_head
    n = s.result.decoder_self.shape[-1]
    labels = list(PREFIX_LABELS) + [_token_label(s.result, k) for k in range(n - len(PREFIX_LABELS))]
    title = t("speech.decoder.title", head=s.head_words(cross=False))
    show(sfig.square(s.result.decoder_self[layer, head], words(), title, labels=labels), key="chart.speech.decoder")
    st.caption(t("speech.decoder.caption"))


def language_name(code: str) -> str:
    return t(f"speech.lang.{code}") if code in NAMED_LANGUAGES else code


def language_view(s: Shown) -> None:
    """The softmax over Whisper's 99 language tokens at the first step: the ten likeliest."""
    if s.asked.hides("languages"):
        guided.hidden_note(360)
        return
    probs = s.result.language_probs
    top = np.argsort(-probs)[:10]
    names = [f"{language_name(LANGUAGES[i])} ({LANGUAGES[i]})" for i in top]
    show(sfig.languages(names, probs[top], words()), key="chart.speech.languages")
    best = int(top[0])
    st.caption(t("speech.language.caption", lang=language_name(LANGUAGES[best]), p=f"{probs[best]:.1%}"))


def by_hand_view(s: Shown) -> None:
    """One cross-attention head recomputed from the model's own q and k with ``attend()``."""
    if s.asked.hides("attention"):
        guided.hidden_note(320)
        return
    layer, head = s.one_head
    result = by_hand(s.whisper, s.result, layer, head, s.result.units[s.token].tokens[0])
    peak = int(np.argmax(result.weights))
    st.markdown(t("speech.by_hand.intro", head=s.head_words(), token=s.result.units[s.token].text.strip()))
    st.latex(
        rf"q\cdot k_{{{peak}}} = {result.query @ result.keys[peak]:.3f},\quad "
        rf"a_{{{peak}}} = \frac{{q\cdot k_{{{peak}}}}}{{\sqrt{{64}}}} = {result.scores[peak]:.3f},\quad "
        rf"w_{{{peak}}} = \frac{{e^{{a_{{{peak}}}}}}}{{\sum_j e^{{a_j}}}} = {result.weights[peak]:.4f}"
    )
    show(sfig.by_hand(result.weights, result.model_weights, words()), key="chart.speech.by_hand")
    st.metric(t("speech.by_hand.difference"), f"{result.largest_difference:.1e}")
    st.caption(t("speech.by_hand.caption", peak=peak, time=f"{peak * FRAME_SECONDS:.2f}"))


def guide_steps(result: Transcription):
    """The guided lesson's questions for this clip, or what to change when none fits."""
    if len(result.words) < 2:
        return NoFit(Word("guide.speech.nofit.reason"), Word("guide.speech.nofit.button"), controls.use_bundled_clip)
    return guide.steps(result, listening.model().alignment_heads, language_name)


VIEWS = {
    "sound": sound_view,
    "token": token_view,
    "alignment": alignment_view,
    "encoder": encoder_view,
    "decoder": decoder_view,
    "language": language_view,
    "by_hand": by_hand_view,
}
