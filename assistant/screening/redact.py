"""Personal-data redaction, run before a message is stored, logged or sent to a language model.

Parents type their child's name, school, NHS number and address into the chat box. `redact`
swaps each identifier it recognises for a typed placeholder and counts what it removed.
Legal references ("s.36(8)", "para 6.44"), deadlines ("20 weeks", "15 February") and public
helplines ("0800 1111") are left alone.

    >>> r = redact("My son Jack's NHS number is 943 476 5919. Email kim@example.org")
    >>> r.text
    "My son [NAME]'s NHS number is [NHS_NUMBER]. Email [EMAIL]"
    >>> r.found == {"NAME": 1, "NHS_NUMBER": 1, "EMAIL": 1}, r.has_personal_data
    (True, True)

Detection is rules only: patterns, check digits (NHS modulus 11, UPN modulus 23), cue words
and a first-name list (assistant/data/first_names.txt). It needs no model and no network.
It leans towards removing: a council phone number or an unusual word after "called" may go.

It redacts what a person sees, not the raw characters: the text is first NFKC-normalised
with hidden characters removed, so zero-width spaces inside an NHS number or a phone number
in fullwidth digits are caught like plain ones.

    >>> redact("NHS number 943\u200b476\u200b5919, call \uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13").text
    'NHS number [NHS_NUMBER], call [PHONE]'
    >>> redact("my boy ethan walsh is at st marys primary, we live on maple drive, postcode ls62ab").text
    'my boy [NAME] is at [SCHOOL], we live on [ADDRESS], postcode [POSTCODE]'
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from assistant.screening.injection import visible

PERSONAL_DATA_NOTICE = (
    "It looks like your message included personal details, such as a name, a number or an "
    "address. We removed them before anything was stored or sent on. You don't need to share "
    "names or numbers to get help: describing the situation in general terms is enough, and "
    "we'll still do our best to answer your question."
)


@dataclass(frozen=True)
class Redaction:
    """The redacted text and how many identifiers of each kind were replaced."""

    text: str
    found: dict[str, int] = field(default_factory=dict)

    @property
    def has_personal_data(self) -> bool:
        return bool(self.found)


_Hit = tuple[int, int, str]  # start, end, kind
_Finder = Callable[[str], Iterator[_Hit]]

# Words that are never part of a person's or a school's name, even when capitalised after a cue:
# everyday words, family words, months and days, legal, SEND and school terms.
_WORDS = frozenset(
    """
    i a an the this that these those it its he she they we you my your his her our their me him mr
    mrs ms miss mx dr prof them us not no yes so very really just also still now then here there
    what when where which who why how because but and or if as at by for from in into of on onto to
    with without about after before during since until all any some every each both other another
    someone somebody everyone anyone nobody nothing sir madam mum mom dad mummy daddy parent
    parents carer carers son daughter child children boy girl kid kids baby twins brother sister
    sibling nan nanna grandma grandad granny grandparent auntie aunt uncle foster family team staff
    sorry hi hello hey thanks thank please ok okay good great best kind warm many regards wishes
    love worried struggling writing trying looking hoping unsure confused desperate sure happy sad
    tired autistic dyslexic deaf blind disabled currently today tomorrow yesterday again one two
    three four five six seven eight nine ten year years reception head headteacher teacher teachers
    principal deputy assistant senco sendco senco's send sen ehc ehcp ehcna camhs salt nhs ofsted
    january february march april may june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday christmas easter tribunal tribunals judge
    panel court section sections part parts schedule regulation regulations reg paragraph para
    chapter act acts code practice law legal appeal appeals council councils authority authorities
    local offer government minister secretary state department education ombudsman lgsco ipsea
    sendiass sossen contact mencap solicitors solicitor ltd services service trust hospital centre
    center clinic surgery gp autism adhd dyslexia dyspraxia epilepsy plan plans annual review
    mediation special independent maintained mainstream free alternative provision pupil referral
    unit further sixth form community catholic church infant infants junior juniors primary
    secondary high grammar residential boarding day non specialist named new current previous old
    village academy academies school schools college colleges nursery multi upper lower first tier
    virtual national technical university studio summer home private secure faith montessori muslim
    jewish islamic christian everybody anybody whoever caseworker officer colleague colleagues
    manager coordinator friend friends member members governor governors chair director whom
    justice mental health
    """.split()
)
# Councils and places: kept whole, except straight after a title ("Mrs Sutton" is a person).
_PLACES = frozenset(
    """
    england wales scotland ireland northern north south east west central greater city county
    borough london bristol demoshire lincolnshire yorkshire lancashire kent essex surrey sussex
    devon cornwall somerset dorset hampshire norfolk suffolk cambridgeshire hertfordshire
    bedfordshire buckinghamshire berkshire oxfordshire gloucestershire wiltshire northamptonshire
    warwickshire worcestershire herefordshire shropshire staffordshire derbyshire nottinghamshire
    leicestershire rutland cheshire cumbria durham northumberland birmingham manchester leeds
    liverpool sheffield newcastle nottingham leicester derby coventry bradford kirklees calderdale
    wakefield doncaster rotherham barnsley hull york lincoln stoke plymouth portsmouth southampton
    brighton hove reading oxford cambridge luton peterborough milton keynes swindon bath exeter
    norwich ipswich sunderland gateshead middlesbrough blackpool bolton wigan salford stockport
    oldham rochdale tameside trafford bury wirral sefton knowsley helens warrington halton walsall
    wolverhampton dudley sandwell solihull croydon barnet ealing enfield hackney camden islington
    lambeth lewisham southwark wandsworth westminster haringey harrow hillingdon hounslow brent
    bromley bexley newham redbridge havering sutton merton kingston richmond greenwich hammersmith
    fulham chelsea kensington tower hamlets waltham forest barking dagenham wight scilly
    """.split()
)
# Words that often follow a name or a cue in lower-case typing ("my son really struggles",
# "ethan has autism"): never taken for a name found by its cue alone.
_COMMON = frozenset(
    """
    is was are were be been being has had have having do does did doesnt didnt dont cant cannot
    wont wouldnt isnt wasnt hasnt havent hadnt will would can could should shall may might must
    goes go going went gone gets get got getting needs need needed wants want wanted likes like
    liked loves love loved hates hate hated keeps keep kept struggles struggle struggled finds
    find found seems seem seemed feels feel felt says say said told tells asked asks attends
    attend attended attending started starts start refuses refused cries cried hits hit runs ran
    lives live lived living moved moves stays stayed sleeps slept eats ate talks talked speaks
    spoke reads read writes wrote walks walked plays played works worked learns learned learnt
    started stopped stops missed misses left leaves joined joins became becomes turned turns
    aged age old older younger young who whose which where while whilst although though
    because since until unless than then there here now just only even still also too very
    really quite rather almost nearly always never often sometimes usually already again soon
    has's isn't doesn't won't can't didn't hasn't aren't wasn't weren't haven't couldn't
    with without about above after before during into onto over under up down out off
    is's yet not no yes ok okay please thanks sorry well so too such same other another more
    most less least much many few lot lots bit little big small new
    """.split()
)
_NOT_NAMES = _WORDS | _PLACES
_NOT_NAMES_TITLED = frozenset(t.title() for t in _NOT_NAMES)
_PROTECTED = re.compile(
    r"(?i)\b(?:children and families act|send code of practice|code of practice|equality act"
    r"|education act|care act|first[- ]tier tribunal|upper tribunal|(?:high|county|crown|supreme)"
    r" court|court of appeal|section [a-k]\b|local offer|isle of wight|milton keynes"
    r"|secretary of state|department for education|north lincolnshire|north east lincolnshire)"
)
_TOKEN = r"(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_NEXT_TOKEN = re.compile(rf"[ \t]+({_TOKEN})\b")
# Public helplines are never personal data. Only 01, 02, 03 and 07 numbers are redacted at all
# (08 numbers belong to organisations); this list guards the helplines whatever the shape.
_HELPLINES = frozenset({"08001111", "116123", "116111", "08088005000", "999", "111", "112"})
_SOFT_KINDS = frozenset({"NAME", "SCHOOL", "ADDRESS"})  # never inside a protected legal term
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # the 23 check letters: no I, O or S
_NI_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


@cache
def first_names() -> frozenset[str]:
    """The shipped first-name list, lower-cased; read once, on first use."""
    raw = resources.files("assistant").joinpath("data/first_names.txt").read_text("utf-8")
    return frozenset(n.strip().lower() for n in raw.splitlines() if n.strip()[:1].isalpha())


def nhs_number_is_valid(number: str) -> bool:
    """True when a 10-digit NHS number passes the modulus 11 check (separators ignored).

    >>> nhs_number_is_valid("943 476 5919"), nhs_number_is_valid("943 476 5918")
    (True, False)
    """
    digits = [int(d) for d in re.sub(r"\D", "", number)]
    if len(digits) != 10:
        return False
    check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1))) % 11
    return check != 10 and check % 11 == digits[9]


def upn_is_valid(upn: str) -> bool:
    """True when a 13-character unique pupil number carries the right check letter (DfE mod 23).

    >>> upn_is_valid("B801200005001"), upn_is_valid("A801200005001")
    (True, False)
    """
    upn = upn.upper()
    if not re.fullmatch(rf"[{_UPN_LETTERS}]\d{{11}}[\d{_UPN_LETTERS}]", upn):
        return False
    values = [int(c) if c.isdigit() else _UPN_LETTERS.index(c) for c in upn[1:]]
    return _UPN_LETTERS[sum(v * w for v, w in zip(values, range(2, 14))) % 23] == upn[0]


def _phone_ok(m: re.Match[str]) -> bool:
    national = "0" + re.sub(r"\D", "", m["num"])
    return national[1] in "1237" and not {national, re.sub(r"\D", "", m[0])} & _HELPLINES


def _ni_ok(m: re.Match[str]) -> bool:
    return m["pii"][:2].upper() not in _NI_BAD_PREFIXES


def _postcode_ok(m: re.Match[str]) -> bool:
    code = m["pii"]  # "y6 2nd" and "y62nd" are a year group, not a postcode
    return code.isupper() or not re.search(r"\d(?:st|nd|rd|th)$", code.lower())


def _address_ok(m: re.Match[str]) -> bool:
    return not set(m["street"].lower().split()) & {"on", "the", "to", "a", "in", "of", "at", "and",
                                                   "down", "up"}


def _is_name(token: str, *, strict: bool = False, cued: bool = False) -> bool:
    """Could `token` be a person's name? Strict: it must be on the first-name list. A lower-case
    or capital-letters token needs the list too, unless a strong cue ("my son ...", "called ...")
    stands before it and it is no everyday word."""
    low = token.lower()
    if low in _NOT_NAMES:
        return False
    if strict or not _titled(token):
        on_list = low.split("-")[0] in first_names()
        return on_list or (cued and not strict and _uncommon(low))
    return True


def _titled(token: str) -> bool:
    return token[:1].isupper() and not token.isupper()


def _uncommon(word: str) -> bool:
    return (word not in _COMMON and word not in _NOT_NAMES and not word.endswith("ly") and len(word) > 1
            and word.replace("-", "").isalpha())


def _name_ok(m: re.Match[str]) -> bool:
    if "next" in m.re.groupindex and m["next"] is not None:  # weak cue: needs a full name
        return _is_name(m["pii"]) and _is_name(m["next"]) and not m["next"][:1].islower()
    return _is_name(m["pii"])


def _cued_name_ok(m: re.Match[str]) -> bool:
    return _is_name(m["pii"], cued=True)


def _finder(
    kind: str, pattern: str, accept: Callable[[re.Match[str]], bool] | None = None, flags: int = 0
) -> _Finder:
    """A finder yielding (start, end, kind) for each accepted match: its "pii" group, or all."""
    compiled = re.compile(pattern, flags)
    group = "pii" if "pii" in compiled.groupindex else 0

    def find(text: str) -> Iterator[_Hit]:
        for m in compiled.finditer(text):
            if accept is None or accept(m):
                yield m.start(group), m.end(group), kind

    return find


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_ORDINAL_WORDS = (r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
                  r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
                  r"|twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth"
                  r"|thirty[- ]first)")
_DAY = rf"(?:\d{{1,2}}(?!\d)(?:st|nd|rd|th)?|{_ORDINAL_WORDS})"
_DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}"
         rf"|{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{4}}"
         rf"|{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?)(?!\d)")
_DOB_CUE = (r"\b(?:born(?:\s+on|\s+in)?|d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday)"
            r"[\s:=-]*(?:(?:is|was|on|of|the|in)\s+){0,3}")
_STREET = (r"Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Court|Gardens|Place"
           r"|Terrace|Grove|Mews|Walk|Row|Square|Rise|Hill|Park|View|Green|Parade|Vale")
_PERSON = (r"son|daughter|child|kid|baby|boy|girl|grandson|granddaughter|nephew|niece|stepson"
           r"|stepdaughter|foster\s+(?:son|daughter|child)|twins?|ds|dd|brother|sister|partner"
           r"|husband|wife|caseworker|worker|officer|teacher|senco|head|ta|doctor|friend|lady|man"
           r"|woman|guy|person|someone")
_AGE = (r"(?:\d{1,2}(?![\d:/%]|[.,]\d)|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
        r"|twelve)")
_DIAGNOSIS = (r"(?i:(?:a\s+|an\s+|suspected\s+|severe\s+|complex\s+)*(?:autism|asd|adhd|add|pda"
              r"|dyslexia|dyspraxia|dyscalculia|epilepsy|cerebral|down|global|diagnosis|ehcp|ehc"
              r"|speech|learning|sensory|hearing|anxiety|selective|tourette|ocd|spd|sen\b))")
_NAME = rf"(?P<pii>{_TOKEN}|[a-z]+(?:-[a-z]+)?|[A-Z]{{2,}}(?:-[A-Z]{{2,}})?)"
_OWNER = r"(?:my|his|her|their|our|your)"

# Highest priority first: where two hits overlap, the earlier rule wins.
_FINDERS: tuple[_Finder, ...] = (
    _finder("EMAIL", r"(?<![\w.%+'-])[\w.%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
    _finder("EMAIL", r"(?i)\b[a-z0-9._-]+(?:\s+dot\s+[a-z0-9_-]+)*\s+(?:at|\(at\)|\[at\])\s+[a-z0-9-]+"
            r"(?:\s+dot\s+[a-z0-9-]+)+\b"),
    _finder("UPN", r"(?i:\b(?:upn|unique\s+pupil\s+number)\s*(?:is|no\.?)?[\s:=-]*)"
            r"(?P<pii>[A-Za-z]\d{11}[0-9A-Za-z])\b"),
    _finder("UPN", r"\b(?P<pii>[A-Za-z]\d{11}[0-9A-Za-z])\b", lambda m: upn_is_valid(m["pii"])),
    _finder("NI_NUMBER", r"(?i:\b(?:ni|n\.i\.|national\s+insurance)\s*(?:number|no\.?|num)?"
            r"\s*(?:is)?[\s:=-]*)(?P<pii>[A-Za-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-Da-d]?)\b"),
    _finder("NI_NUMBER", r"\b(?P<pii>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z](?:\d{6}|(?: \d\d){3} ?)"
            r"[A-D])\b", _ni_ok, re.IGNORECASE),
    _finder("NHS_NUMBER", r"(?i:\bnhs\s*(?:number|no\.?|num|#)?\s*(?:is)?[\s:=-]*)"
            r"(?P<pii>\d(?:[\s-]?\d){9})(?!\d)"),
    _finder("NHS_NUMBER", r"(?<![\d.,])(?P<pii>\d{3}[ -]?\d{3}[ -]?\d{4})(?!\d|[.,]\d)",
            lambda m: nhs_number_is_valid(m["pii"])),
    _finder("DATE_OF_BIRTH", rf"(?i:{_DOB_CUE})(?P<pii>(?i:{_DATE}))"),
    _finder("DATE_OF_BIRTH", rf"(?P<pii>(?i:{_DATE}))\s*\(?\s*(?i:d\.?o\.?b\b|date of birth)"),
    _finder("PHONE", r"(?<![\w+])(?:(?:\+|00)44[\s-]?(?:\(0\)[\s-]?)?|\(?0)"
            r"(?P<num>\d(?:[\s)-]{0,2}\d){8,9})(?!\d)", _phone_ok),
    _finder("POSTCODE", r"\b(?P<pii>[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b",
            _postcode_ok, re.IGNORECASE),
    _finder("POSTCODE", r"(?i:\b(?:post\s?code\s*(?:is|of)?[\s:=-]*|(?:moved|move|moving|live|living|lives)"
            r"\s+(?:to|in|at)\s+))(?P<pii>[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", None,
            re.IGNORECASE),
    _finder("POSTCODE", r"(?i:\bpost\s?code\s*(?:is|of)?[\s:=-]*)"
            r"(?P<pii>[A-Za-z]{1,2}\d[A-Za-z\d]?)\b"),
    _finder("ADDRESS", rf"\b(?:(?:Flat|Apartment|Apt|Unit)\s+\d+[A-Za-z]?,?\s+)?"
            rf"\d{{1,4}}[A-Za-z]?,?\s+(?P<street>(?:[A-Z][a-z'’-]+\s+){{1,3}})(?:{_STREET})\b\.?",
            _address_ok),
    _finder("ADDRESS", r"(?i)\b(?:flat\s+\d+[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+"
            r"(?!(?:weeks?|days?|months?|years?|hours?|minutes?|miles?|mins?)\b)"
            r"(?P<street>(?:[a-z'’-]+\s+){1,2})"
            r"(?:road|street|avenue|lane|crescent|terrace|grove|gardens)\b", _address_ok),
    # A street without a house number: a named road ("Maple Drive"), or any street after "live on".
    _finder("ADDRESS", r"\b(?P<street>(?:[A-Z][a-z'’-]+\s+){1,3})(?:Road|Street|Avenue|Lane|Close|Drive"
            r"|Crescent|Terrace|Grove|Gardens|Mews)\b", lambda m: _named(m["street"])),
    _finder("ADDRESS", rf"(?i:\b(?:live|lives|living|lived|moved|move|moving|staying|stay|address\s+is)\s+"
            rf"(?:on|in|at|to|off)\s+)(?P<pii>(?P<street>(?:[a-z'’-]+\s+){{1,3}}?)(?i:{_STREET})\b)",
            lambda m: _named(m["street"])),
)


def _named(words: str) -> bool:
    """True when a street's words hold a proper name, not only everyday words ("the same road")."""
    return any(w.lower().strip("'’-") not in _NOT_NAMES for w in words.split())
