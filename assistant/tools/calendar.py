"""Calendar arithmetic for statutory time limits in England.

Legislation counts time in a few distinct ways; each has one function here so a rule can say
which it means:

- ``add_weeks(d, 6)``: "within 6 weeks of d" — the same weekday six weeks on.
- ``add_months(d, 2)``: "within 2 months after d" — the corresponding date, clamped to the end
  of a shorter month (31 January + 1 month = 28 or 29 February).
- ``period_beginning_with(d, days=15)``: "at least 15 days beginning with the day d" — d is
  day one, so the last day is d + 14.
- ``months_starting_with(d, 6)``: "the period of 6 months starting with d" — the day before
  the corresponding date.
- ``add_working_days(d, 3)``: "within 3 working days of d" — weekends and England-and-Wales
  bank holidays (including Christmas Day and Good Friday) are skipped.

>>> from datetime import date
>>> add_months(date(2026, 1, 31), 1)
datetime.date(2026, 2, 28)
>>> add_working_days(date(2026, 12, 24), 3)  # Christmas and Boxing Day (observed) skipped
datetime.date(2026, 12, 31)
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    """True for a bank holiday in England (as observed), Christmas Day and Good Friday."""
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a bank holiday in England."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def add_weeks(day: date, weeks: int) -> date:
    """The date `weeks` weeks after `day` (negative for "at least N weeks before")."""
    return day + timedelta(weeks=weeks)


def add_months(day: date, months: int) -> date:
    """The corresponding date `months` calendar months later, clamped to the month's end.

    >>> add_months(date(2027, 12, 31), 2)
    datetime.date(2028, 2, 29)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_starting_with(day: date, months: int) -> date:
    """Last day of "the period of `months` months starting with `day`".

    The day before the corresponding date; where the later month has no corresponding date
    (a period starting on 31 August or 29 February), the last day of that month.

    >>> months_starting_with(date(2026, 3, 10), 6)
    datetime.date(2026, 9, 9)
    >>> months_starting_with(date(2028, 2, 29), 12)
    datetime.date(2029, 2, 28)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    if day.day > last:
        return date(year, month + 1, last)
    return date(year, month + 1, day.day) - timedelta(days=1)


def period_beginning_with(day: date, *, days: int) -> date:
    """Last day of a period of `days` days in which `day` itself is day one."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    return day + timedelta(days=days - 1)


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (`day` itself is never counted)."""
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    current = day
    while count:
        current += timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def next_working_day(day: date) -> date:
    """`day` if it is a working day, otherwise the first working day after it."""
    current = day
    while not is_working_day(current):
        current += timedelta(days=1)
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += is_working_day(current)
    return count
