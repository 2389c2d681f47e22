"""The Transformer page's state: its settings, the model and the sentences, and the callbacks that change them.

Nothing here draws a view.  The canonical settings live in ``SETTINGS``
(``tm.*``); a typed sentence or model id is a draft in its widget until the
model accepts it (``resolve_model``, ``resolve_text``).
"""

from __future__ import annotations

import os
import re

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
from ui import guided, url_state
from ui.feedback import error_text
from ui.i18n import t
from ui.settings import Settings

PAGE = "model"
VIEWS = ("head", "model", "matrix", "rollout", "recompute", "stats", "compare")
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
# layer 4, head 2 (0-based 3, 1): a head whose "it" row is worth a look in the first example (the page says what it holds)
DEFAULTS = {
    "text": EXAMPLES["tired_wide"][0],
    "text2": EXAMPLES["tired_wide"][1],
    "follow": "it",
    "model": "",  # "" = the bundled model
    "layer": 3,
    "head": 1,
    "view": "head",
    "token": -1,  # -1 = all tokens
    "hide": False,
    "model_failed": None,  # {model id: why it failed}, per session: a failed id is not tried again
    "url_text": False,  # this run's text came from a link (a link's token number belongs to the link's text)
    "from_link": (),  # what this run took from a link: a sentence the model refuses, a layer it lacks… is a bad value
}
MAX_URL_TEXT = 2000  # characters; the model refuses more than MAX_MODEL_TOKENS tokens anyway
HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]{0,95}(/[A-Za-z0-9][\w.-]{0,95})?")
# Hub models are off unless the server says otherwise: on a shared server any visitor could make it download
# models (README, Decisions).  On Streamlit Cloud a top-level secret of this name is an environment variable too.
HUB_ENV = "ATTENTION_EXPLORER_HUB_MODELS"


