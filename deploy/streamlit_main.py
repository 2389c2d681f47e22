"""`streamlit` as the recipes run it: Streamlit's own command line, with two changes for a served class.

    python deploy/streamlit_main.py run app.py --server.port 8501 ...   # deploy/serve_class.py, the Dockerfile

1. Streamlit's ``/_stcore/metrics`` (how many sessions, the cached functions'
names, their memory) answers only a client on this machine (127.0.0.1 or ::1):
Streamlit 1.67 has no setting to turn it off, and it is not for a school
network.  An admin on the machine still reads it from each process's port.

2. A session that moved here from a process that died answers its first click.

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


LOOPBACK = ("127.0.0.1", "::1")


def metrics_for_this_machine_only() -> None:
    """Patch the metrics routes Streamlit's server builds: 404 for a client that is not on this machine."""
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from streamlit.web.server.starlette import starlette_app

    original = starlette_app.create_metrics_routes
    if getattr(original, "for_this_machine_only", False):
        return

    def guarded(endpoint):
        async def answer(request):
            if request.client is None or request.client.host not in LOOPBACK:
                return PlainTextResponse("Not Found", status_code=404)
            return await endpoint(request)

        return answer

    def create_metrics_routes(runtime, base_url):
        return [Route(r.path, guarded(r.endpoint), methods=r.methods) for r in original(runtime, base_url)]

    create_metrics_routes.for_this_machine_only = True
    starlette_app.create_metrics_routes = create_metrics_routes


def main() -> None:
    metrics_for_this_machine_only()
    run_moved_sessions_fully()
    from streamlit.web.cli import main as streamlit_cli

    sys.argv[0] = "streamlit"
    streamlit_cli()


if __name__ == "__main__":
    main()
