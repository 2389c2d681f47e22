"""Scoring controls: method, temperature (log scale), masked positions, parameter seed."""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from attention_core.errors import InputError
from attention_core.scoring import SCORE_METHODS
from attention_core.text_parsing import format_positions, parse_positions

from .feedback import error_text, push_error
from .i18n import t
from .settings import Settings

# log-spaced 0.01 … 100 in steps a teacher can read aloud
TEMPERATURES = (
    0.01,
    0.02,
    0.03,
    0.05,
    0.07,
    0.1,
    0.15,
    0.2,
    0.3,
    0.5,
    0.7,
    1.0,
    1.5,
    2.0,
    3.0,
    5.0,
    7.0,
    10.0,
    15.0,
    20.0,
    30.0,
    50.0,
    70.0,
    100.0,
)
PARAMETRIC = ("general", "additive")
DEFAULTS = {"method": "dot", "temperature": 1.0, "mask": "", "pseed": 0}


def nearest_temperature(value: float) -> float:
    """Snap any T in [0.01, 100] (e.g. from a link) to the nearest slider stop, in log distance."""
    return min(TEMPERATURES, key=lambda option: abs(math.log(option) - math.log(value)))


_settings = Settings("score")
_key, _widget, _bind, _copy = _settings.canon, _settings.widget, _settings.bind, _settings.copy


def ensure_scoring() -> None:
    for name, value in DEFAULTS.items():
        st.session_state.setdefault(_key(name), value)


def _on_mask(n: int) -> None:
    text = st.session_state[_widget("mask")]
    try:
        parse_positions(text, n)
    except InputError as exc:
        push_error(t("scoring.mask_error", reason=error_text(exc)))
        return  # keep the user's text to fix; the last good mask stays in force
    st.session_state[_key("mask")] = text


def mask_indices(n: int) -> list[int]:
    """The masked token indices (0-based) in force.

    A mask that no longer fits (the sequence got shorter) is cleared, in the
    canonical state and in the text box; call this before the box is drawn.
    """
    try:
        return parse_positions(st.session_state[_key("mask")], n)
    except InputError:
        st.session_state[_key("mask")] = ""
        st.session_state[_widget("mask")] = ""
        return []


def scoring_sidebar(n: int) -> dict:
    """Draw the scoring controls in the sidebar; return method, temperature, mask [n] bool, pseed."""
    ensure_scoring()
    masked = np.zeros(n, dtype=bool)
    masked[mask_indices(n)] = True
    with st.sidebar:
        st.subheader(t("scoring.header"))
        st.selectbox(
            t("scoring.method"),
            SCORE_METHODS,
            format_func={m: t(f"scoring.method.{m}") for m in SCORE_METHODS}.get,
            key=_bind("method"),
            on_change=_copy,
            args=("method",),
            help=t("scoring.method.help"),
        )
        st.select_slider(
            t("scoring.temperature"),
            TEMPERATURES,
            key=_bind("temperature"),
            on_change=_copy,
            args=("temperature",),
            help=t("scoring.temperature.help"),
        )
        st.text_input(
            t("scoring.mask"),
            key=_bind("mask"),
            on_change=_on_mask,
            args=(n,),
            placeholder="2, 5-7",
            help=t("scoring.mask.help", n=n),
        )
        if st.session_state[_key("method")] in PARAMETRIC:
            st.number_input(
                t("scoring.pseed"),
                0,
                2**31 - 1,
                step=1,
                key=_bind("pseed"),
                on_change=_copy,
                args=("pseed",),
                help=t("scoring.pseed.help"),
            )
    return {
        "method": st.session_state[_key("method")],
        "temperature": float(st.session_state[_key("temperature")]),
        "masked": masked,
        "pseed": int(st.session_state[_key("pseed")]),
    }


def url_values() -> dict:
    values = {
        "method": st.session_state[_key("method")],
        "temperature": st.session_state[_key("temperature")],
        "mask": format_positions(parse_positions(st.session_state[_key("mask")], 10**9)).replace(" ", "")
        if st.session_state[_key("mask")]
        else None,
    }
    if values["method"] in PARAMETRIC:
        values["pseed"] = st.session_state[_key("pseed")]
    return values


def apply_url(found: dict) -> None:
    ensure_scoring()
    for name in ("method", "temperature", "mask", "pseed"):
        if name in found:
            value = nearest_temperature(found[name]) if name == "temperature" else found[name]
            st.session_state[_key(name)] = value
            st.session_state.pop(_widget(name), None)
