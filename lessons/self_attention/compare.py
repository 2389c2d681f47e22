"""Compare A/B on the Self-attention page: A is the page's layer, B the same layer with another mask,
temperature or weight seed.

B is one more ``summarise`` call (cached like A's); both weight matrices of the
picked head share one colour range, and ΔW = W_B − W_A is drawn on a
diverging scale centred on 0.  B's settings live in ``sa.cmp.*`` and in the
link as ``b_mask``, ``b_temperature`` and ``b_wseed``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core.masks import MASKS
from lessons.self_attention import controls, data
from lessons.self_attention import figures as safig
from ui import url_state
from ui.figures import show
from ui.i18n import t
from ui.scoring_input import TEMPERATURES, nearest_temperature
from ui.settings import Setting, Settings

DELTA_SCALE = "RdBu"  # ColorBrewer diverging, colour-blind safe: red = B lower, blue = B higher, white = same

SEEDS = {"min_value": 0, "max_value": 2**31 - 1, "step": 1}
settings = Settings(
    "sa.cmp",
    declared=(
        Setting(
            "mask",
            "causal",
            url_state.one_of(MASKS),
            "selectbox",
            "compare.sa.mask",
            "compare.sa.mask.help",
            MASKS,
            "sa.mask",
        ),
        Setting(
            "temperature",
            1.0,
            url_state.float_in(0.01, 100.0),
            "select_slider",
            label="compare.sa.temperature",
            options=TEMPERATURES,
            snap=nearest_temperature,
        ),
        Setting(
            "wseed",
            0,
            url_state.int_in(0, 2**31 - 1),
            "number_input",
            "compare.sa.wseed",
            "compare.sa.wseed.help",
            args=SEEDS,
        ),
    ),
)
URL_PARSERS = {f"b_{name}": parse for name, parse in settings.parsers.items()}  # B's settings in the link: b_mask…


def take_link(found: dict) -> None:
    settings.apply_url({name[2:]: value for name, value in found.items() if name in URL_PARSERS})


def url_values() -> dict:
    return {f"b_{name}": value for name, value in settings.url_values().items()}


def _on_copy_a(a) -> None:
    """B ← A: B takes A's mask, temperature and weight seed."""
    settings.set("mask", a.mask)
    settings.set("temperature", a.temperature)
    settings.set("wseed", a.wseed)


def b_controls(a) -> None:
    cols = st.columns([1.2, 1.4, 1, 0.8], vertical_alignment="bottom")
    for col, name in zip(cols, ("mask", "temperature", "wseed")):
        settings.draw(name, where=col)
    cols[3].button(
        t("compare.sa.copy_a"),
        on_click=_on_copy_a,
        args=(a,),
        width="stretch",
        icon=":material/content_copy:",
        help=t("compare.sa.copy_a.help"),
        key="w.sa.cmp.copy_a",
    )


def b_layer(a):
    """B's (allowed ``[n_q, n_k]``, layer summary): A's sequences and shape, B's mask, temperature and seed."""
    n_q, n_k = a.seq.n, len(a.kv_labels)
    mask = settings.get("mask")
    if mask == "custom" and max(n_q, n_k) > controls.CUSTOM_MAX:
        mask = "none"  # as on the page: custom masks are drawn by clicking, up to CUSTOM_MAX tokens
    allowed = data.build_mask(mask, n_q, n_k, pad=int(controls.get("pad")), hidden=controls.get("hide"), cross=a.cross)
    summary = data.summarise(
        a.seq.values,
        a.kv_values,
        a.d_model,
        a.h,
        int(settings.get("wseed")),
        allowed,
        float(settings.get("temperature")),
    )
    return allowed, summary


def compare_view(a, asked) -> None:
    """A's and B's weights of the picked head side by side (one colour range), then ΔW and the summary numbers.

    ``a``: the page's ``views.Shown``; ``asked``: the open question (the page hides this whole view while it
    asks about the weights or the entropy).
    """
    b_controls(a)
    allowed_b, layer_b = b_layer(a)
    layer_a, head, matrix_words = a.layer, a.head, safig.matrix_words(t)
    w_a, w_b = layer_a.weights[head], layer_b.weights[head]  # [r, c] each, same blocks
    top = a.w_top if a.w_top is not None else max(float(w_a.max(initial=0.0)), float(w_b.max(initial=0.0)), 1e-12)
    temperature_b = float(settings.get("temperature"))
    charts = st.columns(2, gap="medium")
    for col, name, w, allowed, mask, temperature, wseed in (
        (charts[0], "A", w_a, layer_a.allowed, a.mask, a.temperature, a.wseed),
        (charts[1], "B", w_b, layer_b.allowed, settings.get("mask"), temperature_b, int(settings.get("wseed"))),
    ):
        show(
            safig.attention_matrix(
                w,
                allowed,
                layer_a.row_starts,
                layer_a.col_starts,
                a.seq.labels,
                a.kv_labels,
                title=t(
                    "compare.sa.side_title",
                    side=name,
                    k=head + 1,
                    mask=t(f"sa.mask.{mask}"),
                    T=temperature,
                    seed=wseed,
                ),
                colorbar_title="w",
                **matrix_words,
                zmin=0.0,
                zmax=top,
                masked_text="0",
                value_name="w",
                height=440,
            ),
            width="stretch",
            key=f"chart.sa.compare.{name.lower()}",
            where=col,
        )

    delta = w_b - w_a  # [r, c]
    max_delta = float(np.abs(delta).max(initial=0.0))
    limit = max(max_delta, 1e-12)  # a symmetric colour range around 0, never empty
    either = np.maximum(layer_a.allowed, layer_b.allowed)  # grey only where both hide the cell
    h_a, h_b = float(layer_a.mean_entropy[head]), float(layer_b.mean_entropy[head])
    left, right = st.columns([2, 1], gap="medium")
    show(
        safig.attention_matrix(
            delta,
            either,
            layer_a.row_starts,
            layer_a.col_starts,
            a.seq.labels,
            a.kv_labels,
            title=t("compare.sa.delta_title", k=head + 1),
            colorbar_title="Δw",
            **matrix_words,
            colorscale=DELTA_SCALE,
            zmin=-limit,
            zmax=limit,
            masked_text="0",
            value_name="Δw",
            height=440,
        ),
        width="stretch",
        key="chart.sa.compare.delta",
        where=left,
    )
    with right:
        st.metric(t("compare.sa.entropy"), f"{h_a:.2f} → {h_b:.2f}", help=t("compare.sa.entropy.help"))
        st.metric(t("compare.sa.delta_h"), f"{h_b - h_a:+.2f}", help=t("compare.sa.delta_h.help"))
        st.metric(t("compare.sa.max_delta"), f"{max_delta:.3f}")
        st.metric(
            t("compare.sa.delta_output"),
            f"{np.linalg.norm(layer_b.output - layer_a.output):.3f}",
            help=t("compare.sa.delta_output.help"),
        )
    st.caption(t("compare.sa.caption"))
