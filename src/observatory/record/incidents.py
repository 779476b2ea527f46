"""Incidents: reads events of many reports (as EventFacts) and the governorates' names
(data/areas.toml), writes merge decisions with their reasons, independent origins,
confidence, announcement status and cross-source disputes."""
from __future__ import annotations

import hashlib
import math
import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import islice
from datetime import date, timedelta
from typing import Any

from observatory.coding.dates import MONTHS
from observatory.coding.disputes import overlaps
from observatory.record import origins as speakers_of
from observatory.record.origins import Voice
from observatory.records import Count

STAGE = "incidents.v1"
MERGE_THRESHOLD = 4.0
MAIN_THRESHOLD = 2.0  # two reports' leads: see match_main
MAIN_AGREEMENT = 0.5  # share of an incident's leads a new lead must match
# A new report is compared with at most this many of an incident's reports (the first in
# canonical order, leads first): its cost stays flat however large the incident grows.
MAX_COMPARED = 32
BACKGROUND_RANK = 3  # a report's events after its first three recall earlier incidents
DATE_SLACK_DAYS = 2  # reports of one incident date it a day or two apart ('on Monday', lag)
SAME_PLACE_KM = 15.0
VIOLENCE = frozenset(("Explosions/Remote violence", "Violence against civilians"))
TERRITORY = frozenset(("Government regains territory", "Non-state actor overtakes territory",
                       "Non-violent transfer of territory"))
_GENERIC = frozenset(("Attack", "Armed clash"))
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, None: 4}
# Wire copy says where it came from: '--Reuters', '- REUTERS', 'BEIRUT (AFP) -'.
_WIRE = re.compile(r"(?:^|[\s(])(?:--?|—|\()\s*(Reuters|AFP|AP|Anadolu(?: Agency)?|SANA|TASS|"
                   r"Sputnik|Xinhua|dpa|DPA)\s*\)?\s*-?\s*$|^\s*[A-Z][A-Za-z ]{2,30}\s*\((Reuters|"
                   r"AFP|AP|SANA|Anadolu)\)", re.M)
_IMPLEMENTED = re.compile(r"\b(crossed|left through|used the corridor|took effect|implemented|"
                          r"came into force|began leaving|evacuated through|reopened|opened)\b",
                          re.I)


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a disputed field: the value and who says it."""

    value: Any
    documents: tuple[str, ...]
    speakers: tuple[str, ...]
    via: tuple[str, ...] = ()  # the outlets relaying the speakers

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "documents": list(self.documents),
                "speakers": list(self.speakers), "via": list(self.via)}


@dataclass(frozen=True, slots=True)
class CrossDispute:
    field: str
    sides: tuple[Side, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "sides": [s.to_dict() for s in self.sides]}


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What merging and summarising need to know about one stored event."""

    event_id: int
    document: str
    origin: str
    event_type: str
    sub_event_type: str
    topic: str | None
    date_start: date | None
    date_end: date | None
    precision: str | None
    admin1: str | None
    gazetteer_id: str | None
    place_name: str | None
    lat: float | None
    lon: float | None
    geo_precision: int | None
    actor1: str | None
    actor1_known: bool
    fatalities: tuple[int | None, int | None]
    stance: str
    speakers: tuple[str, ...]
    claims: tuple[tuple[str, str, date | None, str], ...] = ()  # speaker, polarity, date, text
    terms: frozenset[str] = frozenset()
    rank: int = 0  # 1 for the report's first event (what a news report is about), 2, 3, ...
    toll_vague: bool = False  # the toll is a word ('dozens'), not a figure
    voices: tuple[Voice, ...] = ()  # who speaks about it (record/origins.py)
    # Canonical merge order (publication, document sha256, rank): the same whatever order
    # the reports arrived in.
    order: tuple = ()
    # A lead's report's passing events dated to the day, another day than the lead: the
    # incidents the report itself tells apart from its own (see told_apart).
    recalled: tuple[EventFacts, ...] = ()

    @property
    def main(self) -> bool:
        return self.rank == 1


@dataclass(frozen=True, slots=True)
class MergeReason:
    score: float
    matched: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 2), "matched": list(self.matched)}


