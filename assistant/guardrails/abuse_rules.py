"""Risk patterns for harm from other people: abuse, domestic abuse, neglect, a missing child, danger.

Same format and flags as ``safety_rules`` (``h`` history, ``d`` document, ``b`` behaviour).

    >>> any(r.pattern.search("my stepdad hits me") for r in RULES)
    True
"""

from __future__ import annotations

from assistant.guardrails.safety_rules import Rule, rule

_WHO = (r"(?:step ?dad|step ?father|step ?mum|step ?mother|dad|father|mum|mother|mom|uncle|aunt|"
        r"auntie|grandad|grandpa|grandma|nan|gran|cousin|babysitter|childminder|carer|teacher|ta|"
        r"teaching assistant|staff|member of staff|coach|tutor|driver|escort|neighbour|man|guy|"
        r"bloke|woman|lodger|youth worker|adult|boyfriend|partner|girlfriend)")
# "my dad", "her mums boyfriend", "my girlfriends dad", "the taxi driver", "someone"
ADULT = (rf"(?:(?:my|his|her|our|their|the|a|an|this|that) (?:\w+s |birth |foster |older )?{_WHO}"
         r"|someone|somebody|mum|dad|stepdad|stepmum)")
# A pupil described as abusive to staff or classmates is a behaviour (exclusion) question.
STAFF_OR_PEERS = (r"(?:a |the |his |her |their |other |some )?(?:teachers?|staff|members? of staff|pupils?|"
                  r"peers?|classmates?|other (?:pupils|children|kids|students)|tas?|lunchtime staff|students?)\b")
# "a few abusive" (comments, emails) describes correspondence, not a child.
FEW = "".join(rf"(?<!{w} abusive)" for w in ("a few", "some", "several", "many", "the odd", "one or two"))
CONDUCT = r"(?:language|behaviou?rs?|comments?|remarks?|words|outbursts?)\b"
PARTNER = (r"(?:my|our|her|his|the|their) (?:partner|husband|hubby|wife|ex|ex husband|ex wife|"
           r"ex partner|boyfriend|girlfriend|fiance|other half|(?:kids|childrens|sons|daughters|"
           r"babys|baby) (?:dad|father|mum|mother))")
HURT_NOW = (r"(?:hits|beats|punches|kicks|slaps|chokes|strangles|burns|belts|hurts|abuses|touches|"
            r"rapes|molests|batters|grabs|drags|shakes|locks|throws things at|keeps hitting)")
HURT_PAST = (r"(?:hit|beat|punched|kicked|slapped|choked|strangled|burnt|burned|belted|hurt|abused|"
             r"touched|raped|molested|battered|grabbed|dragged|shook|locked|threw things at|pinned|"
             r"punch|kick|slap|choke|strangle|burn|belt|abuse|touch|rape|batter|grab|drag|shake)")
VICTIM = r"(?:me|him|her|us|them|my \w+|(?:his|her|my) (?:arm|wrist|neck|hair|face|throat))\b"


