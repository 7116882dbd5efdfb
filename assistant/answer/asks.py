"""What kind of answer a question asks for: a yes or no, a time, a name, a definition, a way.

A question's *form* says what its first sentence must hold: "can I ask myself?" wants a yes or
a no, "how long do they have?" a time, "who pays?" a name, "what is EOTAS?" a definition. The
answer bank matches question to question; two questions about the same thing in different
forms ("what is a transition assessment?", "do they have to do one?") want different answers,
so the bank counts agreement of form as well as meaning, and the composer leads with what the
form asks for.

    >>> ask_of("can i ask for an ehcp myself??")
    <Form.YES_NO: 'yes_no'>
    >>> ask_of("the draft plan came, how long do i have to say which school i want")
    <Form.TIME: 'time'>
    >>> ask_of("council said no to assessing my daughter what can i do")
    <Form.OPTIONS: 'options'>
    >>> ask_of("school put her on a part time timetable for 6 months, is this legal")
    <Form.YES_NO: 'yes_no'>
    >>> ask_of("Post-16 transfer amendment deadline?")
    <Form.TIME: 'time'>
    >>> ask_of("reasonable adjustments for attendance autism") is Form.NONE
    True
"""

from __future__ import annotations

import re
from enum import Enum


class Form(str, Enum):
    YES_NO = "yes_no"      # can I, does the council have to, is it allowed
    TIME = "time"          # how long, by when, the deadline, how often
    WHEN = "when"          # when can they, in what circumstances
    WHO = "who"            # who decides, which council
    WHERE = "where"        # where do I send it, where can I get help
    WHICH = "which"        # which parts, which schools
    AMOUNT = "amount"      # how much, how many
    WHAT_IS = "what_is"    # what is, what does it mean
    HAPPENS = "happens"    # what happens next
    OPTIONS = "options"    # what can I do, what are my options
    HOW = "how"            # how do I, how to
    CONTENTS = "contents"  # what must it say or include
    WHY = "why"
    NONE = "none"          # no recognisable question form


# Forms close enough that an answer to one reads as an answer to the other.
_RELATED = {
    frozenset({Form.TIME, Form.WHEN}),
    frozenset({Form.OPTIONS, Form.HOW}),
    frozenset({Form.OPTIONS, Form.HAPPENS}),
    frozenset({Form.WHO, Form.WHICH}),
    frozenset({Form.CONTENTS, Form.WHAT_IS}),
    frozenset({Form.AMOUNT, Form.TIME}),
    frozenset({Form.WHERE, Form.HOW}),
    frozenset({Form.WHERE, Form.WHO}),
}

_SUBJECT = (
    r"(?:i|we|you|he|she|they|it|there|my|our|his|her|their|the|this|that|these|those|a|an|any|schools?|"
    r"councils?|la|las|nursery|college|academ(?:y|ies)|parents?|the?\s*tribunal|health|nhs|icb|sencos?|teachers?|"
    r"someone|anyone|everyone|every|all|each|ehcps?|ehc|plans?|children|kids?|young|yp|local)"
)
_AUX = (
    r"(?:can|can't|cant|cannot|could|do|does|did|don't|dont|doesn't|doesnt|is|isn't|isnt|are|aren't|arent|was|were|"
    r"will|won't|wont|would|should|shall|must|may|might|has|have|hasn't|haven't|am|need)"
)

