"""Export: the figures the current page drew, and the page as one self-contained HTML file.

Every chart goes through ``ui.figures.show``, which records it here under its
key.  The record lives in session state, one per session, and starts afresh
on every full run (``begin_page``); a fragment rerun redraws only its own
charts, so ``section`` forgets what that fragment drew last time before it
draws again (a view switched inside a fragment must not leave its old chart).

The HTML is built only when the user clicks the download button (plotly.js
is ~4.7 MB): the button's data is a callable, which Streamlit runs in the
request for the file, outside any script run.  It therefore reads this
session's record object, never ``st.session_state``, and the words it needs
are stored in the record when the page runs.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import html
import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import plotly.io as pio
import streamlit as st
from plotly.io.json import to_json_plotly

from .i18n import LANGUAGES, catalogs, language, t
from .projector import OKABE_ITO

if TYPE_CHECKING:
    import numpy as np

# numpy is imported inside the functions that use it: app.py imports this module for every page, and
# the home page's own code (every visitor's first load) needs no numpy.

_RECORD_KEY = "_export.record"
_FORMAT_KEY = "w.export.format"  # PNG or SVG from the charts' camera button (a session setting, not in the link)
FORMATS = ("png", "svg")
IMAGE_SCALE = 2  # PNGs twice the size on screen: sharp on a projector and in slides
PAGE_GROUP = "page"  # charts drawn outside any fragment
TABLE_MAX_CELLS = 2000  # a figure's numbers are printed up to this many cells; larger data has the CSV downloads
# the exported charts' colours: the app's Streamlit theme is not there, so a plain white template with
# the Okabe–Ito palette (colour-blind safe) for anything that has no colour of its own


@dataclass
class PageRecord:
    """What the current page drew, for the HTML export. ``figures``: {key: (title, spec, group)}."""

    page: str
    title: str = ""
    url: str = ""  # the page's address without the query (st.context.url), "" in tests
    settings: dict[str, str] = field(default_factory=dict)  # the link's parameters, as url_state published them
    readable: list[tuple[str, str]] = field(default_factory=list)  # the settings as the page names them (its language)
    words: dict[str, str] = field(default_factory=dict)
    lang: str = "en"
    figures: dict[str, tuple[str, dict, str]] = field(default_factory=dict)  # spec: the dict the chart was drawn from
    group: str = PAGE_GROUP

    def link(self) -> str:
        query = urlencode(self.settings)
        return f"{self.url}?{query}" if query else self.url

    def html(self) -> str:
        """The page as one HTML document (built on request: see the module docstring)."""
        return page_html(self)


def record() -> PageRecord | None:
    return st.session_state.get(_RECORD_KEY)


def begin_page(page: str, title: str) -> None:
    """A full run of ``page`` starts: forget what the last run drew (on any page)."""
    url = ""
    with contextlib.suppress(Exception):  # st.context.url is None in AppTest; no context at all in bare mode
        url = st.context.url or ""
    st.session_state[_RECORD_KEY] = PageRecord(
        page=page,
        title=title,
        url=url if url.startswith(("http://", "https://")) else f"/{page}",
        words={name: t(f"export.{name}") for name in ("exported", "settings", "link", "numbers", "too_large")},
        lang=language(),
    )


@contextlib.contextmanager
def section(name: str):
    """Charts drawn inside this block belong to ``name`` (a fragment): they replace its previous charts."""
    rec = record()
    if rec is None:
        yield
        return
    for key in [k for k, (_, _, group) in rec.figures.items() if group == name]:
        del rec.figures[key]
    outer, rec.group = rec.group, name
    try:
        yield
    finally:
        rec.group = outer


def note(key: str, spec: dict) -> None:
    """Record the chart ``key`` as drawn (``spec``: its Plotly dict; called by ``ui.figures.show``)."""
    rec = record()
    if rec is not None:
        rec.figures[key] = (_title_text(spec), spec, rec.group)


def note_settings(values: dict[str, str]) -> None:
    """The page's link parameters (called by ``url_state.publish`` after every run, fragment runs too)."""
    rec = record()
    if rec is not None:
        rec.settings = dict(values)
        rec.readable = readable_settings(rec.page, rec.settings)