@dataclass(frozen=True, slots=True)
class Summary:
    event_type: str
    sub_event_type: str
    topic: str | None
    date_start: date | None
    date_end: date | None
    precision: str | None
    place: EventFacts | None
    actor1: str | None
    fatalities: tuple[int | None, int | None]
    origins: int
    confidence: str
    disputes: tuple[CrossDispute, ...]
    status: tuple[dict[str, Any], ...] = field(default=())


def km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    p = math.pi / 180
    h = (math.sin((b_lat - a_lat) * p / 2) ** 2
         + math.cos(a_lat * p) * math.cos(b_lat * p) * math.sin((b_lon - a_lon) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(h))


# Words every conflict report uses: sharing them says nothing about being the same incident.
_COMMON = frozenset("""
about after again against also among area areas army attack attacks away back based been
before being between both britain british called camp city civilian civilians clashes could
country countryside daily damascus dead death deaths during each early eastern east fighters
fighting fire first five forces four from government group groups have having held hospital
including injured into killed killing last late later least local many media military monday
monitor more most near news northern north observatory official officials opposition other
over part people province rebel rebels regime reported reports residents rights rocket said
says second security several since some source sources southern south state statement strike
strikes sunday syria syrian than that their them there these they third this those three
thursday through tuesday under wednesday were western west what when where which while
who with wounded year years friday saturday human according told added also week weeks
month months today yesterday hours killed town towns village villages troops terrorist
report
terrorists armed bomb bombs shelling airstrikes raids
""".split())
_TERM = re.compile(r"[A-Za-z][A-Za-z'’-]{3,}|\d{2,}")


# Month names ('may' is a verb far more often than a month in a report's words).
_CALENDAR = frozenset(MONTHS) - {"may"}
# Governorates are place evidence, weighed as such: they add to two reports' likeness, but two
# reports that share little else are not one incident.
_GOVERNORATES = frozenset("""idlib idleb aleppo halab hama hamah homs latakia lattakia raqqa
ar-raqqa deir ezzor ez-zor deir-ez-zor hasakeh hasaka al-hasakeh daraa deraa dar'a quneitra
sweida suwayda as-sweida tartus tartous rural""".split())
_YEAR = re.compile(r"(?:19|20)\d\d")
_DAY_OF = re.compile(r"\s+(?:" + "|".join(sorted(_CALENDAR, key=len, reverse=True)) + r")\b",
                     re.I)


def terms(text: str, limit: int = 60) -> frozenset[str]:
    """Distinctive words of a report: names, numbers and the less common words (not the month
    or the year, which every report of the time shares)."""
    out: list[str] = []
    for m in _TERM.finditer(text):
        word = m.group(0).lower().strip("'’-")
        if word.isdigit() and (_YEAR.fullmatch(word) or _DAY_OF.match(text, m.end())):
            continue  # '06 February', '2020': when, not what
        if word not in _COMMON and word not in _CALENDAR and word not in out:
            out.append(word)
        if len(out) >= limit:
            break
    return frozenset(out)


def fingerprint(text: str) -> str:
    """The same story under two outlets: case, spacing and punctuation aside, the same words."""
    words = re.findall(r"\w+", text.lower())
    return hashlib.sha256(" ".join(words[:400]).encode()).hexdigest()


def wire_origin(text: str) -> str | None:
    m = _WIRE.search(text[-200:]) or _WIRE.search(text[:120])
    if not m:
        return None
    name = (m.group(1) or m.group(2)).lower()
    return {"reuters": "Reuters", "afp": "Agence France-Presse", "ap": "Associated Press",
            "anadolu": "Anadolu Agency", "anadolu agency": "Anadolu Agency", "sana": "SANA",
            "tass": "TASS", "sputnik": "Sputnik", "xinhua": "Xinhua", "dpa": "dpa"}[name]


CELL_DEGREES = 0.2  # about 20 km: a cell and its neighbours cover SAME_PLACE_KM all round


def cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES)


def cell_key(lat: float | None, lon: float | None, geo_precision: int | None) -> str | None:
    """The grid cell of a precisely placed event or incident (None for a governorate)."""
    if lat is None or lon is None or (geo_precision or 3) > 2:
        return None
    y, x = cell(lat, lon)
    return f"{y}:{x}"


def neighbour_cells(lat: float, lon: float) -> list[str]:
    y, x = cell(lat, lon)
    return [f"{y + dy}:{x + dx}" for dy in (-1, 0, 1) for dx in (-1, 0, 1)]


