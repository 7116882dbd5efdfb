"""Every fixed user-facing sentence and signpost, as named constants.

Code and tests refer to these names; evals assert on statuses, never on this wording, so
it can be improved here without touching logic. Phone numbers were checked against the
services' own pages (NSPCC, Childline, Samaritans, NHS 111, Refuge) when written; re-check
them when editing. Text is Markdown, short lines, plain words: many readers are on a phone.

    >>> URGENT_HELP.startswith("**If anyone is in immediate danger, call 999")
    True
    >>> CHILDLINE.phone
    '0800 1111'
"""

from __future__ import annotations

from assistant.models import Signpost

# --- Signposts ---------------------------------------------------------------------------

EMERGENCY = Signpost(
    name="Emergency services", phone="999", note="If anyone is in immediate danger or hurt."
)
CHILDLINE = Signpost(
    name="Childline",
    phone="0800 1111",
    url="https://www.childline.org.uk",
    note="Free and confidential, any time, for children and young people up to 19.",
)
NSPCC = Signpost(
    name="NSPCC Helpline",
    phone="0808 800 5000",
    url="https://www.nspcc.org.uk",
    note="For adults worried about a child.",
)
CHILDRENS_SERVICES = Signpost(
    name="Your local authority's children's services (children's social care)",
    note="Search your council's name and 'report a concern about a child'.",
)
SAMARITANS = Signpost(
    name="Samaritans",
    phone="116 123",
    url="https://www.samaritans.org",
    note="Free, any time, for anyone who is struggling to cope.",
)
NHS_111_MENTAL_HEALTH = Signpost(
    name="NHS 111, mental health option",
    phone="111",
    note="Call 111 and choose the mental health option (option 2) in a mental health crisis.",
)
DOMESTIC_ABUSE_HELPLINE = Signpost(
    name="National Domestic Abuse Helpline",
    phone="0808 2000 247",
    url="https://www.nationaldahelpline.org.uk",
    note="Free, 24 hours.",
)
SENDIASS = Signpost(
    name="Your local SENDIASS (SEND Information, Advice and Support Service)",
    url=(
        "https://councilfordisabledchildren.org.uk/information-advice-and-support-services-network/"
        "find-your-local-ias-service"
    ),
    note="Free, impartial and confidential; every local authority in England must have one.",
)
IPSEA = Signpost(
    name="IPSEA (Independent Provider of Special Education Advice)",
    url="https://www.ipsea.org.uk",
    note="Free, independent legal advice on SEND law in England.",
)
CONTACT = Signpost(
    name="Contact (for families with disabled children)",
    url="https://contact.org.uk",
    note="Free helpline on education, benefits and family support; number on the website.",
)
SNAP_CYMRU = Signpost(
    name="SNAP Cymru",
    url="https://www.snapcymru.org",
    note="Free, independent advice on additional learning needs in Wales.",
)
ENQUIRE = Signpost(
    name="Enquire",
    url="https://enquire.org.uk",
    note="The Scottish advice service for additional support for learning.",
)
SENAC = Signpost(
    name="SENAC (Special Educational Needs Advice Centre)",
    url="https://www.senac.co.uk",
    note="Free, independent advice on the SEN system in Northern Ireland.",
)
EDUCATION_AUTHORITY_NI = Signpost(
    name="Education Authority (EA), Northern Ireland", url="https://www.eani.org.uk"
)
CITIZENS_ADVICE = Signpost(name="Citizens Advice", url="https://www.citizensadvice.org.uk")
GOV_UK = Signpost(name="GOV.UK", url="https://www.gov.uk")

# --- Fixed sentences ---------------------------------------------------------------------

PROPOSAL_WARNING = (
    "This is a proposal, not law: it does not change anyone's rights today, and the current "
    "law still applies until Parliament changes it."
)
NOT_LEGAL_ADVICE = (
    "This is general information about the law in England, not legal advice about your "
    "situation. Your local SENDIASS or IPSEA can advise you for free."
)

# --- Safeguarding ------------------------------------------------------------------------

URGENT_HELP = (
    "**If anyone is in immediate danger, call 999 now.**\n\n"
    "- **Childline: 0800 1111** - free, any time, for children and young people. "
    "If you are a young person reading this, please also tell an adult you trust today.\n"
    "- **NSPCC Helpline: 0808 800 5000** - if you are an adult worried about a child.\n"
    "- **Your local authority's children's services (children's social care)** - to report "
    "a concern about a child; search your council's name and 'report a concern'.\n"
    "- **Samaritans: 116 123** - free, any time, if you are struggling to cope.\n"
    "- **NHS 111, mental health option (option 2)** - urgent help in a mental health crisis."
)
URGENT_DOMESTIC_ABUSE = (
    "- **National Domestic Abuse Helpline: 0808 2000 247** - free, 24 hours."
)
URGENT_CLOSING = (
    "You don't have to sort this out alone. When you are safe, I'm here to help with any "
    "question about SEND - an EHC plan, school support or an appeal - whenever you're ready."
)
SAFETY_NOTE = (
    "If anyone is at risk right now, call 999. Young people can call Childline free on "
    "0800 1111; adults can call the NSPCC on 0808 800 5000 or Samaritans on 116 123."
)

# --- Out of scope ------------------------------------------------------------------------

_ENGLAND_ONLY = "I can only help with the SEND system in England, and the law is different there."