# ------------------------------------------------------------------ the settings as a reader sees them

ON = "on"  # a flag: "1" reads as "on"
# URL parameter → (the catalog key of the widget's label, the prefix of its values' words: "<prefix>.<value>").
# A value without a word (a number, a query, a sentence) is shown as it is.
SETTING_WORDS: dict[str, tuple[str, str | None]] = {
    "kind": ("seq.kind", "seq.kind"),
    "n": ("seq.n", None),
    "d": ("seq.d", None),
    "seed": ("seq.seed", None),
    "method": ("scoring.method", "scoring.method"),
    "temperature": ("scoring.temperature", None),
    "mask": ("scoring.mask", None),
    "pseed": ("scoring.pseed", None),
    "q": ("export.setting.q", None),
    "guide": ("guide.toggle", ON),
    "projector": ("projector.toggle", ON),
    "lang": ("app.language", None),
    "steer_to": ("steer.token", None),
    "steer_step": ("steer.step", None),
    "b_method": ("compare.method", "scoring.method"),
    "b_temperature": ("compare.temperature", None),
    "b_mask": ("compare.mask", None),
    "b_q": ("compare.q", None),
}
PAGE_SETTING_WORDS: dict[str, dict[str, tuple[str, str | None]]] = {
    "query": {"view": ("query.view", "query.tab"), "zoom": ("query.zoom", ON), "scale": ("query.scale", None)},
    "self-attention": {
        "attn": ("sa.mode", "sa.mode"),
        "m": ("sa.m", None),
        "d_model": ("sa.d_model", None),
        "heads": ("sa.heads", None),
        "wseed": ("sa.wseed", None),
        "mask": ("sa.mask", "sa.mask"),
        "pad": ("sa.pad", None),
        "temperature": ("sa.temperature", None),
        "head": ("sa.head", None),
        "i": ("export.setting.i", None),
        "j": ("export.setting.j", None),
        "zoom": ("sa.zoom", ON),
        "view": ("sa.view", "sa.tab"),
        "hide": ("export.setting.hide", None),
        "b_mask": ("compare.sa.mask", "sa.mask"),
        "b_temperature": ("compare.sa.temperature", None),
        "b_wseed": ("compare.sa.wseed", None),
    },
    "model": {
        "text": ("tm.text", None),
        "text2": ("tm.text2", None),
        "model": ("tm.model", None),
        "layer": ("export.setting.layer", None),
        "head": ("export.setting.head", None),
        "view": ("tm.view", "tm.view"),
        "token": ("tm.token", None),
        "follow": ("export.setting.follow", None),
        "hide": ("export.setting.hide_special", ON),
    },
    "speech": {
        "clip": ("speech.clip", None),
        "view": ("speech.view", "speech.view"),
        "token": ("speech.token", None),
        "layer": ("export.setting.layer", None),
        "head": ("export.setting.head", None),
        "language": ("speech.language", "speech.language"),
        "heads": ("speech.heads", None),
        "normalise": ("speech.normalise", ON),
        "filter": ("speech.filter", None),
    },
    "image": {
        "sample": ("image.sample", "image.sample"),
        "view": ("image.view", "image.view"),
        "features": ("image.features", "image.features"),
        "patch": ("image.patch", None),
        "row": ("image.row", None),
        "col": ("image.col", None),
        "topk": ("image.topk", None),
        "move": ("export.setting.move", None),
    },
    "seq2seq": {
        "task": ("seq2seq.task", "seq2seq.task"),
        "scoring": ("seq2seq.scoring", "seq2seq.scoring"),
        "lo": ("export.setting.lo", None),
        "hi": ("export.setting.hi", None),
        "hidden": ("seq2seq.hidden", None),
        "steps": ("seq2seq.steps", None),
        "seed": ("seq2seq.seed", None),
        "view": ("seq2seq.view", "seq2seq.view"),
        "text": ("seq2seq.input", None),
    },
    "complexity": {
        "n": ("complexity.n_range", None),
        "methods": ("complexity.methods", "complexity.method"),
        "block": ("complexity.block", None),
        "window": ("complexity.window", None),
        "features": ("complexity.features", None),
        "threads": ("complexity.threads", None),
        "view": ("complexity.view", "complexity.view"),
        "approx": ("complexity.approx", "complexity.method"),
        "step_block": ("complexity.step_block", None),
        "step": ("complexity.step", None),
        "small_window": ("export.setting.small_window", None),
    },
}