def window(facts: EventFacts) -> tuple[date, date] | None:
    """The dates a matching incident may have: the event's range widened by the slack."""
    if facts.date_start is None:
        return None
    end = facts.date_end or facts.date_start
    return (facts.date_start - timedelta(days=DATE_SLACK_DAYS),
            end + timedelta(days=DATE_SLACK_DAYS))


def _type_score(a: EventFacts, b: EventFacts) -> float | None:
    if a.sub_event_type == b.sub_event_type:
        if a.sub_event_type in ("Agreement", "Other") and a.topic != b.topic:
            return None
        return 2.0
    if a.event_type == b.event_type and a.event_type != "Strategic developments":
        return 1.0
    if {a.event_type, b.event_type} <= VIOLENCE:
        return 0.5
    return None


# Outlets say 'Damascus' for the capital's suburbs (Ghouta, Douma), which OCHA codes as Rural
# Damascus: a report placed only in one is not apart from a report in the other.
_CAPITAL_AREA = frozenset(("Damascus", "Rural Damascus"))


def _capital(e: EventFacts) -> bool:
    """A governorate's capital shares its name: 'Deir Ezzor' is the city or the province."""
    return e.place_name is not None and e.place_name == e.admin1


@lru_cache(maxsize=1)
def _governorate_names() -> tuple[re.Pattern[str], dict[str, str]]:
    """The ways reports write each governorate (data/areas.toml), longest first, so that
    'Rural Damascus' is not read as 'Damascus'."""
    areas = tomllib.loads(resources.files("observatory.data").joinpath("areas.toml")
                          .read_text("utf-8"))["area"]
    names = {n.lower(): a["name"] for a in areas for n in (a["name"], *a["aliases"])}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b({alternatives})\b", re.I), names


def with_headline(lead: EventFacts, headline: str | None) -> EventFacts:
    """A report's lead placed nowhere in its own sentences, in the one governorate its headline
    names: outlets headline a village's incident with its province ('25 children among Deir
    Ez-Zor dead', 'in Syria's Idlib') and tell the village, if at all, further down."""
    if not lead.main or lead.admin1 is not None or not headline:
        return lead
    pattern, names = _governorate_names()
    named = {names[m.group(1).lower()] for m in pattern.finditer(headline)}
    return replace(lead, admin1=named.pop()) if len(named) == 1 else lead


def governorates_of(admin1: str) -> tuple[str, ...]:
    """The governorates where a report placed in ``admin1`` may have its incident's others."""
    return tuple(sorted(_CAPITAL_AREA)) if admin1 in _CAPITAL_AREA else (admin1,)


def _place(a: EventFacts, b: EventFacts) -> tuple[str, str]:
    """How two reports' places relate: 'same' town, 'near' (within SAME_PLACE_KM), the same
    'governorate' only, 'apart' (other governorates, or two named towns far apart: two
    incidents), or 'none' said; with the reason to store."""
    precise = (a.geo_precision or 3) <= 2 and (b.geo_precision or 3) <= 2
    other = bool(a.admin1 and b.admin1 and a.admin1 != b.admin1)
    if other and {a.admin1, b.admin1} != _CAPITAL_AREA:
        return "apart", "other governorates"
    if other and not precise:
        return "governorate", "Damascus and its countryside"
    if precise and a.gazetteer_id and a.gazetteer_id == b.gazetteer_id:
        return "same", "place"
    if precise and None not in (a.lat, a.lon, b.lat, b.lon):
        d = km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
        if d <= SAME_PLACE_KM:
            return "near", f"within {d:.0f} km"
        if (a.geo_precision, b.geo_precision) == (1, 1) and not (_capital(a) or _capital(b)):
            return "apart", "different towns"
    if other:
        return "apart", "other governorates"  # Damascus and a town of its countryside, far off
    if a.admin1 and a.admin1 == b.admin1:
        return "governorate", "governorate"
    return "none", "no place"


# What each relation of places adds: for any two events, and for two reports' leads (whose
# words carry more of the weight).
_PLACE_WEIGHT = {"same": 2.0, "near": 1.5, "governorate": 0.25, "none": 0.0}
_LEAD_PLACE_WEIGHT = {"same": 1.0, "near": 0.7, "governorate": 0.2, "none": 0.0}