_SCHOOL = re.compile(
    r"\b(?:(?:St|Saint)\.?\s+)?(?:[A-Z][a-z'’-]+\s+){1,4}?(?:(?:C of E|CofE|CE|RC)\s+)?"
    r"(?:(?:Primary|Infant|Junior|High|Secondary|Grammar|Special|Community|Catholic)\s+){0,2}"
    r"(?:School|Academy|College|Primary|Infants|Juniors|Nursery)\b"
)
_NAME_FINDERS: tuple[_Finder, ...] = (
    _finder("NAME", rf"(?i:\b{_OWNER}\s+(?:{_PERSON})(?:['’]s\s+name\s+is|\s+is\s+called|\s+called"
            rf"|\s+named)?,?\s+){_NAME}\b", _cued_name_ok),
    _finder("NAME", rf"(?i:\b{_OWNER}\s+(?:{_PERSON})\s+is,?\s+){_NAME}\b", _name_ok),
    _finder("NAME", rf"(?i:\b(?:name\s+is|name['’]s|name:|known\s+as|signed(?:\s+by)?"
            rf":?|dear|(?:many\s+)?thanks,?|thank\s+you,?|regards,?|best\s+wishes,?|cheers,?)\s+)"
            rf"{_NAME}\b", _name_ok),
    _finder("NAME", rf"(?i:\b(?:is|was|are|am|be|been|['’]s|['’]re|{_PERSON})\s+"
            rf"(?:called|named)\s+){_NAME}\b", _cued_name_ok),
    _finder("NAME", rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+(?P<pii>{_TOKEN})\b",
            lambda m: m["pii"].lower() not in _WORDS),
    _finder("NAME", rf"(?i:\b(?:i['’]?m|i\s+am|this\s+is|it['’]s|from)\s+)(?P<pii>{_TOKEN})"
            rf"(?=[ \t]+(?P<next>{_TOKEN})\b(?![ \t]+[A-Z]))", _name_ok),
    _finder("NAME", rf"\b{_NAME}(?:,\s*|\s+)(?:(?:who|that)\s+)?(?:is|was|is\s+now"
            rf"|turned|has\s+just\s+turned|aged?)\s+{_AGE}\b(?!\s*(?:weeks?|days?|months?|hours?"
            rf"|minutes?|miles?|working|per|%))", _name_ok),
    _finder("NAME", rf"\b(?P<pii>{_TOKEN})(?:\s*\(|,)\s*(?:aged?\s*)?\d{{1,2}}"
            rf"(?:\)|,|\s*(?:yrs?|years?|yo)\b)", _name_ok),
    _finder("NAME", rf"\b{_NAME}\s+(?:has|had|(?:was|is)\s+diagnosed\s+with"
            rf"|got\s+(?:a\s+)?diagnosis\s+of)\s+{_DIAGNOSIS}", _name_ok),
    _finder("NAME", rf"\b(?P<pii>{_TOKEN})\s+is\s+(?i:autistic|dyslexic|deaf|blind|non-?verbal)\b",
            _name_ok),
    _finder("NAME", rf"\b(?P<pii>{_TOKEN})\b", lambda m: _is_name(m["pii"], strict=True)),
)