WALES_REDIRECT = (
    f"It sounds like you're in Wales. {_ENGLAND_ONLY} Wales has the Additional Learning Needs "
    "(ALN) system under the Additional Learning Needs and Education Tribunal (Wales) Act 2018 "
    "and the ALN Code for Wales 2021: needs are met through individual development plans "
    "(IDPs), and appeals go to the Education Tribunal for Wales. For free, independent advice, "
    "contact SNAP Cymru (www.snapcymru.org)."
)
SCOTLAND_REDIRECT = (
    f"It sounds like you're in Scotland. {_ENGLAND_ONLY} Scotland has the Additional Support "
    "for Learning (ASL) system for children with additional support needs (ASN), with "
    "co-ordinated support plans (CSPs) for some children; disputes can go to the Health and "
    "Education Chamber of the First-tier Tribunal for Scotland (the ASN tribunal). For free "
    "advice, contact Enquire, the Scottish advice service for additional support for learning "
    "(enquire.org.uk)."
)
NORTHERN_IRELAND_REDIRECT = (
    f"It sounds like you're in Northern Ireland. {_ENGLAND_ONLY} Northern Ireland has its own "
    "SEN framework under the Special Educational Needs and Disability Act (Northern Ireland) "
    "2016 and the SEN Code of Practice for Northern Ireland. Statutory assessments and "
    "statements are made by the Education Authority (EA), and appeals go to the Special "
    "Educational Needs and Disability Tribunal (SENDIST) in Northern Ireland, not to the "
    "tribunal in England. For free, independent advice, contact SENAC (www.senac.co.uk)."
)
ELSEWHERE_REDIRECT = (
    f"It sounds like you're outside the UK. {_ENGLAND_ONLY} Please look for the education "
    "department or a parents' advice service where you live."
)
NON_SEND_REDIRECT = (
    "I can only help with special educational needs and disabilities (SEND) law and guidance "
    "in England, so I can't help with that. GOV.UK and Citizens Advice cover most other "
    "everyday questions. If you have a question about a child's special educational needs, "
    "I'm happy to help."
)
BENEFITS_REDIRECT = (
    "I can only help with SEND law and guidance in England, not with benefits. Contact "
    "(contact.org.uk) helps families with disabled children with benefits; Citizens Advice "
    "can help too."
)

# --- Refusals ----------------------------------------------------------------------------

REFUSE_INJECTION = (
    "I can't change how I work, take on another role, or share my set-up. I can help with "
    "questions about SEND law in England - for example EHC needs assessments, EHC plans, "
    "school support or appeals."
)
REFUSE_FALSIFY = (
    "I can't help to create, change or backdate evidence, or to mislead a tribunal, a "
    "local authority or an assessor: it could badly damage your case and could be unlawful. "
    "I can help you gather honest evidence and describe needs fully - including the hardest "
    "days, which is not exaggerating. Your local SENDIASS or IPSEA can help you prepare."
)

# --- Notices (shown beside an answer) ----------------------------------------------------

NOTICE_INJECTION_IGNORED = "I ignored instructions inside your message and answered only your question."
NOTICE_HIDDEN_CHARACTERS = "I removed hidden characters from your message."

# --- Clarify -----------------------------------------------------------------------------

CLARIFY_APPEAL = (
    "Which decision do you want to challenge? For example: a refusal to assess, a refusal "
    "to issue an EHC plan, what the plan says (sections B, F or I), or a decision to stop "
    "the plan. Tell me and I'll explain the steps and time limits."
)
CLARIFY_TIME = (
    "Which deadline do you mean? For example: the 6 weeks to decide whether to assess, the "
    "20 weeks to issue a final EHC plan, an annual review, or the time to appeal. Tell me "
    "which stage you're at."
)
CLARIFY_SAME = (
    "Could you tell me what you're comparing? For example, which decision or stage you mean "
    "(SEN support, an EHC needs assessment, an EHC plan, an annual review or an appeal) and "
    "a little about your child's situation."
)
CLARIFY_GENERAL = (
    "Could you tell me a bit more? For example, which decision or stage you mean - SEN "
    "support at school, an EHC needs assessment, an EHC plan, an annual review or an "
    "appeal - and what has happened so far."
)


# --- The answer flow -------------------------------------------------------------------

DFE_STATISTICS = Signpost(
    name="Department for Education statistics on EHC plans (by local authority)",
    url="https://explore-education-statistics.service.gov.uk/find-statistics/education-health-and-care-plans",
)
ABSTAIN = (
    "I can't find a clear answer to that in the law and guidance I hold, so I won't guess. "
    "Your local SEND Information, Advice and Support Service (SENDIASS) or IPSEA can help, "
    "and the local authority's SEN team can tell you about your own case."
)
NO_LOCAL_DATA = (
    "I don't have that council's own figures: my sources are the law, the statutory guidance and the "
    "Local Offer, not local statistics or budgets. The Department for Education publishes EHC plan "
    "statistics for every local authority, and the council's own published reports hold its budget figures."
)
NO_PREDICTION = (
    "I don't have a way to predict how an appeal or an application will turn out: that depends on the evidence "
    "and on the people deciding it. What I can do is explain the law the decision must follow. "
    "Your local SENDIASS or IPSEA can look at your evidence with you."
)
NO_NAMED_CONTACTS = (
    "I don't have contact details for named members of staff, and I don't share them. The local "
    "authority's SEN team, or the school's office, can put you in touch with the right person."
)
NO_SCHOOL_RANKING = (
    "I don't have information to compare or rank schools. The Local Offer lists local schools and "
    "provision, and you can visit them, read their SEN information reports and ask the SEN team."
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
