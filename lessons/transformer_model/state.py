"""The Transformer page's state: its settings, declared once, the model and the sentences, and the callbacks.

Nothing here draws a view.  Every setting is a ``Setting`` of ``SETTINGS``
(``tm.*``): its default, how a link gives it, its widget and words.  A typed
sentence or model id is a draft in its box until the model accepts it
(``on_text``, ``on_model``); a link's are fitted to the model the same way
(``read_link``).
"""

from __future__ import annotations

import os
import re
from functools import partial

import streamlit as st

# attention_core.model_attention imports transformers inside its functions, so the
# first import of transformers happens in get_model(), on this page only.
from attention_core.errors import InputError
from attention_core.model_attention import (
    BUNDLED_MODEL_NAME,
    MAX_MODEL_TOKENS,
    LoadedModel,
    ModelAttention,
    RecomputedAttention,
    load_model,
    model_attention,
    recompute_layer_attention,
)
from ui import url_state
from ui.feedback import error_text, push_error
from ui.figures import clicked
from ui.i18n import t
from ui.settings import Setting, Settings

PAGE = "model"
VIEWS = ("head", "model", "matrix", "rollout", "recompute", "stats", "compare")  # views.VIEWS draws them
# {example: (sentence, second sentence, the word to follow in Compare)}
EXAMPLES = {
    "tired_wide": (
        "The animal didn't cross the street because it was too tired.",
        "The animal didn't cross the street because it was too wide.",
        "it",
    ),
    "trophy": (
        "The trophy doesn't fit into the brown suitcase because it is too large.",
        "The trophy doesn't fit into the brown suitcase because it is too small.",
        "it",
    ),
    "bank": (
        "I went to the bank to deposit my money.",
        "We sat on the bank of the river and watched the boats.",
        "bank",
    ),
    "with": ("She ate the cake with a fork.", "She ate the cake with a cherry.", "with"),
    "chinese": ("猫坐在垫子上。", "狗坐在垫子上。", "上"),
}
MAX_URL_TEXT = 2000  # characters; the model refuses more than MAX_MODEL_TOKENS tokens anyway
HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]{0,95}(/[A-Za-z0-9][\w.-]{0,95})?")
# Hub models are off unless the server says otherwise: on a shared server any visitor could make it download
# models (docs/decisions.md, "Hub models").  On Streamlit Cloud a top-level secret of this name is an environment
# variable too.
HUB_ENV = "ATTENTION_EXPLORER_HUB_MODELS"


