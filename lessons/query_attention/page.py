"""Query attention: one query (or a few) attends over the sequence X — the core lesson.

The page reads top to bottom: the link (when the page is entered) → the sidebar's
settings → the query editor → one ``attend`` call → ``views.Shown`` (frozen) →
the summary charts → ``views.VIEWS[view]`` → the link the page now stands for.
Two fragments, one inside the other: ``interactive`` (the query editor) and ``charts``
(the scoring sidebar, the computation and everything drawn from it), so a scoring
click, the class's most frequent, does not rebuild the editor (issue 23).
"""

import streamlit as st

from attention_core.attend import attend
from attention_core.scoring import ScoreParams
from attention_core.text_parsing import parse_positions
from lessons.query_attention import compare, guide, scoring, steer, views
from lessons.query_attention import controls as query_input
from lessons.query_attention.scoring import PARAMETRIC
from ui import boundary, guided, sequence_input, url_state
from ui.feedback import show_errors
from ui.i18n import t

PAGE = "query"
FITTED_TO_X = ("q", "mask", "b_q", "b_mask", "steer_to")  # link parameters that make sense only with their X
VIEW = views.VIEW  # which view, zoom on the weights (declared with the views)


def read_link() -> None:
    """The settings a shared link holds: every parameter parsed once, then each fitted to X."""
    found = url_state.read(
        sequence_input.URL_PARSERS
        | scoring.SETTINGS.parsers
        | query_input.SETTINGS.parsers
        | {"q": str}
        | VIEW.parsers
        | steer.URL_PARSERS
        | compare.URL_PARSERS
    )
    sequence_input.apply_url({k: v for k, v in found.items() if k in sequence_input.URL_PARSERS})
    if sequence_input.upload_lost():  # they fitted the lost file: the sentence about it says enough
        found = {k: v for k, v in found.items() if k not in FITTED_TO_X}
    seq = sequence_input.ensure_sequence()
    found = url_state.drop_unfit(found, "mask", lambda mask: parse_positions(mask, seq.n))
    VIEW.apply_url(found)
    scoring.SETTINGS.apply_url(found)
    query_input.take_link(found, seq.d)
    steer.take_link(found)
    compare.take_link(found, seq.n, seq.d)


def _on_view(options) -> None:
    chosen = VIEW.widget_value("view", options)
    if chosen is not None:  # a segmented control can be clicked off (None): the view stays what it was
        VIEW.set("view", chosen)


def pick_view(many_queries: bool) -> str:
    """The view switcher; only the chosen view is built (st.tabs would build every tab on every rerun)."""
    options = [name for name in views.VIEWS if name != "all" or many_queries]
    if VIEW.get("view") not in options:
        VIEW.set("view", "inputs")
    st.segmented_control(
        t("query.view"),
        options,
        format_func={name: t(f"query.tab.{name}") for name in options}.get,
        label_visibility="collapsed",
        key=VIEW.follow("view", options),
        on_change=_on_view,
        args=(options,),
    )
    return VIEW.get("view")


guided.enter(PAGE, read_link)

st.title(t("query.title"))
st.markdown(t("query.lesson"))
guided.presets(PAGE, guide.presets())
url_state.show_warnings()

seq = sequence_input.sequence_sidebar()
query_input.ensure_query(seq, seed=sequence_input.seed())
VIEW.ensure()


@boundary.fragment
def interactive(seq) -> None:
    """The query editor, and beside it ``charts``: a widget of the editor reruns this, not the page."""
    show_errors()  # a refused query or sequence
    left, right = st.columns([1.25, 3], gap="medium")
    with left:
        guide_box = st.container()  # the guided lesson, filled once the numbers are known
        q_box, sel, scale = query_input.query_controls(seq)
    with right:
        charts(seq, q_box, sel, scale, guide_box)


@boundary.fragment
def charts(seq, q_box, sel: int, scale: float, guide_box) -> None:
    """The scoring sidebar, the computation and the charts: a widget here reruns this, not the query editor.

    The scoring controls (method, temperature, mask) are the sidebar's most-clicked
    widgets: drawn from here, a click on them reruns only this fragment (Streamlit
    redraws a fragment's sidebar writes in place; the editor and the sequence stay).
    """
    if sequence_input.ensure_sequence() is not seq:  # the data view edited X: the sidebar and the link show it too
        st.rerun(scope="app")
    if not query_input.drawn(q_box, sel, scale):  # a step of the steer view moved q: the editor shows it too
        st.rerun(scope="app")
    settings = scoring.scoring_sidebar(seq.n)
    show_errors()  # a refused mask (this fragment's own rerun)

    # ---- the computation: everything below is drawn from this one call
    q = scale * q_box
    params = ScoreParams.random(seq.d, seed=settings["pseed"]) if settings["method"] in PARAMETRIC else None
    method, temperature, allowed = settings["method"], settings["temperature"], ~settings["masked"]
    result = attend(q, seq.values, method=method, temperature=temperature, mask=allowed, params=params)
    shown = views.Shown(seq, settings, q_box, sel, scale, q, params, result, bool(VIEW.get("zoom")))

    steps = lambda: guide.steps(seq.values, seq.labels, shown.a, shown.w, shown.o, temperature, allowed)  # noqa: E731
    asked = guided.lesson(PAGE, steps, guide_box)  # what the current question hides, or marks once answered
    views.summary(shown, asked, zoom_toggle=lambda where: VIEW.draw("zoom", where=where))
    view = pick_view(many_queries=q.shape[0] > 1)
    if asked.hides(*views.VIEW_SHOWS.get(view, ())):
        guided.hidden_note(480)
    else:
        views.VIEWS[view](shown, asked)
    publish(view, scale)


def publish(view: str, scale: float) -> None:
    """The page's settings into the link."""
    url_state.publish(
        sequence_input.url_values()
        | scoring.url_values()
        | {"q": query_input.url_value(), "scale": scale if scale != 1.0 else None}
        | VIEW.url_values()
        | (steer.url_values() if view == "steer" else {})
        | (compare.url_values() if view == "compare" else {})
        | guided.url_values(PAGE)
    )


interactive(seq)