def setting_words(page: str, name: str) -> tuple[str, str | None] | None:
    """The label key and value prefix of the URL parameter ``name`` on ``page`` (None: the parameter is unknown)."""
    return PAGE_SETTING_WORDS.get(page, {}).get(name) or SETTING_WORDS.get(name)


def _value_text(prefix: str | None, name: str, value: str) -> str:
    if name == "lang":
        return LANGUAGES.get(value, value)
    if prefix == ON:
        return t("export.on") if value in ("1", "true", "True") else t("export.guide_step", step=value)
    if prefix is None:
        return value
    known = catalogs()["en"]
    words = [t(f"{prefix}.{part}") if f"{prefix}.{part}" in known else part for part in value.split(",")]
    return "、".join(words) if language() == "zh" else ", ".join(words)


def readable_settings(page: str, values: dict[str, str]) -> list[tuple[str, str]]:
    """``values`` (URL parameter → text) as (the widget's label, the value in words), in the current language."""
    rows = []
    for name, value in values.items():
        words = setting_words(page, name)
        if words is None:  # a parameter no table names yet: better its raw name than nothing
            rows.append((name, str(value)))
            continue
        label, prefix = words
        rows.append((t(label), _value_text(prefix, name, str(value))))
    return rows


def image_format() -> str:
    return st.session_state.get(_FORMAT_KEY) or "png"


def chart_config(key: str) -> dict:
    """The Plotly toolbar every chart shares: the camera button saves ``<page>-<chart>.png`` (or .svg) at 2×."""
    rec = record()
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", key.removeprefix("chart.")).strip("-")
    filename = "-".join(part for part in ("attention-explorer", rec.page if rec else "", name) if part)
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": image_format(), "filename": filename, "scale": IMAGE_SCALE},
    }


def sidebar_controls() -> None:
    """The sidebar's export section: the format of the charts' image button, and the page as HTML."""
    rec = record()
    if rec is None or not rec.figures:  # a page without charts (home) would export an empty file
        return
    with st.sidebar:
        st.divider()
        st.markdown(f"**{t('export.header')}**")
        st.radio(
            t("export.format"),
            FORMATS,
            format_func=str.upper,
            horizontal=True,
            key=_FORMAT_KEY,
            help=t("export.format.help"),
        )
        st.download_button(
            t("export.html"),
            rec.html,  # a callable: built only when clicked, from the charts drawn by then
            f"attention-explorer-{rec.page}.html",
            "text/html",
            on_click="ignore",
            icon=":material/download:",
            help=t("export.html.help"),
            key="w.export.html",
        )


def matrix_csv(values: np.ndarray, row_labels=None, col_labels=None) -> str:
    """``values`` ``[rows, cols]`` (or ``[n]``: one row) as CSV, with the labels as header and first column."""
    import numpy as np
    import pandas as pd  # only when a download is built: ~0.3 s of import a first page need not wait for

    frame = pd.DataFrame(np.atleast_2d(values))
    if row_labels is not None:
        frame.index = list(row_labels)
    if col_labels is not None:
        frame.columns = list(col_labels)
    return frame.to_csv(index=row_labels is not None)


def matrix_npy(values: np.ndarray) -> bytes:
    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, values, allow_pickle=False)
    return buffer.getvalue()


