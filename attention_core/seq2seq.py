"""A small GRU encoder–decoder with attention (and without), its training loop and its predictions.

The encoder reads the input characters with a bidirectional GRU into states
h₁ … hₙ.  The decoder is a GRU over the output characters; at step t its
state sₜ is the query, the encoder states are the keys and values:

    aₜⱼ = score(sₜ, hⱼ)    wₜ = softmax(aₜ)    cₜ = Σⱼ wₜⱼ hⱼ    yₜ = softmax(W_o tanh(W_c [sₜ; cₜ]))

with ``attention_core.scores`` (additive = Bahdanau, dot, general = Luong)
and ``attention_core.softmax``.  The query is the current state sₜ (Luong's
order), so under teacher forcing the whole target runs through the decoder
GRU in one batched call.  The baseline has no attention: cₜ is the final
encoder state at every step, the fixed-size summary of Cho et al. (2014).
"""

from __future__ import annotations

import json
import math
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .errors import InputError
from .scoring import ScoreParams, scores
from .softmax import softmax
from .toy_tasks import MAX_LENGTH, TASKS, Task, make_task

SCORINGS = ("additive", "dot", "general")
NO_ATTENTION = "none"  # the baseline's "scoring"
MAX_HIDDEN = 128
MAX_STEPS = 3000
OVERRUN = 5  # greedy decoding may write this many characters past the right answer's length before it is cut off
PAD, BOS, EOS = 0, 1, 2
SPECIALS = ("<pad>", "<s>", "</s>")


@dataclass(frozen=True)
class Seq2SeqConfig:
    """Everything that defines a model before training: the task, the sizes, the scoring, the seed."""

    task: str = "reverse"
    scoring: str = "additive"  # one of SCORINGS, or NO_ATTENTION for the baseline
    min_length: int = 5
    max_length: int = 10
    hidden: int = 64
    embedding: int = 32
    k: int = 3  # the shift task's k
    seed: int = 0

    def __post_init__(self):
        if self.task not in TASKS:
            raise InputError("seq2seq.unknown_task", task=self.task, choices=", ".join(TASKS))
        if self.scoring not in SCORINGS + (NO_ATTENTION,):
            raise InputError("seq2seq.unknown_scoring", scoring=self.scoring, choices=", ".join(SCORINGS))
        if not 1 <= self.min_length <= self.max_length <= MAX_LENGTH:
            raise InputError("seq2seq.lengths", max=MAX_LENGTH)
        if not 4 <= self.hidden <= MAX_HIDDEN or self.hidden % 2:
            raise InputError("seq2seq.hidden", max=MAX_HIDDEN)

    @property
    def attention(self) -> bool:
        return self.scoring != NO_ATTENTION

    def make_task(self) -> Task:
        return make_task(self.task, self.k)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Seq2SeqConfig":
        return cls(**json.loads(text))


