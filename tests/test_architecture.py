"""The domain core imports no web framework, no LLM vendor, no vector store and no model library."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"
VENDORS = ("fastapi", "starlette", "langchain", "langchain_core", "chromadb", "sentence_transformers", "openai", "uvicorn")
ADAPTERS = {"embedding.py", "store.py", "services.py", "cli.py", "indexing_cli.py", "admin_cli.py", "evals_cli.py", "evals_baseline.py"}
ADAPTER_DIRS = {"api"}
ADAPTER_FILES_IN_DIRS = {("answer", "llm.py"), ("answer", "langchain_retriever.py"), ("ingest", "cli.py"), ("ingest", "http.py")}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_modules_import_no_vendor() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in ADAPTER_DIRS or (len(rel.parts) == 1 and rel.name in ADAPTERS):
            continue
        if len(rel.parts) == 2 and (rel.parts[0], rel.name) in ADAPTER_FILES_IN_DIRS:
            continue
        bad = _imports(path) & set(VENDORS)
        if bad:
            offenders.append(f"{rel}: {sorted(bad)}")
    assert offenders == []


def test_core_never_imports_the_api() -> None:
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "api" or rel.name in {"cli.py"}:
            continue
        source = path.read_text()
        assert "from assistant.api" not in source or rel.name in ADAPTERS, rel
