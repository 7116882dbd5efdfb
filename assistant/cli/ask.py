"""`send-assistant ask`: one question through the same pipeline as the API."""

from __future__ import annotations

import argparse

from assistant.config import Settings

NAME = "ask"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("question", help="the question, in quotes")
    p.add_argument("--persona", choices=["parent", "adviser", "caseworker"], default="parent")
    p.add_argument("--local-authority", default=None, help='e.g. "North Lincolnshire"')
    p.add_argument("--conversation-id", default=None, help="continue a conversation (with its --conversation-token)")
    p.add_argument("--conversation-token", default=None, help="the conversation's secret, from an earlier --json answer")
    p.add_argument("--json", action="store_true", help="print the API's JSON (with conversation_id and conversation_token)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Ask a question and print the cited answer.

    Example: send-assistant ask "How long does the council have to decide whether to do an EHC needs assessment?"
    """
    from assistant.api.schemas import ChatResponse
    from assistant.models import Persona
    from assistant.storage.ownership import open_conversation
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
    print(f"[{answer.status.value} · {answer.route}]\n")
    for notice in answer.notices:
        print(f"Note: {notice}\n")
    print(answer.text)
    if answer.signposts:
        print("\nWhere to get help:")
        for s in answer.signposts:
            extra = " — ".join(x for x in (s.phone, s.url) if x)
            print(f"- {s.name}" + (f" ({extra})" if extra else ""))
    return 0
