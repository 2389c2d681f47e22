"""`streamlit` as the class recipe runs it: Streamlit's own command line, with one fix for a session that moved.

    python deploy/streamlit_main.py run app.py --server.port 8501 ...   # what deploy/serve_class.py starts

When the process holding a browser's session dies, Streamlit's frontend
reconnects its websocket, and nginx sends it to a live process, which starts
a new session for it.  The frontend asks for a run after reconnecting only
when a run was under way; a student who was reading sends nothing until the
next click.  If that click is on a widget inside an ``st.fragment`` (most of
a lesson's widgets), the new session has never run that fragment and
Streamlit 1.67 drops the request (``AppSession.request_rerun``: "The fragment
with id … does not exist anymore"): the click does nothing, nor does the
next.  Here a fragment rerun that reaches a session which has not run yet
becomes a run of the whole page, with the query string and widget values the
browser sent, so the student's page answers again.  A session that has run
keeps Streamlit's behaviour (a fragment removed by a full run is still
dropped).
"""

from __future__ import annotations

import sys


def run_moved_sessions_fully() -> None:
    """Patch AppSession.request_rerun: a fresh session's fragment click runs the whole page."""
    from streamlit.runtime.app_session import AppSession

    original = AppSession.request_rerun
    if getattr(original, "moved_sessions_run_fully", False):
        return

    def request_rerun(self, client_state):
        fresh = not getattr(self, "_attention_explorer_ran", False)
        self._attention_explorer_ran = True
        if fresh and client_state is not None and client_state.fragment_id:
            if not self.has_fragment(client_state.fragment_id):
                client_state.fragment_id = ""  # the session moved here from a dead process: run the page
        return original(self, client_state)

    request_rerun.moved_sessions_run_fully = True
    AppSession.request_rerun = request_rerun


def main() -> None:
    run_moved_sessions_fully()
    from streamlit.web.cli import main as streamlit_cli

    sys.argv[0] = "streamlit"
    streamlit_cli()


if __name__ == "__main__":
    main()