_SCHOOL_GENERIC = _NOT_NAMES | {"st", "saint", "c", "e", "ce", "rc", "cofe"}


def _plain(word: str) -> str:
    return re.sub(r"['’]s$|\.$", "", word).lower()


# A school named in lower case after "at", "to", "attends"...: "at st marys primary".
_SCHOOL_LOWER = re.compile(
    r"(?i)\b(?:at|attends?|attending|from|(?:goes|go|going|went|moved|moving)\s+to|called|named)\s+"
    r"(?P<pii>(?:(?:st|saint)\.?\s+)?(?:[a-z'’-]+\s+){1,3}?(?:(?:c\s+of\s+e|cofe|ce|rc)\s+)?"
    r"(?:(?:primary|infant|junior|high|secondary|grammar|special|community|catholic)\s+){0,2}"
    r"(?:school|academy|college|primary|infants|juniors|nursery))\b"
)
# A school with no "School" in its name, after "goes to" or "attends": "He goes to Brookfield".
_SCHOOL_CUED = re.compile(
    rf"\b(?i:(?:goes|go|going|went|moved|moving)\s+to|attends?|attending)\s+(?:the\s+)?"
    rf"(?P<pii>{_TOKEN}(?:[ \t]+{_TOKEN}){{0,2}})\b"
)


