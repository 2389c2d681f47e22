"""attention_core loads its names on first use; each name must still be what it names, whatever loaded first."""

import importlib
import pkgutil
import subprocess
import sys
import types
from pathlib import Path

import attention_core

ROOT = Path(__file__).resolve().parents[2]


def test_every_exported_name_is_what_its_submodule_defines_after_every_submodule_loaded():
    # attend.py defines attend, softmax.py softmax: loading the submodule must not shadow the function
    for info in pkgutil.iter_modules(attention_core.__path__):
        importlib.import_module(f"attention_core.{info.name}")
    for name, (module, attr) in attention_core._EXPORTS.items():
        value = getattr(attention_core, name)
        if attr is None:
            assert isinstance(value, types.ModuleType), name
        else:
            assert value is getattr(sys.modules[f"attention_core.{module}"], attr), name
            assert not isinstance(value, types.ModuleType), name
    assert callable(attention_core.attend) and callable(attention_core.softmax)


def test_the_errors_and_limits_load_without_torch():
    code = "from attention_core import InputError, MAX_TOKENS, pool; import sys; print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