def _place_score(a: EventFacts, b: EventFacts) -> tuple[float, str] | None:
    """Named places are evidence; a shared governorate alone is hardly any."""
    kind, why = _place(a, b)
    return None if kind == "apart" else (_PLACE_WEIGHT[kind], why)


def _date_score(a: EventFacts, b: EventFacts) -> tuple[float, str] | None:
    """Only dated reports merge: a month or a year is background, not an incident's date."""
    if a.precision not in ("day", "week") or b.precision not in ("day", "week"):
        return None
    wa = window(a)
    assert wa is not None and a.date_start is not None and b.date_start is not None
    if a.precision == b.precision == "day":
        # Two reports a day apart may date one incident differently (a lag, 'on Monday'), or
        # tell of strikes on consecutive days: the rest of the evidence must decide.
        gap = abs((a.date_start - b.date_start).days)
        if gap == 0:
            return 1.5, "same day"
        return (0.0, "1 day apart") if gap == 1 else None
    if wa[0] <= (b.date_end or b.date_start) and (a.date_end or a.date_start) >= (
            b.date_start - timedelta(days=DATE_SLACK_DAYS)):
        return 0.25, "same week"
    return None


def _gap_days(a: EventFacts, b: EventFacts) -> int:
    """Days between two events' date ranges; 0 when they overlap."""
    a_end, b_end = a.date_end or a.date_start, b.date_end or b.date_start
    assert a.date_start is not None and b.date_start is not None
    if a_end < b.date_start:  # type: ignore[operator]
        return (b.date_start - a_end).days  # type: ignore[operator]
    if b_end < a.date_start:  # type: ignore[operator]
        return (a.date_start - b_end).days  # type: ignore[operator]
    return 0


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine of two reports' distinctive words."""
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def told_apart(lead: EventFacts, other: EventFacts) -> bool:
    """Whether ``lead``'s report tells ``other``'s incident apart from its own: a follow-up
    leads with the day's strike and recalls the day before's in the same town as a separate
    event; a report leading with that day's strike is that other event's incident."""
    if lead.precision != "day" or other.date_start is None:
        return False
    other_end = other.date_end or other.date_start
    if other.date_start <= lead.date_start <= other_end:  # type: ignore[operator]
        return False  # the other report's dates allow the lead's day as well
    return any(other.date_start <= e.date_start <= other_end  # type: ignore[operator]
               and _type_score(e, other) is not None
               and _place(e, other)[0] in ("same", "near") for e in lead.recalled)


def match_main(event: EventFacts, member: EventFacts) -> MergeReason | None:
    """Whether two reports are about the same incident, each judged by what it leads with.

    Outlets code one incident differently (an 'attack', 'air strikes', 'a massacre') and place
    it in a town or only a province, so no single field decides: the evidence adds up, and
    the words the reports share weigh most. Dates may differ by a day (a lag, 'on Monday'),
    governorates may not.
    """
    if event.precision not in ("day", "week") or member.precision not in ("day", "week"):
        return None
    gap = _gap_days(event, member)
    if gap > 1 or (gap == 1 and event.precision == member.precision == "week"):
        # Leads dated only by windows (an undated lead: its report's day or the day before)
        # already allow for a lag: two windows a day apart put the leads two or more apart.
        return None
    place, why = _place(event, member)
    if place == "apart" or told_apart(event, member) or told_apart(member, event):
        return None
    score = 1.0 if gap == 0 else 0.5
    matched = ["same day" if gap == 0 else "1 day apart"]
    if event.sub_event_type == member.sub_event_type:
        score += 1.0
        matched.append(f"type {event.sub_event_type}")
    elif event.event_type == member.event_type:
        score += 0.5
        matched.append(f"type {event.event_type}")
    elif not {event.event_type, member.event_type} <= VIOLENCE | {"Battles"}:
        score -= 2.0
    elif {event.sub_event_type, member.sub_event_type} & _GENERIC:
        # 'An attack', 'clashes': one outlet's word for what another calls an air strike.
        score += 0.25
        matched.append("type violence")
    if place != "none":
        score += _LEAD_PLACE_WEIGHT[place]
        matched.append(why)
    shared = event.terms & member.terms
    if place != "same" and len(shared - _GOVERNORATES) < (2 if place == "near" else 3):
        # A governorate, or villages a few km apart, hold many incidents a day: unless the
        # reports name the same place, they must agree in their words, the more so when
        # neither names a town.
        return None
    score += 5.0 * similarity(event.terms, member.terms)
    if shared:
        matched.append("shared words: " + ", ".join(sorted(shared)[:8]))
    low = event.fatalities[0]
    if low is not None and low > 1 and low == member.fatalities[0]:
        score += 1.0
        matched.append(f"toll {low}")
    return _conclude(event, member, score, matched, actor=0.3, threshold=MAIN_THRESHOLD)


