"""Find dates in a message, written the ways UK users write them.

Day comes before month in numeric dates (03/03/2026, 3/3/26, 3.3.2026). Written dates may
have ordinals and "of" ("3rd of March 2026", "March 3rd"). A date without a year is taken
as the most recent such date not after `today`. "today" and "yesterday" are understood.
Lower-case "may" without a year is read as the verb, not the month.

>>> from datetime import date
>>> today = date(2026, 11, 23)
>>> [f.day.isoformat() for f in find_dates("I asked on 3 March and got a reply 10/11/26", today=today)]
['2026-03-03', '2026-11-10']
>>> find_dates("it came on 30 November", today=today)[0].day
datetime.date(2025, 11, 30)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_PATTERNS = (
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d{2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _MONTH + _YEAR + r"\b", re.IGNORECASE),
    re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})" + _ORD + _YEAR + r"\b", re.IGNORECASE),
    re.compile(r"\b(?P<rel>today|yesterday)\b", re.IGNORECASE),
)


@dataclass(frozen=True)
class FoundDate:
    day: date
    start: int
    end: int
    text: str


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _without_year(month: int, day: int, today: date) -> date | None:
    """The most recent `day` `month` on or before `today` (29 February looks back to a leap year)."""
    for year in range(today.year, today.year - 9, -1):
        candidate = _safe(year, month, day)
        if candidate is not None and candidate <= today:
            return candidate
    return None


def _resolve(match: re.Match[str], today: date) -> date | None:
    groups = match.groupdict()
    if groups.get("rel"):
        return today if groups["rel"].lower() == "today" else today - timedelta(days=1)
    if groups.get("d"):
        year = int(groups["y"])
        year = 2000 + year if year < 100 else year
        return _safe(year, int(groups["m"]), int(groups["d"]))
    if groups["month"] == "may" and not groups.get("year"):
        return None          # "3 may be" is the verb; write "3 May" for the month
    month, day = MONTHS[groups["month"].lower()], int(groups["day"])
    if groups.get("year"):
        return _safe(int(groups["year"]), month, day)
    return _without_year(month, day, today)


def find_dates(message: str, *, today: date) -> list[FoundDate]:
    """Every date in `message`, in the order written; impossible dates (31/02) are skipped."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(message):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            day = _resolve(match, today)
            if day is not None:
                found.append(FoundDate(day, match.start(), match.end(), match.group(0)))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)
