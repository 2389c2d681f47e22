"""attention_core is a plain package: its ``__init__`` holds only a docstring, and callers import each name from
the module that defines it.  No module of it imports Streamlit or Plotly, and the modules a first page visit needs
(errors, limits, blocks) load without torch."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "attention_core"
TORCH_FREE = ("errors", "limits", "blocks")  # what ui/url_state.py and the home page's first run import


def imported_modules(path: Path) -> set[str]:
    """The top-level names of every module ``path`` imports (at any depth of its code)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_package_init_is_only_a_docstring():
    body = ast.parse((CORE / "__init__.py").read_text()).body
    assert len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant), (
        "attention_core/__init__.py imports or defines something: import names from their modules instead"
    )


def test_no_module_imports_streamlit_or_plotly():
    offenders = {
        path.name: sorted(imported_modules(path) & {"streamlit", "plotly"})
        for path in sorted(CORE.glob("*.py"))
        if imported_modules(path) & {"streamlit", "plotly"}
    }
    assert not offenders


def test_nobody_imports_names_from_the_package_itself():
    # `from attention_core import x` would work only for submodules now; names come from their modules
    offenders = []
    for folder in ("attention_core", "ui", "lessons", "tests", "benchmarks", "training", "deploy"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module == "attention_core" and node.level == 0:
                    submodules = {alias.name for alias in node.names if (CORE / f"{alias.name}.py").exists()}
                    if submodules != {alias.name for alias in node.names}:
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders


def test_the_errors_limits_and_blocks_load_without_torch():
    imports = "; ".join(f"import attention_core.{name}" for name in TORCH_FREE)
    code = f"{imports}; import sys; print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_every_module_imports_on_its_own():
    # explicit imports: a module that leaned on a sibling having loaded first fails here (each one is imported
    # with no other module of the package loaded; torch stays loaded, so this takes seconds, not minutes)
    code = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m.startswith('attention_core')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module('attention_core.' + name)\n"
    )
    names = [path.stem for path in sorted(CORE.glob("*.py")) if path.stem != "__init__"]
    done = subprocess.run([sys.executable, "-c", code, *names], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-1000:]
