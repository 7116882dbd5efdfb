"""Risk patterns for harm the writer or the child may do to themselves, and a parent in crisis.

Patterns run on folded text (see ``_text.fold``: lower case, no apostrophes, "self harm").
Flags say which context may soften a match (see ``safety``): ``h`` history, ``d`` recorded
in a document, ``b`` a description of distressed behaviour. No flag: always urgent.

    >>> any(r.pattern.search("ive got the pills ready") for r in RULES)
    True

Harm from other people (abuse, domestic abuse, neglect, a missing child, danger) is in
``abuse_rules``; ``safety`` checks both tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SELF = r"(?:my ?self|him ?self|her ?self|them ?selves|them ?self|your ?self|our ?selves)"
KID = (r"(?:him|her|them|my (?:son|daughter|child|kid|kids|children|baby|boy|girl|twins|toddler)"
       r"|the (?:kids|children|baby|child))\b(?!s? feelings)")
METHOD = r"(?:pills|tablets|paracetamol|painkillers|razors?|blades?|noose|rope|ligature|bleach)"


@dataclass(frozen=True)
class Rule:
    reason: str
    flags: str
    pattern: re.Pattern[str]


def rule(reason: str, flags: str, *patterns: str) -> Rule:
    return Rule(reason, flags, re.compile("|".join(f"(?:{p})" for p in patterns)))


RULES: tuple[Rule, ...] = (
    rule("suicide", "h",
          rf"\b(?:kill|killing|kills|killed|hang|hanging|hanged|end|ending|off) {SELF}",
          r"\b(?:want|wants|wanted|wanting|wish|ready|going|try|tried|trying|plan\w*|thinking|thoughts?|"
          r"think|talk\w*|saying|says|said|keeps?) (?:\w+ ){0,3}?(?:to )?(?:die(?! (?:his|her|my|their) hair)|dying|be dead|end(?:ing)?"
          r" (?:it|it all|things|my life|his life|her life|everything)|stop (?:living|existing)|not "
          r"(?:be alive|exist))\b",
          r"\bend(?:ing)? (?:it all|my life|his life|her life|their life|my own life)\b",
          r"\b(?:dont|cant|do not|cannot) see (?:a|any) (?:future|point|way out)\b|\bsleep forever\b|"
          r"\b(?:its|it will|itll|this will|everything will|all) (?:all )?be over (?:soon|tonight|"
          r"tomorrow|by)\b|\ba burden (?:to|on) (?:everyone|everybody|you|them|my family|us)\b|"
          r"\b(?:happier|easier) (?:without|if) (?:me|i wasnt|i was gone|he was gone|she was gone)\b",
          r"\bbleed (?:out|to death)\b|\bhow long (?:does|would|will) it take to (?:die|bleed|drown|"
          r"suffocate|overdose)\b",
          r"\b(?:talk\w*|saying|says|said|mention\w*|going on|obsess\w*|goes on) about (?:cutting|"
          r"killing|dying|death|suicide|hurting (?:my|him|her) ?self|ending (?:it|his life|her life)|"
          r"self harm\w*|wanting to die)\b",
          r"\b(?:dont|doesnt|didnt|do not|does not) want to (?:be alive|live|exist|be around|"
          r"be here(?! (?:at|in|for|with|on) ))",
          r"\bbetter off (?:dead|gone|without (?:me|him|her))\b|\bnot worth living\b|\blife (?:isnt|is "
          r"not|aint|not) worth\b|\bgiv(?:e|es|ing|en) up on (?:life|living|myself|everything(?= *(?:$|"
          r"[.,!?]|even|and)))|\b(?:quickest|easiest|painless|fastest|surest|best) way to (?:die|kill|"
          r"end it|end my life)\b|\b(?:never|not) "
          r"(?:going to )?see (?:him|her|them|me|my \w+) again\b",
          r"\bwish(?:es|ed)? (?:i|he|she|they)(?: was| were| had| d)? (?:dead|never (?:been )?born|"
          r"not (?:here|alive)|gone)\b|\b(?:rather|sooner) (?:be )?(?:dead|die)\b",
          r"\bcant (?:go on|keep going)(?= *(?:$|[.!?,]|any ?more|living|with (?:life|this)\b))",
          r"\b(?:no|whats the|what is the|theres no) (?:reason|point) (?:to|in|of) (?:live|living|"
          r"life|being alive|going on|carrying on|being here)\b",
          r"\bwant (?:it all|everything|it|the pain|this) to (?:stop|end)\b(?! (?:happening|now))",
          r"\bhow (?:many|much) (?:\w+ ){0,4}(?:to (?:die|overdose|kill)|would (?:it take to|kill)|"
          r"to not wake up)|\bhow (?:do|to|can) (?:i |you )?(?:tie|make) (?:a )?noose\b",
          r"\b(?:jump\w*|throw\w* (?:my|him|her) ?self|lie down|lying down) (?:out of|off|from|in front "
          r"of|onto|on to) (?:a |the |his |her |my )?(?:\w+ )?(?:bridge|building|roof|train|tracks|cliff|"
          r"car park|motorway|window|balcony|bus|lorry|traffic)",
          r"\b(?:goodbye|suicide) (?:note|letter|message)s?\b|\bnote\b.{0,40}\bgoodbye\b|\bsaying "
          r"goodbye to (?:everyone|everybody|us|me|the family|all)\b|\bgiv\w* (?:all )?(?:his|her|my) "
          r"(?:stuff|things|belongings) away\b",
          r"\bbetter off if (?:i|he|she) (?:was|were|wasnt|werent|wasnt|was not) (?:not )?(?:around|"
          r"here|alive|dead|gone)",
          r"\b(?:never|not) (?:to )?wake up(?: again| ever)?\b(?! (?:in time|early|on time|for))",
          r"\b(?:disappear|vanish) (?:forever|for good|and never come back)\b",
          r"\b(?:nobody|no one|noone) (?:would|will|d) (?:\w+ )?(?:care|notice|miss (?:me|him|her)) "
          r"if (?:i|he|she) (?:was|were|wasnt|died|disappeared|left)"),
    rule("suicide", "hd", r"\bsuicid\w*"),
    rule("suicide", "h", r"\b(?:is|im|am|are|hes|shes|feel|feels|feeling|felt|been|gets) "
          r"(?:\w+ )?suicidal\b"),
    rule("self_harm", "h",
          rf"\b(?:cut|cuts|cutting|burn|burns|burning|burnt|burned|strangle|strangling|starve|"
          rf"starving|poison|poisoning|stab|stabbing|choke|choking) {SELF}",
          r"\bself ?harm(?:s|ing|ed)\b|\bligature\b|\bnoose\b|\boverdos\w*",
          rf"\b(?:going to|want to|wants to|threaten\w* to|plans? to|planning to|try to|tried to|"
          rf"trying to|will|ll|might) (?:\w+ )?(?:hurt|harm|cut|hit|injure) {SELF}",
          r"\bmak(?:e|es|ing) (?:my|him|her) ?self (?:sick|throw up|vomit)\b",
          r"\b(?:cuts|scratches|burns|marks|scars) (?:all )?(?:on|over|up|across|down) (?:his|her|my|"
          r"their) (?:arms?|legs?|wrists?|thighs?|stomach|body)\b",
          r"\b(?:hurt|hurting|hit|hitting|bite|biting|punch|punching|harm|harming) my ?self\b",
          r"\b(?:took|taken|take|swallowed|taking) (?:a (?:load|lot|bunch|handful) of |all (?:of )?|"
          r"loads of |too many |a whole (?:packet|box|bottle) of )(?:(?:my|his|her|the|their|mums|"
          r"dads) )?(?:\w+ )?(?:pills|tablets|paracetamol|meds|medication|painkillers)",
          rf"\b(?:got|have|has|saved|saving|stockpil\w*|hoard\w*|hiding|hidden|found|with) (?:\w+ )"
          rf"{{0,3}}?{METHOD} (?:ready|saved|hidden|stashed)\b|\b(?:with|got|has|found|hiding|hides) "
          rf"(?:a |the |some )?(?:razor|razor blades?|blades?)\b|\b{METHOD} ready\b"),
    rule("self_harm", "hd", r"\bself ?harm\b"),
    rule("self_harm", "hbd",
          r"\b(?:hurts|hurting|hits|hitting|bites|biting|scratches|scratching|punches|punching|"
          r"harms|harming|slaps|slapping|bangs|banging) (?:him|her|them) ?self",
          r"\bself ?injur\w*|\bstopped eating\b|\b(?:bangs|banging) (?:his|her|their|my) head\b"),
    rule("parent_crisis", "h",
          r"\b(?:im|i am|i will|ill|i might|i could|i want to|i feel like|i think i (?:will|might|"
          r"could)|(?:scared|afraid|worried|terrified|frightened) (?:that )?i (?:will|ll|might|could|"
          r"am going to|m going to)) (?:\w+ ){0,5}?(?:hurt|harm|hit|kill|smother|shake|strangle|"
          rf"suffocate|lose it with|lash out at|do something to) {KID}",
          rf"\bi (?:\w+ )?(?:hit|smacked|slapped|shook|shake|punched|hurt|hitting|shaking|smacking) {KID}",
          r"\bdo something (?:stupid|i (?:will|ll|would|d) regret|terrible|drastic)\b",
          r"\b(?:scared|afraid|frightened|terrified) of what i (?:might|will|ll|could) do\b",
          r"\b(?:walk|walking|run|running) (?:out|away) (?:on|from) (?:them|him|her|my (?:kids|"
          r"family|children|son|daughter))\b|\bgive (?:him|her|them) up\b",
          r"\b(?:leave|leaving|drop|dropping|dump|dumping|abandon\w*) (?:\w+ ){0,2}(?:at|with|"
          r"outside) (?:the )?(?:council|la|social services|social care|childrens services|police)",
          r"\b(?:put|putting|give|giving|hand|handing) (?:him|her|them|my \w+) (?:up |over )?"
          r"(?:in|into|to) (?:care|social services)\b"),
)
