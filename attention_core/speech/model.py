"""Whisper base loaded from the CTranslate2 file into transformers' WhisperForConditionalGeneration (eager attention).

One model per server process, shared read-only by every session. The CTranslate2 variables map one to one onto
transformers' parameters, except that CTranslate2 stacks self-attention's Q, K, V into one ``linear_0`` and
cross-attention's K, V into one ``linear_1``; Whisper's K projection has no bias (CTranslate2 stores zeros there).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from .. import whisper_weights

SOT, EOT, TRANSCRIBE, NO_TIMESTAMPS = 50258, 50257, 50359, 50363
SAMPLE_RATE = 16_000
HOP = 160  # samples between two mel frames: 10 ms
WINDOW_SECONDS = 30  # Whisper always sees a 30-s window: 3000 mel frames, 1500 encoder frames (one per 20 ms)
MEL_FRAMES = WINDOW_SECONDS * SAMPLE_RATE // HOP
ENCODER_FRAMES = MEL_FRAMES // 2
# the 99 language codes, in the order of config.json's lang_ids (tokens 50259 …), as openai/whisper lists them
LANGUAGES = (
    "en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur hr bg lt la mi "
    "ml cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn yo so af oc ka be tg sd "
    "gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt haw ln ha ba jw su"
).split()


@dataclass(frozen=True, eq=False)
class LoadedWhisper:
    """Whisper base in eval mode, its tokenizer and what config.json says (read-only, shared by every session).

    ``alignment_heads``: (layer, head) pairs of the cross-attention heads whose weights follow the audio's time;
    ``language_ids``: the 99 language tokens; ``suppress_ids``: tokens greedy decoding never picks.
    """

    model: Any
    tokenizer: Any
    alignment_heads: tuple[tuple[int, int], ...]
    language_ids: tuple[int, ...]
    suppress_ids: tuple[int, ...]
    suppress_at_begin: tuple[int, ...]
    num_layers: int = 6
    num_heads: int = 8
    d_model: int = 512
    # a fast tokenizer may raise "Already borrowed" when two sessions call it at once
    tokenizer_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def d_head(self) -> int:
        """Size of one head's query and key vectors: d_model / num_heads = 64."""
        return self.d_model // self.num_heads


def state_dict(ct2: whisper_weights.CT2Model, num_layers: int = 6) -> dict[str, torch.Tensor]:
    """transformers' parameter names → float32 tensors, from the CTranslate2 variables."""
    out: dict[str, torch.Tensor] = {}

    def put(name: str, value: np.ndarray) -> None:
        out[name] = torch.from_numpy(np.asarray(value, dtype=np.float32).copy())

    def linear(hf: str, ct: str) -> None:
        put(f"{hf}.weight", ct2.get(f"{ct}/weight"))
        put(f"{hf}.bias", ct2.get(f"{ct}/bias"))

    def norm(hf: str, ct: str) -> None:
        put(f"{hf}.weight", ct2.get(f"{ct}/gamma"))
        put(f"{hf}.bias", ct2.get(f"{ct}/beta"))

    def stacked(hf: str, ct: str, names: tuple[str, ...]) -> None:
        weights = np.split(ct2.get(f"{ct}/weight"), len(names))
        biases = np.split(ct2.get(f"{ct}/bias"), len(names))
        for name, weight, bias in zip(names, weights, biases, strict=True):
            put(f"{hf}.{name}.weight", weight)
            if name != "k_proj":  # Whisper's K has no bias
                put(f"{hf}.{name}.bias", bias)

    def block(hf: str, ct: str, ffn: bool = True) -> None:
        norm(f"{hf}.final_layer_norm", f"{ct}/ffn/layer_norm")
        linear(f"{hf}.fc1", f"{ct}/ffn/linear_0")
        linear(f"{hf}.fc2", f"{ct}/ffn/linear_1")
        norm(f"{hf}.self_attn_layer_norm", f"{ct}/self_attention/layer_norm")
        stacked(f"{hf}.self_attn", f"{ct}/self_attention/linear_0", ("q_proj", "k_proj", "v_proj"))
        linear(f"{hf}.self_attn.out_proj", f"{ct}/self_attention/linear_1")

    for part in ("encoder", "decoder"):
        put(f"model.{part}.embed_positions.weight", ct2.get(f"{part}/position_encodings/encodings"))
        norm(f"model.{part}.layer_norm", f"{part}/layer_norm")
    for conv in ("conv1", "conv2"):
        linear(f"model.encoder.{conv}", f"encoder/{conv}")
    put("model.decoder.embed_tokens.weight", ct2.get("decoder/embeddings/weight"))
    for i in range(num_layers):
        block(f"model.encoder.layers.{i}", f"encoder/layer_{i}")
        hf, ct = f"model.decoder.layers.{i}", f"decoder/layer_{i}"
        block(hf, ct)
        norm(f"{hf}.encoder_attn_layer_norm", f"{ct}/attention/layer_norm")
        linear(f"{hf}.encoder_attn.q_proj", f"{ct}/attention/linear_0")
        stacked(f"{hf}.encoder_attn", f"{ct}/attention/linear_1", ("k_proj", "v_proj"))
        linear(f"{hf}.encoder_attn.out_proj", f"{ct}/attention/linear_2")
    out["proj_out.weight"] = out["model.decoder.embed_tokens.weight"]  # CTranslate2's alias: tied weights
    return out


def load_whisper() -> LoadedWhisper:
    """Read, check (sha256) and map the bundled Whisper base; ~1 s and ~300 MB (float32)."""
    from tokenizers import Tokenizer
    from transformers import WhisperConfig, WhisperForConditionalGeneration

    files = whisper_weights.whisper_files()
    ct2 = whisper_weights.parse_ct2(whisper_weights.read_model_bytes(files))
    config = whisper_weights.read_config(files)
    whisper_config = WhisperConfig(
        vocab_size=51865,
        num_mel_bins=80,
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        encoder_attention_heads=8,
        decoder_attention_heads=8,
        encoder_ffn_dim=2048,
        decoder_ffn_dim=2048,
        max_source_positions=ENCODER_FRAMES,
        max_target_positions=448,
        pad_token_id=EOT,
        bos_token_id=EOT,
        eos_token_id=EOT,
        decoder_start_token_id=SOT,
        tie_word_embeddings=True,
    )
    whisper_config._attn_implementation = "eager"  # the attention weights come out only on the eager path
    with torch.device("meta"):
        model = WhisperForConditionalGeneration(whisper_config)
    model.load_state_dict(state_dict(ct2), strict=True, assign=True)
    model.tie_weights()
    model.eval().requires_grad_(False)
    return LoadedWhisper(
        model=model,
        tokenizer=Tokenizer.from_file(str(files.tokenizer)),
        alignment_heads=tuple((int(layer), int(head)) for layer, head in config["alignment_heads"]),
        language_ids=tuple(config["lang_ids"]),
        suppress_ids=tuple(config["suppress_ids"]),
        suppress_at_begin=tuple(config["suppress_ids_begin"]),
    )
