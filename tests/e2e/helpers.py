"""Browser helpers for the e2e tests: wait for Streamlit, read charts, check for errors, screenshot.

What the helpers rely on in Streamlit's frontend (checked against 1.67):

- ``[data-testid="stApp"]`` carries ``data-test-script-state``: ``initial``
  before the first run, ``running`` while the script runs, ``notRunning``
  when it has finished.  ``INIT_SCRIPT`` counts the finished runs, so an
  action can wait for *its* rerun instead of racing the previous one.
- Every element created with ``key=`` gets the CSS class ``st-key-<key>``
  with dots turned into dashes (``key="chart.weights"`` →
  ``.st-key-chart-weights``).
- Error boxes: ``st.exception`` / an uncaught exception renders
  ``[data-testid="stException"]``; ``st.error`` renders
  ``[data-testid="stAlertContentError"]`` inside ``stAlert``; frontend
  errors such as "Page not found" open ``[data-testid="stDialog"]``.
- Navigation: ``position="sidebar"`` renders ``stSidebarNavLink`` anchors;
  ``position="top"`` renders ``stTopNavLink`` anchors and, for sections,
  ``stTopNavSection`` buttons whose menus hold ``stTopNavDropdownLink``.
- Loading placeholders: an element whose kind's JavaScript has not arrived
  yet (it is loaded when the kind first appears) is drawn as a grey
  ``stSkeleton`` (``stSkeletonElement``, and ``stAppSkeleton`` for the whole
  app before its first message); they were all gone within ~1 s of the run's
  end on every page when checked.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

# Runs in every page before Streamlit: counts finished script runs twice over.
# ``finished`` counts the app's ``data-test-script-state`` turning to ``notRunning``; React may
# batch a quick rerun's ``running`` and ``notRunning`` into one commit, so that count can miss a run
# (seen under load).  ``received`` counts the server's script-finished messages on the websocket
# (ForwardMsg field 6, read from the top level of the protobuf), which no rerun can skip, and
# ``receivedAt`` is when the last one came.
INIT_SCRIPT = """
(() => {
  window.__e2e = {finished: 0, started: 0, received: 0, receivedAt: 0};
  new MutationObserver((records) => {
    for (const r of records) {
      const state = r.target.getAttribute('data-test-script-state');
      if (r.oldValue === state) continue;
      if (state === 'running') window.__e2e.started += 1;
      if (state === 'notRunning') window.__e2e.finished += 1;
    }
  }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                        attributeFilter: ['data-test-script-state']});
  const scriptFinished = (data) => {  // does this ForwardMsg carry script_finished (field 6)?
    if (!(data instanceof ArrayBuffer)) return false;
    const b = new Uint8Array(data);
    let i = 0;
    const varint = () => { let v = 0, m = 1, c; do { c = b[i++]; v += (c & 0x7f) * m; m *= 128; } while (c & 0x80 && i < b.length); return v; };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      if (field === 6) return true;
      if (wire === 0) varint(); else if (wire === 1) i += 8; else if (wire === 2) { const n = varint(); i += n; } else if (wire === 5) i += 4; else return false;
    }
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (scriptFinished(event.data)) { window.__e2e.received += 1; window.__e2e.receivedAt = performance.now(); }
      });
    }
  };
})();
"""

# A JS function (chart container selector → {traces: [{x, y}], title, xTitle, yTitle} | null).
# Plotly may hold typed arrays or {dtype, bdata} blobs: _fullData is already decoded.
_READ_CHART = """
(selector) => {
  const root = document.querySelector(selector);
  const gd = root && (root.classList.contains('js-plotly-plot') ? root : root.querySelector('.js-plotly-plot'));
  if (!gd || !gd._fullData) return null;
  const plain = (v) => (v == null ? [] : Array.from(v, (e) => (typeof e === 'number' ? e : String(e))));
  const text = (t) => (t == null ? '' : typeof t === 'string' ? t : t.text || '');
  const fl = gd._fullLayout || {};
  return {
    traces: gd._fullData.map((tr) => ({type: tr.type, name: tr.name, x: plain(tr.x), y: plain(tr.y)})),
    title: text(fl.title), xTitle: text(fl.xaxis && fl.xaxis.title), yTitle: text(fl.yaxis && fl.yaxis.title),
  };
}
"""

ERROR_SELECTORS = {
    "exception": '[data-testid="stException"]',
    "error alert": '[data-testid="stAlertContentError"]',
    "dialog": '[data-testid="stDialog"]',
}


def script_state(page) -> str | None:
    return page.evaluate(
        "() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
        " return a ? a.getAttribute('data-test-script-state') : null; }"
    )


# True when no script runs, Streamlit's "Running…" status widget is gone and every number box
# shows its value (under load a number input is drawn a moment before its value; none of ours is empty).
_SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && Array.from(document.querySelectorAll('input[type="number"]')).every((i) => i.value !== '');
}"""

