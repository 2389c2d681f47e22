"""ui/text.py: user text reaches Markdown, Plotly and KaTeX as plain text."""

from __future__ import annotations

import re

from ui.text import escape, latex_text, md_escape

HOSTILE = ["![](//example.invalid/p.png)", "<img src=x onerror=alert(1)>", "$x^2$", "**bold**", ":red[x]", "a\nb"]


def test_markdown_escape_leaves_no_unescaped_markup():
    for text in HOSTILE:
        out = md_escape(text)
        unescaped = re.sub(r"\\[!-/:-@\[-`{-~]", "", out)  # drop every escaped character
        assert not re.search(r"[!-/:-@\[-`{-~]", unescaped), (text, out)
        assert "\n" not in out
        assert re.sub(r"\\(.)", r"\1", out) == text.replace("\n", " ")  # reads as typed


def test_plotly_labels_are_html_escaped_and_out_of_latex_mode():
    assert escape(["<b>$x$</b> & co"]) == ["&lt;b&gt;&#36;x&#36;&lt;/b&gt; &amp; co"]


def test_latex_text_escapes_tex_specials():
    assert latex_text("a_b^c $d$ {e} \\f") == r"\text{a\_b\textasciicircum{}c \$d\$ \{e\} \textbackslash{}f}"
