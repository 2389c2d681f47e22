"""Audio in: bytes of a recording or upload → 16 kHz mono float32 samples, and Whisper's log-mel features.

Every refusal is an ``InputError`` with one sentence; every size is checked before anything large is allocated.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from .model import HOP, SAMPLE_RATE, WINDOW_SECONDS

# A 30-s clip at 96 kHz, 32-bit, stereo is 23 MB: anything far larger is not a clip for this page.
MAX_AUDIO_BYTES = 40 * 10**6
MAX_CHANNELS = 8
MIN_RATE, MAX_RATE = 4_000, 384_000
# Quieter than this everywhere (−80 dBFS) counts as silence: no words to find.
SILENCE_PEAK = 1e-4


@dataclass(frozen=True, eq=False)
class Clip:
    """At most 30 s of audio as Whisper hears it.

    ``samples`` float32 ``[n]`` at 16 kHz in [−1, 1]; ``seconds_total``: the length the file holds
    (only the first 30 s are kept); ``rate_in`` / ``channels_in``: what the file was before resampling
    and mixing to mono; ``clipped``: how many input samples sat at full scale. Read-only.
    """

    samples: np.ndarray
    seconds_total: float
    rate_in: int
    channels_in: int
    clipped: int = 0

    @property
    def seconds(self) -> float:
        """The length kept: n / 16,000."""
        return len(self.samples) / SAMPLE_RATE

    @property
    def cut(self) -> bool:
        """True when the file was longer than Whisper's 30-s window and only its start is kept."""
        return self.seconds_total > WINDOW_SECONDS + 1e-3


def decode_audio(data: bytes) -> Clip:
    """WAV / FLAC / OGG / MP3 bytes (whatever libsndfile reads) → a ``Clip``; InputError for anything else.

    Stereo is averaged to mono; 8/16/24/32-bit and float PCM are scaled to [−1, 1]; other rates are resampled
    with soxr's band-limited filter (never linear interpolation, which folds high frequencies into speech).
    """
    import soundfile
    import soxr

    if len(data) == 0:
        raise InputError("audio.empty")
    if len(data) > MAX_AUDIO_BYTES:
        raise InputError("audio.too_big", mb=len(data) / 1e6, limit=MAX_AUDIO_BYTES // 10**6)
    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            rate, channels, frames = sound.samplerate, sound.channels, sound.frames
            if not MIN_RATE <= rate <= MAX_RATE or not 1 <= channels <= MAX_CHANNELS:
                raise InputError(
                    "audio.rate_channels",
                    rate=rate,
                    channels=channels,
                    min_rate=MIN_RATE,
                    max_rate=MAX_RATE,
                    max_channels=MAX_CHANNELS,
                )
            mono, clipped, finite = _read_mono(sound, WINDOW_SECONDS * rate)
    except InputError:
        raise
    except Exception as error:  # libsndfile's many messages all mean: not audio it can read
        raise InputError("audio.unreadable") from error
    if len(mono) == 0:
        raise InputError("audio.no_samples")
    if not finite:
        raise InputError("audio.not_finite")
    mono = np.clip(mono, -1.0, 1.0)  # a float WAV may hold samples beyond full scale
    if np.abs(mono).max() < SILENCE_PEAK:
        raise InputError("audio.silent")
    seconds_read = len(mono) / rate
    # only a file that filled the window is longer than what was read; a header may claim hours it does not hold
    seconds_total = max(frames / rate, seconds_read) if seconds_read >= WINDOW_SECONDS else seconds_read
    if rate != SAMPLE_RATE:
        # the filter rings past full scale next to a jump (a clipped or damaged file): clip again after it
        mono = np.clip(soxr.resample(mono, rate, SAMPLE_RATE, quality="HQ"), -1.0, 1.0)
    mono = np.ascontiguousarray(mono[: WINDOW_SECONDS * SAMPLE_RATE], dtype=np.float32)
    mono.setflags(write=False)
    return Clip(mono, seconds_total, rate, channels, clipped)


def _read_mono(sound, most: int, block: int = 65_536) -> tuple[np.ndarray, int, bool]:
    """At most ``most`` frames of an open SoundFile mixed to mono, a block at a time.

    Block by block, so 30 s of 8 channels at 384 kHz (368 MB as float32) never sits in memory at once: only
    the mono result does (46 MB at most). Returns (mono float32, samples at full scale, all samples finite).
    """
    parts, clipped, finite, left = [], 0, True, most
    while left > 0:
        samples = sound.read(min(block, left), dtype="float32", always_2d=True)  # [n, channels]
        if len(samples) == 0:
            break
        finite = finite and bool(np.isfinite(samples).all())
        clipped += int((np.abs(samples) >= 1.0).sum())
        parts.append(samples.mean(axis=1))
        left -= len(samples)
    mono = np.concatenate(parts) if parts else np.zeros(0, np.float32)
    return mono, clipped, finite


def log_mel(samples: np.ndarray) -> np.ndarray:
    """Whisper's features: 80 log-mel bands every 10 ms of the 30-s window, ``[80, 3000]`` float32.

    The clip is padded with silence to 30 s, as Whisper was trained; values are log10 power, floored at 8
    below the maximum and scaled to about [−1, 1] (transformers' ``WhisperFeatureExtractor``, numpy).
    """
    from transformers import WhisperFeatureExtractor

    extractor = WhisperFeatureExtractor(feature_size=80, sampling_rate=SAMPLE_RATE, hop_length=HOP)
    features = extractor(np.asarray(samples, dtype=np.float32), sampling_rate=SAMPLE_RATE, return_tensors="np")
    return features.input_features[0].astype(np.float32)
