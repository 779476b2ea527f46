"""Dates: reads date expressions and the report's date, writes DateRanges with their precision."""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from observatory.records import DateRange

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10}

# Each pattern names its groups; the handler below turns a match into a DateRange.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(p, re.I)) for name, p in [
    ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),
    ("dmy", r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"),
    ("mdy", r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d))?"),
    ("since_month", r"\bsince\s+(?:early\s+|late\s+|mid-?)?" + _MONTH + r"(?:\s+(?P<year>(?:19|20)\d\d))?\b"),
    ("since_year", r"\bsince\s+(?P<year>(?:19|20)\d\d)\b"),
    ("month_year", r"\b" + _MONTH + r"\s+(?P<year>(?:19|20)\d\d)\b"),
    ("in_month", r"\b(?:in|during|early|late|mid-?|throughout|by)\s+(?:early\s+|late\s+|mid-?)?" + _MONTH + r"\b"),
    ("in_year", r"\b(?:in|during|since|throughout)\s+(?P<year>(?:19|20)\d\d)\b"),
    ("yesterday", r"\b(?:yesterday|last night)\b"),
    ("today", r"\b(?:today|tonight|this morning|this afternoon|this evening)\b"),
    ("weekday", r"\b(?:on|last|this)?\s*(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"),
    ("days_ago", r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+days?\s+ago\b"),
    ("past_week", r"\b(?:over|in|during)\s+the\s+(?:past|last)\s+(?:week|seven days)\b"),
    ("this_week", r"\b(?:earlier|later)\s+(?:in\s+)?(?:the|this)\s+week\b|\bthis\s+week\b"),
    ("last_week", r"\blast\s+week\b"),
    ("this_month", r"\b(?:earlier|later)\s+(?:in\s+)?this\s+month\b|\bthis\s+month\b"),
    ("last_month", r"\blast\s+month\b"),
]]
# Every pattern needs a digit, a month or weekday name, or one of these words: most sentences
# have none and skip the patterns altogether.
_DATE_HINT = re.compile(r"\d|yesterday|today|tonight|night|morning|afternoon|evening|week|month|"
                        r"ago|since|" + "|".join(sorted(MONTHS, key=len, reverse=True)) + "|"
                        + "|".join(WEEKDAYS), re.I)
_TIMESTAMP = re.compile(
    r"^\s*(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)?"
    r"(?:" + _MONTH.replace("month", "m1") + r"\s+(?P<d1>\d{1,2}),?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\s+" + _MONTH.replace("month", "m2") + r",?\s+(?P<y2>\d{4})"
    r"|(?P<y3>\d{4})-(?P<m3>\d\d)-(?P<d3>\d\d))"
    r"(?:(?:\s+at|,|T|\s)\s*(?P<h>\d{1,2}):(?P<mi>\d\d)(?::(?P<s>\d\d))?\s*(?P<ampm>[ap]\.?m\.?)?)?"
    r"(?:\s*(?:Z|[+-]\d\d:?\d\d|GMT|UTC))?\s*$", re.I)


def parse_timestamp(text: str) -> datetime | None:
    """A whole string that is one date or date-time (a dateline, a JSON field, a feed stamp)."""
    m = _TIMESTAMP.match(text.strip())
    if not m:
        return _plausible(_fallback_timestamp(text))
    g = m.groupdict()
    try:
        if g["y1"]:
            y, mo, d = int(g["y1"]), MONTHS[g["m1"].lower()], int(g["d1"])
        elif g["y2"]:
            y, mo, d = int(g["y2"]), MONTHS[g["m2"].lower()], int(g["d2"])
        else:
            y, mo, d = int(g["y3"]), int(g["m3"]), int(g["d3"])
        h = int(g["h"] or 0)
        if g["ampm"] and g["ampm"].lower().startswith("p") and h < 12:
            h += 12
        elif g["ampm"] and g["ampm"].lower().startswith("a") and h == 12:
            h = 0
        return _plausible(datetime(y, mo, d, h, int(g["mi"] or 0), int(g["s"] or 0)))
    except (ValueError, KeyError):
        return None


# Reports are dated within these years; anything else is a typo or a number, not a date.
_YEARS = range(1900, 2101)


def _plausible(stamp: datetime | None) -> datetime | None:
    return stamp if stamp is not None and stamp.year in _YEARS else None


