"""Is this about SEND in England? Redirect Wales, Scotland, Northern Ireland, abroad, off-topic.

A devolved nation is recognised by place names, its own system (ALN, ALNCo, IDP; ASN, ASL,
CSP, GIRFEC; statement of SEN with the EA, SENDIST NI) and its tribunals. A mention only
counts as *where the family is* when nothing marks it as in passing: "moved from Wales",
"used to live in Glasgow", "if we move to Scotland", "in Scotland they have..." are in
passing. Someone who says they live in England (or names an English place) is answered.
A message with no place at all is answered too. Non-SEND topics (tax, visas, passports,
recipes, coding...) are redirected only if the message has no SEND content at all.

    >>> check(fold("we're in Belfast. can I appeal his statement of SEN to the tribunal in England?"))
    'northern_ireland'
    >>> check(fold("we moved from Wales to Leeds, does his IDP carry over?")) is None
    True
    >>> check(fold("what's a good recipe for brownies")), check(fold("can the LA refuse?"))
    ('non_send', None)
"""

from __future__ import annotations

import re

from assistant.guardrails._text import any_of, fold, has_send_terms

__all__ = ["check", "fold"]

PLACES = {
    "wales": (
        r"wales|welsh|cymru|cardiff|swansea|wrexham|wrecsam|caerphilly|rhondda|bridgend|merthyr|"
        r"pontypridd|llanelli|aberystwyth|carmarthen\w*|pembrokeshire|ceredigion|conwy|gwynedd|"
        r"anglesey|ynys mon|denbighshire|flintshire|powys|monmouthshire|torfaen|blaenau gwent|"
        r"glamorgan|neath|port talbot|rhyl|llandudno|caernarfon|haverfordwest|cwmbran|ebbw vale|"
        r"brecon|holyhead|prestatyn|colwyn bay|abergavenny|aberdare|penarth|newport,? (?:gwent|"
        r"south wales)"),
    "scotland": (
        r"scotland|scottish|glasgow|edinburgh|aberdeen\w*|dundee|inverness|stirling\w*|fife|falkirk|"
        r"ayrshire|lanarkshire|renfrewshire|dunbartonshire|\w*lothian|dumfries|galloway|highland "
        r"council|moray|clackmannanshire|inverclyde|paisley|livingston|kilmarnock|motherwell|"
        r"east kilbride|cumbernauld|kirkcaldy|dunfermline|greenock|shetland|orkney|hebrides|"
        r"argyll|perthshire"),
    "northern_ireland": (
        r"northern ireland|n\.? ?i\b(?! (?:number|no|contributions?|insurance))|belfast|derry|"
        r"londonderry|newry|lisburn|armagh|ballymena|coleraine|omagh|enniskillen|antrim|"
        r"co\.? down|county down|fermanagh|tyrone|craigavon|portadown|newtownabbey|"
        r"carrickfergus|larne|strabane|dungannon|banbridge|downpatrick"),
    "elsewhere": (
        r"(?:republic of )?ireland|dublin|cork|galway|limerick|usa|united states|america|canada|"
        r"australia|new zealand|france|spain|portugal|germany|italy|netherlands|dubai|uae|india|"
        r"pakistan|nigeria|south africa|singapore|hong kong|ohio|texas|california|new york|"
        r"florida|ontario|queensland|victoria australia"),
}
SYSTEMS = {
    "wales": (
        r"aln|alnco|alncos|alnet|additional learning needs|individual development plans?|idps?|"
        r"aln code|education tribunal for wales|sentw|snap cymru"),
    "scotland": (
        r"asn|additional support needs|additional support for learning|asl act|co ?ordinated "
        r"support plans?|csps?|asn tribunal|health and education chamber|girfec|getting it right "
        r"for every child|curriculum for excellence|enquire\.org\w*"),
    "northern_ireland": (
        r"sendist ?\(?ni\)?|sendist northern ireland|send act \(?ni\)?|senac|childrens law centre|"
        r"sen code of practice (?:for )?(?:ni|northern ireland)"),
    "elsewhere": r"504 plans?|school district|ndis|seno|snas?|ncse|idea act",
}
# Weak alone: "statement" is also an old English word for an EHC plan.
WEAK_NI = re.compile(any_of(r"statement of (?:sen|special educational needs)|statemented|"
                            r"the ea|education authority|stage [1-5] of the code"))
ENGLAND = re.compile(any_of(
    r"english (?:la|las|council|local authority|law|system|tribunal|ehcp|school|county)|"
    r"london|birmingham|manchester|liverpool|leeds|sheffield|bristol|newcastle|nottingham|"
    r"leicester|coventry|bradford|hull|stoke|wolverhampton|derby|southampton|portsmouth|plymouth|"
    r"luton|milton keynes|northampton|norwich|(?<!new )york|oxford|cambridge|brighton|bournemouth|"
    r"exeter|gloucester|swindon|peterborough|ipswich|colchester|chelmsford|southend|sunderland|"
    r"middlesbrough|durham|gateshead|darlington|stockport|bolton|wigan|oldham|rochdale|salford|"
    r"trafford|tameside|warrington|blackpool|blackburn|preston|lancaster|carlisle|cumbria|kent|"
    r"surrey|essex|\w*sussex|hampshire|devon|cornwall|dorset|somerset|wiltshire|berkshire|"
    r"(?!aberdeen|perth|stirling|ayr|lanark|renfrew|dunbarton|clackmannan|carmarthen|pembroke|"
    r"denbigh|flint|monmouth)\w+shire|norfolk|suffolk|yorkshire|merseyside|northumberland|isle of wight|croydon|barnet|"
    r"hackney|lambeth|southwark|camden|islington|bromley|enfield|ealing|lewisham|wandsworth|"
    r"haringey|newham|tower hamlets|greenwich|harrow|hillingdon|hounslow|kingston|merton|"
    r"redbridge|richmond|sutton|bexley|brent|waltham forest|havering|westminster|kensington|"
    r"hammersmith|wirral|sefton|knowsley|doncaster|rotherham|barnsley|wakefield|kirklees|"
    r"calderdale|huddersfield|halifax|medway|slough|windsor|wokingham|solihull|walsall|sandwell|"
    r"dudley|telford|rutland|torbay|thurrock|halton|stockton|hartlepool|redcar"))
