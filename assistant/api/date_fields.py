"""Dates typed into three boxes (day, month, year), the way GOV.UK asks for them.

A native date picker shows mm/dd/yyyy to a browser set to US English; three labelled boxes
read the same everywhere. A field `name` arrives as `name-day`, `name-month` and `name-year`
(an ISO `name` is still accepted, for links and scripts). `read_date` gives the ISO date, or
a sentence saying what is wrong with it.

    >>> read_date({"d-day": "3", "d-month": "March", "d-year": "2026"}, "d")
    ('2026-03-03', None)
    >>> read_date({"d-day": "31", "d-month": "2", "d-year": "2026"}, "d")
    (None, 'Enter a real date')
    >>> read_date({"d-day": "3", "d-year": "2026"}, "d")
    (None, 'The date must include a month')
    >>> read_date({}, "d")
    (None, None)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

PARTS = ("day", "month", "year")
MONTHS = {name: n for n, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")], start=1) for name in names}


def date_parts(form: Mapping[str, str], name: str) -> dict[str, str]:
    """The three boxes as typed; an ISO `name` value is split into them."""
    parts = {part: str(form.get(f"{name}-{part}", "")).strip() for part in PARTS}
    iso = str(form.get(name, "")).strip()
    if iso and not any(parts.values()):
        year, _, rest = iso.partition("-")
        month, _, day = rest.partition("-")
        parts = {"day": day.lstrip("0"), "month": month.lstrip("0"), "year": year}
    return parts


def read_date(form: Mapping[str, str], name: str) -> tuple[str | None, str | None]:
    """(ISO date, None), (None, None) when all three boxes are empty, or (None, what is wrong)."""
    parts = date_parts(form, name)
    if not any(parts.values()):
        return None, None
    missing = [part for part in PARTS if not parts[part]]
    if len(missing) == 1:
        return None, f"The date must include a {missing[0]}"
    if missing:
        return None, "Enter the day, month and year"
    month_text = parts["month"].lower().rstrip(".")
    month = MONTHS.get(month_text) or (int(month_text) if month_text.isdigit() else 0)
    if not (parts["day"].isdigit() and parts["year"].isdigit()):
        return None, "Enter the date in numbers, for example 27 3 2026"
    if len(parts["year"]) != 4:
        return None, "The year must have 4 numbers, for example 2026"
    try:
        return date(int(parts["year"]), month, int(parts["day"])).isoformat(), None
    except ValueError:
        return None, "Enter a real date"


def with_parts(form: Mapping[str, str], names: list[str]) -> dict[str, str]:
    """The form, with each date field's three boxes filled (for showing the form again)."""
    out = dict(form)
    for name in names:
        for part, value in date_parts(form, name).items():
            out[f"{name}-{part}"] = value
    return out