def may_join(event: EventFacts) -> bool:
    """Whether any other report could match this event (the rules of ``match`` and
    ``match_main`` that look at the event alone): a lead needs a day or a week; an incident
    told in passing, its day and a place among the report's first few events."""
    if event.main:
        return event.precision in ("day", "week")
    return event.precision == "day" and event.rank <= BACKGROUND_RANK


def match(event: EventFacts, member: EventFacts) -> MergeReason | None:
    """Whether an event reports the same incident as another report's event, and why."""
    if event.document == member.document:
        return None  # one report's separate events are separate incidents
    announcement = event.sub_event_type == member.sub_event_type == "Agreement"
    if event.main and member.main and not announcement:
        return match_main(event, member)  # an announcement is matched on its topic, below
    if any(e.precision != "day" or e.rank > BACKGROUND_RANK for e in (event, member)):
        # An incident told in passing, undated or far down a report, is background; one told
        # in passing matches another report on its day, not on a lead's week.
        return None
    shared = event.terms & member.terms
    type_score = _type_score(event, member)
    if type_score is None:
        # Coders disagree on the type of one incident ('clashes' and 'an attack'): reports
        # that tell it in the same distinctive words are still one incident.
        violent = {event.event_type, member.event_type} <= VIOLENCE | {"Battles"}
        if not violent or len(shared) < 5:
            return None
        type_score = 0.0
    date_score = _date_score(event, member)
    if date_score is None:
        return None
    place = (1.5, "same announcement") if announcement else _place_score(event, member)
    if place is None:
        return None
    if place[0] <= 0.25 and len(shared) < 3:
        return None  # a governorate and a week hold many incidents: the reports must agree
    matched = [f"type {event.sub_event_type if type_score == 2 else event.event_type}",
               place[1], date_score[1]]
    score = type_score + place[0] + date_score[0]
    if len(shared) >= 2:
        score += min(2.0, 0.4 * len(shared))
        matched.append("shared words: " + ", ".join(sorted(shared)[:8]))
    return _conclude(event, member, score, matched, actor=0.5, threshold=MERGE_THRESHOLD)


def _conclude(event: EventFacts, member: EventFacts, score: float, matched: list[str], *,
              actor: float, threshold: float) -> MergeReason | None:
    """The same actor adds its weight; the evidence must reach the threshold."""
    if event.actor1 and event.actor1 == member.actor1:
        score += actor
        matched.append(f"actor {event.actor1}")
    return MergeReason(score, tuple(matched)) if score >= threshold else None


def matches(event: EventFacts, incidents: dict[int, Sequence[EventFacts]]
            ) -> list[tuple[int, MergeReason]]:
    """Every incident an event could join, best first, each with its best-matching report.

    A report's lead must match at least half the leads of an incident's reports: one loose
    resemblance to one of them does not make it the same incident.
    """
    ranked: list[tuple[bool, int, MergeReason]] = []
    for incident_id, members in incidents.items():
        if not members or any(m.document == event.document for m in members):
            continue
        reasons = [match(event, m) for m in members]
        found = [r for r in reasons if r is not None]
        if not found:
            continue
        leads = [r for m, r in zip(members, reasons) if m.main]
        if event.main and sum(r is not None for r in leads) < MAIN_AGREEMENT * len(leads):
            continue
        # A lead that matches another report's lead has found its incident: that beats a
        # resemblance to some report's passing mention, whose scores run on another scale.
        by_lead = event.main and any(r is not None for r in leads)
        ranked.append((by_lead, incident_id, max(found, key=lambda r: r.score)))
    ranked.sort(key=lambda x: (not x[0], -x[2].score))
    return [(incident_id, reason) for _, incident_id, reason in ranked]


