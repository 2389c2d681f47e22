"""The home page's one setting: the live example's query q = (q₁, q₂), in the link like every other setting."""

from ui import url_state
from ui.settings import Setting, Settings


def _query_part(name: str, default: float) -> Setting:
    return Setting(
        name,
        default,
        url_state.float_in(-2.0, 2.0),
        "slider",
        label=f"home.{name}",
        snap=lambda value: round(value, 1),  # the slider's step
        args=dict(min_value=-2.0, max_value=2.0, step=0.1),
    )


SETTINGS = Settings("home", declared=(_query_part("q1", 1.0), _query_part("q2", 0.5)))