def matrix_downloads(name: str, matrix, row_labels=None, col_labels=None, where=None) -> None:
    """A matrix the page shows, as CSV (with its labels) and as NPY; each file is built only when clicked.

    ``matrix`` ``[rows, cols]`` (or ``[n]``); ``name`` names the files (``<name>.csv``) and the buttons' keys.
    """
    import numpy as np

    values = np.array(matrix, dtype=np.float64)  # a copy: the session may change the page's own array meanwhile
    csv = partial(matrix_csv, values, row_labels, col_labels)
    left, right = (where or st).columns(2)
    left.download_button(t("export.csv"), csv, f"{name}.csv", "text/csv", on_click="ignore", key=f"w.export.{name}.csv")
    right.download_button(
        t("export.npy"),
        partial(matrix_npy, values),
        f"{name}.npy",
        "application/octet-stream",
        on_click="ignore",
        key=f"w.export.{name}.npy",
    )


# ------------------------------------------------------------------ the HTML


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    """plotly.js as shipped with the plotly package (read once a process; ~4.7 MB)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@lru_cache(maxsize=1)
def _template() -> dict:
    template = pio.templates["plotly_white"].to_plotly_json()
    template["layout"]["colorway"] = list(OKABE_ITO)
    return template


def _title_text(spec: dict) -> str:
    """The figure's title as plain text (Plotly titles may hold <span> notes and escaped user text)."""
    title = spec.get("layout", {}).get("title") or {}
    text = (title.get("text") if isinstance(title, dict) else title) or ""
    return html.unescape(re.sub(r"<[^>]*>", "", str(text))).strip()


def _script_safe(text: str) -> str:
    """JSON text safe inside <script>: no "</" can close the element (user text may hold "</script>")."""
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def _script_json(value) -> str:
    return _script_safe(json.dumps(value, separators=(",", ":")))


def _cell(value) -> str:
    import numpy as np

    if isinstance(value, (float, np.floating)):
        return f"{value:.4g}"
    return html.escape(str(value))


def _axis_ticks(layout: dict, axis_name: str) -> dict:
    """{tick value: tick text} of a labelled axis (token axes put the labels there)."""
    axis = layout.get(axis_name) or {}
    if axis.get("tickvals") is None or axis.get("ticktext") is None:
        return {}
    return {float(v): html.unescape(str(s)) for v, s in zip(_array(axis["tickvals"]), axis["ticktext"])}


def _array(value) -> np.ndarray:
    """A trace's array: Plotly ≥ 6 keeps numeric arrays as {"dtype", "bdata", "shape"} (base64) in its dicts."""
    import numpy as np

    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]).newbyteorder("<"))
        shape = value.get("shape")
        if shape is not None:
            array = array.reshape([int(n) for n in (shape.split(",") if isinstance(shape, str) else shape)])
        return array
    return np.asarray(value)


def _numbers(spec: dict, too_large: str) -> str:
    """The numbers behind the figure's traces as HTML tables (heatmaps: the matrix; bars and lines: the points)."""
    import numpy as np

    layout = spec.get("layout", {})
    parts = []
    for trace in spec.get("data", ()):
        kind = trace.get("type", "scatter")
        name = html.escape(html.unescape(str(trace.get("name") or kind)))
        if kind == "heatmap" and trace.get("z") is not None:
            z = _array(trace["z"]).astype(np.float64)
            if z.ndim != 2:
                continue
            if z.size > TABLE_MAX_CELLS:
                parts.append(f"<p>{html.escape(too_large.format(rows=z.shape[0], cols=z.shape[1]))}</p>")
                continue
            xs = list(_array(trace["x"])) if trace.get("x") is not None else list(range(1, z.shape[1] + 1))
            ys = list(_array(trace["y"])) if trace.get("y") is not None else list(range(1, z.shape[0] + 1))
            xt, yt = _axis_ticks(layout, "xaxis"), _axis_ticks(layout, "yaxis")
            head = "".join(f"<th>{_cell(xt.get(_num(x), x))}</th>" for x in xs)
            rows = "".join(
                f"<tr><th>{_cell(yt.get(_num(y), y))}</th>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
                for y, row in zip(ys, z)
            )
            parts.append(f"<table class='numbers'><caption>{name}</caption><tr><th></th>{head}</tr>{rows}</table>")
        elif kind in ("bar", "scatter") and trace.get("y") is not None and trace.get("x") is not None:
            ys, xs = _array(trace["y"]), list(_array(trace["x"]))
            if ys.dtype.kind not in "fiu" or len(xs) != len(ys):
                continue
            if len(ys) > TABLE_MAX_CELLS // 2:
                parts.append(f"<p>{html.escape(too_large.format(rows=len(ys), cols=1))}</p>")
                continue
            ticks = _axis_ticks(layout, "xaxis")
            labels = list(_array(trace["customdata"])) if trace.get("customdata") is not None else None
            rows = "".join(
                f"<tr><th>{_cell(x)}</th><td>{_cell(labels[i] if labels is not None else ticks.get(_num(x), ''))}</td>"
                f"<td>{_cell(float(y))}</td></tr>"
                for i, (x, y) in enumerate(zip(xs, ys))
            )
            parts.append(f"<table class='numbers'><caption>{name}</caption>{rows}</table>")
    return "".join(parts)


