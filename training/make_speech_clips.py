"""Make the Speech lesson's bundled clips: short English sentences spoken by Debian's espeak-ng, 16 kHz mono WAV.

    python -m training.make_speech_clips

writes ``assets/speech/<name>.wav`` and ``assets/speech/clips.json`` (name → the sentence spoken).
espeak-ng speaks at 22,050 Hz; soxr resamples to Whisper's 16 kHz with a proper low-pass filter.
espeak-ng's Mandarin is not understood by Whisper base (it comes back as a loop of unrelated characters),
so the bundled clips are English and the page invites the class to record Chinese themselves.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import numpy as np
import soundfile
import soxr

CLIPS = {
    "attention": "Attention lets the model focus on the important parts of the input.",
    "cat": "The cat sat on the mat.",
    "weather": "The weather is nice today, so we will walk in the park.",
}
VOICE, WORDS_PER_MINUTE = "en-us", 150
SAMPLE_RATE = 16_000
FOLDER = Path(__file__).resolve().parent.parent / "assets" / "speech"


def speak(text: str) -> np.ndarray:
    """``text`` spoken by espeak-ng as float32 samples at 16 kHz, peak at 0.9."""
    wav = subprocess.run(
        ["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "--stdout", text], check=True, capture_output=True
    ).stdout
    samples, rate = soundfile.read(io.BytesIO(wav), dtype="float32")
    samples = soxr.resample(samples, rate, SAMPLE_RATE, quality="HQ")
    return (0.9 * samples / np.abs(samples).max()).astype(np.float32)


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, text in CLIPS.items():
        soundfile.write(FOLDER / f"{name}.wav", speak(text), SAMPLE_RATE, subtype="PCM_16")
    (FOLDER / "clips.json").write_text(json.dumps(CLIPS, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
