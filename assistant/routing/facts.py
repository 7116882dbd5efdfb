"""What a conversation has established: where the family is, and the dates given so far.

Turns are stored redacted, so what later turns need is kept as structured facts beside each
turn: a nation code and event dates (ISO), never names or free text.

    >>> facts = Facts(jurisdiction="wales", events={"request_received": "2026-03-03"})
    >>> Facts.from_json(facts.to_json()) == facts
    True
    >>> Facts.merged([Facts(jurisdiction="wales"), Facts(events={"draft_plan_served": "2026-11-10"})]).jurisdiction
    'wales'
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

__all__ = ["Facts"]

NATIONS = frozenset({"england", "wales", "scotland", "northern_ireland", "elsewhere"})


@dataclass
class Facts:
    jurisdiction: str | None = None          # a key of NATIONS; "england" clears an earlier one
    events: dict[str, str] = field(default_factory=dict)  # KnownEvents field -> ISO date

    def to_json(self) -> str:
        if not self.jurisdiction and not self.events:
            return ""
        return json.dumps({"jurisdiction": self.jurisdiction, "events": self.events}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Facts:
        """Facts from a stored turn; anything unexpected is dropped, never trusted."""
        if not text:
            return cls()
        try:
            raw = json.loads(text)
        except ValueError:
            return cls()
        place = raw.get("jurisdiction") if isinstance(raw, dict) else None
        events = raw.get("events") if isinstance(raw, dict) else None
        clean: dict[str, str] = {}
        for name, value in (events or {}).items() if isinstance(events, dict) else ():
            try:
                clean[str(name)] = date.fromisoformat(str(value)).isoformat()
            except ValueError:
                continue
        return cls(place if place in NATIONS else None, clean)

    @classmethod
    def merged(cls, turns: Iterable[Facts]) -> Facts:
        """The facts of a whole conversation: a later turn's place or date replaces an earlier one."""
        out = cls()
        for facts in turns:
            out.jurisdiction = facts.jurisdiction or out.jurisdiction
            out.events.update(facts.events)
        return out

    def dates(self) -> dict[str, date]:
        return {name: date.fromisoformat(value) for name, value in self.events.items()}

    @property
    def outside_england(self) -> str | None:
        return self.jurisdiction if self.jurisdiction and self.jurisdiction != "england" else None
