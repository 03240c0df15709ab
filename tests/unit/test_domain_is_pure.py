"""pos/domain imports only the standard library and itself (ARCHITECTURE.md)."""

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "pos" / "domain"


def test_domain_imports_only_the_standard_library() -> None:
    offenders = []
    for file in sorted(DOMAIN.rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative import inside pos.domain
                    continue
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if name.startswith("pos.domain") or top in sys.stdlib_module_names or top == "__future__":
                    continue
                offenders.append(f"{file.name}: {name}")
    assert DOMAIN.exists() and len(list(DOMAIN.rglob("*.py"))) >= 8
    assert offenders == []