def compared(members: Sequence[EventFacts]) -> list[EventFacts]:
    """The reports of an incident (given in canonical order) a new report is compared with:
    its leads, then its other events, at most MAX_COMPARED (a summary of a large incident)."""
    leads = list(islice((m for m in members if m.main), MAX_COMPARED))
    return leads + list(islice((m for m in members if not m.main), MAX_COMPARED - len(leads)))


def placement(events: Sequence[EventFacts]) -> EventFacts | None:
    """The incident's place: the most precise, then the most reported, gazetteer entry."""
    reported = Counter(e.gazetteer_id for e in events)
    placed = [e for e in events if e.lat is not None]
    return min(placed, key=lambda e: (e.geo_precision or 3, -reported[e.gazetteer_id]),
               default=None)


def best_match(event: EventFacts, incidents: dict[int, Sequence[EventFacts]]
               ) -> tuple[int, MergeReason] | None:
    found = matches(event, incidents)
    return found[0] if found else None


def joinable(a: Sequence[EventFacts], b: Sequence[EventFacts]) -> bool:
    """Whether two incidents are one: a report that matched both joins them when no report is
    in both and most pairs of their leads match (reports of one incident that arrived before
    the report linking them started apart)."""
    if {e.document for e in a} & {e.document for e in b}:
        return False
    pairs = [(x, y) for x in a if x.main for y in b if y.main]
    return bool(pairs) and (sum(match(x, y) is not None for x, y in pairs)
                            >= MAIN_AGREEMENT * len(pairs))


