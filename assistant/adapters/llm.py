"""The optional writing model: a LangChain chat model behind the pipeline's `Generator` seam.

This is the only module that imports LangChain chat models. `LangChainGenerator`:

1. labels the retrieved passages ``[S1]..[Sn]`` and renders ``prompts/system.j2`` and
   ``prompts/answer.j2`` (one explicit Jinja2 environment, StrictUndefined);
2. asks the model once (no retries; the timeout comes from settings);
3. checks the reply sentence by sentence (`assistant.answer.grounding.check`): sentences
   without a label handed out, or not supported by the passage they cite, are removed;
4. frames what is left for the persona and returns it with the chunks its ``[n]`` cite.

Given `on_text`, the model's reply is streamed: each time it finishes a line, the lines so far
are checked and framed, and what that adds to the answer is passed to `on_text` (a stream that
shows nothing unchecked; see `_stream_checked`). The returned text is the same either way.

A timeout or any client error becomes `BackendUnavailable` here, once, so the pipeline falls
back to the extractive composer and tells the user. So does a reply with no supported sentence.
A reply of ``NO_ANSWER`` (the sources do not answer the question) returns no text, and the
pipeline's grounding check then abstains.

    >>> settings = Settings(llm_backend="openai", llm_base_url="http://127.0.0.1:8080/v1")  # doctest: +SKIP
    >>> generator = LangChainGenerator.from_settings(settings)                               # doctest: +SKIP
    >>> text, chunks = generator.generate("reg 13?", passages, persona=Persona.ADVISER)      # doctest: +SKIP

Any LangChain chat model can be passed in directly, which is how a scripted fake is used:

    >>> from langchain_core.language_models.fake_chat_models import FakeListChatModel
    >>> from assistant.models import Chunk, LegalStatus, Passage
    >>> reg = Chunk("c1", "d1", "The local authority must decide within 6 weeks.", "SEND Regulations 2014",
    ...             "reg 5(1)", "Decision", LegalStatus.LAW)
    >>> fake = FakeListChatModel(responses=["The local authority must decide within 6 weeks [S1]."])
    >>> LangChainGenerator(fake).generate("How long?", [Passage(reg, 1.0)], persona=Persona.ADVISER)[0]
    'The local authority must decide within 6 weeks. [1]'
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import jinja2
import ollama
import openai
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant import messages
from assistant.answer import grounding
from assistant.answer.render import expand_acronyms
from assistant.config import PROJECT_ROOT, Settings
from assistant.errors import BackendUnavailable, ConfigError
from assistant.models import Chunk, LegalStatus, Passage, Persona

logger = logging.getLogger(__name__)

PROMPTS_DIR = PROJECT_ROOT / "prompts"
NO_ANSWER = "NO_ANSWER"
DRAFT_MARK = "**Draft reply — for officer review before it is sent.**"
LEFT_OUT_NOTE = "_{count} of the model's sentences were left out: they could not be matched to the sources cited._"

# What a chat client raises when the server is down, slow, refuses or answers nonsense.
CLIENT_ERRORS: tuple[type[BaseException], ...] = (
    openai.OpenAIError,
    ollama.ResponseError,
    httpx.HTTPError,
    OSError,  # connection refused, socket timeouts
    ValueError,  # a reply LangChain could not parse
)


def prompt_environment(folder: Path = PROMPTS_DIR) -> jinja2.Environment:
    """The one Jinja2 environment for prompts. Plain text, so no autoescape; StrictUndefined,
    so a missing variable is an error, never a blank in what the model reads."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def build_messages(
    env: jinja2.Environment, question: str, labels: Mapping[str, Chunk], *, persona: Persona
) -> list[BaseMessage]:
    """The system and user messages for one question.

    >>> from assistant.models import Chunk, LegalStatus
    >>> isp = Chunk("c9", "d9", "Plans are proposed.", "Schools White Paper 2026", "ISPs", "ISPs", LegalStatus.PROPOSAL)
    >>> system, user = build_messages(prompt_environment(), "What are ISPs?", {"S1": isp}, persona=Persona.PARENT)
    >>> "[S1] Schools White Paper 2026, ISPs" in user.content, "Status: Proposal, not law" in user.content
    (True, True)
    """
    sources = [
        {
            "label": label,
            "citation": chunk.citation_label,
            "kind": chunk.kind.plain,  # "official text", "our summary", "our explanation"
            "title": chunk.title,
            "status": chunk.kind.force_label(chunk.status),
            "local_authority": chunk.local_authority or "",
            "text": chunk.text.strip(),
        }
        for label, chunk in labels.items()
    ]
    system = env.get_template("system.j2").render(persona=persona.value)
    user = env.get_template("answer.j2").render(question=question, sources=sources)
    return [SystemMessage(content=system.strip()), HumanMessage(content=user.strip())]


