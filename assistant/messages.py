"""Every fixed user-facing sentence and signpost, as named constants.

Code and tests refer to these names; evals assert on statuses and routes, never on this
wording, so it can be improved here without touching logic. The replies of each route
(safeguarding by kind, out of scope, jurisdiction, predictions...) are in the routing data
files, and every helpline's number, hours and page are in ``routing/data/services.yaml``.
Text is Markdown, short lines, plain words: many readers are on a phone.

    >>> CHILDLINE.phone
    '0800 1111'
"""

from __future__ import annotations

from assistant.routing.data import service

# --- Signposts: every helpline and service lives in assistant/routing/data/services.yaml ----

EMERGENCY = service("emergency").signpost
CHILDLINE = service("childline").signpost
NSPCC = service("nspcc").signpost
CHILDRENS_SERVICES = service("childrens_social_care").signpost
SAMARITANS = service("samaritans").signpost
NHS_111_MENTAL_HEALTH = service("nhs_111_mental_health").signpost
DOMESTIC_ABUSE_HELPLINE = service("domestic_abuse_helpline").signpost
SENDIASS = service("sendiass").signpost
IPSEA = service("ipsea").signpost
CONTACT = service("contact").signpost
CITIZENS_ADVICE = service("citizens_advice").signpost
GOV_UK = service("gov_uk").signpost
DFE_STATISTICS = service("dfe_statistics").signpost

# --- Fixed sentences ---------------------------------------------------------------------

PROPOSAL_WARNING = (
    "This is a proposal, not law: it does not change anyone's rights today, and the current "
    "law still applies until Parliament changes it."
)
NOT_LEGAL_ADVICE = (
    "This is general information about the law in England, not legal advice about your "
    "situation. Your local SENDIASS or IPSEA can advise you for free."
)

# --- Refusals ----------------------------------------------------------------------------

REFUSE_INJECTION = (
    "I can't change how I work, take on another role, or share my set-up. I can help with "
    "questions about SEND law in England - for example EHC needs assessments, EHC plans, "
    "school support or appeals."
)
# --- Notices (shown beside an answer) ----------------------------------------------------

NOTICE_INJECTION_IGNORED = "I ignored instructions inside your message and answered only your question."
NOTICE_HIDDEN_CHARACTERS = "I removed hidden characters from your message."

# --- The answer flow -------------------------------------------------------------------

ABSTAIN = (
    "I can't find a clear answer to that in the law and guidance I hold, so I won't guess. "
    "Your local SEND Information, Advice and Support Service (SENDIASS) or IPSEA can help, "
    "and the local authority's SEN team can tell you about your own case."
)
LLM_FALLBACK = "The writing model was unavailable, so this answer was put together directly from the sources."
PARENT_LEAD = "Here is what the law and guidance say. Each point links to its source."
PARENT_LEAD_LOCAL = "Here are services from your council's Local Offer that may help. Each one links to its source."
CASEWORKER_LEAD = "Summary of the duties that apply (check the case facts before relying on it):"
PARENT_NEXT_STEP = (
    "**What you can do next:** if you are unsure, or things are not happening when they should, "
    "contact your local SENDIASS for free, impartial advice, and keep a written record of dates and letters."
)
ANSWER_PROPOSAL_WARNING = (
    "These are government proposals and are not law yet. Current law still applies: the Children and "
    "Families Act 2014, the SEND Regulations 2014 and the 2015 Code of Practice stay in force until "
    "Parliament changes them, so families' rights today have not changed."
)

# Answer first (issue 16): the fixed lines of the three voices.
CASEWORKER_DRAFT_MARK = "**Draft reply — for officer review before it is sent.** Check the case facts and dates first."
CASEWORKER_ADVICE_LINE = (
    "You can get free, impartial information and advice about this from [the local SENDIASS: name, phone], "
    "and you can ask us about disagreement resolution at any time."
)
FALLBACK_NEXT_STEP = "If you are unsure what this means for your child, contact your local SENDIASS for free, impartial advice."
CAN_ANSWER_INSTEAD = "I can't find an answer to that in my sources. Questions I can answer that are close to it:"
NOTHING_CLOSE = (
    "I can't answer that from my sources. I can help with SEND in England: SEN support, EHC needs "
    "assessments and plans, annual reviews, school placements, transport, exclusions, personal budgets, "
    "complaints, mediation and the SEND Tribunal."
)
