"""Audio files built in code for the Speech lesson's decoder: ones it must read and ones it must refuse.

``GOOD``: (id, bytes, seconds kept) that ``decode_audio`` reads; ``BAD``: (id, bytes, fragment) it refuses with
an ``InputError`` whose message contains ``fragment``. No binary fixtures: every case is made here.
"""

from __future__ import annotations

import io
import struct
from typing import NamedTuple

import numpy as np
import soundfile


class AudioCase(NamedTuple):
    id: str
    data: bytes
    expect: object  # seconds kept (GOOD) or a fragment of the message (BAD)


def tone(seconds: float, rate: int, channels: int = 1, amplitude: float = 0.5) -> np.ndarray:
    """A 440 Hz tone ``[n, channels]`` float32."""
    t = np.arange(int(seconds * rate)) / rate
    wave = (amplitude * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return np.repeat(wave[:, None], channels, axis=1)


def encoded(samples: np.ndarray, rate: int, format: str = "WAV", subtype: str | None = None) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format=format, subtype=subtype)
    return buffer.getvalue()


def wav_claiming(seconds_claimed: float, rate: int = 16_000, payload_seconds: float = 0.5) -> bytes:
    """A 16-bit WAV whose header claims ``seconds_claimed`` of audio but holds only ``payload_seconds``."""
    payload = (tone(payload_seconds, rate)[:, 0] * 32767).astype("<i2").tobytes()
    claimed = int(seconds_claimed * rate) * 2
    header = b"RIFF" + struct.pack("<I", 36 + claimed) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    return header + b"data" + struct.pack("<I", claimed) + payload


def mp3_with_id3(tag_bytes: int) -> bytes:
    """An MP3 with an ID3v2 tag of ``tag_bytes`` in front (a cover picture, say)."""
    body = encoded(tone(1.0, 16_000), 16_000, format="MP3", subtype="MPEG_LAYER_III")
    size = tag_bytes - 10
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    frame = b"PRIV" + struct.pack(">I", size - 10) + b"\x00\x00" + b"\x00" * (size - 10)
    return b"ID3\x04\x00\x00" + syncsafe + frame + body


def float_wav_with(value: float) -> bytes:
    samples = tone(1.0, 16_000)
    samples[100] = value
    return encoded(samples, 16_000, subtype="FLOAT")


def good_audio() -> list[AudioCase]:
    return [
        AudioCase("pcm8", encoded(tone(1.0, 16_000), 16_000, subtype="PCM_U8"), 1.0),
        AudioCase("pcm16", encoded(tone(1.0, 16_000), 16_000, subtype="PCM_16"), 1.0),
        AudioCase("pcm24", encoded(tone(1.0, 16_000), 16_000, subtype="PCM_24"), 1.0),
        AudioCase("pcm32", encoded(tone(1.0, 16_000), 16_000, subtype="PCM_32"), 1.0),
        AudioCase("float", encoded(tone(1.0, 16_000), 16_000, subtype="FLOAT"), 1.0),
        AudioCase("stereo", encoded(tone(1.0, 16_000, channels=2), 16_000), 1.0),
        AudioCase("8khz", encoded(tone(1.0, 8_000), 8_000), 1.0),
        # a full-scale square wave: the resampling filter rings past ±1 at each jump
        AudioCase("8khz_full_scale_square", encoded(np.sign(tone(1.0, 8_000)), 8_000, subtype="FLOAT"), 1.0),
        AudioCase("96khz", encoded(tone(1.0, 96_000), 96_000), 1.0),
        AudioCase("clipping", encoded(tone(1.0, 16_000, amplitude=3.0), 16_000, subtype="FLOAT"), 1.0),
        AudioCase("flac", encoded(tone(1.0, 16_000), 16_000, format="FLAC"), 1.0),
        AudioCase("ogg", encoded(tone(1.0, 16_000), 16_000, format="OGG", subtype="VORBIS"), 1.0),
        AudioCase("longer_than_30s", encoded(tone(31.0, 16_000), 16_000), 30.0),
        AudioCase("header_claims_hours", wav_claiming(3 * 3600), 0.5),
        AudioCase("mp3_huge_id3", mp3_with_id3(2_000_000), None),  # an MP3 frame's padding: about 1 s
    ]


def bad_audio() -> list[AudioCase]:
    truncated = encoded(tone(1.0, 16_000), 16_000)[:30]
    return [
        AudioCase("empty", b"", "empty"),
        AudioCase("not_audio", b"hello, this is a text file\n" * 20, "not an audio file"),
        AudioCase("png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "not an audio file"),
        AudioCase("truncated_header", truncated, "not an audio file"),
        AudioCase("zero_samples", encoded(np.zeros((0, 1), np.float32), 16_000), "no samples"),
        AudioCase("silence", encoded(np.zeros((16_000, 1), np.float32), 16_000), "silent"),
        AudioCase("nan", float_wav_with(float("nan")), "not numbers"),
        AudioCase("inf", float_wav_with(float("inf")), "not numbers"),
        AudioCase("500MB", b"RIFF" + b"\x00" * (500 * 10**6 - 4), "limit"),
    ]
