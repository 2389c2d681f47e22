"""The transcription worker: a separate process gives the same transcription as this one, and survives being killed."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import numpy as np
import pytest

from attention_core.errors import InputError
from attention_core.speech.audio import decode_audio
from attention_core.speech.worker import Worker

CLIPS = Path(__file__).resolve().parents[2] / "assets" / "speech"


@pytest.fixture(scope="module")
def worker():
    started = Worker()
    yield started
    started.close()


def samples(name: str = "cat") -> np.ndarray:
    return decode_audio((CLIPS / f"{name}.wav").read_bytes()).samples


def test_the_worker_runs_in_another_process_and_hears_what_this_process_hears(worker):
    from attention_core.speech.model import load_whisper
    from attention_core.speech.transcribe import transcribe

    assert worker.pid() != os.getpid()
    there = worker.transcribe(samples())
    here = transcribe(load_whisper(), samples())
    assert there.text == here.text and there.tokens == here.tokens
    # one torch thread there, the server's count here: the sums may differ in their last bits
    np.testing.assert_allclose(there.cross, here.cross, atol=1e-4)


def test_a_refusal_in_the_worker_comes_back_as_the_same_input_error(worker):
    with pytest.raises(InputError) as error:
        worker.transcribe(samples(), "xx")
    assert error.value.key == "audio.unknown_language" and error.value.params == {"language": "xx"}


def test_a_killed_worker_is_replaced(worker):
    before = worker.pid()
    os.kill(before, signal.SIGKILL)
    assert worker.transcribe(samples()).text.strip()
    assert worker.pid() != before
