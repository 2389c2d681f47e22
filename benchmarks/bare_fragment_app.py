"""The reference of bench_live_follow.py: a page whose only content is a self-rerunning fragment that does nothing."""

import streamlit as st


@st.fragment(run_every=3600)  # the benchmark's client reruns it; the interval only makes it a polling fragment
def poll() -> None:
    pass


poll()
