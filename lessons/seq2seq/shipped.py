"""The shipped checkpoints (models/seq2seq): their index, the models, and which one stands for a task and scoring."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from attention_core.seq2seq import Prediction, Seq2Seq, Seq2SeqConfig

MODELS = Path(__file__).resolve().parents[2] / "models" / "seq2seq"


@st.cache_data(show_spinner=False)  # a dict: each caller gets its own copy (a shared resource could be changed)
def index() -> dict:
    """checkpoints.json: every shipped model's config, steps, test accuracy and accuracy by length."""
    path = MODELS / "checkpoints.json"
    return json.loads(path.read_text()) if path.exists() else {}


@st.cache_resource(show_spinner=False)
def model(name: str) -> Seq2Seq:
    """A shipped checkpoint, loaded once per server: read-only (inference only), so sessions may share it."""
    return Seq2Seq.load(MODELS / f"{name}.safetensors")


@st.cache_data(show_spinner=False, max_entries=256, max_size="16MB")
def prediction(name: str, text: str) -> Prediction:
    """A shipped model's answer to ``text``, computed once per server: a class starts on the same word."""
    return model(name).predict(text)


def name_for(config: Seq2SeqConfig) -> tuple[str, bool]:
    """The shipped model for the settings' task and scoring, and whether it is the additive stand-in (none shipped)."""
    name = f"{config.task}_{config.scoring}"
    return (name, False) if name in index() else (f"{config.task}_additive", True)