# A JS function (chart key's CSS class → a string that changes whenever the chart's data does | null).
_CHART_DATA = """
(selector) => {
  const root = document.querySelector(selector);
  const gd = root && (root.classList.contains('js-plotly-plot') ? root : root.querySelector('.js-plotly-plot'));
  if (!gd || !gd._fullData || !gd.querySelector('.main-svg')) return null;
  const flat = (v) => (v == null ? '' : Array.from(v, (e) => (e != null && typeof e === 'object' ? flat(e) : String(e))).join(','));
  const fl = gd._fullLayout || {};
  const title = fl.title ? (typeof fl.title === 'string' ? fl.title : fl.title.text || '') : '';
  return title + '|' + gd._fullData.map((t) => [t.type, flat(t.x), flat(t.y), flat(t.z), t.source || ''].join(';')).join('|');
}
"""


def _chart_selector(key: str) -> str:
    return ".st-key-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


# Streamlit loads each element kind's JavaScript when the kind first appears and draws a grey
# placeholder until it arrives: a page has finished drawing only when none is left.
_SKELETONS = '[data-testid="stSkeleton"], [data-testid="stSkeletonElement"], [data-testid="stAppSkeleton"]'


def wait_no_placeholders(page, timeout: float = 30_000) -> None:
    """Until no element is a grey loading placeholder any more (its JavaScript has arrived and it is drawn)."""
    try:
        page.wait_for_function(f"() => !document.querySelector('{_SKELETONS}')", timeout=timeout, polling=50)
    except Exception as exc:
        left = page.locator(_SKELETONS).count()
        raise AssertionError(
            f"{left} element(s) still drawn as loading placeholders after {timeout / 1000:.0f} s"
        ) from exc


def wait_idle(page, timeout: float = 30_000) -> None:
    """Until the app has run its script at least once and is not running now (no "Running…" widget)."""
    page.wait_for_function(
        f"""() => ({_SETTLED})()
             && !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')""",
        timeout=timeout,
    )


def wait_charts(page, min_count: int = 1, timeout: float = 30_000) -> int:
    """Until every ``st.plotly_chart`` on the page has drawn (``.js-plotly-plot`` with data); returns how many."""
    try:
        page.wait_for_function(
            """(min) => {
              const boxes = document.querySelectorAll('[data-testid="stPlotlyChart"]');
              if (boxes.length < min) return false;
              return Array.from(boxes).every((b) => {
                const gd = b.querySelector('.js-plotly-plot');
                return gd && gd._fullData && gd.querySelector('.main-svg');
              });
            }""",
            arg=min_count,
            timeout=timeout,
        )
    except Exception as exc:  # say which charts did not draw
        state = page.evaluate(
            """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).map((b) => {
                 const gd = b.querySelector('.js-plotly-plot');
                 const key = ((b.closest('[class*="st-key-"]') || b).className.match(/st-key-\\S+/) || ['(no key)'])[0];
                 return key + ': ' + (!gd ? 'no plot div' : !gd._fullData ? 'no data' : !gd.querySelector('.main-svg') ? 'no svg' : 'drawn');
               })"""
        )
        raise AssertionError(f"charts not drawn within {timeout / 1000:.0f} s (want ≥ {min_count}): {state}") from exc
    return page.locator(".js-plotly-plot").count()


