"""A second net under the safety patterns: a weighted risk lexicon over the whole message.

The patterns in ``safety_rules`` catch risk phrased in ways we thought of. People in trouble
phrase things in ways nobody thought of ("I've got the rope", "the coastguard is searching",
"he pinches him and he comes home with marks"), so this adds up evidence instead: each
*kind* of risk word present scores once (method, sexual harm, violence, injury, fear,
danger, missing, neglect, hopelessness, urgency), an adult named alongside violence adds a
point, and SEND or document vocabulary, history markers and distressed-behaviour words take
points away. ``urgent`` says whether the total is high enough to treat as a disclosure:
``URGENT`` points, or ``URGENT - 1`` in a message with no SEND content at all.

    >>> points, reason = assess(fold("I'm so done. I've got the rope"))
    >>> points >= URGENT, reason
    (True, 'suicide')
    >>> urgent(fold("no point carrying on"))
    'suicide'
    >>> urgent(fold("he's scared of the hand dryers at school, is that a reasonable adjustment?"))
"""

from __future__ import annotations

import re

from assistant.guardrails._text import any_of, fold, has_send_terms

__all__ = ["URGENT", "assess", "fold", "urgent"]

URGENT = 3

STRONG = 4
KINDS: tuple[tuple[str, int, re.Pattern[str]], ...] = tuple(
    (name, weight, re.compile(pattern)) for name, weight, pattern in (
        ("method", STRONG, r"\bsuicid\w*|\boverdos\w*|\bnoose\b|\bligature\b|\bbleed(?:ing)? out\b|"
                           r"\b(?:kill|hang|end) (?:my|him|her|them) ?sel(?:f|ves)\b|\b(?:got|have|"
                           r"bought|found|hiding) (?:the |a |some |his |her )?(?:rope|pills|tablets|"
                           r"blades?|razors?)\b|\b(?:want|wants|wanted|going|ready) to (?:die|jump|"
                           r"end it|end everything)\b|\bgoing to jump\b|\b(?:goodbye|suicide) "
                           r"(?:messages?|notes?|letters?|texts?)\b|\btexting (?:\w+ )?goodbye\b|"
                           r"\b\d+ (?:paracetamol|pills|tablets|ibuprofen|co ?codamol|sleeping pills|"
                           r"painkillers)\b|\bsleeping pills\b|\b(?:using|used|use|uses) (?:a )?"
                           r"(?:blade|razor)\b|\buntil (?:they|it|i|he|she) bleeds?\b|\bwalk\w* "
                           r"into (?:the )?(?:sea|river|traffic)\b|\bdrown (?:my|him|her) ?self\b"),
        ("sexual", STRONG, any_of(r"rape|raped|raping|sexual(?:ly)?|naked|nudes?|porn\w*|sextort\w*|"
                                  r"indecent|molest\w*|groom(?:ed|ing)|blackmail\w*|traffick\w*|"
                                  r"exploit(?:ed|ing|ation)|share (?:them|the (?:photos|pictures|pics"
                                  r"|videos))|filming (?:children|kids|him|her|my \w+)")),
        ("grave", STRONG, any_of(r"stab(?:bed|bing|s)?|stab wounds?|strangl\w*|by the (?:throat|neck)|"
                                 r"unconscious|not breathing|ambulance|coastguard|a and e|a&e|"
                                 r"choked (?:me|him|her)")),
        ("secret", STRONG, r"\b(?:promise|promised|swear|swore|made (?:me|him|her)) (?:\w+ ){0,2}not to "
                           r"tell\b|\bour (?:little )?secret\b|\bif (?:i|you) tell\b|\bkeep(?:s|ing)? "
                           r"secrets\b|\bnobody believes (?:me|him|her)\b"),
        ("violence", 2, any_of(r"hit|hits|hitting|punch\w*|kick(?:s|ed|ing)?|slap\w*|grab(?:s|bed|"
                               r"bing)?|shov\w*|pinch(?:es|ed|ing)?|beat(?:s|en|ing)?|batter\w*|"
                               r"throttl\w*|smack\w*|whack\w*|pushed (?:me|him|her) (?:down|over|into|"
                               r"against)|banging on the door|threw|throws|throwing|attack\w*|assault\w*|"
                               r"bites|scratches")),
        ("injury", 2, any_of(r"bruis\w*|burns?|burnt|cuts|wound\w*|injur\w*|bleeding|blood|marks|"
                             r"black eye|broken (?:arm|leg|wrist|bones?)|swollen|fractur\w*|fell "
                             r"(?:off|down)")),
        ("fear", 2, any_of(r"scared|terrified|frightened|afraid|petrified")),
        ("danger", 2, any_of(r"danger|unsafe|not safe|threat\w*|weapons?|knife|knives|guns?|gangs?|"
                             r"drugs|vodka|alcohol|drunk|shooting|shoot (?:people|someone|everyone)|"
                             r"glass everywhere|police (?:were|was|have been|got) called|tried to "
                             r"(?:take|snatch|grab)|older (?:men|man|guys?|boys)|out all night|"
                             r"(?:are|were) fighting|strangers?|(?:men|people|adults) (?:he|she|they) "
                             r"(?:doesnt|dont|didnt) know|getting into (?:cars|a car|vans?)|weed|"
                             r"cannabis|at [1-5] ?am|older kids")),
        ("missing", 2, any_of(r"missing|wandered off|ran off|run off|ran away|run away|searching|"
                              r"search party|police|(?:hasnt|not|didnt) come (?:back|home)")),
        ("neglect", 2, any_of(r"no food|r[au]n out of food|hungry|starv\w*|sleep on the floor|"
                              r"locked out|locks (?:me|him|her) out|kicked (?:me|him|her) out|"
                              r"nowhere to (?:go|sleep)|looking after (?:my|the|our) (?:little|baby|"
                              r"younger)|on my own|(?:doesnt|wont) let (?:me|him|her) eat|in bed for "
                              r"(?:days|weeks)|left (?:on (?:his|her|their|my) own|alone)|all night|strapped in|"
                              r"(?:wont|doesnt|will not) let (?:me|him|her) (?:go|leave|see|out|have|eat)|"
                              r"(?:took|takes|taken) my phone")),
        ("hopeless", 2, any_of(r"no point|whats the point|carrying on|give up|giving up|done with "
                               r"(?:it all|everything|life)|so done|cant (?:do this|take (?:it|any)|"
                               r"cope|go on)|would (?:miss|care about|notice) (?:me|him|her)|never "
                               r"(?:been )?born|hate (?:my life|myself)|worthless|burden|hopeless|"
                               r"(?:everything|it all) to (?:end|stop)|disappear|cant stop crying|"
                               r"waste of space|everyone hates (?:me|him|her)|drowning(?! in)|nobody "
                               r"can help|no future|(?:dont|doesnt) want to wake up|sleep forever|"
                               r"tired of (?:living|life|being alive)|dark thoughts|fade away|"
                               r"stop existing|(?:hasnt|not) left (?:her|his|my) room")),
        ("urgent", 1, any_of(r"help me|please help|what do i do|emergency|right now|tonight|"
                             r"(?:an|one|two|an) hours? ago|minutes ago|today")),
        ("touch", 2, r"\btouch(?:es|ed|ing)? (?:me|him|her|my|his)\b"),
    )
)
REASONS = {
    "method": "suicide", "hopeless": "suicide", "sexual": "abuse", "secret": "abuse",
    "violence": "abuse", "injury": "abuse", "touch": "abuse", "grave": "immediate_danger",
    "fear": "immediate_danger", "danger": "immediate_danger", "missing": "missing_child",
    "neglect": "neglect", "urgent": "immediate_danger",
}
ADULT = re.compile(any_of(
    r"dad|father|mum|mother|stepdad|stepmum|partner|husband|wife|boyfriend|girlfriend|ex|man|"
    r"men|guy|escort|driver|colleague|teacher|staff|ta|uncle|aunt|someone|somebody|stranger|"
    r"carer|coach|neighbour|he|she"))
