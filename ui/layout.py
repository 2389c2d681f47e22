"""What every page shares: the page registry and the sidebar header."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from . import live, projector, url_state
from .i18n import LANGUAGE_KEY, LANGUAGES, t

# Set this to your own fork when you deploy (docs/deploying.md); unset, the sidebar shows no source link.
SOURCE_ENV = "ATTENTION_EXPLORER_SOURCE"
# Page scripts are named from the repository root, not from the entry script's folder, so the app also runs
# from deploy/cloud/streamlit_app.py (Streamlit Community Cloud, docs/deploying.md).
ROOT = Path(__file__).resolve().parent.parent

# The one registry of pages: {section's string key: [entries]}.  An entry is st.Page's keyword arguments
# ("title" a string key, looked up when the navigation is built, so it follows the language) and, for a
# lesson, "tour": the string-key prefix of its line on the home page's tour (<tour>.label, <tour>.text).
# The home tour, the navigation and every test that walks the pages read this list: a new lesson is one entry.
PAGES: dict[str, list[dict]] = {
    "app.section.start": [
        dict(page="lessons/home/page.py", title="nav.home", icon=":material/home:", url_path="home", default=True),
    ],
    "app.section.lessons": [
        dict(
            page="lessons/query_attention/page.py",
            title="nav.query",
            icon=":material/search:",
            url_path="query",
            tour="home.tour.query",
        ),
        dict(
            page="lessons/self_attention/page.py",
            title="nav.self_attention",
            icon=":material/hub:",
            url_path="self-attention",
            tour="home.tour.self_attention",
        ),
        dict(
            page="lessons/transformer_model/page.py",
            title="nav.model",
            icon=":material/psychology:",
            url_path="model",
            tour="home.tour.model",
        ),
        dict(
            page="lessons/image_attention/page.py",
            title="image.nav",
            icon=":material/image:",
            url_path="image",
            tour="image.tour",
        ),
        dict(
            page="lessons/seq2seq/page.py",
            title="seq2seq.nav",
            icon=":material/translate:",
            url_path="seq2seq",
            tour="home.tour.seq2seq",
        ),
        dict(
            page="lessons/speech/page.py",
            title="speech.nav",
            icon=":material/graphic_eq:",
            url_path="speech",
            tour="speech.tour",
        ),
        dict(
            page="lessons/complexity/page.py",
            title="complexity.nav",
            icon=":material/speed:",
            url_path="complexity",
            tour="home.tour.complexity",
        ),
    ],
}
# the keys of an entry that st.Page takes (the others are for the tour and the tests)
_PAGE_ARGUMENTS = ("page", "title", "icon", "url_path", "default")


def entries() -> list[dict]:
    """Every registered page, in the navigation's order."""
    return [spec for specs in PAGES.values() for spec in specs]


def lessons() -> list[dict]:
    """The lesson pages: every entry with a line on the home tour."""
    return [spec for spec in entries() if "tour" in spec]


def script(url_path: str) -> str:
    """The script of the page registered under ``url_path``, from the repository root ("lessons/<lesson>/page.py"):
    how the benchmarks find a page without naming its folder."""
    return next(spec["page"] for spec in entries() if spec["url_path"] == url_path)


def page_path(url_path: str) -> str:
    """The script of the page registered under ``url_path`` (for ``st.page_link``: links name pages, not files)."""
    return str(ROOT / script(url_path))


def current_page() -> str:
    """The ``url_path`` of the page this run shows (after ``st.navigation`` picked it; "home" before)."""
    ctx = get_script_run_ctx()
    script = ctx.pages_manager.get_pages().get(ctx.page_script_hash, {}).get("script_path") if ctx else None
    return next((spec["url_path"] for spec in entries() if str(ROOT / spec["page"]) == script), "home")


def navigation_pages() -> dict[str, list[st.Page]]:
    """PAGES as st.navigation wants it, in the current language."""
    init_language()
    return {
        t(section): [
            st.Page(
                **{name: spec[name] for name in _PAGE_ARGUMENTS if name in spec}
                | {"page": str(ROOT / spec["page"]), "title": t(spec["title"])}
            )
            for spec in specs
        ]
        for section, specs in PAGES.items()
    }


def init_language() -> None:
    """The session's language: from the link (?lang=zh) the first time, then from the switch."""
    if LANGUAGE_KEY not in st.session_state:
        from_url = st.query_params.get("lang")
        st.session_state[LANGUAGE_KEY] = from_url if from_url in LANGUAGES else "en"
        if from_url is not None and from_url not in LANGUAGES:
            url_state.warn_about(LANGUAGE_KEY)  # lang=fr: English, and the link's warning says so


def _on_language() -> None:
    # widgets with translated labels switch to new per-language keys (i18n.keyed)
    # and are rebuilt from their canonical values
    st.session_state[LANGUAGE_KEY] = st.session_state["w.lang"]


def shared_sidebar() -> None:
    """The sidebar header: the app's name, the language switch, the source link (when one is configured)."""
    init_language()
    if "w.lang" not in st.session_state:
        st.session_state["w.lang"] = st.session_state[LANGUAGE_KEY]
    with st.sidebar:
        st.markdown(f"### {t('app.title')}")
        st.caption(t("app.tagline"))
        st.selectbox(
            t("app.language"), list(LANGUAGES), format_func=LANGUAGES.get, key="w.lang", on_change=_on_language
        )
        source_url = os.environ.get(SOURCE_ENV, "").strip()
        if source_url.startswith(("https://", "http://")):
            st.link_button(t("app.source"), source_url, icon=":material/code:", type="tertiary")
        projector.toggle()
    live.draw()  # the live class (ui/live): its sidebar section, and above the page a room's panel and notices
    st.sidebar.divider()