# Tried in order on each clause; the earliest match in a clause wins, and the first clause with a
# question (a clause that ends in "?" first) decides.
_PATTERNS: tuple[tuple[Form, re.Pattern[str]], ...] = tuple(
    (form, re.compile(pattern))
    for form, pattern in (
        (Form.TIME, r"\bhow (?:long|soon|quickly|often|many (?:school |working |calendar )?(?:weeks|days|months|years))\b|"
                    r"\bby when\b|\bwithin what\b|\bwhat (?:is |are )?(?:the )?(?:deadlines?|time ?limits?|timescales?|time ?frames?)\b|"
                    r"\bwhen (?:is|are) (?:the )?(?:deadline|time limit)\b|\bwhat date\b"),
        (Form.AMOUNT, r"\bhow (?:much|many)\b"),
        (Form.OPTIONS, r"\bwhat (?:can|could|should|do|shall|would) (?:i|we|you|she|he|they|the parents?|the family|parents) do\b|"
                       r"\bwhat (?:are|r) (?:my|our|her|his|their|the) (?:options|rights)\b|\bwhat now\b|\bany comeback\b|"
                       r"\bwhere do (?:i|we) stand\b|\banything (?:i|we|she|he|they) can do\b|\bwhat (?:are )?(?:my|our) options\b|"
                       r"\bwhat if\b"),
        (Form.HAPPENS, r"\bwhat (?:happens|will happen|happened|comes|next)\b|\bwhat (?:should|must|ought to|is meant to|is supposed to) happen\b|\bthen what\b"),
        (Form.CONTENTS, r"\bwhat (?:exactly |else |precisely )?(?:must|should|does|do|has|have|will|needs? to|ought to)\b.{0,60}\b(?:say|says|include|includes|contain|"
                        r"contains|tell|cover|covers|look at|set out|state|mention|be in|go in|put in|publish|give|provide|send)\b|\bwhat (?:goes|has to go|must go|should go) in\b"),
        (Form.WHERE, r"\bwhere (?:do|does|can|could|should|shall|must|would|will|is|are|to)\b|\bwhere'?s\b"),
        (Form.WHO, r"\bwho(?:se|m)?\b|\bwhich (?:council|local authority|la|body|bodies|organisation|person|people|service|professional|one of us)\b"),
        (Form.WHICH, r"\bwhich\b"),
        (Form.WHY, r"\bwhy\b"),
        (Form.WHEN, r"\bwhen (?:can|could|does|do|is|are|will|would|should|must|might|may)\b|\bin what circumstances\b"),
        (Form.WHAT_IS, r"\bwhat(?:'s| is| are| does| do|s)\b|\bmeaning of\b|\bdefin(?:e|ition)\b|\bexplain\b"),
        (Form.HOW, r"\bhow (?:do|can|could|should|would|does|to|is|are|will)\b|\bwhat(?:'s| is) the (?:process|procedure|way)\b|\bsteps? to\b"),
        (Form.WHAT_IS, r"\bwhat\b"),
        (Form.HOW, r"\bhow\b"),
        (Form.YES_NO, rf"^(?:and |but |so |also |then |ok |okay )?{_AUX}\s+(?!\d)\w|\b(?:is|was|isn't) (?:that|this|it)\b|"
                      rf"\b(?:right|true|legal|allowed|lawful|ok|okay)\s*\?*$|\b(?:can|could|do|does|is|are|should|must|will|may) "
                      rf"(?:i|we|they|she|he|you|the school|the council|the la|school|council)\b"),
    )
)
# A question about a time limit asks for the time, whatever its form ("is there a deadline?").
_TIME_WORDS = re.compile(r"\b(?:deadlines?|time ?limits?|timescales?|time ?frames?|how long|how soon|how quickly|by when)\b")
_CLAUSE = re.compile(r"(?<=[?.!;:])\s+|\s*,\s*|\s+-+\s+|\s+(?=(?:and|but|so) (?:can|could|do|does|is|are|will|what|how|who|when)\b)")


def _clauses(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return [c.strip() for c in _CLAUSE.split(text) if c and c.strip()]


def _form_of(clause: str) -> Form:
    best: tuple[int, int, Form] | None = None
    for order, (form, pattern) in enumerate(_PATTERNS):
        match = pattern.search(clause)
        if match and (best is None or (match.start(), order) < best[:2]):
            best = (match.start(), order, form)
    if best is None:
        return Form.TIME if _TIME_WORDS.search(clause) else Form.NONE
    form = best[2]
    if form in (Form.YES_NO, Form.WHAT_IS, Form.WHEN) and _TIME_WORDS.search(clause):
        return Form.TIME
    return form


def ask_of(text: str) -> Form:
    """The form of a message's main question: its first clause asked as a question (ending in
    "?") that has a recognisable form, else its last clause that has one."""
    clauses = _clauses(text)
    asked = [c for c in clauses if c.endswith("?")]
    for clause in asked:
        form = _form_of(clause)
        if form is not Form.NONE:
            return form
    for clause in reversed(clauses):
        form = _form_of(clause)
        if form is not Form.NONE:
            return form
    return Form.NONE


def agreement(asked: Form, answered: Form) -> float:
    """How well an answer to one form answers another: 1 the same, 0.5 related, 0 otherwise;
    0.5 when either form is unknown (no evidence either way)."""
    if asked is Form.NONE or answered is Form.NONE:
        return 0.5
    if asked is answered:
        return 1.0
    return 0.5 if frozenset({asked, answered}) in _RELATED else 0.0
