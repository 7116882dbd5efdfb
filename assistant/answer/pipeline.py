"""The answer flow, in one place: a literal list of small steps over one context.

    STEPS = (screen, route, notice_personal_data, condense_follow_up, use_tools,
             retrieve, compose, check_grounding, add_signposts)

Each step reads and writes the context; any step may end the flow with `ctx.abort(...)`,
after which no later step runs. Every outcome has a status from AnswerStatus, and a route
saying where routing sent the message ("answer", "safeguarding/abuse", "tool/deadlines"...).

The message is embedded once, in `route`: routing decides by meaning from that vector, and
retrieval searches with the same vectors when the query is the message itself.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from assistant import messages
from assistant.answer.asks import ask_of
from assistant.answer.composer import GroundedComposer, Question
from assistant.answer.extractive import Composition, ExtractiveComposer, Selected
from assistant.answer.render import render, sources_block
from assistant.errors import BackendUnavailable
from assistant.models import Answer, AnswerStatus, Chunk, Citation, LegalStatus, Passage, Persona, Signpost, Turn
from assistant.ports import ConversationStore
from assistant.retrieval.retriever import MAX_PARTS, Retriever, split_parts
from assistant.routing.facts import Facts
from assistant.routing.normalise import meaning_text
from assistant.screening.redact import PERSONAL_DATA_NOTICE, redact
from assistant.sources import CAFA, chunk_matches, find_refs, is_bare_reference, parse_ref
from assistant.text import STOPWORDS, content_words, tokens

if TYPE_CHECKING:
    from assistant.routing.router import Routed, Router

_FOLLOW_UP = re.compile(
    r"^\s*(and|but|also|so|what about|how about|then|ok|okay|what if|does that|is that|can they|can i|"
    r"how long|when|who|why)\b|\b(that|this|it|they|them|those|there)\b",
    re.IGNORECASE,
)
_DECISION = re.compile(
    r"\b(refus\w*|decid\w*|decision|not to (?:assess|issue|amend)|ceas\w*|turn(?:ed)? down|reject\w*)\b", re.IGNORECASE
)
_RIGHTS = re.compile(r"\b(can appeal|right of appeal|mediation adviser|mediation certificate)\b", re.IGNORECASE)


class Generator(Protocol):
    """An optional LLM composer: writes an answer from labelled passages, or raises BackendUnavailable.

    One that `streams` passes each increment of its final text to `on_text` as it is written.
    """

    name: str
    streams: bool

    def generate(self, question: str, passages: Sequence[Passage], *, persona: Persona,
                 on_text: Callable[[str], None] | None = None) -> tuple[str, list[Chunk]]: ...


@dataclass
class Context:
    message: str
    persona: Persona
    local_authority: str | None
    conversation_id: str
    history: list[Turn]
    today: date
    query: str = ""
    status: AnswerStatus | None = None
    text: str = ""
    chunks: list[Chunk] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    signposts: list[Signpost] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    query_vector: np.ndarray | None = None
    parts: list[tuple[str, np.ndarray]] = field(default_factory=list)
    direct: bool = False
    engine: str = "extractive"
    reason: str = ""
    lead: str = ""
    next_steps: list[str] = field(default_factory=list)
    law: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    on_text: Callable[[str], None] | None = None  # gets a streaming generator's increments
    route: str = "answer"
    embedded: str = ""                      # the text `vectors` belong to
    vectors: np.ndarray | None = None       # that text, then its parts (split_parts), embedded once
    preface: str = ""                       # shown before the answer (a prediction's decline line)
    support: str = ""                       # shown after the answer (one line of support)
    facts: Facts = field(default_factory=Facts)      # what earlier turns established
    learned: Facts = field(default_factory=Facts)    # what this turn establishes

    stopped: bool = False

    @property
    def aborted(self) -> bool:
        return self.stopped

    @property
    def by_tool(self) -> bool:
        return self.engine == "tools"

    def abort(self, *, status: AnswerStatus, text: str, signposts: Sequence[Signpost] = (), reason: str = "",
              route: str | None = None) -> None:
        self.stopped = True
        self.status = status
        self.text = text
        self.signposts.extend(signposts)
        self.reason = reason
        if route is not None:
            self.route = route


Step = Callable[["Pipeline", Context], None]


class Pipeline:
    def __init__(
        self,
        *,
        retriever: Retriever,
        composer: ExtractiveComposer,
        conversations: ConversationStore,
        screen: Callable[..., Any],
        router: Router | None = None,
        answer_with_tool: Callable[..., Any] | None = None,
        generator: Generator | None = None,
        min_relevance: float = 0.30,
        local_signposts: Callable[[str | None], list[Signpost]] | None = None,
        grounded: GroundedComposer | None = None,
    ) -> None:
        self.retriever = retriever
        self.composer = composer
        self.grounded = grounded or GroundedComposer(composer.index, extractive=composer)
        self.conversations = conversations
        self.screen = screen
        self.router = router
        self.answer_with_tool = answer_with_tool
        self.generator = generator
        self.min_relevance = min_relevance
        self.local_signposts = local_signposts or (lambda la: [])

    def answer(
        self,
        message: str,
        *,
        persona: Persona = Persona.PARENT,
        local_authority: str | None = None,
        conversation_id: str | None = None,
        today: date | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Answer:
        """The answer; a generator that streams passes its text to `on_text` as it writes it."""
        cid = conversation_id or uuid.uuid4().hex
        history = self.conversations.history(cid)
        ctx = Context(
            message=message,
            persona=persona,
            local_authority=local_authority,
            conversation_id=cid,
            history=history,
            today=today or date.today(),
            on_text=on_text,
            facts=Facts.merged(Facts.from_json(turn.facts) for turn in history),
        )
        for step in STEPS:
            started = time.perf_counter()
            step(self, ctx)
            ctx.timings[step.__name__] = (time.perf_counter() - started) * 1000
            if ctx.aborted:
                break
        assert ctx.status is not None, "the last step always sets a status"
        citations = ctx.citations or [Citation.from_chunk(n, chunk) for n, chunk in enumerate(ctx.chunks, start=1)]
        self.conversations.append(cid, Turn(question=ctx.message, query=ctx.query, status=ctx.status.value,
                                            facts=ctx.learned.to_json()))
        return Answer(
            status=ctx.status,
            text=ctx.text,
            citations=citations,
            signposts=_unique(ctx.signposts),
            conversation_id=cid,
            notices=ctx.notices,
            engine=ctx.engine,
            lead=ctx.lead,
            next_steps=ctx.next_steps,
            law=ctx.law,
            route=ctx.route,
        )

    def route_only(self, message: str, *, history: Sequence[Turn] = (), local_authority: str | None = None,
                   today: date | None = None) -> Context:
        """Screen and route a message without answering or storing it: where it would go.

        For evaluating routing quickly; ``history`` stands for earlier turns of the conversation."""
        turns = list(history)
        ctx = Context(message=message, persona=Persona.PARENT, local_authority=local_authority, conversation_id="",
                      history=turns, today=today or date.today(),
                      facts=Facts.merged(Facts.from_json(turn.facts) for turn in turns))
        for step in (screen, route):
            step(self, ctx)
            if ctx.aborted:
                break
        return ctx


# --- the steps --------------------------------------------------------------------------


def screen(pipe: Pipeline, ctx: Context) -> None:
    """Hidden characters and injected instructions out; a message that is only an injection is
    refused, unless it also reads as a safeguarding risk (that always wins)."""
    screened = pipe.screen(ctx.message)
    ctx.query = screened.text
    ctx.notices.extend(screened.notices)
    if screened.verdict is None:
        return
    urgent = _safeguarding(pipe, ctx, screened.text)
    if urgent is not None:
        _stop(ctx, urgent)
        return
    verdict = screened.verdict
    ctx.abort(status=verdict.status, text=verdict.message, signposts=verdict.signposts, reason=verdict.reason,
              route="refused/injection")


def route(pipe: Pipeline, ctx: Context) -> None:
    """Decide by meaning where the message goes: safeguarding (by kind) first, then where the
    family is, refusals, out of scope, predictions, distress. Embeds the message once."""
    _learn_events(ctx)
    if pipe.router is None:
        return
    _embed(pipe, ctx, meaning_text(ctx.query))
    assert ctx.vectors is not None
    started = time.perf_counter()
    # a bare reference ("reg 13?") asks for that passage: it needs no earlier turn to make sense
    refs = find_refs(ctx.query)
    context = bool(ctx.history) or bool(refs)
    parts = list(zip(split_parts(ctx.query)[:MAX_PARTS], ctx.vectors[1:], strict=False))
    routed = pipe.router.route(ctx.vectors[0], text=ctx.query, history=context, facts=ctx.facts,
                               local_authority=ctx.local_authority, parts=parts,
                               lookup=is_bare_reference(ctx.query, refs))
    ctx.timings["routing_decision"] = (time.perf_counter() - started) * 1000
    ctx.learned.jurisdiction = routed.place
    ctx.route = routed.route
    if routed.stops:
        _stop(ctx, routed)
        return
    if routed.route == "prediction":
        ctx.preface = routed.reply
    elif routed.route == "distress":
        ctx.support = routed.reply
    ctx.signposts.extend(routed.signposts)


def _embed(pipe: Pipeline, ctx: Context, text: str) -> None:
    ctx.query = text
    ctx.embedded = text
    ctx.vectors = pipe.retriever.question_vectors(text)


def _safeguarding(pipe: Pipeline, ctx: Context, text: str) -> Routed | None:
    if pipe.router is None or not text.strip():
        return None
    vector = pipe.retriever.question_vectors(meaning_text(text))[0]
    return pipe.router.safeguarding(vector, local_authority=ctx.local_authority)


def _stop(ctx: Context, routed: Routed) -> None:
    assert routed.status is not None
    ctx.abort(status=routed.status, text=routed.reply, signposts=routed.signposts, reason=routed.reason,
              route=routed.route)


def notice_personal_data(pipe: Pipeline, ctx: Context) -> None:
    """Kindly say so when a message holds personal details: they are redacted before storage."""
    if redact(ctx.message).has_personal_data:
        ctx.notices.append(PERSONAL_DATA_NOTICE)


def condense_follow_up(pipe: Pipeline, ctx: Context) -> None:
    """Resolve "and how long do they have for that?" against the earlier turns."""
    answered = [t for t in ctx.history if t.status == AnswerStatus.ANSWERED.value and t.query]
    if not answered:
        return
    words = len(ctx.query.split())
    if words <= 14 and _FOLLOW_UP.search(ctx.query):
        ctx.query = f"{ctx.query} ({' '.join(topic_words(answered[-1].query, ctx.query))})"


def topic_words(earlier: str, current: str, limit: int = 8) -> list[str]:
    """The earlier question's content words that the follow-up does not repeat, in order.

    They are added after the follow-up rather than the whole earlier question before it, so
    the new ask ("and if they say no, what can I do?") leads retrieval and the earlier turn
    only supplies the topic.

    >>> topic_words("can I ask the council for an EHC needs assessment?", "and if they say no?")
    ['ask', 'council', 'ehc', 'needs', 'assessment']
    """
    present = set(tokens(current))
    out: list[str] = []
    for word in tokens(earlier):
        if len(word) > 2 and word not in STOPWORDS and word not in present and word not in out:
            out.append(word)
    return out[:limit]


def _learn_events(ctx: Context) -> None:
    """Every turn's dated events are remembered, whatever the turn itself gets (a dated statement
    on its own may be refused, redirected or abstained on), so a later "by when?" can use them."""
    from assistant.tools.intent import events_in

    ctx.learned.events = {k: v.isoformat() for k, v in events_in(ctx.message, today=ctx.today).items()
                          if k != "tribunal_order"}


def use_tools(pipe: Pipeline, ctx: Context) -> None:
    """Dates and "can I appeal this decision?" are answered by the deterministic tools, chosen by
    meaning; dates given in earlier turns count (each turn's own are learned by `route`)."""
    if pipe.answer_with_tool is None:
        return
    if pipe.router is None or ctx.vectors is None or ctx.route not in ("answer", "distress"):
        return
    started = time.perf_counter()
    tool = pipe.router.tool(ctx.vectors[0])
    decision = pipe.router.appeal_decision(ctx.vectors[0]) if tool == "appeal_route" else None
    ctx.timings["tool_decision"] = (time.perf_counter() - started) * 1000
    if tool is None or (tool == "appeal_route" and decision is None):  # not sure which decision: the engine answers
        return
    result = pipe.answer_with_tool(tool, ctx.message, today=ctx.today, decision=decision, earlier=ctx.facts.dates(),
                                   ask=ask_of(ctx.message).value)
    if result is None:
        return
    ctx.route = f"tool/{tool}"
    if result.tool == "clarify":
        ctx.abort(status=AnswerStatus.CLARIFY, text=result.text, reason="tool_needs_detail")
        return
    ctx.citations = list(result.citations)
    ctx.text = result.text + "\n\n" + sources_block(ctx.citations)
    ctx.status = AnswerStatus.ANSWERED
    ctx.engine = "tools"


def retrieve(pipe: Pipeline, ctx: Context) -> None:
    if ctx.by_tool:
        return
    vectors = ctx.vectors if ctx.query == ctx.embedded else None  # a condensed follow-up is a new text
    found = pipe.retriever.retrieve(ctx.query, local_authority=ctx.local_authority, vectors=vectors)
    ctx.passages = found.passages
    ctx.query_vector = found.query_vector
    ctx.direct = found.direct
    ctx.parts = list(found.parts)
    best = max((p.dense for p in found.passages), default=0.0)
    if not found.passages or (best < pipe.min_relevance and not found.direct):
        ctx.abort(status=AnswerStatus.ABSTAINED, text=_framed(ctx, messages.ABSTAIN),
                  signposts=[messages.SENDIASS, messages.IPSEA], reason="weak_evidence")


def compose(pipe: Pipeline, ctx: Context) -> None:
    if ctx.by_tool:
        return
    if pipe.generator is not None:
        try:
            question = redact(ctx.query).text  # nothing personal leaves for an LLM backend
            stream = ctx.on_text if getattr(pipe.generator, "streams", False) else None
            text, chunks = (pipe.generator.generate(question, ctx.passages, persona=ctx.persona, on_text=stream)
                            if stream else pipe.generator.generate(question, ctx.passages, persona=ctx.persona))
            ctx.text, ctx.chunks, ctx.engine = text, chunks, pipe.generator.name
            return
        except BackendUnavailable:
            ctx.notices.append(messages.LLM_FALLBACK)
    assert ctx.query_vector is not None
    direct = sorted((p for p in ctx.passages if _is_direct(ctx, p)), key=_lookup_order)[:4] if ctx.direct else []
    if direct:
        _compose_lookup(pipe, ctx, direct)
        return
    question = Question(ctx.query, ctx.query_vector, ctx.persona, pipe.grounded.index.mask(ctx.local_authority))
    composed = pipe.grounded.compose(question, ctx.passages)
    if composed is None:
        suggestions = pipe.grounded.suggestions(question)
        text = messages.NOTHING_CLOSE
        if suggestions:
            text = messages.CAN_ANSWER_INSTEAD + "\n" + "\n".join(f"- {s}" for s in suggestions)
        ctx.abort(status=AnswerStatus.ABSTAINED, text=_framed(ctx, text), signposts=[messages.SENDIASS, messages.IPSEA],
                  reason="no_supporting_sentence")
        return
    spoken = composed.spoken
    ctx.text, ctx.chunks = spoken.text, spoken.chunks
    # a prediction's decline line comes before the direct answer, a line of support after it
    ctx.lead = "\n\n".join(part for part in (ctx.preface, spoken.lead, ctx.support) if part)
    ctx.next_steps, ctx.law = spoken.next_steps, spoken.law
    ctx.engine = "answer_bank" if composed.engine == "answer_bank" else "extractive"


def _compose_lookup(pipe: Pipeline, ctx: Context, direct: list[Passage]) -> None:
    """A question naming a reference ("CoP 9.14?", "what does reg 13 say about timing?")."""
    assert ctx.query_vector is not None
    if _is_lookup(ctx.query):
        composition = pipe.composer.whole(direct, sentences_each=3) if len(direct) > 1 else pipe.composer.whole(direct)
    else:
        # A reference with a question about it: the named passage nearest the question leads.
        nearest = next(p for p in ctx.passages if p in direct)
        composition = pipe.composer.whole([nearest])
        others = [p for p in ctx.passages if p is not nearest]
        extra = pipe.composer.select(ctx.query, ctx.query_vector, others, max_sentences=3)
        composition = Composition(composition.selected + extra.selected, composition.best_sentence)
    if not composition.selected or composition.best_sentence < pipe.min_relevance - 0.08:
        ctx.abort(status=AnswerStatus.ABSTAINED, text=_framed(ctx, messages.ABSTAIN),
                  signposts=[messages.SENDIASS, messages.IPSEA], reason="no_supporting_sentence")
        return
    selected: list[Selected] = composition.selected
    if ctx.persona is Persona.CASEWORKER and _DECISION.search(ctx.query):
        selected = selected + _appeal_rights(pipe, ctx, selected)
    text, chunks = render(selected, persona=ctx.persona, local_authority=ctx.local_authority, lead=_lead(ctx, selected))
    ctx.text, ctx.chunks = text, chunks


def check_grounding(pipe: Pipeline, ctx: Context) -> None:
    """Every [n] marker must resolve to a cited passage; then the sources list is added."""
    if ctx.by_tool:
        return
    markers = {int(n) for n in re.findall(r"\[(\d{1,2})\]\s*$", ctx.text, flags=re.MULTILINE)}
    if not markers or max(markers) > len(ctx.chunks) or min(markers) < 1:
        ctx.abort(status=AnswerStatus.ABSTAINED, text=_framed(ctx, messages.ABSTAIN), signposts=[messages.SENDIASS],
                  reason="ungrounded")
        return
    ctx.citations = [Citation.from_chunk(n, chunk) for n, chunk in enumerate(ctx.chunks, start=1)]
    ctx.text = _framed(ctx, ctx.text + "\n\n" + sources_block(ctx.citations))
    ctx.status = AnswerStatus.ANSWERED


def _framed(ctx: Context, body: str) -> str:
    """A prediction's plain decline line first; a line of support last."""
    return "\n\n".join(part for part in (ctx.preface, body, ctx.support) if part)


def add_signposts(pipe: Pipeline, ctx: Context) -> None:
    if ctx.by_tool and ctx.support:
        ctx.text = _framed(ctx, ctx.text)
    ctx.signposts.extend(pipe.local_signposts(ctx.local_authority))
    if ctx.persona is not Persona.ADVISER:
        ctx.signposts.append(messages.SENDIASS)


def _appeal_rights(pipe: Pipeline, ctx: Context, selected: Sequence[Selected]) -> list[Selected]:
    """A caseworker's reply about a decision states the family's appeal and mediation rights,
    in the words of the corpus passages on s.51(1) and s.55."""
    cited = {s.chunk.chunk_id for s in selected}
    index = pipe.composer.index
    out: list[Selected] = []
    for ref in ("s.51(1)", "s.55"):
        for pos, chunk in enumerate(index.chunks):
            if chunk.source != CAFA or chunk.ref != ref or chunk.chunk_id in cited:
                continue
            sentences = [(i, t) for i, t in enumerate(index.sentences[pos]) if _RIGHTS.search(t)][:2]
            out.extend(Selected(chunk, 99, i, text, 0.0) for i, text in sentences)
            break
    return out


def _lead(ctx: Context, selected: Sequence[Selected]) -> str | None:
    if ctx.persona is Persona.PARENT and selected and all(s.chunk.status is LegalStatus.LOCAL for s in selected):
        return messages.PARENT_LEAD_LOCAL
    if ctx.persona is Persona.CASEWORKER:
        return messages.CASEWORKER_LEAD
    return None


def _is_direct(ctx: Context, passage: Passage) -> bool:
    return any(chunk_matches(passage.chunk.source, passage.chunk.ref, f) for f in find_refs(ctx.query))


def _ref_order(passage: Passage) -> tuple[object, ...]:
    ref = parse_ref(passage.chunk.ref)
    return (ref.start or (0, 0), ref.main.zfill(4), ref.sub, passage.chunk.ref)


def _lookup_order(passage: Passage) -> tuple[object, ...]:
    """The official text of a provision (an ingested PDF or legislation), where a deployer has
    loaded it, comes before our own explanations of the same reference."""
    official = passage.chunk.doc_id.startswith(OFFICIAL_TEXT_PREFIXES)
    return (not official, *_ref_order(passage))


def _is_lookup(query: str) -> bool:
    """A bare reference ("CoP 9.14?", "reg 13", "s38(3) - types?") asks for the passage itself."""
    remainder = query
    for found in find_refs(query):
        remainder = remainder.replace(found.text, " ")
    return len(content_words(remainder)) <= 4


def _unique(signposts: Sequence[Signpost]) -> list[Signpost]:
    seen: set[str] = set()
    out = []
    for s in signposts:
        if s.name not in seen:
            seen.add(s.name)
            out.append(s)
    return out


OFFICIAL_TEXT_PREFIXES = ("pdf/", "legislation/")

STEPS: tuple[Step, ...] = (
    screen,
    route,
    notice_personal_data,
    condense_follow_up,
    use_tools,
    retrieve,
    compose,
    check_grounding,
    add_signposts,
)