def _num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC",
       "Microsoft YaHei", sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1a1a1a; }
h1 { margin-bottom: 0.2rem; } .meta { color: #555; }
section.figure { margin: 2rem 0; page-break-inside: avoid; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; } caption { text-align: left; font-weight: 600; }
table.settings th, table.settings td { text-align: left; }
details { margin-top: 0.5rem; } .chart { width: 100%; }
"""


def page_html(rec: PageRecord) -> str:
    """``rec`` as a standalone HTML page: title, link, settings, every chart (plotly.js inline once) and its numbers.

    Opens with no network: no script or style is fetched from anywhere.
    All text from the page or the user is escaped; figure JSON is made safe for <script>.
    """
    words = rec.words
    figures = list(rec.figures.items())  # a snapshot: the session may be drawing while we read
    config = {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"scale": IMAGE_SCALE}}
    link = rec.link()
    settings_rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in (rec.readable or rec.settings.items())
    )
    sections = []
    for i, (key, (title, spec, _)) in enumerate(figures):
        layout = dict(spec.get("layout", {}))
        layout["template"] = _template()  # the app's "streamlit" template only has placeholder colours
        layout["title"] = {"text": ""}  # the section's heading says it, as text a reader can search and copy
        layout["margin"] = dict(layout.get("margin") or {}) | {"t": 30}
        layout.pop("width", None)
        div_id = f"figure-{i}"
        chart_config = config | {"toImageButtonOptions": {"scale": IMAGE_SCALE, "filename": f"{rec.page}-{i}"}}
        script = (
            f"Plotly.newPlot({_script_json(div_id)},{_script_safe(to_json_plotly(spec['data']))},"
            f"{_script_safe(to_json_plotly(layout))},{_script_json(chart_config)});"
        )
        numbers = _numbers(spec, words.get("too_large", "{rows}×{cols}"))
        sections.append(
            f"<section class='figure' data-key='{html.escape(key, quote=True)}'>"
            f"<h2>{html.escape(title or key)}</h2>"
            f"<div id='{div_id}' class='chart'></div><script>{script}</script>"
            + (
                f"<details><summary>{html.escape(words.get('numbers', ''))}</summary>{numbers}</details>"
                if numbers
                else ""
            )
            + "</section>"
        )
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"<!DOCTYPE html><html lang='{'zh-CN' if rec.lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(rec.title)} · Attention Explorer</title><style>{_STYLE}</style>"
        f"<script>{_plotly_js()}</script></head><body>"
        f"<h1>{html.escape(rec.title)}</h1>"
        f"<p class='meta'>{html.escape(words.get('exported', ''))} {stamp} · "
        f"{html.escape(words.get('link', ''))}{'：' if rec.lang == 'zh' else ': '}<a href='{html.escape(link, quote=True)}'>{html.escape(link)}</a></p>"
        + (
            f"<h2>{html.escape(words.get('settings', ''))}</h2><table class='settings'>{settings_rows}</table>"
            if settings_rows
            else ""
        )
        + "".join(sections)
        + "</body></html>"
    )