def hub_models_enabled() -> bool:
    """Whether this server lets visitors load models from the Hugging Face hub (``ATTENTION_EXPLORER_HUB_MODELS=1``)."""
    return os.environ.get(HUB_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _text(raw: str) -> str:
    if len(raw) > MAX_URL_TEXT:
        raise ValueError(raw)
    return raw


def _hub_model(raw: str) -> str:
    model_id = raw.strip()
    if model_id and not (hub_models_enabled() and is_hub_id(model_id)):
        raise ValueError(raw)
    return model_id


SETTINGS = Settings(
    "tm",
    defaults=DEFAULTS,
    parsers={
        "text": _text,
        "text2": _text,
        "model": _hub_model,
        "layer": url_state.int_in(1, 256),
        "head": url_state.int_in(1, 256),
        "view": url_state.one_of(VIEWS),
        "token": url_state.int_in(1, 4096),
        "follow": lambda raw: raw[:50],
        "hide": url_state.one_of(("0", "1")),
    },
)
get, set_ = SETTINGS.get, SETTINGS.set
_state = st.session_state  # widget drafts and chart events only; settings go through SETTINGS


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


def apply_url() -> None:
    """Take the settings from a link, once, when the page is entered."""
    SETTINGS.ensure()
    if not guided.entering(PAGE):  # url_state.entering, and a teacher's preset link followed on this page
        return
    found = url_state.read(SETTINGS.parsers)
    # text and model are tried like typed input (kept only if they work); the rest is set directly
    for name in ("text", "text2", "model"):
        if name in found:
            _state[SETTINGS.widget(name)] = found[name]
    set_("url_text", "text" in found)
    set_("from_link", tuple(found))
    for name in ("layer", "head", "token"):
        if name in found:
            set_(name, found[name] - 1)
    for name in ("view", "follow"):
        if name in found:
            set_(name, found[name])
    if "hide" in found:
        set_("hide", found["hide"] == "1")


def url_values(model_id: str) -> dict:
    token, follow = get("token"), get("follow")
    return {
        "text": get("text"),
        "text2": get("text2"),
        "model": model_id or None,
        "layer": get("layer") + 1,
        "head": get("head") + 1,
        "view": get("view"),
        "token": token + 1 if token >= 0 else None,
        "follow": follow if follow != DEFAULTS["follow"] else None,
        "hide": 1 if get("hide") else None,
    }


# ------------------------------------------------------------------ callbacks


def on_example() -> None:
    choice = _state.get(SETTINGS.widget("example"))
    if choice in EXAMPLES:
        text, text2, follow = EXAMPLES[choice]
        _state[SETTINGS.widget("text")], _state[SETTINGS.widget("text2")] = text, text2
        set_("follow", follow)
    _state[SETTINGS.widget("example")] = None  # the box offers examples; it does not hold a setting


def clicked(chart_key: str) -> list[list[int]]:
    """customdata of the points clicked in ``chart_key``, each as a list of ints (markers without it are skipped)."""
    event = _state.get(chart_key)
    found = []
    for point in event.selection.points if event else []:
        data = point.get("customdata")
        if isinstance(data, dict):  # a typed array arrives as {"0": …, "1": …}
            data = [data[k] for k in sorted(data, key=int)]
        if data is not None:
            found.append([int(v) for v in (data if isinstance(data, list) else [data])])
    return found


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


def is_hub_id(text: str) -> bool:
    """'name' or 'owner/name' and not a folder on this server (load_model would read folders; visitors may not)."""
    return bool(HUB_ID.fullmatch(text)) and not os.path.exists(os.path.expanduser(text))


def resolve_model() -> tuple[LoadedModel, str, str | None]:
    """The model to show, its id ("" = bundled) and an error about the one the user asked for, if it failed.

    A failed id is remembered and not tried again (a hub timeout can take a minute).
    """
    failed: dict = get("model_failed")
    if failed is None:
        failed = {}
        set_("model_failed", failed)
    wanted = str(_state.get(SETTINGS.widget("model"), get("model"))).strip() if hub_models_enabled() else ""
    if wanted and not is_hub_id(wanted):
        failed[wanted] = t("tm.model_id_invalid", id=wanted)
    if wanted != get("model") and wanted not in failed:
        try:
            with st.spinner(t("tm.loading", name=wanted or BUNDLED_MODEL_NAME)):
                get_model(wanted)
            set_("model", wanted)
        except InputError as exc:
            failed[wanted] = error_text(exc)
            while len(failed) > 20:
                failed.pop(next(iter(failed)))
    active = get("model")
    try:
        with st.spinner(t("tm.loading", name=active or BUNDLED_MODEL_NAME)):
            model = get_model(active)
    except InputError as exc:  # a hub model that loaded earlier in the session no longer does
        failed[active] = error_text(exc)
        active = ""
        set_("model", active)
        with st.spinner(t("tm.loading", name=BUNDLED_MODEL_NAME)):
            model = get_model("")
    return model, active, failed.get(wanted) if wanted != active else None


def resolve_text(name: str, model: LoadedModel, model_id: str) -> tuple[ModelAttention | None, str | None]:
    """The forward pass of the sentence ``name`` ("text" or "text2") and an error about a refused edit.

    The canonical text is the last one the model accepted; a refused edit
    stays in the box (to fix) while the charts keep showing the canonical one.
    """
    wanted = _state.get(SETTINGS.widget(name), get(name))
    error = None
    if wanted != get(name):
        if name == "text2" and not wanted.strip():
            set_(name, "")
        else:
            try:
                forward(model, model_id, wanted)
                set_(name, wanted)
                if name == "text" and not get("url_text"):
                    set_("token", -1)  # token numbers belong to the old sentence
            except InputError as exc:
                if name in get("from_link"):  # a link's sentence: the page keeps its own, and says so once
                    url_state.warn_about(name)
                    del _state[SETTINGS.widget(name)]
                else:
                    error = error_text(exc)
    if name == "text2" and not get(name).strip():
        return None, error
    try:
        return forward(model, model_id, get(name)), error
    except InputError:  # the accepted text does not fit a newly chosen model: back to the default
        set_(name, DEFAULTS[name])
        return forward(model, model_id, DEFAULTS[name]), error


def clamp(num_layers: int, num_heads: int, num_tokens: int) -> None:
    """Keep layer, head and token inside the model and sentence now shown."""
    for name, top in (("layer", num_layers), ("head", num_heads)):
        if not 0 <= get(name) < top:
            set_(name, min(DEFAULTS[name], top - 1))
            _link_value_unfit(name)
    if not -1 <= get("token") < num_tokens:
        set_("token", -1)
        _link_value_unfit("token")


def _link_value_unfit(name: str) -> None:
    if name in get("from_link"):
        url_state.warn_about(name)
