"""The Self-attention page's cached calls into the core: Streamlit caching only, no computation.

The layer summary, masks and block sizes live in ``attention_core``
(``layer_summary``, ``masks``, ``blocks``); the page reaches them through
this module so that the summary, its one costly call, is computed once
for the same inputs and shared by every session.
"""

from __future__ import annotations

import streamlit as st

from attention_core import layer_summary
from attention_core.blocks import block_sizes
from attention_core.layer_summary import head_weights, query_row, second_sequence
from attention_core.masks import build_mask

# the page's one costly call: n ≤ 2048 queries × h heads, block-averaged; six recent layers kept, and no more
# than 32 MB of them (pickled): an n = 2048 summary is ≈ 10 MB, six of them held 61 MB after a class (issue 24)
summarise = st.cache_data(max_entries=6, max_size="32MB", show_spinner=False)(layer_summary.summarise)

__all__ = ["block_sizes", "build_mask", "head_weights", "query_row", "second_sequence", "summarise"]