RULES: tuple[Rule, ...] = (
    rule("domestic_abuse", "h",
          rf"\b{PARTNER} (?:\w+ ){{0,4}}?(?:hits|hit|beats|beat|punch\w*|kick\w*|slap\w*|strangl\w*|"
          rf"chok\w*|pushe[sd]|shoved|threw|throws|attack\w*|assault\w*|raped|rapes|hurts|hurt|abuses|"
          rf"abused|will kill|going to kill|will hurt|going to hurt) {VICTIM}",
          rf"\b{PARTNER} (?:is|gets|was|can be) (?:\w+ )?(?:violent|abusive)\b",
          rf"\b{PARTNER} (?:\w+ ){{0,3}}?(?:threat\w* to (?:kill|hurt|stab|harm|take)|(?:is |keeps )?"
          rf"(?:smashing|wrecking|trashing|breaking) (?:up )?(?:the|our|my) (?:house|home|flat|place|"
          rf"things|stuff))",
          rf"\b(?:scared|afraid|terrified|frightened) (?:of |that )?{PARTNER}\b",
          r"\b(?:threatening|threatened|threatens|stalking|following|harassing) (?:me|us)\b(?! with "
          r"(?:fines?|court|prosecution|legal|action|exclusion|a fine|tribunal))",
          r"\b(?:were|we are|im|i am) hiding (?:from|in)\b"),
    rule("domestic_abuse", "hd", r"\bdomestic (?:abuse|violence)\b|\bcoercive control\w*"),
    rule("abuse", "", rf"\b{ADULT} (?:\w+ ){{0,4}}?{HURT_NOW} {VICTIM}"),
    # Any "hit/slap/grab... me/him/her": excused only as a child's distressed behaviour.
    rule("abuse", "hb",
          r"\b(?:hit|hits|hitting|beat|beats|beating|punch\w*|kick(?:s|ed|ing)?|slap\w*|chok(?:e|es|ed|"
          r"ing)|strangl\w*|stab\w*|grab(?:s|bed|bing)|drag(?:s|ged|ging)|shov\w*|batter\w*|"
          r"rap(?:e|ed|es|ing)|molest\w*|assault\w*|attack(?:s|ed|ing)?|burn(?:s|ed|t|ing)?) (?:me|him|"
          r"her|us|them|the kids|the children|my (?:son|daughter|child|kids|children|brother|sister|"
          r"baby|boy|girl|mum|wife|husband|partner)|(?:his|her|my) (?:face|neck|arm|wrist|throat|hair))"
          r"\b(?! (?:out|off|back|at|in|to|up on|over)\b)",
          r"\b(?:hurting|harming|abusing|hitting|beating|neglecting|starving) (?:her|his|their|the|my) "
          r"(?:kids|children|child|baby|son|daughter|little one)\b"),
    rule("abuse", "h",
          rf"\b{ADULT} (?:\w+ ){{0,4}}?(?:used to |has |have |had |would |keeps )?{HURT_PAST} {VICTIM}",
          r"\b(?:was|been|being|is|gets|got|get) (?:\w+ )?(?:hit|beaten|abused|touched|raped|"
          r"assaulted|attacked|strangled|choked|kicked|punched|slapped|molested|groomed|exploited|"
          r"battered|sexually \w+) by (?!(?:the |a |an |his |her |my |another |other )?(?:school|la|"
          r"council|local authority|system|decision|panel|tribunal|car|bus|ball|pupils?|child|"
          r"children|kids?|boys?|girls?|students?|classmates?)\b)",
          r"\btouch(?:es|ed|ing)? (?:me|him|her|them)\b(?=.{0,60}\b(?:night|bed|bedroom|room|private|"
          r"inappropriat\w*|secret|down there|sexual|dont like|didnt like|scared|uncomfortable)\b)",
          r"\b(?:night|bed|bedroom|room|private|secret|sexual)\b.{0,60}\btouch(?:es|ed|ing)? (?:me|him|"
          r"her|them)\b|\btouch(?:es|ed|ing)? (?:my|his|her) (?:legs?|thighs?|bum|bottom|chest|breasts?|"
          r"privates?|private parts|knees?)\b",
          r"\b(?:wont|doesnt|will not|isnt|never) (?:let|allow)(?:ing)? me (?:to )?(?:go to school|leave "
          r"the house|go out|see my friends|have a phone|eat)\b",
          r"\bgroom(?:ed|ing) (?:me|him|her|them|my \w+)\b|\bbeing groomed\b",
          r"\b(?:comes?|coming|came|gets|getting|got) into (?:my|her|his) (?:room|bed|bedroom)\b.{0,40}"
          r"\b(?:night|dont like|scared|touch\w*)|\b(?:dont|didnt|do not) like (?:what|it when) (?:he|"
          r"she|they) (?:does|did|do)\b|\bdoes (?:things|stuff) to (?:me|him|her)\b",
          r"\b(?:burns|bruis\w*|marks|cuts|injur\w*|broken (?:arm|leg|wrist|bone))\b.{0,60}\b(?:wont|"
          r"wouldnt|cant|refuses to|didnt|doesnt|wont) (?:say|explain|tell)\b",
          r"\b(?:scared|afraid|terrified|frightened)\b (?:that )?(?:he|she|they|hes|shes|theyre|my \w+)"
          r"(?: is| are| will|ll)? (?:going to |gonna )?(?:hurt|hit|kill|beat|attack|harm|rape|stab|"
          r"strangle) (?:me|us)(?: again)?\b",
          r"\b(?:locked|locks|shut) (?:in|inside) (?:his|her|their|my|a|the) (?:room|bedroom|cupboard|"
          r"shed|house|garage)\b|\bmade to (?:sleep|stay|live) (?:in|on|outside)\b|\bsleep(?:ing|s)? "
          r"in the (?:garden|shed|garage)\b",
          r"\bif (?:i|you|he|she|we) (?:ever )?tell (?:anyone|anybody|someone|the teacher|school|my mum|"
          r"my dad|mum|dad)\b|\bflinch\w*",
          r"\b(?:a|some|this|an older|a strange) (?:man|guy|bloke|woman|stranger|adult)\b.{0,80}\b"
          r"(?:talking to|messag\w*|follow\w*|approach\w*|waiting for|giving|offer\w*|touch\w*|"
          r"photograph\w*|watching) (?:my (?:son|daughter|kid|child|boy|girl)|our \w+|him|her|the kids|"
          r"the children)\b",
          r"\b(?:told|tells|said to|says to|asked|asks|made|makes) (?:him|her|them|me|my \w+) (?:not to|"
          r"never to|to never|to not) tell\b|\b(?:its|it is|thats|its our) (?:a |our )?(?:little )?"
          r"secret\b|\bkeep (?:it|this|them|things) (?:a )?secret\b",
          r"\bmakes? (?:me|him|her) do (?:things|stuff|sexual)|\bmade (?:me|him|her) do (?:things|stuff)",
          r"\b(?:asking|asked|asks|pressur\w+) (?:me|him|her|them) (?:\w+ )?(?:for |to send )"
          r"(?:pictures|photos|pics|nudes|selfies|videos)\b",
          r"\b(?:online|snapchat|instagram|tiktok|discord|roblox|whatsapp|facebook|xbox|fortnite)\b"
          r".{0,80}\b(?:meet (?:up|her|him|me)|wants to meet|money|gifts?|secret)\b",
          r"\bolder (?:guy|man|men|bloke|lad|boy|woman|girl)s?\b.{0,60}\b(?:money|gifts?|presents|"
          r"secret|meet|pictures|photos|drugs)\b",
          r"\bblackmail\w*|\bcounty lines\b|\b(?:selling|sell|running|carrying|deliver\w*) drugs\b"),
    rule("abuse", "hd",
          r"\bsexual(?:ly)? (?:abus\w*|assault\w*|exploit\w*|touch\w*)|\brap(?:e|ed|es)\b|\bmolest\w*",
          r"\binappropriate(?:ly)? touch\w*|\bnudes?\b|\bnaked (?:pictures|photos|pics)|\bsextort\w*",
          r"\bindecent (?:images|pictures|photos)\b|\bchild (?:criminal |sexual )?exploitation\b",
          rf"(?<!tendency to physical )(?<!tendency to )\babus(?:e|ed|ing|ive)\b{FEW}(?! of)(?! (?:to|towards) {STAFF_OR_PEERS})(?! {CONDUCT})"
          r"|\bneglect(?:ed)?\b(?! (?:of|to|his|her|their|its|the))"),
    rule("abuse", "hb",
          r"\b(?:finger ?marks|hand ?prints?|hand marks|belt marks|cigarette burns|bite marks|black "
          r"eye|unexplained (?:bruis\w*|injur\w*|marks|burns))\b",
          r"\b(?:hell|shell|theyll|he will|she will|they will|he would|she would|hed|shed|going to|"
          r"gonna) (?:\w+ )?(?:kill|stab|batter|strangle) (?:me|us|him|her|them|my \w+)\b"),
    rule("neglect", "h",
          r"\b(?:drunk|high|intoxicated|under the influence|on drugs|off (?:her|his|their) face)\b.{0,60}"
          r"\b(?:collect\w*|pick\w* up|driv\w*|drove|looking after|in charge of|toddler|baby|kids|"
          r"children)\b|\b(?:collect\w*|pick\w* up|driv\w*|drove|looking after|in charge of)\b.{0,60}"
          r"\b(?:drunk|high|intoxicated|under the influence|on drugs)\b",
          r"\bno food (?:in the house|at home|for (?:days|\w+ days))\b|\bnothing to eat\b",
          r"\b(?:hasnt|havent|hadnt|didnt|not) (?:eaten|drunk|had (?:any(?:thing)? )?(?:food|to eat)|been "
          r"fed)(?: or (?:eaten|drunk|drank))?(?: anything)? (?:properly )?(?:for|in|since) (?:days|\w+ "
          r"days|yesterday|\d+ days)",
          r"\b(?:havent|hasnt|not|cant|couldnt|didnt) (?:fed|feed|feeding) (?:the kids|the children|"
          r"them|him|her|my \w+)\b|\b(?:no|cant afford) (?:money for )?food\b",
          r"\b(?:nobody|no one|noone) (?:is )?(?:feeds|feeding|looks after|looking after|cares for|caring "
          r"for|takes care of|to look after) (?:me|him|her|us|them|the kids|the children)\b",
          r"\b(?:kids|children|baby|they|he|she|my \w+) (?:are|is|been|were|was|have been|has been) "
          r"(?:\w+ )?(?:home )?alone (?:at home|in the (?:house|flat)|overnight|all (?:day|night)|tonight)",
          r"(?<!be )\bleft (?:\w+ )?(?:home )?alone (?:at home |in the house )?(?:all (?:day|night|"
          r"weekend)|for (?:days|hours|the (?:weekend|night)|\w+ days)|overnight|\d+ days)",
          r"\b(?:mum|mom|dad|parents?|carers?) (?:hasnt|havent|has not|have not) (?:been )?"
          r"(?:home|back)\b",
          r"\b(?:nowhere|no where|no place|dont have anywhere|havent got anywhere) (?:safe )?to "
          r"(?:sleep|stay|live)\b|\bnowhere to go tonight\b|\bsleeping (?:rough|in (?:the|a|our|my) "
          r"car|on the streets?)\b",
          r"\b(?:kicked|thrown|threw|chucked) (?:me|him|her|us) out\b(?! of (?:the )?(?:\w+ )?"
          r"(?:class|lessons?|school|room|classroom|club|nursery))"),
    rule("missing_child", "h",
          r"\b(?:is|has gone|went|gone|been|now|still|reported (?:him|her|them|my \w+)) missing\b"
          r"(?! (?:from )?(?:education|school|lessons?|class|classes|out|so|a|lots|days|sessions?|"
          r"therapy|time|work|support|provision|deadlines?|the|his|her|their|some|any|meals?|"
          r"breakfast|lunch|key|loads|most|half|weeks|months|schoolwork))",
          r"\b(?:going|goes|keeps going|went|gone) missing\b(?! (?:from )?(?:education|school|lessons?|"
          r"class|the classroom|classes))",
          r"\bmissing (?:since|for (?:over |nearly |almost )?(?:\d+|a|an|one|two|three|several|a few) "
          r"(?:hours?|days?|nights?)|overnight|from (?:home|the house|care))\b",
          r"\b(?:hasnt|has not|havent|didnt|did not|never|not) (?:come|came|got|made it|returned|been) "
          r"(?:back )?home\b(?! (?:until|till|til|on|with|in|by|happy|upset|before|after))",
          r"\b(?:hasnt|has not|havent|didnt|did not|not) (?:come|came|got|made it|been) back\b(?! (?:to "
          r"(?:me|us|you)|with|about|yet about|from the (?:la|council)))|\bnot back yet\b",
          r"\bran away\b(?! from (?:school|class|staff|the (?:classroom|teacher|ta|playground)|"
          r"lessons?))|\b(?:has|have|had) run away\b|\brun away from home\b",
          r"\b(?:cant|cannot|couldnt) find (?:him|her|them|my (?:son|daughter|child|kid|boy|girl))\b"
          r"(?! (?:a|an|any|the|somewhere|anywhere|suitable))",
          r"\b(?:dont|no one|nobody|noone|doesnt) knows? where (?:he|she|they|my (?:son|daughter|"
          r"child)) (?:is|are|has gone|went)\b|\b(?:hasnt|has not|not) been seen since\b",
          r"\bpolice (?:\w+ ){0,3}(?:looking|searching) for (?:him|her|them)\b",
          r"\b(?:wont|will not|refuses to|wouldnt|refused to) (?:tell|say) (?:me|us) where (?:he|she|they|"
          r"my \w+|our \w+) (?:is|are)\b|\bkidnap\w*|\babduct\w*|\btaken (?:\w+ ){0,4}?(?:abroad|out of "
          r"the country)\b|\b(?:snatched|drove off with|ran off "
          r"with|run off with) (?:our|my|the) (?:son|daughter|child|kids|children|baby)\b"),
    rule("immediate_danger", "h",
          r"\b(?:scared|afraid|frightened|terrified|dont want) to go (?:back )?home\b",
          r"\b(?:im|i am|were|we are|i|we) (?:\w+ )?(?:not|dont feel|do not feel|never feel) "
          r"(?:\w+ )?safe\b|\b(?:i feel|im|i am) unsafe\b",
          r"\b(?:not|never|isnt|dont feel|doesnt feel) safe (?:at home|in (?:my|our|his|her|the) "
          r"(?:house|home|flat))|\bunsafe at home\b",
          r"\b(?:has|has got|hes got|got|holding|pulled|waving|pointing|brandishing|threatened "
          r"(?:\w+ ){0,3}with) (?:a |his |her |the )?(?:knife|gun|machete|weapon|blade)\b",
          r"\b(?:unconscious|not breathing|stopped breathing|unresponsive|turning blue|passed out|"
          r"collapsed|(?:not|isnt|wont|cant) (?:responding|respond|wake up|be woken))\b|\bcant "
          r"wake (?:him|her|them)\b",
          r"\b(?:taken|took|swallowed|swallowing|drank|drunk|drinking|ate|eaten|eating) (?:some |a "
          r"bottle of |the |a )?(?:something|bleach|poison|weed ?killer|antifreeze|button batter(?:y|ies)|"
          r"cleaning (?:fluid|products?)|some pills|some tablets)\b"),
    rule("immediate_danger", "h",
          r"\b(?:talk\w*|says?|said|threaten\w*|wants? to|going to|plans? to|planning to) (?:\w+ ){0,3}?"
          r"(?:shoot\w*|stab\w*|kill\w*|bomb\w*|blow up) (?:people|someone|everyone|others|kids|"
          r"children|pupils|teachers|staff|the school)\b"),
    rule("immediate_danger", "hb",
          r"\bthreat(?:en|ened|ening|ens) to (?:kill|stab|shoot|hurt|harm|beat|burn) (?:me|us|him|"
          r"her|them|my \w+)\b|\bin (?:immediate )?danger\b(?! of)"),
)
