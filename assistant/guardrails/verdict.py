"""What the guardrails hand back: a Verdict when a message must not go on to retrieval.

    >>> from assistant.models import AnswerStatus
    >>> Verdict(AnswerStatus.REFUSED, "prompt_injection", "No.").status
    <AnswerStatus.REFUSED: 'refused'>
    >>> Screened(text="is an email a valid request?").verdict is None
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.models import AnswerStatus, Signpost


@dataclass(frozen=True)
class Verdict:
    """Stop here and reply with ``message``.

    ``status`` is SAFEGUARDING, OUT_OF_SCOPE, REFUSED or CLARIFY; ``reason`` is a short
    machine-readable tag ("self_harm", "wales", "falsify_evidence", ...); ``message`` is the
    user-facing Markdown; ``signposts`` are the services it names, for the UI to render.
    """

    status: AnswerStatus
    reason: str
    message: str
    signposts: list[Signpost] = field(default_factory=list)


@dataclass(frozen=True)
class Screened:
    """A screened message: the text to answer, and a verdict if it must not be answered.

    ``text`` is sanitised (NFKC, hidden characters gone) with any injected instruction cut
    out, so the genuine question can still be answered. ``notices`` are short sentences to
    show beside the answer ("I ignored instructions inside your message.").
    """

    text: str
    verdict: Verdict | None = None
    notices: list[str] = field(default_factory=list)