RESIDENCE = (r"(?:(?:we|were|i|im|my \w+|he|hes|she|shes|they|theyre)(?: are| am| is| now| "
             r"currently| still| all)? (?:\w+ )?(?:live|living|lives|based|reside|resident|settled|"
             r"staying|stay)(?: \w+)? in|(?:were|im|i am|we are|hes|shes|he is|she is) (?:now |"
             r"currently |still |all )?in|here in|(?:our|my|the) (?:la|council|local authority) "
             r"is(?: in)?)")
_FROM = (r"came|come|relocated|transferred|originally|born|from|used to live in|lived in|previously in|"
         r"holiday|trip|visit\w*|family|grandparents|cousins?|relatives|nan|gran|niece|nephew|"
         r"sister|brother|aunt|auntie|uncle|friends?")
_TOWARDS = (r"moved(?: to)?|moving(?: to)?|move to|going to|go to|relocat\w*(?: to)?|cross border|unlike|"
            r"compared (?:to|with)|same as|different from|like in|name|naming|named|placement|placing|"
            r"placed|residential|independent|boarding|specialist")
PASSING_FROM = re.compile(rf"\b(?:{_FROM})(?: (?!to\b|into\b)\w+){{0,3}} $")
PASSING = re.compile(rf"\b(?:{_FROM}|{_TOWARDS})(?: (?!to\b|into\b)\w+){{0,3}} $")
COMPARE_AFTER = re.compile(r"^\W*(?: \w+)?\W*(?:they|there|theyve|has|have|uses?|do|does|had)\b")
OFF_TOPIC = re.compile(any_of(
    r"recipes?|cook(?:ing)?|bake|baking|brownies|cake|tax return|self assessment tax|hmrc|"
    r"income tax|council tax|vat|visas?|immigration|indefinite leave|citizenship|passports?|"
    r"mortgages?|car insurance|parking (?:ticket|fine|charge)|speeding|football|premier league|"
    r"weather|python|javascript|html|sql|(?:write|debug|fix) (?:\w+ )?(?:code|script|program)|"
    r"crypto|bitcoin|stocks|poem|song|lyrics|flights?|hotels?|dating|horoscope|capital of|jokes?|"
    r"films?|movies?|netflix|tv shows?|box sets?|music|restaurants?|gym|weight loss|diet plan|"
    r"mot|broadband|energy bills?|loan|credit cards?|pension|wedding|garden\w*|cricket|rugby|"
    r"tennis|golf|video games?|translate|lottery|vote|voting|election|political party|prime "
    r"minister|physics|chemistry|algebra|quantum|electric cars?|used cars?|cv|resume|cover letter|"
    r"job applications?"))
BENEFITS = re.compile(any_of(
    r"dla|disability living allowance|pip|personal independence payment|carers allowance|"
    r"universal credit|child benefit|motability|blue badge"))

_NATION = {k: re.compile(any_of(PLACES[k] + "|" + SYSTEMS[k])) for k in PLACES}
_RESIDENT = {k: re.compile(rf"\b{RESIDENCE} (?:\w+ )?{any_of(PLACES[k])}") for k in PLACES}
_ENGLAND_RESIDENT = re.compile(rf"\b{RESIDENCE} (?:\w+ )?(?:england\b|{ENGLAND.pattern})")
# "In England, is there...": a clause that starts by placing the question in England.
_ENGLAND_CLAUSE = re.compile(r"(?:^|[.;:?!,]\s*|\b(?:but|and|so|here|whereas)\s+)in england\b")


def check(folded: str) -> str | None:
    """Return "wales", "scotland", "northern_ireland", "elsewhere", "non_send", "benefits" or None."""
    nation = _where(folded)
    if nation:
        return nation
    if not has_send_terms(OFF_TOPIC.sub(" ", BENEFITS.sub(" ", folded))):
        if BENEFITS.search(folded):
            return "benefits"
        if OFF_TOPIC.search(folded):
            return "non_send"
    return None


def _where(folded: str) -> str | None:
    for nation, pattern in _RESIDENT.items():
        if pattern.search(folded) and not _ENGLAND_RESIDENT.search(folded):
            return nation
    if _ENGLAND_CLAUSE.search(folded) or any(
            not PASSING_FROM.search(_before(folded, m)) for m in ENGLAND.finditer(folded)):
        return None
    counts = {nation: sum(not _in_passing(folded, m) for m in pattern.finditer(folded))
              for nation, pattern in _NATION.items()}
    if len(WEAK_NI.findall(folded)) >= 2:
        counts["northern_ireland"] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else None


def _before(folded: str, match: re.Match[str]) -> str:
    return " " + folded[max(0, match.start() - 40):match.start()]


def _in_passing(folded: str, match: re.Match[str]) -> bool:
    before = _before(folded, match)
    return bool(PASSING.search(before) or COMPARE_AFTER.match(folded[match.end():match.end() + 20])
                and re.search(r"\b(?:in|unlike)\s*$", before))