DOCUMENT = re.compile(any_of(
    r"ehc\w*|plan|section [a-k]|reports?|assessments?|evidence|letters?|tribunal|include|"
    r"mention\w*|records?|review|appeal|provision|support|policy|rules?|legal|allowed|rights?"))
HISTORY = re.compile(any_of(
    r"history|in the past|used to|previous(?:ly)?|last year|years? ago|months ago|when (?:he|she) "
    r"was|adopted|before (?:he|she) came|since (?:his|her) \w+ died|died"))
BEHAVIOUR = re.compile(any_of(
    r"meltdowns?|overwhelm\w*|dysregulat\w*|distress\w*|sensory|autis\w*|adhd|pda|frustrat\w*|"
    r"behaviour|outbursts?|fights?|fighting|tics|stammer|bullied|bullying"))


def assess(folded: str) -> tuple[int, str]:
    """(points, the reason of the heaviest kind of risk found) for folded text."""
    kinds = {name: weight for name, weight, pattern in KINDS if pattern.search(folded)}
    total = sum(kinds.values())
    if not total:
        return 0, ""
    if kinds.keys() & {"violence", "injury", "touch"} and ADULT.search(folded):
        total += 1
    if has_send_terms(folded):
        total -= 1
    if DOCUMENT.search(folded):
        total -= 2
    if HISTORY.search(folded):
        total -= 2
    if BEHAVIOUR.search(folded) and kinds.keys() <= {"violence", "injury", "fear", "urgent"}:
        total -= 2
    return total, REASONS[max(kinds, key=lambda k: kinds[k])]


def urgent(folded: str) -> str | None:
    """The reason, if the evidence adds up to a likely disclosure; else None."""
    total, reason = assess(folded)
    needed = URGENT if has_send_terms(folded) else URGENT - 1
    return reason if total >= needed else None
