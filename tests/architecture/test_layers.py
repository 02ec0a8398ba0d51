"""The layers depend downwards only, and the domain stays plain Python."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "accord" / "domain"
FORBIDDEN_IN_DOMAIN = frozenset({"flask", "flask_babel", "flask_login", "flask_wtf",
                                 "sqlalchemy", "werkzeug", "psycopg"})


def forbidden_imports(source: str) -> list[str]:
    """The modules from ``FORBIDDEN_IN_DOMAIN`` (or inside them) that ``source`` imports."""
    imported: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.append(node.module)
    return [name for name in imported if name.split(".")[0] in FORBIDDEN_IN_DOMAIN]


def test_import_linter_contracts_are_kept() -> None:
    # run import-linter with the contracts of pyproject.toml
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    # every contract is kept, and there are contracts to keep
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    assert "Contracts: 0 kept" not in result.stdout


def test_no_domain_module_imports_a_web_framework_or_an_sql_toolkit() -> None:
    modules = sorted(DOMAIN.rglob("*.py"))
    assert modules, f"no modules found under {DOMAIN}"
    offenders = {str(path.relative_to(ROOT)): found for path in modules
                 if (found := forbidden_imports(path.read_text(encoding="utf-8")))}
    assert offenders == {}


@pytest.mark.parametrize(("source", "found"), [
    ("import flask", ["flask"]),
    ("from sqlalchemy.orm import Session", ["sqlalchemy.orm"]),
    ("def f():\n    import werkzeug.exceptions as e\n", ["werkzeug.exceptions"]),
    ("from flask_login import current_user\nimport json", ["flask_login"]),
    ("import json\nfrom . import flask\nfrom eventsourcing.domain import Aggregate", []),
    ("import flaskish", []),
])
def test_the_domain_check_recognises_forbidden_imports(source: str, found: list[str]) -> None:
    assert forbidden_imports(source) == found
