"""The Query page's scoring settings in the sidebar: method, temperature (log scale), masked positions, parameter seed.

Each setting is declared once (``SETTINGS``) and drawn in one line.  The
mask is the one checked before it is taken: a refused mask stays in its box
to be fixed while the last good one stays in force.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core.errors import InputError
from attention_core.limits import MAX_TOKENS
from attention_core.scoring import SCORE_METHODS
from attention_core.text_parsing import format_positions, parse_positions
from ui import url_state
from ui.feedback import error_text, push_error
from ui.i18n import t
from ui.scoring_input import TEMPERATURES, nearest_temperature
from ui.settings import Setting, Settings

PARAMETRIC = ("general", "additive")  # the scoring methods with learned parameters (drawn from the parameter seed)

SETTINGS = Settings(
    "score",
    declared=(
        Setting(
            "method",
            "dot",
            url_state.one_of(SCORE_METHODS),
            "selectbox",
            label="scoring.method",
            help="scoring.method.help",
            options=SCORE_METHODS,
            words="scoring.method",
        ),
        Setting(
            "temperature",
            1.0,
            url_state.float_in(0.01, 100.0),
            "select_slider",
            label="scoring.temperature",
            help="scoring.temperature.help",
            options=TEMPERATURES,
            snap=nearest_temperature,
        ),
        Setting(
            "mask",
            "",
            lambda raw: format_positions(parse_positions(raw, MAX_TOKENS)),
            "text_input",
            label="scoring.mask",
            help="scoring.mask.help",
            args={"placeholder": "2, 5-7"},
        ),
        Setting(
            "pseed",
            0,
            url_state.int_in(0, 2**31 - 1),
            "number_input",
            label="scoring.pseed",
            help="scoring.pseed.help",
            args={"min_value": 0, "max_value": 2**31 - 1, "step": 1},
        ),
    ),
)


def _on_mask(n: int) -> None:
    text = SETTINGS.widget_value("mask")
    try:
        parse_positions(text, n)
    except InputError as exc:
        push_error(t("scoring.mask_error", reason=error_text(exc)))
        return  # keep the user's text to fix; the last good mask stays in force
    SETTINGS.set("mask", text)


def mask_indices(n: int) -> list[int]:
    """The masked token indices (0-based) in force.

    A mask that no longer fits (the sequence got shorter) is cleared, in the
    canonical state and in the text box; call this before the box is drawn.
    """
    try:
        return parse_positions(SETTINGS.get("mask"), n)
    except InputError:
        SETTINGS.set("mask", "")
        SETTINGS.show("mask", "")
        return []


def scoring_sidebar(n: int) -> dict:
    """Draw the scoring controls in the sidebar; return method, temperature, mask [n] bool, pseed."""
    SETTINGS.ensure()
    mask_indices(n)  # a mask that no longer fits is cleared before its box is drawn
    with st.sidebar:
        st.subheader(t("scoring.header"))
        SETTINGS.draw("method")
        SETTINGS.draw("temperature")
        SETTINGS.draw("mask", on_change=_on_mask, args=(n,), help_args={"n": n})
        if SETTINGS.get("method") in PARAMETRIC:
            SETTINGS.draw("pseed")
    masked = np.zeros(n, dtype=bool)
    masked[mask_indices(n)] = True  # a mask first taken as the browser's draft (after a move) counts too
    return {
        "method": SETTINGS.get("method"),
        "temperature": float(SETTINGS.get("temperature")),
        "masked": masked,
        "pseed": int(SETTINGS.get("pseed")),
    }


def url_values() -> dict:
    mask = SETTINGS.get("mask")
    values = {
        "method": SETTINGS.get("method"),
        "temperature": SETTINGS.get("temperature"),
        "mask": format_positions(parse_positions(mask, 10**9)).replace(" ", "") if mask else None,
    }
    if values["method"] in PARAMETRIC:
        values["pseed"] = SETTINGS.get("pseed")
    return values
