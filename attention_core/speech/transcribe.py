"""One transcription with Whisper base: greedy decoding, and every attention of that pass.

The encoder sees only the clip's own frames (whisper.cpp's ``audio_ctx`` trick): a 5-s clip is 250 encoder
frames instead of the 30-s window's 1500, six times less work, and on the bundled clips the words come out
the same or better. Each encoder frame stands for 20 ms of audio.

An output token is the query: its cross-attention weights w = softmax(qᵀk/√d) over the encoder frames are a
curve over time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..errors import InputError
from .audio import log_mel
from .model import ENCODER_FRAMES, EOT, LANGUAGES, NO_TIMESTAMPS, SAMPLE_RATE, SOT, TRANSCRIBE, LoadedWhisper
from .tokens import Unit, merge_pieces, token_bytes, words_of

FRAME_SECONDS = 0.02  # one encoder frame: two 10-ms mel frames (conv2 has stride 2)
MAX_TEXT_TOKENS = 128  # a 30-s clip of fast speech is about 100 tokens; a loop stops here
MIN_FRAMES = 50  # clips shorter than 1 s are padded with silence to 1 s: too few frames confuse the model
MAX_DRAWN_FRAMES = 300  # the encoder's frames × frames attention is kept at most this many frames a side
PREFIX = 3  # SOT, language, task; then NO_TIMESTAMPS, whose position predicts the first text token


@dataclass(frozen=True, eq=False)
class Transcription:
    """What Whisper heard in one clip and every attention it used (arrays read-only; a cached result is shared).

    - ``tokens``: the decoder's input ids ``[SOT, lang, transcribe, notimestamps, t₁ … t_n, EOT]`` (n + 5).
      Output token k (0-based, t_{k+1}; k = n is EOT) was predicted at position ``PREFIX + k``:
      that position's query is "output token k's" query.
    - ``units``: the n text tokens merged into readable pieces (a Chinese character's byte pieces joined);
      ``words``: units grouped into words. Their ``tokens`` are 0-based output token indices.
    - ``cross``: float32 ``[layers, heads, n + 1, frames]``: output token k's weights over the encoder frames.
    - ``decoder_self``: float32 ``[layers, heads, n + 5, n + 5]``: each decoder position over earlier positions.
    - ``encoder_self``: float32 ``[layers, heads, m, m]``: frame × frame, block-averaged to at most
      ``MAX_DRAWN_FRAMES`` a side (``encoder_block`` frames a cell).
    - ``cross_input``: float32 ``[layers, n + 5, d_model]``: what each cross-attention's queries are computed
      from (the layer-normed decoder state); ``encoder_output``: float32 ``[frames, d_model]``, its keys' source.
    - ``language_probs``: float32 ``[99]`` softmax over the language tokens at the first step (``LANGUAGES`` order).
    - ``mel``: float32 ``[80, 2·frames]``, the clip's log-mel features (10 ms a column).
    """

    text: str
    language: str
    language_chosen: bool
    language_probs: np.ndarray
    tokens: tuple[int, ...]
    units: tuple[Unit, ...]
    words: tuple[Unit, ...]
    cross: np.ndarray
    decoder_self: np.ndarray
    encoder_self: np.ndarray
    encoder_block: int
    cross_input: np.ndarray
    encoder_output: np.ndarray
    mel: np.ndarray
    seconds: float
    hit_token_limit: bool
    whole_window: bool = False

    @property
    def frames_in_clip(self) -> int:
        """Encoder frames that hold the clip's audio (the rest, if any, are silence padding)."""
        return min(self.frames, int(np.ceil(self.seconds / FRAME_SECONDS)))

    @property
    def frames(self) -> int:
        """Encoder frames: one per 20 ms of the clip (at least 50), or 1500 for the whole window."""
        return self.cross.shape[-1]

    @property
    def text_tokens(self) -> tuple[int, ...]:
        """The n text token ids, without the prefix and the final EOT."""
        return self.tokens[PREFIX + 1 : -1]


def transcribe(
    loaded: LoadedWhisper, samples: np.ndarray, language: str | None = None, whole_window: bool = False
) -> Transcription:
    """Greedy transcription of ``samples`` (float32 ``[n]``, 16 kHz, ≤ 30 s) and every attention of the pass.

    ``language``: a code from ``LANGUAGES`` ("en", "zh", …), or None to use the one the model finds likeliest.
    ``whole_window``: encode the whole 30-s window (1500 frames, as Whisper was trained and as openai/whisper
    and faster-whisper run it) instead of the clip's own frames.
    """
    if language is not None and language not in LANGUAGES:
        raise InputError("audio.unknown_language", language=language)
    if whole_window:
        frames = ENCODER_FRAMES
    else:
        frames = max(MIN_FRAMES, int(np.ceil(len(samples) / SAMPLE_RATE / FRAME_SECONDS)))
    mel = torch.from_numpy(log_mel(samples)[:, : 2 * frames])  # [80, 2·frames]
    with torch.inference_mode():
        encoded, encoder_self = _encode(loaded, mel)  # [1, frames, d], [layers, heads, m, m]
        probs = _language_probs(loaded, encoded)
        chosen = language or LANGUAGES[int(probs.argmax())]
        prefix = [SOT, loaded.language_ids[LANGUAGES.index(chosen)], TRANSCRIBE, NO_TIMESTAMPS]
        text_tokens = _greedy(loaded, encoded, prefix)
        tokens = prefix + text_tokens + [EOT]
        cross, decoder_self, cross_input = _attentions(loaded, encoded, tokens)
    pieces = [token_bytes(loaded.tokenizer.id_to_token(token)) for token in text_tokens]
    units = merge_pieces(pieces)
    block = int(np.ceil(frames / MAX_DRAWN_FRAMES))
    return Transcription(
        text=b"".join(pieces).decode("utf-8", errors="replace").strip(),
        language=chosen,
        language_chosen=language is not None,
        language_probs=_frozen(probs),
        tokens=tuple(tokens),
        units=tuple(units),
        words=tuple(words_of(units, chosen)),
        cross=_frozen(cross),
        decoder_self=_frozen(decoder_self),
        encoder_self=_frozen(encoder_self),
        encoder_block=block,
        cross_input=_frozen(cross_input),
        encoder_output=_frozen(encoded[0]),
        mel=_frozen(mel),
        seconds=len(samples) / SAMPLE_RATE,
        hit_token_limit=len(text_tokens) >= MAX_TEXT_TOKENS,
        whole_window=whole_window,
    )


def _frozen(array) -> np.ndarray:
    array = np.ascontiguousarray(np.asarray(array, dtype=np.float32))
    array.setflags(write=False)
    return array


def _encode(loaded: LoadedWhisper, mel: torch.Tensor) -> tuple[torch.Tensor, np.ndarray]:
    """The encoder over the clip's own frames; returns its output ``[1, frames, d]`` and each layer's weights.

    transformers' encoder insists on the full 3000-column window, so its parts are called here in its order.
    The weights are block-averaged as each layer runs, so a 30-s clip never holds 6 × 8 × 1500² floats at once.
    """
    encoder = loaded.model.model.encoder
    x = torch.nn.functional.gelu(encoder.conv1(mel[None]))  # [1, d, 2·frames]
    x = torch.nn.functional.gelu(encoder.conv2(x)).permute(0, 2, 1)  # [1, frames, d]: stride 2
    x = x + encoder.embed_positions.weight[: x.shape[1]]
    kept = []

    def keep(_module, _args, output):
        kept.append(_pool_square(output[1][0].numpy(), MAX_DRAWN_FRAMES))  # [heads, m, m]

    for layer in encoder.layers:
        handle = layer.self_attn.register_forward_hook(keep)
        try:
            x = layer(x, None)
        finally:
            handle.remove()
    return encoder.layer_norm(x), np.stack(kept)


def _pool_square(weights: np.ndarray, side: int) -> np.ndarray:
    """``[heads, F, F]`` → ``[heads, m, m]`` with m = ⌈F / b⌉ blocks of b = ⌈F / side⌉ frames: rows averaged,
    columns summed, so each row still sums to 1 (a block of queries' weight on a block of keys)."""
    block = int(np.ceil(weights.shape[-1] / side))
    if block == 1:
        return weights.astype(np.float32)
    starts = np.arange(0, weights.shape[-1], block)
    sizes = np.diff(np.append(starts, weights.shape[-1]))
    summed = np.add.reduceat(np.add.reduceat(weights, starts, axis=-2), starts, axis=-1)
    return (summed / sizes[:, None]).astype(np.float32)


def _language_probs(loaded: LoadedWhisper, encoded: torch.Tensor) -> np.ndarray:
    """softmax over the 99 language tokens of the decoder's first step ([SOT] alone): ``[99]``."""
    state = loaded.model.model.decoder(input_ids=torch.tensor([[SOT]]), encoder_hidden_states=encoded)
    logits = loaded.model.proj_out(state.last_hidden_state[0, -1])  # [vocab]
    return torch.softmax(logits[list(loaded.language_ids)], dim=-1).numpy()


def _greedy(loaded: LoadedWhisper, encoded: torch.Tensor, prefix: list[int]) -> list[int]:
    """The likeliest next token, one at a time, until EOT (text tokens only; timestamps and specials suppressed)."""
    decoder, suppressed = loaded.model.model.decoder, list(loaded.suppress_ids)
    out: list[int] = []
    step, past = prefix, None
    while len(out) < MAX_TEXT_TOKENS:
        state = decoder(input_ids=torch.tensor([step]), encoder_hidden_states=encoded, past_key_values=past)
        past = state.past_key_values
        logits = loaded.model.proj_out(state.last_hidden_state[0, -1]).clone()  # [vocab]
        logits[suppressed] = -np.inf
        logits[EOT + 1 :] = -np.inf  # no special or timestamp tokens inside the text
        if not out:
            logits[list(loaded.suppress_at_begin)] = -np.inf  # not a blank or EOT first
        token = int(logits.argmax())
        if token == EOT:
            break
        out.append(token)
        step = [token]
    return out


def _attentions(
    loaded: LoadedWhisper, encoded: torch.Tensor, tokens: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One teacher-forced pass over all tokens (the same weights greedy decoding saw, as attention is causal).

    Returns cross ``[layers, heads, n + 1, frames]`` (rows from position PREFIX on: output token k's query),
    decoder self ``[layers, heads, T, T]`` and the cross-attention inputs ``[layers, T, d]``.
    """
    inputs = []
    hooks = [
        layer.encoder_attn.register_forward_hook(lambda _m, args, _out: inputs.append(args[0][0].numpy().copy()))
        for layer in loaded.model.model.decoder.layers
    ]
    try:
        state = loaded.model.model.decoder(
            input_ids=torch.tensor([tokens]), encoder_hidden_states=encoded, output_attentions=True, use_cache=False
        )
    finally:
        for hook in hooks:
            hook.remove()
    cross = torch.stack(state.cross_attentions)[:, 0, :, PREFIX:-1]  # [layers, heads, n + 1, frames]
    decoder_self = torch.stack(state.attentions)[:, 0]  # [layers, heads, T, T]
    return cross.numpy(), decoder_self.numpy(), np.stack(inputs)