class Vocabulary:
    """Characters ↔ ids: the three specials, then the task's alphabet."""

    def __init__(self, alphabet: str):
        self.itos = list(SPECIALS) + list(alphabet)
        self.stoi = {c: i for i, c in enumerate(self.itos)}

    def __len__(self) -> int:
        return len(self.itos)

    def encode(self, texts: list[str], eos: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
        """texts → (ids ``[B, L]`` padded with PAD, lengths ``[B]``); ``eos`` appends </s>."""
        rows = [[self.stoi[c] for c in text] + ([EOS] if eos else []) for text in texts]
        lengths = torch.tensor([len(r) for r in rows])
        ids = torch.full((len(rows), int(lengths.max())), PAD, dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = torch.tensor(r)
        return ids, lengths

    def decode(self, ids) -> str:
        """ids up to the first </s> → text."""
        out = []
        for i in ids:
            if int(i) == EOS:
                break
            out.append(self.itos[int(i)] if int(i) >= len(SPECIALS) else "")
        return "".join(out)


class Scorer(nn.Module):
    """The learned score a(s, h) of ``attention_core.scores``, with its W's and v as trainable parameters.

    The parameters go into a ``ScoreParams`` as tensors, so ``scores`` computes
    with them and gradients flow back: the model uses the core's own formula.
    """

    def __init__(self, method: str, d: int):
        super().__init__()
        self.method = method
        std = 1.0 / math.sqrt(d)
        self.w = nn.Parameter(torch.randn(d, d) * std) if method == "general" else None
        if method == "additive":
            self.w1 = nn.Parameter(torch.randn(d, d) * std)  # [h, d]
            self.w2 = nn.Parameter(torch.randn(d, d) * std)  # [h, d]
            self.v = nn.Parameter(torch.randn(d) * std)  # [h]
        else:
            self.w1 = self.w2 = self.v = None
        self._empty = torch.zeros(0)  # stands in for the W's a method does not use

    def params(self) -> ScoreParams | None:
        """The parameters as the core wants them (live tensors: autograd sees through them)."""
        if self.method == "dot":
            return None
        e = self._empty
        return ScoreParams(
            w=self.w if self.w is not None else e,
            w1=self.w1 if self.w1 is not None else e,
            w2=self.w2 if self.w2 is not None else e,
            v=self.v if self.v is not None else e,
        )

    def forward(self, s: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        """s ``[B, T, d]`` (queries), h ``[B, n, d]`` (keys) → scores ``[B, T, n]``."""
        return scores(s, h, method=self.method, params=self.params())


class Seq2Seq(nn.Module):
    """Bidirectional GRU encoder, GRU decoder, attention over the encoder states (or the baseline)."""

    def __init__(self, config: Seq2SeqConfig):
        super().__init__()
        self.config = config
        self.task = config.make_task()
        self.vocab = Vocabulary(self.task.alphabet)
        V, E, H = len(self.vocab), config.embedding, config.hidden
        with torch.random.fork_rng():  # seeded weights without touching the server's global generator
            torch.manual_seed(config.seed)
            self.embed_src = nn.Embedding(V, E, padding_idx=PAD)
            self.encoder = nn.GRU(E, H // 2, batch_first=True, bidirectional=True)  # ⇒ h ∈ ℝ^H
            self.bridge = nn.Linear(H, H)  # final encoder state → the decoder's first state
            self.embed_tgt = nn.Embedding(V, E, padding_idx=PAD)
            self.decoder = nn.GRU(E, H, batch_first=True)
            self.scorer = Scorer(config.scoring, H) if config.attention else None
            self.combine = nn.Linear(2 * H, H)  # [sₜ; cₜ] → the output layer's input
            self.out = nn.Linear(H, V)

    # ---------------------------------------------------------------- pieces

    def encode(self, src: torch.Tensor, src_len: torch.Tensor):
        """src ``[B, n]``, src_len ``[B]`` → states h ``[B, n, H]``, summary ``[B, H]``, mask ``[B, n]``."""
        x = self.embed_src(src)  # [B, n, E]
        if bool((src_len == src.shape[1]).all()):  # one length (every training batch): ~3× faster than packing
            h, last = self.encoder(x)  # h [B, n, H]; last [2, B, H/2]: forward's end, backward's start
        else:  # packed, so the backward GRU starts at each input's own last character, not at the padding
            packed = pack_padded_sequence(x, src_len, batch_first=True, enforce_sorted=False)
            out, last = self.encoder(packed)
            h, _ = pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])  # [B, n, H]
        summary = torch.cat([last[0], last[1]], dim=-1)  # [B, H]
        mask = torch.arange(src.shape[1])[None, :] < src_len[:, None]  # [B, n], True = a real character
        return h, summary, mask

    def attend(self, s: torch.Tensor, h: torch.Tensor, summary: torch.Tensor, mask: torch.Tensor):
        """Decoder states s ``[B, T, H]`` → logits ``[B, T, V]`` and weights ``[B, T, n]`` (None for the baseline)."""
        if self.scorer is not None:
            a = self.scorer(s, h)  # [B, T, n]
            w = softmax(a, mask=None if bool(mask.all()) else mask[:, None, :])  # [B, T, n], padding gets 0
            c = w @ h  # [B, T, H]
        else:
            w = None
            c = summary[:, None, :].expand_as(s)  # the same fixed summary at every step
        o = torch.tanh(self.combine(torch.cat([s, c], dim=-1)))  # [B, T, H]
        return self.out(o), w

    def forward(self, src, src_len, tgt_in):
        """Teacher forcing: tgt_in ``[B, T]`` (<s> y₁ … ) → logits ``[B, T, V]``, weights ``[B, T, n]`` | None."""
        h, summary, mask = self.encode(src, src_len)
        s0 = torch.tanh(self.bridge(summary))[None]  # [1, B, H]
        s, _ = self.decoder(self.embed_tgt(tgt_in), s0)  # [B, T, H]
        return self.attend(s, h, summary, mask)

    @torch.no_grad()
    def greedy(self, src, src_len, max_steps: int):
        """Decode one character at a time → ids ``[B, max_steps]``, weights ``[B, max_steps, n]`` | None."""
        h, summary, mask = self.encode(src, src_len)
        state = torch.tanh(self.bridge(summary))[None]
        y = torch.full((src.shape[0], 1), BOS, dtype=torch.long)
        ids, rows = [], []
        for _ in range(max_steps):
            s, state = self.decoder(self.embed_tgt(y), state)  # [B, 1, H]
            logits, w = self.attend(s, h, summary, mask)
            y = logits.argmax(-1)  # [B, 1]
            ids.append(y)
            rows.append(w)
        weights = torch.cat(rows, dim=1) if self.scorer is not None else None
        return torch.cat(ids, dim=1), weights

    # ---------------------------------------------------------------- batches

    def batch(self, inputs: list[str]):
        """inputs → (src, src_len, tgt_in, tgt_out) with the task's correct outputs."""
        targets = [self.task.target(x) for x in inputs]
        src, src_len = self.vocab.encode(inputs)
        tgt_out, _ = self.vocab.encode(targets, eos=True)  # y₁ … y_T </s>
        tgt_in = torch.cat([torch.full((len(inputs), 1), BOS), tgt_out[:, :-1]], dim=1)  # <s> y₁ … y_T
        tgt_in = tgt_in.masked_fill(tgt_in == EOS, PAD)
        return src, src_len, tgt_in, tgt_out

    # ----------------------------------------------------------- reading it

    @torch.no_grad()
    def alignment(self, text: str) -> np.ndarray:
        """The weights ``[len(target), len(text)]`` while the decoder writes the correct output of ``text``."""
        was_training = self.training
        self.eval()
        src, src_len, tgt_in, _ = self.batch([text])
        _, w = self(src, src_len, tgt_in)
        self.train(was_training)
        return w[0, : len(self.task.target(text))].numpy().astype(np.float32)

    @torch.no_grad()
    def accuracy(self, inputs: list[str], batch_size: int = 512) -> float:
        """Exact-match accuracy on ``inputs`` (teacher-forced argmax = greedy decoding, see exact_match)."""
        was_training = self.training
        self.eval()
        by_length: dict[int, list[str]] = {}
        for text in inputs:  # one length a batch: no padding (see encode)
            by_length.setdefault(len(text), []).append(text)
        right = 0
        for group in by_length.values():
            for i in range(0, len(group), batch_size):
                src, src_len, tgt_in, tgt_out = self.batch(group[i : i + batch_size])
                logits, _ = self(src, src_len, tgt_in)
                right += int(exact_match(logits, tgt_out).sum())
        self.train(was_training)
        return right / max(len(inputs), 1)

    def accuracy_by_length(self, lengths, count: int = 200, seed: int = 12345) -> dict[int, float]:
        """{input length: exact-match accuracy on ``count`` seeded inputs of exactly that length}."""
        return {
            int(n): self.accuracy(self.task.sample(np.random.default_rng(seed + int(n)), count, int(n), int(n)))
            for n in lengths
        }

    def predict(self, text: str) -> "Prediction":
        """Greedy decoding of ``text``, checked and cleaned first (InputError: one sentence)."""
        config, task = self.config, self.task
        text = task.check(text, MAX_LENGTH)
        note = ""
        if not task.fixed_length and not config.min_length <= len(text) <= config.max_length:
            note = (
                f"The model was trained on inputs of {config.min_length}–{config.max_length} letters; "
                f"this one has {len(text)}, so expect mistakes."
            )
        src, src_len = self.vocab.encode([text])
        expected = task.target(text)
        was_training = self.training
        self.eval()
        ids, w = self.greedy(src, src_len, len(expected) + OVERRUN)
        self.train(was_training)
        output = self.vocab.decode(ids[0])
        if not bool((ids[0] == EOS).any()):
            note = (note + " " if note else "") + "The model did not finish its answer; it is cut off here."
        weights = None if w is None else w[0, : len(output)].numpy().astype(np.float32)
        return Prediction(text, output, expected, weights, note)

    # ----------------------------------------------------------- checkpoints

    def save(self, path) -> None:
        """Weights as safetensors (float16: half the bytes, the same answers), the config in its metadata."""
        from safetensors.torch import save_file

        tensors = {k: v.detach().to(torch.float16).contiguous() for k, v in self.state_dict().items()}
        save_file(tensors, str(path), metadata={"config": self.config.to_json()})

    @classmethod
    def load(cls, path) -> "Seq2Seq":
        """A model saved by ``save``: no pickle, nothing but tensors and a JSON config."""
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as f:
            config = Seq2SeqConfig.from_json(f.metadata()["config"])
            state = {k: f.get_tensor(k).to(torch.float32) for k in f.keys()}
        model = cls(config)
        model.load_state_dict(state)
        return model.eval()


def exact_match(logits: torch.Tensor, tgt_out: torch.Tensor) -> torch.Tensor:
    """[B] bool: every character and the final </s> right under teacher forcing.

    This equals greedy decoding's exact match: if every step's argmax is the
    right character given the right prefix, greedy decoding reproduces that
    prefix step by step.
    """
    right = (logits.argmax(-1) == tgt_out) | (tgt_out == PAD)
    return right.all(dim=1)


# ------------------------------------------------------------------ training


@dataclass
class TrainProgress:
    """What the training loop reports after a step.

    ``accuracy`` is the exact-match accuracy on this step's fresh batch (a
    sample the model never saw); ``alignment`` ``[output length, input length]``
    is the fixed example's attention, filled every ``every`` steps (None
    between, and always None for the baseline).
    """

    step: int
    steps: int
    loss: float
    accuracy: float
    seconds: float
    alignment: np.ndarray | None = None


@dataclass
class TrainResult:
    steps_done: int
    seconds: float
    losses: list[float] = field(default_factory=list)
    accuracies: list[float] = field(default_factory=list)
    stopped: bool = False  # the callback asked to stop


@contextmanager
def torch_threads(n: int):
    """Run the block with ``n`` torch threads: a shared server's other sessions keep the other core."""
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def train_seq2seq(
    model: Seq2Seq,
    steps: int,
    batch_size: int = 64,
    lr: float = 3e-3,
    callback: Callable[[TrainProgress], bool | None] | None = None,
    every: int = 10,
    seed: int | None = None,
    threads: int = 1,
) -> TrainResult:
    """Adam on fresh seeded batches with teacher forcing; ``callback(progress)`` after every step.

    The callback returns True to stop early (a Stop button, a target
    accuracy reached).  The model is trained in place, so stopping keeps
    what it has learned so far.
    """
    if not 1 <= steps <= MAX_STEPS:
        raise InputError("seq2seq.steps", max=MAX_STEPS)
    config = model.config
    rng = np.random.default_rng(config.seed if seed is None else seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD)
    example = model.task.example(config.max_length)
    result = TrainResult(0, 0.0)
    start = time.perf_counter()
    with torch_threads(threads):
        for step in range(1, steps + 1):
            model.train()
            # one input length per batch: no padding, so no packing and no mask (see encode)
            n = int(rng.integers(config.min_length, config.max_length + 1))
            src, src_len, tgt_in, tgt_out = model.batch(model.task.sample(rng, batch_size, n, n))
            logits, _ = model(src, src_len, tgt_in)  # [B, T, V]
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # GRUs can spike early on
            optimizer.step()
            accuracy = float(exact_match(logits.detach(), tgt_out).float().mean())
            result.losses.append(loss.item())
            result.accuracies.append(accuracy)
            result.steps_done = step
            result.seconds = time.perf_counter() - start
            if callback is None:
                continue
            alignment = None
            if config.attention and (step % every == 0 or step == steps):
                alignment = model.alignment(example)
            progress = TrainProgress(step, steps, result.losses[-1], accuracy, result.seconds, alignment)
            if callback(progress):
                result.stopped = True
                break
    model.eval()
    return result


# ---------------------------------------------------------------- prediction


@dataclass(frozen=True)
class Prediction:
    """The model's answer to one input.

    ``weights`` ``[len(output), len(input)]`` (None for the baseline): row t is
    where the decoder looked while writing output character t.  ``note`` is
    a sentence for the student when the input lies outside what the model
    was trained on, else "".
    """

    text: str
    output: str
    expected: str
    weights: np.ndarray | None
    note: str = ""

    @property
    def correct(self) -> bool:
        return self.output == self.expected


# -------------------------------------------------------------- checkpoints


def held_out_inputs(config: Seq2SeqConfig, count: int = 1000, seed: int = 12345) -> list[str]:
    """A seeded test set: ``count`` inputs at the config's lengths (training draws from ``config.seed``)."""
    return config.make_task().sample(np.random.default_rng(seed), count, config.min_length, config.max_length)
