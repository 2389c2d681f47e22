"""Speech: attention in Whisper base (offline, multilingual): audio in, words out, and every attention between.

- ``model``: the bundled Whisper base loaded into transformers (``load_whisper``)
- ``audio``: bytes → 16 kHz mono samples (``decode_audio``), log-mel features
- ``transcribe``: greedy transcription returning every attention (``transcribe``)
- ``timing``: openai/whisper's word timing, one step a function (``align``)
- ``tokens``: byte-level pieces merged into characters and words
- ``by_hand``: one cross-attention head recomputed with ``attend()``
- ``line``: at most a few transcriptions at a time per process, the rest wait in line
"""
