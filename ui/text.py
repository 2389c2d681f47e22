"""User text (token labels, file names, sentences, model names) shown as plain text.

Streamlit reads Markdown, LaTeX (``$…$``) and its own directives (``:red[…]``)
in ``st.markdown``, ``st.caption``, ``st.metric``, ``st.error`` / ``warning`` /
``info``, widget labels and help texts; Plotly reads a few HTML tags in titles,
ticks and hover texts.  A label ``![](//host/p.png)`` would make every viewer's
browser fetch a remote image, so whatever a user typed or uploaded passes
through one of these functions before it reaches such a place.
"""

from __future__ import annotations

import html
import re

# CommonMark lets a backslash escape any ASCII punctuation; escaping all of it
# also covers $ (math), : (directives, emoji), < > & (HTML) and | (tables).
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
_LATEX_SPECIAL = {c: "\\" + c for c in "{}$&#_%"} | {
    "\\": r"\textbackslash{}",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


def md_escape(text) -> str:
    """``text`` as it reads, inside any Markdown (one line: line breaks become spaces)."""
    return _MD_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)))


def escape(labels) -> list[str]:
    """Labels for Plotly (titles, ticks, hover texts): HTML-escaped, ``$`` kept out of its LaTeX mode."""
    return [html.escape(str(s)).replace("$", "&#36;") for s in labels]


def latex_text(text) -> str:
    r"""``text`` as upright text inside ``st.latex``: ``\text{…}`` with TeX's specials escaped."""
    return r"\text{" + "".join(_LATEX_SPECIAL.get(c, c) for c in _LINE_BREAKS.sub(" ", str(text))) + "}"