def hub_models_enabled() -> bool:
    """Whether this server lets visitors load models from the Hugging Face hub (``ATTENTION_EXPLORER_HUB_MODELS=1``)."""
    return os.environ.get(HUB_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def is_hub_id(text: str) -> bool:
    """'name' or 'owner/name' and not a folder on this server (load_model would read folders; visitors may not)."""
    return bool(HUB_ID.fullmatch(text)) and not os.path.exists(os.path.expanduser(text))


def _text(raw: str) -> str:
    if len(raw) > MAX_URL_TEXT:
        raise ValueError(raw)
    return raw


def _hub_model(raw: str) -> str:
    model_id = raw.strip()
    if model_id and not (hub_models_enabled() and is_hub_id(model_id)):
        raise ValueError(raw)
    return model_id


def _position(top: int):
    """A link's layer, head or token: 1-based in the link (as the page says them), 0-based in the settings."""
    parse = url_state.int_in(1, top)
    return lambda raw: parse(raw) - 1


def _number(i: int) -> str:
    return str(i + 1)


# every parameter a link to this page may set (tests/app/test_hostile_urls.py sends each one nonsense)
LINK_PARAMETERS = tuple("text text2 model layer head view token follow hide".split())


SETTINGS = Settings(
    "tm",
    declared=(
        Setting("text", EXAMPLES["tired_wide"][0], _text, "text_area", "tm.text", "tm.text.help", args={"height": 96}),
        Setting(
            "text2", EXAMPLES["tired_wide"][1], _text, "text_area", "tm.text2", "tm.text2.help", args={"height": 96}
        ),
        Setting("model", "", _hub_model, "text_input", "tm.model_id", "tm.model_id.help"),  # "" = the bundled model
        # layer 4, head 2 (0-based 3, 1): a head whose "it" row is worth a look in the first example
        Setting("layer", 3, _position(256), "selectbox", "tm.layer", args={"format_func": _number}),
        Setting("head", 1, _position(256), "selectbox", "tm.head", args={"format_func": _number}),
        Setting("token", -1, _position(4096), "selectbox", "tm.token"),  # -1 = all tokens
        Setting(
            "view",
            "head",
            url_state.one_of(VIEWS),
            "segmented_control",
            "tm.view",
            options=VIEWS,
            words="tm.view",
            args={"required": True},
        ),
        Setting(
            "follow",
            "it",
            lambda raw: raw[:50],
            "text_input",
            "tm.compare.follow",
            "tm.compare.follow.help",
            args={"max_chars": 50},
        ),
        Setting(
            "hide",
            False,
            lambda raw: url_state.one_of(("0", "1"))(raw) == "1",
            "checkbox",
            "tm.hide_special",
            "tm.hide_special.help",
        ),
        # the example box offers pairs of sentences; it holds no setting (None: its placeholder shows)
        Setting(
            "example",
            None,
            None,
            "selectbox",
            "tm.example",
            options=tuple(EXAMPLES),
            words="tm.example",
            args={"index": None},
        ),
    ),
)
get, set_ = SETTINGS.get, SETTINGS.set


# ------------------------------------------------------------------ cached model calls


@st.cache_resource(show_spinner=False, max_entries=2)  # the bundled model and one from the hub: memory is scarce
def get_model(model_id: str) -> LoadedModel:
    """One loaded model per server ("" = the bundled one); shared read-only by every session."""
    return load_model(model_id or None)


@st.cache_data(show_spinner=False, max_entries=64, max_size="32MB")
def forward(_model: LoadedModel, model_id: str, text: str) -> ModelAttention:
    return model_attention(_model, text, max_tokens=MAX_MODEL_TOKENS)


@st.cache_data(show_spinner=False, max_entries=64, max_size="32MB")
def recompute(_model: LoadedModel, model_id: str, text: str, layer: int) -> RecomputedAttention:
    return recompute_layer_attention(_model, forward(_model, model_id, text), layer)


# ------------------------------------------------------------------ the link


def read_link() -> None:
    """The settings a shared link holds: every parameter parsed once, then fitted to the model and the sentence.

    The model is tried like a typed id (one that fails is said, and the bundled model shown); a sentence the
    model refuses, a layer, head or token it lacks are dropped and named in the page's one warning.
    """
    found = url_state.read(SETTINGS.parsers)
    if "model" in found:
        SETTINGS.show("model", found["model"])  # in its box, as if typed: a model that fails is said there
        take_model(found.pop("model"))
    model, model_id, _ = resolve_model()
    for name in ("text", "text2"):
        found = url_state.drop_unfit(found, name, partial(_check_text, model, model_id, name=name))
    if found.get("text", get("text")) != get("text"):
        set_("token", -1)  # token numbers belong to the old sentence (unless the link gives one)
    SETTINGS.apply_url({name: found[name] for name in ("text", "text2") if name in found})
    result = forward_text("text", model, model_id)
    for name, top in (("layer", result.num_layers), ("head", result.num_heads), ("token", result.num_tokens)):
        found = url_state.drop_unfit(found, name, partial(_check_below, top=top))
    SETTINGS.apply_url(found)


def _check_text(model: LoadedModel, model_id: str, text: str, name: str) -> None:
    """Raise InputError when the model refuses ``text`` (an empty second sentence means none)."""
    if name == "text" or text.strip():
        forward(model, model_id, text)


def _check_below(i: int, top: int) -> None:
    if not i < top:
        raise ValueError(i)


def url_values(model_id: str) -> dict:
    """The link of what the page shows: layers, heads and tokens 1-based, as the page says them."""
    token, follow = get("token"), get("follow")
    return {
        "text": get("text"),
        "text2": get("text2"),
        "model": model_id or None,
        "layer": get("layer") + 1,
        "head": get("head") + 1,
        "view": get("view"),
        "token": token + 1 if token >= 0 else None,
        "follow": follow if follow != SETTINGS.defaults["follow"] else None,
        "hide": 1 if get("hide") else None,
    }


# ------------------------------------------------------------------ callbacks


def on_text(name: str, model: LoadedModel, model_id: str) -> None:
    """A typed sentence: taken when the model reads it; refused, it stays in its box to fix, the charts keep theirs."""
    text = SETTINGS.widget_value(name, default=get(name))
    try:
        _check_text(model, model_id, text, name=name)
    except InputError as exc:
        push_error(t(f"tm.{name}_failed", reason=error_text(exc)))
        return
    if name == "text" and text != get("text"):
        set_("token", -1)  # token numbers belong to the old sentence
    set_(name, text if text.strip() else "")


def on_example(model: LoadedModel, model_id: str) -> None:
    """An example pair fills both sentence boxes and the word to follow; the box goes back to its placeholder."""
    choice = SETTINGS.widget_value("example")
    if choice in EXAMPLES:
        text, text2, follow = EXAMPLES[choice]
        for name, value in (("text", text), ("text2", text2)):
            SETTINGS.show(name, value)
            on_text(name, model, model_id)
        set_("follow", follow)
    SETTINGS.show("example", None)


def on_token_click(chart_key: str) -> None:
    picked = clicked(chart_key)
    set_("token", picked[0][0] if picked else -1)  # clicking the chosen token again shows all


def on_head_click(chart_key: str) -> None:
    picked = [p for p in clicked(chart_key) if len(p) == 2]
    if picked:
        set_("layer", picked[0][0])
        set_("head", picked[0][1])
        set_("view", "matrix")


def open_matrix() -> None:
    set_("view", "matrix")


# ------------------------------------------------------------------ model and sentences


def typed_model() -> str:
    """The model id in its box ("" = the bundled model; always "" where hub models are off)."""
    return str(SETTINGS.widget_value("model", default=get("model"))).strip() if hub_models_enabled() else ""


def take_model(wanted: str) -> None:
    """Load the model ``wanted`` and show it; one that fails is remembered for the session and not tried again
    (a hub timeout can take a minute)."""
    failed = SETTINGS.remember("model_failed", dict)  # {model id: the InputError it raised}
    if wanted == get("model") or wanted in failed or (wanted and not is_hub_id(wanted)):
        return
    try:
        with st.spinner(t("tm.loading", name=wanted or BUNDLED_MODEL_NAME)):
            get_model(wanted)
    except InputError as exc:
        failed[wanted] = exc
        while len(failed) > 20:
            failed.pop(next(iter(failed)))
        return
    set_("model", wanted)


def on_model() -> None:
    take_model(typed_model())


def resolve_model() -> tuple[LoadedModel, str, str | None]:
    """The model to show, its id ("" = bundled) and why the id typed in its box is not the one shown, if it is not."""
    failed = SETTINGS.remember("model_failed", dict)
    active = get("model") if hub_models_enabled() else ""
    try:
        with st.spinner(t("tm.loading", name=active or BUNDLED_MODEL_NAME)):
            model = get_model(active)
    except InputError as exc:  # a hub model that loaded earlier in the session no longer does
        failed[active] = exc
        active = ""
        with st.spinner(t("tm.loading", name=BUNDLED_MODEL_NAME)):
            model = get_model("")
    set_("model", active)
    wanted = typed_model()
    if wanted == active:
        return model, active, None
    if wanted and not is_hub_id(wanted):
        return model, active, t("tm.model_id_invalid", id=wanted)
    return model, active, error_text(failed[wanted]) if wanted in failed else None


def forward_text(name: str, model: LoadedModel, model_id: str) -> ModelAttention | None:
    """The forward pass of the sentence ``name`` ("text" or "text2") in force; None for no second sentence."""
    text = get(name)
    if name == "text2" and not text.strip():
        return None
    try:
        return forward(model, model_id, text)
    except InputError:  # the accepted text does not fit a newly chosen model: back to the default
        set_(name, SETTINGS.defaults[name])
        return forward(model, model_id, SETTINGS.defaults[name])


def clamp(num_layers: int, num_heads: int, num_tokens: int) -> None:
    """Keep layer, head and token inside the model and sentence now shown (a model with fewer layers was chosen)."""
    for name, top in (("layer", num_layers), ("head", num_heads)):
        if not 0 <= get(name) < top:
            set_(name, min(SETTINGS.defaults[name], top - 1))
    if not -1 <= get("token") < num_tokens:
        set_("token", -1)