def open_app(page, url: str, min_charts: int = 0, timeout: float = 60_000) -> None:
    """Go to ``url`` and wait until the first run finished and its charts and widgets are drawn."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_idle(page, timeout=timeout)
    crashed = page.locator(ERROR_SELECTORS["exception"])
    if crashed.count():  # no point waiting for charts the script never reached
        raise AssertionError(f"{page.url}: the script raised:\n{crashed.first.inner_text()[:2000]}")
    wait_charts(page, min_count=min_charts, timeout=timeout)
    wait_no_placeholders(page, timeout=timeout)


def filled_value(locator, timeout: float = 10_000) -> str:
    """A text box's value once it has one (a box may be drawn a moment before its value)."""
    locator.wait_for(state="visible", timeout=timeout)
    locator.page.wait_for_function("(e) => e.value !== ''", arg=locator.element_handle(), timeout=timeout)
    return locator.input_value()


def finished_runs(page) -> tuple[int, int]:
    """(runs the page has shown finishing, script-finished messages the websocket has received)."""
    return tuple(page.evaluate("() => window.__e2e ? [window.__e2e.finished, window.__e2e.received] : [-1, -1]"))


def chart_data(page, key: str) -> str | None:
    """A fingerprint of what the chart ``key`` draws (title and every trace's data); None before it is drawn."""
    return page.evaluate(_CHART_DATA, _chart_selector(key))


# How long a rerun the page did not show as running may take to draw after its script-finished
# message arrived (Streamlit dispatches messages asynchronously; React renders a moment later).
_DRAW_AFTER_MESSAGE_MS = 500


def rerun_after(page, action, changes: str | None = None, timeout: float = 30_000) -> None:
    """Do ``action()`` and wait for the rerun it causes — never for a fixed time.

    Waits first until the app is settled (so the previous run cannot be
    mistaken for this one), then, after the action, until no script runs,
    Streamlit's status widget is gone and either the chart named by
    ``changes`` holds other data than before or, without ``changes``, a
    script run has finished since: the server's script-finished message has
    arrived and the page has shown the run end (or, for a run so quick that
    React never drew it running, ``_DRAW_AFTER_MESSAGE_MS`` have passed since
    the message).  Every chart on the page must then be drawn.
    """
    page.wait_for_function(_SETTLED, timeout=timeout)
    before_runs = finished_runs(page)
    before_data = chart_data(page, changes) if changes else None
    action()
    try:
        page.wait_for_function(
            f"""([shown, received, selector, old, drawMs]) => {{
              if (!({_SETTLED})()) return false;
              if (selector !== null) {{
                const now = ({_CHART_DATA})(selector);
                return now !== null && now !== old;
              }}
              const e2e = window.__e2e;
              if (e2e.received <= received) return false;
              return e2e.finished > shown || performance.now() - e2e.receivedAt > drawMs;
            }}""",
            arg=[*before_runs, _chart_selector(changes) if changes else None, before_data, _DRAW_AFTER_MESSAGE_MS],
            timeout=timeout,
            polling=50,
        )
    except Exception as exc:
        state = dict(
            runs_before=before_runs,
            runs_now=finished_runs(page),
            script=script_state(page),
            chart_changed=None if not changes else chart_data(page, changes) != before_data,
        )
        raise AssertionError(
            f"the rerun after the action did not finish within {timeout / 1000:.0f} s: {state}"
        ) from exc
    wait_charts(page, timeout=timeout)
    wait_no_placeholders(page, timeout=timeout)  # a view that shows a new kind of widget loads its JavaScript


def error_boxes(page) -> dict[str, list[str]]:
    """{kind: [visible text, ...]} for every exception box, error alert and error dialog on the page."""
    found = {}
    for kind, selector in ERROR_SELECTORS.items():
        boxes = page.locator(selector)
        texts = [boxes.nth(i).inner_text().strip()[:500] for i in range(boxes.count())]
        if texts:
            found[kind] = texts
    return found


