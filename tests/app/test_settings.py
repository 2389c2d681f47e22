"""ui.settings.Settings: defaults, typed access, links in and out, the widget binding."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

SCRIPT = """
import streamlit as st
from ui import url_state
from ui.settings import Settings

settings = Settings("demo", defaults={"heads": 2, "mask": "none", "zoom": False},
                    parsers={"heads": url_state.int_in(1, 16), "mask": url_state.one_of(("none", "causal")),
                             "zoom": url_state.int_in(0, 1)})
if url_state.entering("demo"):
    found = url_state.read(settings.parsers)
    settings.apply_url(found | ({"zoom": bool(found["zoom"])} if "zoom" in found else {}))
settings.ensure()
st.number_input("heads", 1, 16, key=settings.follow("heads"), on_change=settings.copy, args=("heads",))
st.write(f"heads={settings.get('heads')} mask={settings.get('mask')} zoom={settings.get('zoom')}")
st.write(f"url={sorted(settings.url_values().items())}")
url_state.show_warnings()
"""


def run(**params) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def test_defaults_then_a_widget_change_reaches_get_and_the_link():
    at = run()
    assert at.markdown[0].value == "heads=2 mask=none zoom=False"
    assert at.markdown[1].value == "url=[]"  # defaults make a short link
    at.number_input[0].set_value(5).run()
    assert at.markdown[0].value == "heads=5 mask=none zoom=False"
    assert at.markdown[1].value == "url=[('heads', 5)]"


def test_a_link_sets_values_and_its_widget_and_a_bad_value_is_warned():
    at = run(heads="7", mask="causal", zoom="1")
    assert at.markdown[0].value == "heads=7 mask=causal zoom=True"
    assert at.number_input[0].value == 7
    assert at.markdown[1].value == "url=[('heads', 7), ('mask', 'causal'), ('zoom', 1)]"
    bad = run(heads="99", mask="nonsense")
    assert bad.markdown[0].value == "heads=2 mask=none zoom=False"
    assert bad.warning and "heads" in bad.warning[0].value and "mask" in bad.warning[0].value
