"""Every ``InputError(...)`` the code raises, read from its source: the key and the keyword parameters of each site.

The core raises most; ``classroom`` (the live class's stores, which read the server's settings) raises a few.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "attention_core"
RAISERS = (CORE, ROOT / "classroom")  # the packages whose InputErrors the UI says in every language


@dataclass(frozen=True)
class Site:
    where: str  # file:line
    key: str | None  # None: the first argument is not a string the source names
    params: dict[str, ast.expr]

    def is_term(self, name: str) -> bool:
        """Whether parameter ``name`` is passed as a ``Term(...)``: a word each language says its own way."""
        return self._made_by(name, "Term")

    def is_quoted(self, name: str) -> bool:
        """Whether parameter ``name`` is passed as ``Quoted(...)``: user characters each language lists its own way."""
        return self._made_by(name, "Quoted")

    def _made_by(self, name: str, maker: str) -> bool:
        value = self.params[name]
        return isinstance(value, ast.Call) and getattr(value.func, "id", None) == maker


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments (uploads.py names a few keys so)."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node.value.value
    return out


def _keys(arg: ast.expr, constants: dict[str, str]) -> list[str | None]:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.Name):
        return [constants.get(arg.id)]
    if isinstance(arg, ast.IfExp):
        return _keys(arg.body, constants) + _keys(arg.orelse, constants)
    return [None]


def sites() -> list[Site]:
    """Every call of ``InputError`` in ``attention_core`` and ``classroom`` (errors.py itself excepted)."""
    found = []
    for path in sorted(p for package in RAISERS for p in package.rglob("*.py")):  # subpackages too
        if path.name == "errors.py":
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        constants = _constants(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "InputError":
                params = {kw.arg: kw.value for kw in node.keywords if kw.arg}
                for key in _keys(node.args[0], constants) if node.args else [None]:
                    found.append(Site(f"{path.name}:{node.lineno}", key, params))
    return found
