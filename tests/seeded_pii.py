"""Messages seeded with personal data, made from templates so every kind comes in many shapes.

Each `Seeded` message carries the identifiers put into it as "needles": words that must not
be found anywhere afterwards (names, school and street names, postcodes), or digit runs (NHS,
phone and National Insurance numbers, compared with every separator removed). All names,
numbers and addresses are made up; NHS numbers pass the modulus 11 check so that they look real.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Seeded:
    kind: str
    text: str
    words: tuple[str, ...] = ()      # must not survive as whole words (any case)
    digits: tuple[str, ...] = ()     # must not survive as a digit run (separators ignored)
    extra: dict[str, str] = field(default_factory=dict)


FIRST = ["jack", "amelia", "ethan", "oliver", "isla", "noah", "freya", "kwabena", "zainab", "lily-mae", "ruben", "priya"]
LAST = ["walsh", "castellanos", "okonkwo", "hughes", "nakamura", "fitzgerald", "adeyemi", "kowalski"]
SCHOOLS = ["hillside", "brookfield", "oakwood", "st marys", "meadowbank", "thornbury", "larkrise", "ashgrove"]
STREETS = ["maple", "acacia", "juniper", "wellington", "larch", "kingfisher", "cedar", "rowan"]
SUFFIXES = ["drive", "road", "avenue", "close", "lane", "crescent", "gardens", "street"]
POSTCODES = ["LS6 2AB", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "SW1A 1AA", "NE1 4ST", "BS8 1TH"]
MONTHS = ["January", "March", "April", "June", "July", "September", "October", "December"]
ORDINALS = ["1st", "2nd", "3rd", "4th", "12th", "21st", "fourth", "twenty-third"]
NI_PREFIXES = ["AB", "JG", "NR", "TE", "KL", "CE", "PX", "WM"]


def nhs_numbers(count: int) -> list[str]:
    """Valid 10-digit NHS numbers (modulus 11), made up."""
    out, n = [], 400_000_000
    while len(out) < count:
        n += 7919
        nine = f"{n:09d}"
        check = 11 - sum(int(d) * w for d, w in zip(nine, range(10, 1, -1))) % 11
        if check == 11:
            check = 0
        if check != 10:
            out.append(nine + str(check))
    return out


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def _spaced(number: str) -> str:
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def _cases(word: str) -> list[str]:
    return [word, word.title(), word.upper()]


def messages() -> list[Seeded]:
    out: list[Seeded] = []
    cycle = itertools.cycle
    case = cycle(range(3))
    # Names, in lower case, Title Case and capitals, after the cues people use.
    name_templates = [
        "my son {f} has autism, can the council refuse to assess him?",
        "my daughter is called {f} and the school wont apply for an ehcp",
        "my boy {f} {l}, he's 9, keeps getting excluded. what can i do?",
        "his sister {F} {L} already has a plan, does that help?",
        "My child's name is {f} {l}. How long does the council have to decide?",
        "our son {f} {l} is in year 6 and the transfer review is late",
    ]
    for template, (first, last) in zip(cycle(name_templates), itertools.product(FIRST, LAST[:5])):
        style = next(case)
        f, l = _cases(first)[style], _cases(last)[style]
        text = template.format(f=f, l=l, F=first.title(), L=last.title())
        words = (first,) + ((last,) if "{l}" in template or "{L}" in template else ())
        out.append(Seeded("NAME", text, words=words))
    # Schools, with and without the word "school", in any case.
    school_templates = [
        "he's at {s} primary school and they say he is fine there",
        "she goes to {S} Academy, can they refuse to name it?",
        "my son is at {s} primary, the senco says no to an assessment",
        "He goes to {S} and the head will not let him attend trips",
        "we want {S} School named in section I, can we appeal?",
    ]
    for template, school in zip(cycle(school_templates), SCHOOLS * 3):
        text = template.format(s=school, S=school.title())
        out.append(Seeded("SCHOOL", text, words=tuple(w for w in school.split() if w != "st")))
    # Postcodes with and without a space, upper and lower case.
    for code, shape in zip(POSTCODES * 2, cycle(range(4))):
        shown = [code, code.replace(" ", ""), code.lower(), code.lower().replace(" ", "")][shape]
        text = f"my postcode is {shown}, which council is responsible?" if shape % 2 else f"we moved to {shown} last month, does the plan move with us?"
        out.append(Seeded("POSTCODE", text, words=(code.lower().replace(" ", ""), code.lower())))
    # Streets, with and without a house number.
    for street, suffix, shape in zip(STREETS * 2, cycle(SUFFIXES), cycle(range(3))):
        name = f"{street} {suffix}"
        text = [f"We live on {name.title()} in Harrogate and the bus stopped coming",
                f"we live at 14 {name} and the council want to name a school 15 miles away",
                f"we live on {name}, is transport the council's job?"][shape]
        out.append(Seeded("ADDRESS", text, words=(street,)))
    # Dates of birth in words and in figures.
    for day, month, year in zip(ORDINALS * 2, cycle(MONTHS), cycle(range(2010, 2020))):
        text = [f"he was born on the {day} of {month} {year}, is he too old for a plan?",
                f"her date of birth is {day} {month} {year}",
                f"born {day} {month.lower()} {year}, can he stay at school until 19?"][year % 3]
        out.append(Seeded("DATE_OF_BIRTH", text, words=(f"{day} {month}".lower(), f"{day} of {month}".lower(),
                                                        f"{month} {year}".lower())))
    # NHS numbers: spaced, plain, dashed, with hidden zero-width spaces, in fullwidth digits.
    for number, shape in zip(nhs_numbers(20), cycle(range(5))):
        shown = [_spaced(number), number, f"{number[:3]}-{number[3:6]}-{number[6:]}",
                 "\u200b".join((number[:3], number[3:6], number[6:])), _fullwidth(_spaced(number))][shape]
        text = f"NHS number {shown}, can the paediatrician's report be used?" if shape % 2 else f"his nhs no is {shown}"
        out.append(Seeded("NHS_NUMBER", text, digits=(number,)))
    # Phone numbers, including fullwidth digits and +44.
    for n, shape in zip(range(20), cycle(range(5))):
        local = f"07700 900{100 + n * 7:03d}"
        digits = local.replace(" ", "")
        shown = [local, digits, "+44 " + local[1:], _fullwidth(local), f"0161 496 0{n:03d}"][shape]
        if shape == 4:
            digits = shown.replace(" ", "")
        out.append(Seeded("PHONE", f"call me on {shown} if the council rings back", digits=(digits[-9:],)))
    # Emails, plain and spelled out.
    for first, last, shape in zip(FIRST, cycle(LAST), cycle(range(3))):
        plain_first = first.replace("-", "")
        address = f"{plain_first}.{last}@example.org"
        shown = [address, address.upper(), f"{plain_first} dot {last} at example dot org"][shape]
        out.append(Seeded("EMAIL", f"you can email me at {shown} about the tribunal", words=(f"{plain_first}.{last}", last)))
    # National Insurance numbers, with and without a cue, spaced or not.
    for prefix, n, shape in zip(NI_PREFIXES * 2, range(16), cycle(range(3))):
        digits = f"{123456 + n * 1111:06d}"
        plain = f"{prefix}{digits}C"
        shown = [plain, f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} C", plain.lower()][shape]
        text = f"my NI number is {shown}, do I need it for DLA?" if shape else f"national insurance {shown}"
        out.append(Seeded("NI_NUMBER", text, words=(plain.lower(),), digits=(digits,)))
    return out


class Haystack:
    """Text to search, folded once (NFKC, lower case; squashed copy and digit runs)."""

    def __init__(self, text: str) -> None:
        self.text = unicodedata.normalize("NFKC", text).lower()
        self.squashed = re.sub(r"[^a-z0-9]", "", self.text)
        # Each run of digits joined only by spaces, hyphens or hidden characters, as a number is
        # written; digits are not joined across other punctuation, so a log line's timestamp
        # ("21:31:27,900") is not read as part of an identifier.
        self.digit_runs = [re.sub(r"\D", "", run) for run in re.findall(r"\d(?:[\d\s\-\u200b\u200c\u200d\u2060]*\d)?", self.text)]


def survivors(seeded: Seeded, stored: str | Haystack) -> list[str]:
    """The needles of `seeded` still readable in `stored` (NFKC-folded, any case)."""
    hay = stored if isinstance(stored, Haystack) else Haystack(stored)
    found = [w for w in seeded.words if re.search(rf"(?<![a-z0-9]){re.escape(w.lower())}(?![a-z0-9])", hay.text)]
    found += [w for w in seeded.words if len(w) >= 6 and " " not in w and any(c.isdigit() for c in w)
              and re.sub(r"[^a-z0-9]", "", w.lower()) in hay.squashed]
    found += [d for d in seeded.digits if any(d in run for run in hay.digit_runs)]
    return found