def assert_no_error_box(page, allow_alerts: int = 0) -> None:
    boxes = error_boxes(page)
    alerts = boxes.pop("error alert", [])
    assert not boxes, f"{page.url}: error box on the page: {boxes}"
    assert len(alerts) <= allow_alerts, f"{page.url}: error alert(s) on the page: {alerts}"


def chart(page, key: str, timeout: float = 10_000) -> dict:
    """The plotly figure drawn by ``st.plotly_chart(..., key=key)``: traces with plain x/y lists, titles."""
    selector = _chart_selector(key)
    page.wait_for_function(f"(s) => ({_READ_CHART})(s) !== null", arg=selector, timeout=timeout)
    return page.evaluate(_READ_CHART, selector)


def bar_values(figure: dict) -> list[float]:
    """All bars of a token chart in token order (trace 0: allowed tokens, others e.g. masked ones).

    Above ui.figures.LINE_ABOVE tokens the "bars" are one stepped area (a scatter trace).
    """
    pairs = [(x, y) for tr in figure["traces"] if tr["type"] in ("bar", "scatter") for x, y in zip(tr["x"], tr["y"])]
    return [y for _, y in sorted(pairs, key=lambda p: p[0])]


def softmax(values: list[float], temperature: float = 1.0) -> list[float]:
    top = max(values)
    exps = [math.exp((v - top) / temperature) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def url_params(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def numbers(text: str) -> list[float]:
    return [float(s) for s in re.split(r"[\s,;]+", text.strip()) if s]


def discover_pages(page, base_url: str) -> dict[str, str]:
    """{path: title} of every page in the app's navigation menu (sidebar or top bar)."""
    found: dict[str, str] = {}

    def collect(selector: str) -> None:
        links = page.locator(selector)
        for i in range(links.count()):
            link = links.nth(i)
            href = link.get_attribute("href") or ""
            path = urlsplit(href).path or "/"
            lines = [s.strip() for s in link.inner_text().splitlines() if s.strip()]
            found.setdefault(path, lines[-1] if lines else path)  # the first line may be an icon's ligature name

    collect('[data-testid="stSidebarNav"] a[href], [data-testid="stSidebarNavLink"]')
    collect('[data-testid="stTopNavLink"]')
    sections = page.locator('[data-testid="stTopNavSection"]')
    for i in range(sections.count()):
        sections.nth(i).click()
        page.locator('[data-testid="stTopNavDropdownLink"]').first.wait_for(timeout=5_000)
        collect('[data-testid="stTopNavDropdownLink"]')
        page.keyboard.press("Escape")
        page.locator('[data-testid="stTopNavDropdownLink"]').first.wait_for(state="detached", timeout=5_000)
    return found


def screenshot(page, folder: Path, name: str) -> Path:
    """A picture of the whole page: Streamlit scrolls inside stMain, so the window is made tall enough first."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(AssertionError):  # a page that never finishes drawing is still photographed
        wait_no_placeholders(page, timeout=10_000)
    path = folder / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") + ".png")
    size = page.viewport_size or {"width": 1400, "height": 900}
    height = page.evaluate(
        """() => Math.max(window.innerHeight, ...['stMain', 'stSidebarContent', 'stSidebarUserContent']
             .map((id) => { const e = document.querySelector(`[data-testid="${id}"]`); return e ? e.scrollHeight : 0; }))"""
    )
    height = min(int(height), 10_000)
    if height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": height})
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    try:
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        if height > size["height"]:
            page.set_viewport_size(size)
    return path


SIZES = ((1366, 768), (1920, 1080))  # a laptop's and a projector's window


def pictures(page, shots: Path, name: str) -> None:
    """Screenshots at a laptop's and a projector's size (the full page: the views sit below the fold at 768 px)."""
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        wait_charts(page)
        screenshot(page, shots, f"{name}-{width}x{height}")


def run_async(coroutine):
    """Run ``coroutine`` in a thread of its own: Playwright's loop may own the main thread (other e2e tests)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