_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
# A dateline that opens a report copied from a web page, before the headline or the lead:
# 'Posted on August 3 2013 by ...', 'Thu Sep 5 2013', 'Last updated at Feb 022015',
# '21.08.2013Get short URL', 'Sat 24 Aug 2013 at 2354 Regional NNA -', '13-08-2013'.
_DATELINE = re.compile(
    r"^\s*(?:(?:posted|published|updated|last updated|date of publication)(?:\s+(?:on|at))?"
    r":?\s+)?" + _WEEKDAY +
    r"(?:" + _MONTH.replace("month", "m1") + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s*(?P<y1>(?:19|20)\d\d)"
    r"|(?P<d2>\d{1,2})\s+" + _MONTH.replace("month", "m2") + r",?\s+(?P<y2>(?:19|20)\d\d)"
    r"|(?P<d3>\d{1,2})[-./](?P<m3>\d{1,2})[-./](?P<y3>(?:19|20)\d\d)"
    r"|(?P<y4>(?:19|20)\d\d)-(?P<m4>\d\d)-(?P<d4>\d\d))"
    r"(?:,?\s*(?:at\s+)?\d{1,2}:\d\d(?:\s*[ap]\.?m\.?)?|\s+at\s+\d{3,4}|\s+\d{3,4}(?=\s*(?:UTC|GMT)))?"
    r"(?:\s*(?:UTC|GMT)(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?)?"
    r"(?:\s*Get short URL(?:\s+\d+)*|\s+Regional\s+[A-Z]{2,5}\s+-)?", re.I)


# A wire's own stamp under the headline: 'AFP Friday 10 Oct 2014', 'Reuters Friday 6 Feb 2015'.
_AGENCY_DATELINE = re.compile(r"\b(?:AFP|Reuters|AP|Anadolu|dpa)\s+(?i:" + _WEEKDAY
                              + r"(?P<d2>\d{1,2})\s+" + _MONTH.replace("month", "m2")
                              + r"),?\s+(?P<y2>(?:19|20)\d\d)\b")
AGENCY_DATELINE_CHARS = 400  # where a story's headline, subtitle and wire stamp stand


def leading_dateline(text: str) -> tuple[datetime, int] | None:
    """The dateline a report opens with, and where it ends; None when it opens otherwise."""
    return _stamp(_DATELINE.match(text))


def agency_dateline(text: str) -> tuple[datetime, int, int] | None:
    """The wire's dateline in a story's opening ('AFP Friday 10 Oct 2014') and where it
    starts and ends, if it has one."""
    m = _AGENCY_DATELINE.search(text, 0, AGENCY_DATELINE_CHARS)
    found = _stamp(m)
    return (found[0], m.start(), found[1]) if found and m else None


def _stamp(m: re.Match[str] | None) -> tuple[datetime, int] | None:
    if not m:
        return None
    g = m.groupdict()
    try:
        if g.get("y1"):
            stamp = datetime(int(g["y1"]), MONTHS[g["m1"].lower()], int(g["d1"]))
        elif g.get("y2"):
            stamp = datetime(int(g["y2"]), MONTHS[g["m2"].lower()], int(g["d2"]))
        elif g["y3"]:
            stamp = datetime(int(g["y3"]), int(g["m3"]), int(g["d3"]))
        else:
            stamp = datetime(int(g["y4"]), int(g["m4"]), int(g["d4"]))
    except (ValueError, KeyError):
        return None
    return stamp, m.end()


_MONTH_WORD = re.compile(r"\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b",
                         re.I)


def _fallback_timestamp(text: str) -> datetime | None:
    """Other written forms (RFC 822 feed dates, '22-Feb-20'): dateparser, only for text that
    names a month or has day, month and year as numbers; dateparser alone reads '42', 'v2' or
    '1e400' as some day."""
    text = text.strip()
    if len(text) > 40 or not (_MONTH_WORD.search(text) or len(re.findall(r"\d+", text)) >= 3):
        return None
    import dateparser  # slow to import; most inputs never get here

    try:
        return dateparser.parse(text, settings={"RETURN_AS_TIMEZONE_AWARE": False,
                                                "PREFER_DAY_OF_MONTH": "first"})
    except (ValueError, OverflowError):
        return None