def _schools(text: str) -> Iterator[_Hit]:
    for m in _SCHOOL_LOWER.finditer(text):
        words = [_plain(w) for w in m["pii"].split()]
        if any(w not in _SCHOOL_GENERIC for w in words) and not any(w in _COMMON for w in words):
            yield m.start("pii"), m.end("pii"), "SCHOOL"
    for m in _SCHOOL_CUED.finditer(text):
        if all(_plain(w) not in _NOT_NAMES for w in m["pii"].split()):
            yield m.start("pii"), m.end("pii"), "SCHOOL"
    for m in _SCHOOL.finditer(text):
        words = list(re.finditer(r"\S+", m.group()))
        while words and _plain(words[0].group()) in _NOT_NAMES:  # "The", "At"...
            words.pop(0)
        if words and any(_plain(w.group()) not in _SCHOOL_GENERIC for w in words):
            yield m.start() + words[0].start(), m.end(), "SCHOOL"


_NEXT_WORD = re.compile(r"[ \t]+([a-z]+(?:['’-][a-z]+)?)\b")
_NEXT_CAPITALS = re.compile(r"[ \t]+([A-Z]{2,}(?:['’-][A-Z]+)?)\b")


def _with_surname(text: str, hit: _Hit) -> _Hit:
    """Grow a name hit over up to two following capitalised names ("Amelia Rose Hughes"), or,
    for a name typed in lower case, over one following word that is no everyday word
    ("ethan walsh")."""
    start, end, kind = hit
    typed = text[start:end]
    if typed.islower() or (typed.isupper() and len(typed) > 1):
        m = (_NEXT_WORD if typed.islower() else _NEXT_CAPITALS).match(text, end)
        return (start, m.end(), kind) if m and _uncommon(m[1].lower()) else hit
    for _ in range(2):
        m = _NEXT_TOKEN.match(text, end)
        if not m or m[1].lower() in _NOT_NAMES:
            break
        end = m.end()
    return start, end, kind


