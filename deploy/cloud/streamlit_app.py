"""Streamlit Community Cloud's entry point: runs the app (``app.py`` at the repository root) unchanged.

Why a second entry point: Community Cloud installs the first requirements file
it finds, looking first in the entry point's folder and then at the repository
root.  This folder's ``requirements.txt`` takes torch from PyTorch's CPU-only
index (~200 MB); the root's, which ``make run`` uses, would bring PyPI's CUDA
build (several GB) to a machine without a GPU.  docs/deploying.md.
"""

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # Streamlit puts this folder on sys.path, not the repository root
    sys.path.insert(0, str(ROOT))

runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
