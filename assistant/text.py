"""Text helpers: sentence splitting that respects legal citations, and light normalising.

    >>> split_sentences("The LA must decide within 6 weeks (reg. 5(1)). See s.36(8) e.g. here. Next one.")
    ['The LA must decide within 6 weeks (reg. 5(1)).', 'See s.36(8) e.g. here.', 'Next one.']
"""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "s", "ss", "reg", "regs", "para", "paras", "e.g", "i.e", "etc", "no", "nos", "sch", "art",
    "mr", "mrs", "ms", "dr", "st", "vs", "v", "cf", "approx", "ch", "sec", "p", "pp", "incl",
}
_SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9(\"“‘*])")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+")
_MARKUP = re.compile(r"(\*\*|__|`)")
_HEADING = re.compile(r"^\s*#{1,6}\s*")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def strip_markdown(text: str) -> str:
    text = _LINK.sub(r"\1 (\2)", text)
    text = _MARKUP.sub("", text)
    return text


def split_sentences(text: str) -> list[str]:
    """Split Markdown text into sentences; bullet items and headings count as their own units."""
    units: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            units.extend(_split_paragraph(" ".join(paragraph)))
            paragraph.clear()

    for raw in strip_markdown(text).splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif _HEADING.match(line):
            flush()
        elif _BULLET.match(line):
            flush()
            paragraph.append(_BULLET.sub("", line))
        else:
            paragraph.append(line)
    flush()
    return [u for u in (unit.strip() for unit in units) if len(u) > 2]


def _split_paragraph(paragraph: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _SPLIT.finditer(paragraph):
        before = paragraph[start : match.start() + 1].rstrip()
        last_word = re.split(r"[\s(]", before)[-1].rstrip(".").lower()
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        pieces.append(paragraph[start : match.end()].strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


_WORD = re.compile(r"[a-z0-9]+(?:[.'’][a-z0-9]+)*")
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from about as is are was were be been
    being it its this that these those there their they them we our you your i me my he she his
    her him do does did doing have has had having can could would should will shall may might
    must not no so than too very just what which who whom whose when where why how all any each
    into over under again further then once here more most other some such only own same also
    up down out off am im ive dont cant wont isnt arent didnt doesnt hasnt havent get got""".split()
)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, keeping refs like 9.14 and 36(8) readable as 36 and 8."""
    return _WORD.findall(text.lower().replace("’", "'"))


def content_words(text: str) -> set[str]:
    return {t for t in tokens(text) if t not in STOPWORDS and len(t) > 1}


# A question about a change to the system: a reform, a proposal, something heard or read about
# what will happen. Only such a question is answered by a bank entry that explains a proposal, or
# ranks a proposal's passage with current law; any other is answered from current law.
_CHANGE = re.compile(
    r"\b(?:reforms?|propos\w*|white ?paper|green ?paper|bill|consult\w*|improvement plan|royal assent|parliament|"
    r"scrap\w*|phas\w* out|abolish\w*|get(?:ting)? rid of|isps?|individual support plans?|inclusion standards?|"
    r"new (?:law|laws|rules|system|duties)|(?:law|rules|system) (?:is |are )?chang\w*|chang\w* (?:to|in) the (?:law|rules|system)|"
    r"government (?:plans?|wants|is planning)|(?:heard|read|saw|seen|told)\b.{0,60}\b(?:will|going to|now)|"
    r"will (?:only|no longer|stop|be (?:replaced|removed|ended))|no longer (?:get|have|be)|from 20\d\d|in 20(?:2[6-9]|3\d))\b",
    re.IGNORECASE,
)


def asks_about_change(question: str) -> bool:
    """Whether a message asks about a change to SEND law or the system: only then may a proposal
    answer it (the answer bank) or rank with current law (retrieval).

    >>> asks_about_change("read on facebook that ehcps will only be reviewed at key stages now")
    True
    >>> asks_about_change("do i have to wait till next october to change the EHCP?")
    False
    """
    return bool(_CHANGE.search(question))


# An email address as written in a page or a record (the redactor has its own, wider finders:
# spelled-out addresses too). Ingest withholds staff addresses with it; contacts pick one out.
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
