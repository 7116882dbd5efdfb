"""Is a child (or the person writing) at risk right now? Checked first; it wins over everything.

Recall matters most, so there are three nets, tried in order on folded text:

1. **Patterns** (``safety_rules``, ``abuse_rules``): self-harm, suicide, a parent in crisis,
   abuse, domestic abuse, neglect, a missing child, immediate danger. Context rules, judged
   on the clause around a match, keep ordinary SEND questions flowing:

   * **b** - words that also describe a child's distressed behaviour ("hurts himself",
     "hits me", "bangs his head") in a message about meltdowns, autism, sensory overload...
     are ignored, unless an adult is named as the one doing it; force used "to stop him
     running into the road" is a restraint question, also ignored;
   * anything that says *now* ("tonight", "again", "going to", "last night") is hard;
   * **h** - a history marker ("history of", "two years ago", "adopted", "accidentally") is
     *soft*: answer the question and show a safety note;
   * **d** - a noun such as "self-harm" or "abuse" in a message about a plan, report or
     assessment is soft too.

2. **Open threats**: "I can't cope ... I'm going to..." (a strain phrase plus an unfinished
   or unspecified threat) is a parent in crisis.

3. **Weighted lexicon** (``safety_score``): when no pattern matched at all, the kinds of
   risk words present are added up, so phrasings nobody anticipated still get through.

    >>> check(fold("im going to hurt myself tonight")).reason
    'self_harm'
    >>> check(fold("his EHCP should mention his self-harm history, is that section C?")).soft
    True
    >>> check(fold("he has meltdowns and school refusal, risk of exclusion")) is None
    True
    >>> check(fold("I'm so done. I've got the rope")).reason
    'suicide'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.guardrails import abuse_rules, safety_rules, safety_score
from assistant.guardrails._text import any_of, clause_spans, fold
from assistant.guardrails.safety_rules import Rule

__all__ = ["Finding", "check", "fold"]

RULES: tuple[Rule, ...] = safety_rules.RULES + abuse_rules.RULES

ACTIVE = re.compile(any_of(
    r"right now|just now|tonight|today|this (?:morning|afternoon|evening|week|weekend)|again|"
    r"currently|at the moment|atm|keeps?|keeping|every (?:day|night|morning|evening)|daily|"
    r"going to|about to|planning|plans? to|last night|yesterday|earlier today|tomorrow|"
    r"just (?:took|taken|found|told|said|tried|did|cut)|since (?:yesterday|this morning|last night)|"
    r"still (?:\w+ )?(?:self harming|cutting|hurting|harming|suicidal|saying|talking|missing|wants?)|"
    r"(?:has|have|hes|shes|ive|weve|theyve|youve) been (?:self harming|cutting|hurting|harming|"
    r"feeling|saying|talking|threatening|hitting)|is (?:being|cutting|self harming|hurting|harming)|now (?:hes|shes|im|theyre|he is|"
    r"she is|i am|they are) (?:\w+ )?(?:cutting|self harming|hurting|harming|saying|talking|"
    r"threatening|suicidal|doing it)"))
HISTORY = re.compile(any_of(
    r"history|historic(?:al)?|in the past|used to|previous(?:ly)?|past|prior|former(?:ly)?|"
    r"(?:\d+|a|one|two|three|four|five|six|few|several|couple of|many) (?:years?|months?) "
    r"(?:ago|back|before)|years ago|last year|when (?:he|she|they|i) (?:was|were) (?:younger|"
    r"little|small|a baby|a toddler|in (?:year|yr|primary|reception|nursery)|\d+)|in (?:year|yr) "
    r"\d+|back in|before (?:he|she|they) (?:came|was (?:adopted|placed)|moved)|adopted|adoption|"
    r"birth (?:family|parents?|mum|dad|mother|father)|early (?:life|years|childhood|trauma)|"
    r"as a (?:baby|toddler|young child)|at (?:age )?\d+(?! ?(?:am|pm|oclock|:))|no longer|"
    r"stopped|recovered|fled|escaped|refuge|left (?:him|her|my (?:ex|partner|husband|wife))|"
    r"had (?:a|an) (?:episode|period|spell)|accident\w*|by mistake|not on purpose|tripped|fell|(?:was|were|been) found|"
    r"turned up safe|came back safe|is (?:back|home) (?:now|safe)"))
DOCUMENT = re.compile(any_of(
    r"ehc\w*|plan|section [a-k]|reports?|assessments?|assess|evidence|letters?|tribunal|forms?|"
    r"include|included|mention\w*|record\w*|documented|paperwork|appeal|review|paediatrician|"
    r"psycholog\w*|ep|chronology|risk assessment|health advice"))
BEHAVIOUR = re.compile(any_of(
    r"meltdowns?|shutdowns?|overwhelm\w*|dysregulat\w*|distress\w*|sensory|stimm?\w*|frustrat\w*|"
    r"autis\w*|adhd|pda|asd|tourette\w*|tics?|behaviours?|outbursts?|lash(?:es|ing)? out|rages?|"
    r"self regulat\w*|arfid|pica|learning disabilit\w*|non ?verbal|when (?:he|she|they) (?:is|are|"
    r"gets|get|becomes?) (?:upset|angry|anxious|cross|overloaded|stressed)"))
# A child's distressed behaviour excuses "hits me"; an adult doing it never does.
ADULT_NOUN = re.compile(any_of(
    r"dad|father|mum|mother|mom|stepdad|stepmum|uncle|aunt|grandad|grandma|nan|boyfriend|"
    r"girlfriend|partner|husband|wife|ex|man|men|guy|bloke|woman|teacher|ta|staff|teaching "
    r"assistant|carer|coach|tutor|driver|escort|neighbour|adult|someone|somebody|stranger|lodger|"
    r"babysitter|childminder") + r"s?")
# Force used to keep a child safe is a question about restraint rules, not a disclosure.
PROTECTIVE = re.compile(any_of(
    r"to (?:stop|prevent) (?:him|her|them) (?:from )?(?:running|hurting|hitting|falling|getting|"
    r"going)|to keep (?:him|her|them) safe|reasonable force|positive handling|restrain\w*"))
# "The council is being abusive to us" is a complaint about a public body, not a child at risk.
INSTITUTION_AS_ABUSER = re.compile(
    r"\b(?:council|la|local authority|authority|sen team|send team|caseworker|case officer|tribunal)"
    r"(?: \w+){0,3} (?:abusive|abusing)\b")
WEAK = re.compile(any_of(
    r"(?:cant|cannot|can not) (?:cope|take (?:it|this|any ?more)|do this any ?more|go on like this|"
    r"carry on|keep going)|end of my tether|breaking point|falling apart|losing my mind|"
    r"hate (?:my|his|her) life|going to snap"))
OPEN_THREAT = re.compile(
    r"\b(?:im|i am) (?:going to|about to)\s*(?:\.{2,}|…|-|$)|\bi dont know what (?:i|ill|i will|"
    r"i might) (?:do|end up doing)\b|\bbefore i do something\b|\bi (?:might|could|will) do "
    r"something\b")


@dataclass(frozen=True)
class Finding:
    """What the safety check saw: ``reason``, and ``soft`` if it looks historical/recorded."""

    reason: str
    soft: bool = False


def check(folded: str) -> Finding | None:
    """Return the first hard finding, else the first soft one, else None. Input: ``fold(text)``."""
    spans = clause_spans(folded)
    soft: Finding | None = None
    for rule in RULES:
        for match in rule.pattern.finditer(folded):
            verdict = _judge(rule, folded, match, spans)
            if verdict == "hard":
                return Finding(rule.reason)
            if verdict == "soft" and soft is None:
                soft = Finding(rule.reason, soft=True)
    if WEAK.search(folded) and OPEN_THREAT.search(folded):
        return Finding("parent_crisis")
    if soft is None and _underage_partner(folded):
        return Finding("abuse")
    lexical = safety_score.urgent(folded) if soft is None else None
    return Finding(lexical) if lexical else soft


def _underage_partner(folded: str) -> bool:
    """A child of 15 or under with a boyfriend or girlfriend who is an adult."""
    adult = re.search(r"\b(?:boyfriend|girlfriend|partner|bf|gf)(?: is|s)? (\d\d)\b", folded)
    child = re.search(r"\b(?:she|he|im|i am|shes|hes|daughter|son)(?: is| s)? (\d\d?)\b", folded)
    return bool(adult and child and int(adult.group(1)) >= 18 and int(child.group(1)) <= 15)


def _judge(rule: Rule, text: str, match: re.Match[str], spans: list[tuple[int, int]]) -> str:
    start, end = next(((a, b) for a, b in spans if a <= match.start() < b), (0, len(text)))
    around = text[start:match.start()] + " " + text[match.end():end]
    if "b" in rule.flags and BEHAVIOUR.search(text) and not ADULT_NOUN.search(text[start:match.end()]):
        return "ignore"
    if rule.reason == "abuse" and PROTECTIVE.search(around):
        return "ignore"
    if rule.reason == "abuse" and INSTITUTION_AS_ABUSER.search(text[start:match.end()]):
        return "ignore"
    if ACTIVE.search(around) or ACTIVE.search(match.group(0)):
        return "hard"
    if "h" in rule.flags and HISTORY.search(around):
        return "soft"
    if "d" in rule.flags and DOCUMENT.search(text):
        return "soft"
    return "hard"
