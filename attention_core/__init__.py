"""attention_core: every number the explorer shows, computed with torch and numpy.

No Streamlit, no Plotly: importable and testable on its own.  Inputs may be
numpy arrays or torch tensors; results are torch tensors.

A plain package: import a name from the module that defines it
(``from attention_core.attend import attend``).  This file imports nothing, so
``from attention_core.errors import InputError`` loads no torch and the home
page opens without waiting for it.
"""
