"""Markdown for tool results, with [n] markers that match numbered citations.

>>> from datetime import date
>>> from assistant.tools.events import KnownEvents
>>> from assistant.tools.lateness import check_late
>>> text, cites = deadlines_markdown(check_late(KnownEvents(draft_plan_served=date(2026, 11, 10)),
...                                  today=date(2026, 11, 23)))
>>> "**24 November 2026**" in text and "[1]" in text and cites[0].ref == "reg 13(1)"
True
"""

from __future__ import annotations

from assistant.models import Citation
from assistant.tools import law as L
from assistant.tools.appeals import AppealRoute
from assistant.tools.deadlines import Actor, DeadlineState, fmt
from assistant.tools.lateness import LatenessReport

_STATE_WORDS = {
    DeadlineState.UPCOMING: "upcoming",
    DeadlineState.DUE_TODAY: "due today",
    DeadlineState.PASSED: "passed",
    DeadlineState.MET: "done in time",
    DeadlineState.MET_LATE: "done, but late",
    DeadlineState.DONE: "done or no longer applies",
}


class _Numberer:
    """Hands out citation numbers in order of first use."""

    def __init__(self) -> None:
        self.cites: list[L.Cite] = []

    def marks(self, cites: tuple[L.Cite, ...] | list[L.Cite]) -> str:
        numbers = []
        for cite in cites:
            if cite not in self.cites:
                self.cites.append(cite)
            numbers.append(self.cites.index(cite) + 1)
        return "".join(f"[{n}]" for n in dict.fromkeys(numbers))

    def citations(self) -> list[Citation]:
        return L.to_citations(self.cites)


def deadlines_markdown(report: LatenessReport) -> tuple[str, list[Citation]]:
    nums = _Numberer()
    lines = [f"Dates worked out from what you told me (today is {fmt(report.today)}):", ""]
    unverified = {d.key for d in report.unverified}
    for tracked in report.tracked:
        d = tracked.deadline
        state = "passed — check whether it was done" if d.key in unverified else _STATE_WORDS[tracked.state]
        who = "You" if d.actor is Actor.FAMILY else f"The {d.actor.value}"
        force = "" if d.hard_limit else " (guidance, not a fixed legal limit)"
        lines.append(f"- **{fmt(d.date)}** ({state}) — {who}: {d.action}{force} "
                     f"{nums.marks(d.cites)}")
        lines.append(f"  - Counted as {d.basis}.")
        if d.exceptions:
            lines.append(f"  - Exceptions: {d.exceptions}")
    if report.overdue:
        lines += ["", "**The council side appears to be late** on: "
                  + "; ".join(f"{d.action.rstrip('.')} (due {fmt(d.date)})" for d in report.overdue) + ".",
                  "", "What you can do:"]
        for i, remedy in enumerate(report.remedies, 1):
            by = f" (by {fmt(remedy.by)})" if remedy.by else ""
            lines.append(f"{i}. {remedy.action}{by} {nums.marks(remedy.cites)}")
    if any(d.key.startswith(("appeal", "discrimination")) for d in report.family_windows_closed):
        lines += ["", "Some of your own time limits have passed; the Tribunal can sometimes accept a late "
                  "appeal, so get advice quickly (for example from your local SENDIASS)."]
    return "\n".join(lines), nums.citations()


def appeal_markdown(route: AppealRoute, *, lead: str = "") -> tuple[str, list[Citation]]:
    """The appeal card; `lead`, when given, answers the question in the card's first words."""
    nums = _Numberer()
    summary = route.summary
    if lead == "Yes.":  # one sentence: the yes joined to what it says yes to, never a bare "Yes."
        summary = f"Yes: {summary[:1].lower()}{summary[1:]}"
    elif lead:
        summary = f"{lead} {summary}"
    lines = [f"{summary} {nums.marks(route.cites[:2])}", "",
             f"- **Route:** {' → '.join(r.value for r in route.routes)}",
             f"- **Whose right:** {route.right_holder}",
             f"- **Mediation:** {route.mediation_note}"]
    if route.deadline:
        lines.append(f"- **Deadline:** {fmt(route.deadline)} — {route.deadline_basis}")
    elif route.deadline_basis:
        lines.append(f"- **Deadline:** {route.deadline_basis}")
    lines += ["", "Next steps:"]
    for i, step in enumerate(route.steps, 1):
        marks = f" {nums.marks(step.cites)}" if step.cites else ""
        lines.append(f"{i}. {step.text}{marks}")
    rest = [c for c in route.cites if c not in nums.cites]
    if rest:
        lines += ["", f"Also relevant: {nums.marks(rest)}"]
    return "\n".join(lines), nums.citations()
