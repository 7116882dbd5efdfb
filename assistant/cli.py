"""`send-assistant`: the command line. Each command's help is its docstring.

    send-assistant index                      build or refresh the search index
    send-assistant ask "reg 13?" --persona adviser
    send-assistant serve --port 8000
    send-assistant corpus check
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.config import Settings, get_settings, load_settings  # noqa: E402
from assistant.errors import AssistantError  # noqa: E402

Command = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, tuple[Command, Callable[[argparse.ArgumentParser], None]]] = {}


def command(name: str, configure: Callable[[argparse.ArgumentParser], None] = lambda p: None) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = (fn, configure)
        return fn

    return register


def _ask_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("question", help="the question, in quotes")
    p.add_argument("--persona", choices=["parent", "adviser", "caseworker"], default="parent")
    p.add_argument("--local-authority", default=None, help='e.g. "North Lincolnshire"')
    p.add_argument("--conversation-id", default=None, help="continue a conversation (with its --conversation-token)")
    p.add_argument("--conversation-token", default=None, help="the conversation's secret, from an earlier --json answer")
    p.add_argument("--json", action="store_true", help="print the API's JSON (with conversation_id and conversation_token)")


@command("ask", _ask_args)
def ask(args: argparse.Namespace, settings: Settings) -> int:
    """Ask a question and print the cited answer.

    Example: send-assistant ask "How long does the council have to decide whether to do an EHC needs assessment?"
    """
    from assistant.api.schemas import ChatResponse
    from assistant.models import Persona
    from assistant.ownership import open_conversation
    from assistant.services import build_services

    services = build_services(settings)
    pipeline = services.ensure_ready()
    # The same rule as the API: an id continues only with its token, else a new conversation starts.
    grant = open_conversation(services.conversations, args.conversation_id, args.conversation_token)
    answer = pipeline.answer(
        args.question,
        persona=Persona(args.persona),
        local_authority=args.local_authority or settings.default_local_authority,
        conversation_id=grant.conversation_id,
    )
    if args.json:
        print(ChatResponse.from_answer(answer, token=grant.token).model_dump_json(indent=2))
        return 0
    print(f"[{answer.status.value}]\n")
    for notice in answer.notices:
        print(f"Note: {notice}\n")
    print(answer.text)
    if answer.signposts:
        print("\nWhere to get help:")
        for s in answer.signposts:
            extra = " — ".join(x for x in (s.phone, s.url) if x)
            print(f"- {s.name}" + (f" ({extra})" if extra else ""))
    return 0


def _index_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rebuild", action="store_true", help="embed everything again, ignoring the previous build")
    p.add_argument("--if-stale", action="store_true", help="do nothing when the index is already up to date")


@command("index", _index_args)
def index(args: argparse.Namespace, settings: Settings) -> int:
    """Build the search index from corpus/ and every ingested source (only changed documents are embedded).

    Example: send-assistant index
    """
    from assistant.indexing_cli import run_index_command

    return run_index_command(settings, rebuild=args.rebuild, if_stale=args.if_stale)


def bounded_int(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, or a one-line error quoting the value."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number from {low} to {high}; got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be from {low} to {high}; got {value}")
        return value

    return parse


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=bounded_int(1, 65535, "a port"), default=8000, help="default 8000")
    p.add_argument("--workers", type=bounded_int(1, 64, "workers"), default=1, help="default 1")
    p.add_argument("--threads", type=bounded_int(0, 256, "threads"), default=None,
                   help="threads per worker for the model and vector maths (default 1, or SEND_ASSISTANT_COMPUTE_THREADS)")


@command("serve", _serve_args)
def serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the web app and the API (OpenAPI docs at /docs).

    Example: send-assistant serve --host 127.0.0.1 --port 8000
    """
    import uvicorn

    from assistant.admin_cli import index_problem, server_log_config

    # Every worker reads its settings from the environment: one thread each for the model and
    # numpy unless told otherwise (concurrent answers then share the cores without contention).
    if args.threads is not None:
        os.environ["SEND_ASSISTANT_COMPUTE_THREADS"] = str(args.threads)
    else:
        os.environ.setdefault("SEND_ASSISTANT_COMPUTE_THREADS", "1")
    get_settings.cache_clear()
    problem = index_problem(settings)
    if problem:
        print(f"send-assistant: {problem}\nServing anyway: /api/chat answers 503 until the index is rebuilt.", file=sys.stderr, flush=True)
    print(f"SEND Assistant on http://{args.host}:{args.port}  (API docs: /docs)", flush=True)
    uvicorn.run(
        "assistant.api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        timeout_graceful_shutdown=20,
        log_level="info",
        log_config=server_log_config(settings),
    )
    return 0


def _corpus_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["check"])


@command("corpus", _corpus_args)
def corpus(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the corpus: fields, status, refs, ids, official urls.

    Example: send-assistant corpus check
    """
    from assistant.ingest.markdown import check_corpus

    documents, problems = check_corpus(settings.corpus_dir)
    for problem in problems:
        print(f"PROBLEM {problem}")
    by_status: dict[str, int] = {}
    for doc in documents:
        by_status[doc.status.value] = by_status.get(doc.status.value, 0) + 1
    print(f"{len(documents)} passages ({', '.join(f'{k}: {v}' for k, v in sorted(by_status.items()))}); {len(problems)} problem(s)")
    return 1 if problems else 0


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake on the command line is one line on stderr (and exit status 2)."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="send-assistant", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=None, help="where the index and stored state live (default ./data)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _load_plugins()
    for name, (fn, configure) in COMMANDS.items():
        doc = (fn.__doc__ or "").strip()
        p = sub.add_parser(name, help=doc.splitlines()[0] if doc else name, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
        configure(p)
        p.set_defaults(handler=fn)
    return parser


def _load_plugins() -> None:
    """Commands that live beside their feature register themselves when imported."""
    for module in ("assistant.ingest.cli", "assistant.evals_cli", "assistant.admin_cli"):
        try:
            __import__(module)
        except ImportError as exc:
            if exc.name != module:
                raise


def main(argv: Sequence[str] | None = None) -> int:
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


if __name__ == "__main__":
    # `python -m assistant.cli`: this file runs as __main__, but the feature modules register their
    # commands (eval, ingest, purge...) on `assistant.cli`, so run the command line from that module.
    from assistant.cli import main as main_of_the_package  # noqa: PLW0406

    sys.exit(main_of_the_package())