class LangChainGenerator:
    """Writes an answer with a chat model; only sentences grounded in their cited passage survive."""

    name = "llm"
    streams = True  # it can pass the answer on in increments, as the model writes it

    def __init__(self, model: BaseChatModel, *, label: str = "the writing model", prompts_dir: Path = PROMPTS_DIR) -> None:
        self.model = model
        self.label = label
        self.env = prompt_environment(prompts_dir)

    @classmethod
    def from_settings(cls, settings: Settings) -> LangChainGenerator:
        """ChatOpenAI for any OpenAI-compatible server, or ChatOllama; no retries, settings' timeout."""
        timeout = settings.llm_timeout_s
        if settings.llm_backend == "openai":
            from langchain_openai import ChatOpenAI

            model: BaseChatModel = ChatOpenAI(
                model=settings.llm_model,
                base_url=settings.llm_base_url,
                api_key=settings.llm_api_key,  # type: ignore[arg-type]
                timeout=timeout,
                max_retries=0,
                temperature=0,
            )
        elif settings.llm_backend == "ollama":
            from langchain_ollama import ChatOllama

            model = ChatOllama(
                model=settings.llm_model,
                base_url=settings.llm_base_url,
                temperature=0,
                client_kwargs={"timeout": timeout},
            )
        else:
            raise ConfigError(f"llm_backend must be 'openai' or 'ollama' to build a writing model, got {settings.llm_backend!r}")
        return cls(model, label=f"{settings.llm_backend} model {settings.llm_model!r}", prompts_dir=settings.prompts_dir)

    def generate(self, question: str, passages: Sequence[Passage], *, persona: Persona,
                 on_text: Callable[[str], None] | None = None) -> tuple[str, list[Chunk]]:
        labels = grounding.label_passages(passages)
        prompt = build_messages(self.env, question, labels, persona=persona)
        try:
            if on_text is None:
                text = _text(self.model.invoke(prompt))
            else:
                text = self._stream_checked(prompt, labels, persona=persona, on_text=on_text)
        except CLIENT_ERRORS as exc:
            raise BackendUnavailable(f"{self.label} did not answer: {type(exc).__name__}: {exc}") from exc
        if text.strip().strip(".").upper() == NO_ANSWER:
            logger.info("%s found no answer in %d passages", self.label, len(labels))
            return "", []
        checked = grounding.check(text, labels)
        if checked.dropped:
            reasons = Counter(d.reason for d in checked.dropped)
            logger.info("%s: kept %d sentences, left out %s", self.label, len(checked.kept), dict(reasons))
        if not checked.kept:
            raise BackendUnavailable(f"{self.label} wrote no sentence supported by its sources")
        return frame(checked, persona=persona), checked.chunks


    def _stream_checked(self, prompt: list[BaseMessage], labels: Mapping[str, Chunk], *, persona: Persona,
                        on_text: Callable[[str], None]) -> str:
        """Stream the reply; pass on what each finished line adds to the checked, framed answer.

        Only whole lines are checked (a sentence and its labels are complete by then), and only
        text that extends what was already passed on is sent, so nothing unchecked is shown and
        nothing shown is taken back, unless the final answer differs (the caller then resets).
        """
        written, sent = "", ""
        for chunk in self.model.stream(prompt):
            written += _text(chunk)
            lines = written[: written.rfind("\n") + 1]
            if not lines.strip():
                continue
            checked = grounding.check(lines, labels)
            if not checked.kept:
                continue
            partial = frame(checked, persona=persona, final=False)
            if len(partial) > len(sent) and partial.startswith(sent):
                on_text(partial[len(sent):])
                sent = partial
        return written


def frame(checked: grounding.Checked, *, persona: Persona, final: bool = True) -> str:
    """The checked sentences in the persona's frame. Every fixed sentence comes from code.

    `final=False` leaves out what only the whole answer can say (the proposal warning, how many
    sentences were left out): the frame of an answer still being written.
    """
    parts: list[str] = []
    if persona is Persona.CASEWORKER:
        parts.append(DRAFT_MARK)
    elif persona is Persona.PARENT:
        parts.append(messages.PARENT_LEAD)
    parts.append(checked.text)
    if final and any(c.status is LegalStatus.PROPOSAL for c in checked.chunks):
        parts.append(f"> **Proposal, not law.** {messages.ANSWER_PROPOSAL_WARNING}")
    if final and checked.dropped:
        parts.append(LEFT_OUT_NOTE.format(count=len(checked.dropped)))
    text = "\n\n".join(parts)
    return expand_acronyms(text) if persona is Persona.PARENT else text


def _text(reply: Any) -> str:
    content = getattr(reply, "content", reply)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in content)
    return str(content)
