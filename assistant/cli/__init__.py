"""`send-assistant`: the command line. Each command's help is its module's `run` docstring.

    send-assistant index                      build or refresh the search index
    send-assistant ingest directory.json --status local --local-authority "North Lincolnshire"
    send-assistant ask "reg 13?" --persona adviser
    send-assistant serve --port 8000
    send-assistant corpus check
    send-assistant eval
    send-assistant purge

Every command is a module of this package with a `NAME`, a `configure(parser)` and a
`run(args, settings) -> int`, listed once in `COMMANDS`. A module imports what its command
needs inside `run`, so `send-assistant ingest` never loads the answer stack.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.cli import ask, corpus, evals, index, ingest, purge, serve
from assistant.config import get_settings, load_settings
from assistant.errors import AssistantError

COMMANDS = (index, ingest, ask, serve, corpus, evals, purge)


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake on the command line is one line on stderr (and exit status 2)."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="send-assistant", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=None, help="where the index and stored state live (default ./data)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        doc = (command.run.__doc__ or "").strip()
        p = sub.add_parser(command.NAME, help=doc.splitlines()[0] if doc else command.NAME, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
        command.configure(p)
        p.set_defaults(handler=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Nothing may reach a model hub, and Chroma sends no telemetry.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(data_dir=args.data_dir) if args.data_dir else get_settings()
        return int(args.handler(args, settings))
    except AssistantError as exc:
        print(f"send-assistant: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