def _repeats(text: str, hits: list[_Hit]) -> Iterator[_Hit]:
    """Every other mention of a name already found ("Ellis's bus ... Ellis is 15")."""
    tokens = {t for s, e, kind in hits if kind == "NAME" for t in re.findall(_TOKEN, text[s:e])}
    for token in tokens - _NOT_NAMES_TITLED:
        for m in re.finditer(rf"\b{re.escape(token)}\b", text):
            yield m.start(), m.end(), "NAME"


def _overlapping(spans: list[_Hit], start: int, end: int) -> range:
    """Indexes of the sorted, disjoint `spans` that overlap [start, end)."""
    first = bisect_left(spans, (start,))
    if first and spans[first - 1][1] > start:
        first -= 1
    last = first
    while last < len(spans) and spans[last][0] < end:
        last += 1
    return range(first, last)


def _resolve(text: str, hits: list[_Hit]) -> list[_Hit]:
    """Keep hits in priority order. A name running into a kept hit is cut short, not dropped;
    names that overlap become one ("Poppy" + "Poppy Hughes")."""
    kept: list[_Hit] = []  # sorted by start, never overlapping
    for start, end, kind in hits:
        for i in _overlapping(kept, start, end):
            k_start, _, k_kind = kept[i]
            if not kind == k_kind == "NAME":
                end = k_start if kind == "NAME" and start < k_start else start
                break
        end = start + len(text[start:end].rstrip(" \t,"))
        if end <= start:
            continue
        names = _overlapping(kept, start, end)  # only names are left to overlap
        if names:
            start, end = min(start, kept[names[0]][0]), max(end, kept[names[-1]][1])
            del kept[names.start : names.stop]
        insort(kept, (start, end, kind))
    return kept


def redact(text: str) -> Redaction:
    """Replace the personal data in `text` with typed placeholders such as [NAME] or [PHONE].

        >>> redact("Call me on 07700 900123 or Childline on 0800 1111").text
        'Call me on [PHONE] or Childline on 0800 1111'
    """
    text = visible(text)
    protected = [(*m.span(), "") for m in _PROTECTED.finditer(text)]
    hits = [hit for find in _FINDERS for hit in find(text)]
    hits += _schools(text)
    hits += (_with_surname(text, hit) for find in _NAME_FINDERS for hit in find(text))
    hits += list(_repeats(text, hits))
    hits = [(s, e, kind) for s, e, kind in hits
            if kind not in _SOFT_KINDS or not _overlapping(protected, s, e)]
    parts: list[str] = []
    found: dict[str, int] = {}
    position = 0
    for start, end, kind in _resolve(text, hits):
        parts += [text[position:start], f"[{kind}]"]
        found[kind] = found.get(kind, 0) + 1
        position = end
    parts.append(text[position:])
    return Redaction("".join(parts), found)
