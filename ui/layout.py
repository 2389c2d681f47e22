"""What every page shares: the page registry and the sidebar header."""

from __future__ import annotations

import os

import streamlit as st

from .i18n import LANGUAGE_KEY, LANGUAGES, t

# Set this to your own fork when you deploy (README, "Deploying").
SOURCE_URL = os.environ.get("ATTENTION_EXPLORER_SOURCE", "https://github.com/attention-explorer/attention-explorer")

# {section: [st.Page keyword arguments]}; titles are English because
# st.navigation is built before the language is known (see README).
PAGES: dict[str, list[dict]] = {
    "Start": [
        dict(page="lessons/home.py", title="Home", icon=":material/home:", url_path="home", default=True),
    ],
    "Lessons": [
        dict(page="lessons/query_attention.py", title="Query attention", icon=":material/search:", url_path="query"),
        dict(page="lessons/self_attention.py", title="Self-attention", icon=":material/hub:", url_path="self-attention"),
        dict(page="lessons/transformer_model.py", title="Transformer model", icon=":material/psychology:", url_path="model"),
    ],
}


def _on_language() -> None:
    st.session_state[LANGUAGE_KEY] = st.session_state["w.lang"]


def shared_sidebar() -> None:
    """The sidebar header: the app's name, the language switch, the source link."""
    if LANGUAGE_KEY not in st.session_state:
        from_url = st.query_params.get("lang")
        st.session_state[LANGUAGE_KEY] = from_url if from_url in LANGUAGES else "en"
    if "w.lang" not in st.session_state:
        st.session_state["w.lang"] = st.session_state[LANGUAGE_KEY]
    with st.sidebar:
        st.markdown(f"### {t('app.title')}")
        st.caption(t("app.tagline"))
        st.selectbox(
            t("app.language"), list(LANGUAGES), format_func=LANGUAGES.get, key="w.lang", on_change=_on_language
        )
        st.markdown(f"[{t('app.source')}]({SOURCE_URL})")
        st.divider()
