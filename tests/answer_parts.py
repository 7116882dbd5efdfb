"""A stand-in for the answer-first composer (issue 16), for page tests: it fills an answer's
`lead`, `next_steps` and `law` the way that composer will, so the page's answer-first layout
can be seen and tested before it lands. Known questions get a hand-written direct answer of
under 60 words and up to 3 next steps; the law is the extractive answer's cited sentences.

    >>> from assistant.models import Answer, AnswerStatus
    >>> text = "Here is what the law and guidance say. Each point links to its source.\\n\\n**What the law says**\\n- Duty. [1]"
    >>> a = with_parts(Answer(AnswerStatus.ANSWERED, text), "how long do they have to decide?")
    >>> a.lead.startswith("The council must tell you within 6 weeks"), a.law
    (True, '**What the law says**\\n- Duty. [1]')
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from assistant import messages
from assistant.models import Answer, AnswerStatus

LEADS: dict[str, tuple[str, list[str]]] = {
    "ask for an ehc needs assessment myself": (
        "Yes. You can ask the council for an EHC needs assessment yourself. You do not need the school to agree. "
        "A letter or an email is enough: say that you are asking for an assessment, and why.",
        ["Write to your council's SEN team and keep a copy, with the date you sent it.",
         "Send any reports you have, for example from a doctor, therapist or the school.",
         "The council must tell you within 6 weeks whether it will assess."],
    ),
    "how long do they have to decide": (
        "The council must tell you within 6 weeks of getting your request whether it will carry out an EHC "
        "needs assessment. If it says no, it must tell you how to appeal.",
        ["Count 6 weeks from the day the council got your request.",
         "If the council is late, write to chase it and ask your local SENDIASS for help."],
    ),
    "decide on an ehc needs assessment": (
        "6 weeks. The council must tell you within 6 weeks of getting the request whether it will carry out an "
        "EHC needs assessment.",
        ["Count 6 weeks from the day the council got the request.",
         "If no decision comes, use the deadlines tool and write to chase it."],
    ),
}


def _find(question: str) -> tuple[str, list[str]] | None:
    q = " ".join(question.lower().split())
    return next((parts for key, parts in LEADS.items() if key in q), None)


def with_parts(answer: Answer, question: str) -> Answer:
    """The answer with lead, next steps and law, when it is an answered question we have a lead for."""
    found = _find(question)
    if answer.status is not AnswerStatus.ANSWERED or found is None:
        return answer
    lead, steps = found
    law = answer.text
    for fixed in (messages.PARENT_LEAD, messages.PARENT_LEAD_LOCAL, messages.PARENT_NEXT_STEP):
        law = law.replace(fixed, "")
    law = re.sub(r"\n{3,}", "\n\n", law).strip()
    return replace(answer, lead=lead, next_steps=steps, law=law)


class AnswerFirstPipeline:
    """Wraps a pipeline: every answer it gives goes through `with_parts`."""

    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline

    def answer(self, message: str, **kwargs: Any) -> Answer:
        return with_parts(self.pipeline.answer(message, **kwargs), message)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pipeline, name)
