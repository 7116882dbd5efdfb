"""Fixed sentences of the answer flow (to be merged into assistant/messages.py)."""

from assistant.models import Signpost

SENDIASS = Signpost(
    name="Your local SEND Information, Advice and Support Service (SENDIASS) — free, impartial and confidential",
    url="https://councilfordisabledchildren.org.uk/information-advice-and-support-services-network/find-your-local-ias-service",
)
IPSEA = Signpost(name="IPSEA — free independent legal advice on SEND", url="https://www.ipsea.org.uk")
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
LLM_FALLBACK = "The writing model was unavailable, so this answer was put together directly from the sources."
PARENT_LEAD = "Here is what the law and guidance say. Each point links to its source."
CASEWORKER_LEAD = "Summary of the duties that apply (check the case facts before relying on it):"
PARENT_NEXT_STEP = (
    "**What you can do next:** if you are unsure, or things are not happening when they should, "
    "contact your local SENDIASS for free, impartial advice, and keep a written record of dates and letters."
)
