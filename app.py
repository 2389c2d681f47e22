"""Attention Explorer: the entrypoint. `streamlit run app.py`.

Registers every page with st.navigation and draws what all pages share:
the sidebar header, the language switch and the link to the source.  The
page runs inside the error boundary (ui/boundary.py): an unexpected error
shows one friendly message and a reset button, never a traceback.
Heavy libraries (transformers) are imported by the pages that need them,
never here, so the home page opens fast.
"""

from pathlib import Path

import streamlit as st

from ui import export
from ui.boundary import run_page
from ui.layout import navigation_pages, shared_sidebar
from ui.server import freeze_imported_objects, limit_torch_threads, start_janitor

FAVICON = str(Path(__file__).resolve().parent / "ui" / "favicon.png")  # a magnifier, 64 × 64

limit_torch_threads()  # one torch thread per server process: docs/serving.md
# The icon is a file, served by this server.  Not an emoji: Streamlit checks an emoji against a regex of
# every emoji, which it compiles on first use (~0.1 s of the first visitor's wait after a server start,
# issue 9).  Not a Material icon either: as a page icon the browser fetches it from fonts.gstatic.com.
st.set_page_config(page_title="Attention Explorer", page_icon=FAVICON, layout="wide")

navigation = st.navigation(
    navigation_pages(),
    position="top",  # the sidebar is left to each page's controls
)
export.begin_page(navigation.url_path or "home", navigation.title)  # the figures this run draws, for export
shared_sidebar()
run_page(navigation)
freeze_imported_objects()  # the page's imports stay out of every later GC pass (ui/server.py)
start_janitor()  # once per process: memory comes back after sessions end (ui/server.py)
export.sidebar_controls()  # last in the sidebar: chart image format, "Download this page as HTML"