def _year_for(month: int, base: date | None, explicit: str | None) -> int | None:
    if explicit:
        return int(explicit)
    if base is None:
        return None
    # A month named without a year is the latest such month not after the report.
    return base.year if month <= base.month else base.year - 1


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _resolve(name: str, m: re.Match[str], base: date | None) -> DateRange | None:
    g = m.groupdict()
    span = m.span()
    if name == "iso":
        d = date(int(g["year"]), int(g["mnum"]), int(g["day"]))
        return DateRange(d, d, "day", span)
    if name in ("dmy", "mdy"):
        month = MONTHS[g["month"].lower()]
        year = _year_for(month, base, g["year"])
        if year is None:
            return None
        d = date(year, month, int(g["day"]))
        if base and not g["year"] and d > base:
            d = date(year - 1, month, int(g["day"]))
        return DateRange(d, d, "day", span)
    if name == "month_year" or name == "in_month":
        month = MONTHS[g["month"].lower()]
        year = _year_for(month, base, g.get("year"))
        if year is None:
            return None
        start, end = _month_range(year, month)
        return DateRange(start, end, "month", span)
    if name == "since_month":
        month = MONTHS[g["month"].lower()]
        year = _year_for(month, base, g.get("year"))
        if year is None or base is None:
            return None
        return DateRange(date(year, month, 1), base, "month", span)
    if name == "since_year":
        if base is None:
            return None
        return DateRange(date(int(g["year"]), 1, 1), base, "year", span)
    if name == "in_year":
        y = int(g["year"])
        return DateRange(date(y, 1, 1), date(y, 12, 31), "year", span)
    if base is None:
        return None
    if name == "yesterday":
        d = base - timedelta(days=1)
        return DateRange(d, d, "day", span)
    if name == "today":
        return DateRange(base, base, "day", span)
    if name == "weekday":
        back = (base.weekday() - WEEKDAYS[g["weekday"].lower()]) % 7
        if back == 6 and not m.group(0).lower().lstrip().startswith("last"):
            # A report's date is often a day early (an index date, a dateline in another time
            # zone): 'on Tuesday' in a report dated Monday is the next day, not six days back.
            back = -1
        d = base - timedelta(days=back)
        return DateRange(d, d, "day", span)
    if name == "days_ago":
        n = int(g["n"]) if g["n"].isdigit() else _NUMBER_WORDS[g["n"].lower()]
        d = base - timedelta(days=n)
        return DateRange(d, d, "day", span)
    if name == "past_week":
        return DateRange(base - timedelta(days=7), base, "week", span)
    if name == "this_week":
        return DateRange(base - timedelta(days=base.weekday()), base, "week", span)
    if name == "last_week":
        monday = base - timedelta(days=base.weekday() + 7)
        return DateRange(monday, monday + timedelta(days=6), "week", span)
    if name == "this_month":
        return DateRange(base.replace(day=1), base, "month", span)
    if name == "last_month":
        last = base.replace(day=1) - timedelta(days=1)
        return DateRange(last.replace(day=1), last, "month", span)
    return None


def find_dates(text: str, *, base: date | None, offset: int = 0) -> list[DateRange]:
    """Every date expression in ``text``, earliest first, spans shifted by ``offset``.

    Overlapping matches keep the first pattern that matched (the more specific one).
    """
    found = _find_dates(text, base)
    if not offset:
        return list(found)
    return [DateRange(d.start, d.end, d.precision, (d.span[0] + offset, d.span[1] + offset))
            for d in found]


@lru_cache(maxsize=4096)
def _find_dates(text: str, base: date | None) -> tuple[DateRange, ...]:
    """Claims and events ask about the same sentences: parse each once."""
    if not _DATE_HINT.search(text):
        return ()
    offset = 0
    found: list[DateRange] = []
    taken: list[tuple[int, int]] = []
    lowered = text
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(lowered):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            try:
                rng = _resolve(name, m, base)
            except (ValueError, KeyError):
                rng = None
            if rng is None:
                continue
            taken.append((s, e))
            found.append(DateRange(rng.start, rng.end, rng.precision, (s + offset, e + offset)))
    found.sort(key=lambda r: r.span[0])
    return tuple(found)


def shift(rng: DateRange, days: int) -> DateRange:
    return DateRange(rng.start + timedelta(days=days), rng.end + timedelta(days=days),
                     rng.precision, rng.span)


_RELATIVE_GAP = re.compile(
    r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?P<unit>day|week)s?\s+(?P<dir>after|before)\b", re.I)


def relative_gap(text: str) -> tuple[int, tuple[int, int]] | None:
    """'a day after' -> (-1, span): the named thing happened that many days before the anchor."""
    m = _RELATIVE_GAP.search(text)
    if not m:
        return None
    n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"].lower()]
    days = n * (7 if m["unit"].lower() == "week" else 1)
    return (-days if m["dir"].lower() == "after" else days), m.span()