def _overlap(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> bool:
    return overlaps(Count(*a), Count(*b))


def _toll(e: EventFacts) -> tuple[int | None, int | None]:
    """The figures a report's toll allows. A word ('dozens', 24-99) is loose, half to twice its
    bounds: it clashes with a figure of another order ('dozens' beside 1,300), not with one
    near it ('dozens' beside 120 or 20)."""
    low, high = e.fatalities
    if not e.toll_vague or low is None:
        return low, high
    return low // 2, high * 2 if high is not None else None


def _toll_sides(events: Sequence[EventFacts]
                ) -> dict[tuple[int | None, int | None], list[EventFacts]]:
    """Death tolls that cannot all be true, as sides of figures that can be true together.

    A report whose figure fits every other ('at least 40' beside 43 and 126) takes no side;
    the rest join the side whose every figure theirs overlaps (exact figures first, open ones
    after), and a figure that fits two sides takes neither. Each side is keyed by the range
    all its figures allow (its words only when it has no figure). Empty when the tolls agree.
    """
    stated = [e for e in events if e.fatalities[0] is not None and e.stance == "asserts"]
    # Compared as distinct figures: a story told by thousands of reports has a few tolls.
    figures = set(map(_toll, stated))
    clash = {f for f in figures if any(not _overlap(f, o) for o in figures)}
    clashing = [e for e in stated if _toll(e) in clash]
    groups: list[list[EventFacts]] = []
    tolls: list[set[tuple[int | None, int | None]]] = []
    for e in sorted(clashing, key=lambda e: (e.fatalities[1] is None, e.fatalities[0],
                                             e.fatalities[1] or math.inf)):
        fits = [i for i, t in enumerate(tolls) if all(_overlap(_toll(e), o) for o in t)]
        if len(fits) > 1:
            continue  # 'at least 72' beside 80 and 100: it takes neither side
        if fits:
            groups[fits[0]].append(e)
            tolls[fits[0]].add(_toll(e))
        else:
            groups.append([e])
            tolls.append({_toll(e)})
    if len(groups) < 2:
        return {}
    sides: dict[tuple[int | None, int | None], list[EventFacts]] = {}
    for group in groups:
        figures = [e.fatalities for e in group if not e.toll_vague] or [
            e.fatalities for e in group]
        highs = [high for _, high in figures if high is not None]
        sides[(max(low for low, _ in figures), min(highs) if highs else None)] = group  # type: ignore[type-var]
    return sides


def _sides(groups: dict[Any, list[EventFacts]], value=lambda k: k) -> tuple[Side, ...]:
    return tuple(Side(value(k), tuple(dict.fromkeys(e.document for e in evs)),
                      tuple(dict.fromkeys(s for e in evs for s in e.speakers)))
                 for k, evs in groups.items())


def _disputes(events: Sequence[EventFacts]) -> tuple[CrossDispute, ...]:
    out: list[CrossDispute] = []
    tolls = _toll_sides(events)
    if tolls:
        out.append(CrossDispute("fatalities", _sides(tolls, lambda k: {"low": k[0],
                                                                         "high": k[1]})))
    territory = any(e.sub_event_type in TERRITORY for e in events)
    actors: dict[str, list[EventFacts]] = {}
    for e in events:
        if e.actor1 and e.actor1_known and e.stance == "asserts":
            actors.setdefault(e.actor1, []).append(e)
    if len(actors) > 1:
        out.append(CrossDispute("control" if territory else "perpetrator", _sides(actors)))
    occurred = speakers_of.occurred(events)
    if occurred:  # between origins, not reports: one report may tell both sides
        out.append(CrossDispute("occurred", tuple(Side(o.asserts, o.documents, o.speakers, o.via)
                                                  for o in occurred)))
    days: dict[date, list[EventFacts]] = {}
    for e in events:
        if e.precision == "day" and e.date_start is not None and e.stance == "asserts":
            days.setdefault(e.date_start, []).append(e)
    if len(days) > 1 and max(days) - min(days) > timedelta(days=1):
        out.append(CrossDispute("date", _sides(days, lambda k: k.isoformat())))
    towns: dict[str, list[EventFacts]] = {}
    for e in events:
        if e.geo_precision == 1 and e.place_name and e.stance == "asserts":
            towns.setdefault(e.place_name, []).append(e)
    far = [(a, b) for a in towns for b in towns if a < b
           and km(towns[a][0].lat, towns[a][0].lon, towns[b][0].lat, towns[b][0].lon) > 10]  # type: ignore[arg-type]
    if far:
        out.append(CrossDispute("location", _sides(towns)))
    return tuple(out)


def _status(events: Sequence[EventFacts]) -> tuple[dict[str, Any], ...]:
    """What was announced, then denied or reported done, in the order it was said."""
    said = sorted(speakers_of.statements(events), key=lambda c: (c[0] or date.max))
    out: list[dict[str, Any]] = []
    announced = False
    for d, speaker, polarity, text, doc in said:
        if polarity == "denies":
            status = "denied"
        elif announced and _IMPLEMENTED.search(text) and "announc" not in text.lower():
            status = "reported implemented"
        else:
            status = "announced"
        announced = announced or status == "announced"
        out.append({"date": d.isoformat() if d else None, "status": status,
                    "speaker": speaker, "document": doc})
    return tuple(out)


def summarise(events: Sequence[EventFacts]) -> Summary:
    """The incident's coded fields, origins, confidence and disputes from all its events."""
    asserting = [e for e in events if e.stance == "asserts"] or list(events)
    (event_type, sub), _ = Counter((e.event_type, e.sub_event_type)
                                   for e in asserting).most_common(1)[0]
    dated = sorted((e for e in events if e.date_start is not None),
                   key=lambda e: (_PRECISION_RANK[e.precision], e.date_start))
    actors = Counter(e.actor1 for e in asserting if e.actor1)
    lows = [e.fatalities[0] for e in asserting if e.fatalities[0] is not None]
    highs = [e.fatalities[1] if e.fatalities[1] is not None else e.fatalities[0]
             for e in asserting if e.fatalities[0] is not None]
    disputes = _disputes(events)
    origins = len(speakers_of.origins(events))
    fields = {d.field for d in disputes}
    if speakers_of.denied(events):
        confidence = "denied"
    elif fields & {"occurred", "perpetrator", "control"}:
        confidence = "contested"
    elif origins >= 2:
        confidence = "corroborated"
    else:
        confidence = "single-source"
    status = _status(events) if sub == "Agreement" else ()
    return Summary(event_type=event_type, sub_event_type=sub,
                   topic=events[0].topic if sub in ("Agreement", "Other") else None,
                   date_start=dated[0].date_start if dated else None,
                   date_end=dated[0].date_end if dated else None,
                   precision=dated[0].precision if dated else None,
                   place=placement(events),
                   actor1=actors.most_common(1)[0][0] if actors else None,
                   fatalities=(min(lows), max(highs)) if lows else (None, None),
                   origins=origins, confidence=confidence, disputes=disputes, status=status)
