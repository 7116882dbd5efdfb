"""Count the hand-written regex alternatives in the routing code, at any git revision (issue 15).

    python bench/count_regex.py                    # the working tree
    python bench/count_regex.py --rev main         # another revision, read with `git show`
    python bench/count_regex.py --rev main --rev HEAD --json

What counts: every string literal (adjacent literals are one literal; the literal parts of an
f-string count too) holding an alternation `|` outside a character class. A literal with n such
bars is n + 1 alternatives. Plain strings that are not regexes (messages, YAML) hold no bar
outside a class, or are in files this script does not read; Markdown table rows and types
written as strings ("str | None"), whose bars all have spaces round them, are left out.

Routing is: ``assistant/guardrails/``, ``assistant/routing/``, ``assistant/answer/scope.py``,
``assistant/tools/intent.py`` and ``assistant/answer/pipeline.py``. Left out, as the issue allows, are regexes whose point is
certainty: personal identifiers (``redact.py``, never read here), dates (``tools/dateparse.py``,
never read here, and the date-to-event words of the deadline tool) and hidden characters
(constants named below in HIDDEN). Those are reported apart, not silently dropped.
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUTING_DIRS = ("assistant/guardrails/", "assistant/routing/")
ROUTING_FILES = ("assistant/answer/scope.py", "assistant/tools/intent.py", "assistant/answer/pipeline.py")
# (file, constant name) pairs whose point is certainty: hidden characters and date events.
HIDDEN = {"_VARIATION", "_BIDI_SPAN", "_LINE_SEPARATORS", "_UNSTORABLE"}
DATES = {"_EVENT_WORDS", "EVENT_WORDS", "_CLAUSE_BREAK"}


def is_prose(text: str) -> bool:
    """Not a regex: a Markdown table row or a type written as a string ("str | None"), where every
    bar has a space on both sides, or an f-string's bare "|" separator."""
    if set(text) <= set("|-: "):  # a Markdown table's rule line
        return True
    return text.strip() == "|" or all(text[i - 1:i] in ("", " ") and text[i + 1:i + 2] in ("", " ")
                                      for i, char in enumerate(text) if char == "|")


def bars(pattern: str) -> int:
    """Unescaped `|` outside character classes."""
    count, escaped, in_class = 0, False, False
    for i, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            if char == "]" and pattern[i - 1] != "[":
                in_class = False
        elif char == "[":
            in_class = True
        elif char == "|":
            count += 1
    return count


def _literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))]
    return []


def count_source(source: str) -> dict[str, int]:
    """Alternatives in one module: {"routing": n, "hidden": n, "dates": n}."""
    tree = ast.parse(source)
    owner: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            for inner in ast.walk(node):
                if names:
                    owner[id(inner)] = names[0]
    out = {"routing": 0, "hidden": 0, "dates": 0}
    seen_in_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            seen_in_fstring.update(id(v) for v in node.values)
    for node in ast.walk(tree):
        if id(node) in seen_in_fstring:
            continue
        for text in _literals(node):
            n = 0 if is_prose(text) else bars(text)
            if not n:
                continue
            name = owner.get(id(node), "")
            kind = "hidden" if name in HIDDEN else "dates" if name in DATES else "routing"
            out[kind] += n + 1
    return out


def _files(rev: str | None) -> list[str]:
    if rev is None:
        return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "assistant").rglob("*.py"))
    listed = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev, "assistant"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    return [f for f in listed if f.endswith(".py")]


def _read(path: str, rev: str | None) -> str:
    if rev is None:
        return (ROOT / path).read_text(encoding="utf-8")
    return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def count(rev: str | None) -> dict[str, object]:
    per_file: dict[str, dict[str, int]] = {}
    for path in _files(rev):
        if path.startswith(ROUTING_DIRS) or path in ROUTING_FILES:
            found = count_source(_read(path, rev))
            if any(found.values()):
                per_file[path] = found
    total = {k: sum(f[k] for f in per_file.values()) for k in ("routing", "hidden", "dates")}
    return {"rev": rev or "working tree", "total": total, "files": per_file}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", action="append", help="a git revision (repeatable); default: the working tree")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    reports = [count(rev) for rev in (args.rev or [None])]
    if args.json:
        print(json.dumps(reports, indent=2))
        return 0
    for report in reports:
        total = report["total"]
        assert isinstance(total, dict)
        print(f"{report['rev']}: {total['routing']} routing alternatives "
              f"(apart: {total['hidden']} hidden characters, {total['dates']} date events)")
        files = report["files"]
        assert isinstance(files, dict)
        for path, found in sorted(files.items(), key=lambda kv: -kv[1]["routing"]):
            print(f"  {found['routing']:5d}  {path}")
    if len(reports) == 2:
        before, after = (r["total"]["routing"] for r in reports)  # type: ignore[index]
        print(f"change: {before} -> {after} ({100 * (after - before) / before:+.0f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
