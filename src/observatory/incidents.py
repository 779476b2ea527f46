"""Incidents: reads events of many reports (as EventFacts), writes merge decisions with their
reasons, independent origins, confidence, announcement status and cross-source disputes."""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

STAGE = "incidents.v1"
MERGE_THRESHOLD = 4.0
DATE_SLACK_DAYS = 2  # reports of one incident date it a day or two apart ('on Monday', lag)
SAME_PLACE_KM = 15.0
VIOLENCE = frozenset(("Explosions/Remote violence", "Violence against civilians"))
TERRITORY = frozenset(("Government regains territory", "Non-state actor overtakes territory",
                       "Non-violent transfer of territory"))
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

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "documents": list(self.documents),
                "speakers": list(self.speakers)}


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
terrorists armed bomb bombs shelling airstrikes raids
""".split())
_TERM = re.compile(r"[A-Za-z][A-Za-z'’-]{3,}|\d{2,}")


def terms(text: str, limit: int = 60) -> frozenset[str]:
    """Distinctive words of a report: names, numbers and the less common words."""
    out: list[str] = []
    for m in _TERM.finditer(text):
        word = m.group(0).lower().strip("'’-")
        if word not in _COMMON and word not in out:
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


def _place_score(a: EventFacts, b: EventFacts) -> tuple[float, str] | None:
    """Named places are evidence; a shared governorate alone is hardly any."""
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return None
    precise = (a.geo_precision or 3) <= 2 and (b.geo_precision or 3) <= 2
    if precise and a.gazetteer_id and a.gazetteer_id == b.gazetteer_id:
        return 2.0, "place"
    if precise and None not in (a.lat, a.lon, b.lat, b.lon):
        d = km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
        if d <= SAME_PLACE_KM:
            return 1.5, f"within {d:.0f} km"
        if (a.geo_precision, b.geo_precision) == (1, 1):
            return None  # two named towns far apart are two incidents
    if a.admin1 and a.admin1 == b.admin1:
        return 0.25, "governorate"
    return 0.0, "no place"


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


def match(event: EventFacts, member: EventFacts) -> MergeReason | None:
    """Whether an event reports the same incident as another report's event, and why."""
    if event.document == member.document:
        return None  # one report's separate events are separate incidents
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
    announcement = event.sub_event_type == "Agreement"
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
    if event.actor1 and event.actor1 == member.actor1:
        score += 0.5
        matched.append(f"actor {event.actor1}")
    if score < MERGE_THRESHOLD:
        return None
    return MergeReason(score, tuple(matched))


def core(members: Sequence[EventFacts]) -> EventFacts:
    """The report an incident is compared on: its most precisely dated and placed one. Matching
    every member instead would let an incident drift, report by report, across weeks."""
    return min(members, key=lambda e: (_PRECISION_RANK[e.precision], e.geo_precision or 4,
                                       e.event_id))


def best_match(event: EventFacts, incidents: dict[int, Sequence[EventFacts]]
               ) -> tuple[int, MergeReason] | None:
    best: tuple[int, MergeReason] | None = None
    for incident_id, members in incidents.items():
        if not members or any(m.document == event.document for m in members):
            continue
        reason = match(event, core(members))
        if reason is not None and (best is None or reason.score > best[1].score):
            best = (incident_id, reason)
    return best


def _overlap(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> bool:
    a_high = a[1] if a[1] is not None else math.inf
    b_high = b[1] if b[1] is not None else math.inf
    return a[0] <= b_high and b[0] <= a_high  # type: ignore[operator]


def _sides(groups: dict[Any, list[EventFacts]], value=lambda k: k) -> tuple[Side, ...]:
    return tuple(Side(value(k), tuple(dict.fromkeys(e.document for e in evs)),
                      tuple(dict.fromkeys(s for e in evs for s in e.speakers)))
                 for k, evs in groups.items())


def _disputes(events: Sequence[EventFacts]) -> tuple[CrossDispute, ...]:
    out: list[CrossDispute] = []
    tolls: dict[tuple[int | None, int | None], list[EventFacts]] = {}
    for e in events:
        if e.fatalities[0] is not None and e.stance == "asserts":
            tolls.setdefault(e.fatalities, []).append(e)
    values = list(tolls)
    if any(not _overlap(a, b) for i, a in enumerate(values) for b in values[i + 1:]):
        out.append(CrossDispute("fatalities", _sides(tolls, lambda k: {"low": k[0],
                                                                         "high": k[1]})))
    territory = any(e.sub_event_type in TERRITORY for e in events)
    actors: dict[str, list[EventFacts]] = {}
    for e in events:
        if e.actor1 and e.actor1_known and e.stance == "asserts":
            actors.setdefault(e.actor1, []).append(e)
    if len(actors) > 1:
        out.append(CrossDispute("control" if territory else "perpetrator", _sides(actors)))
    stances: dict[str, list[EventFacts]] = {}
    for e in events:
        stances.setdefault(e.stance, []).append(e)
    if len(stances) > 1 and ({e.origin for e in stances["asserts"]}
                             != {e.origin for e in stances["denies"]}):
        out.append(CrossDispute("occurred", _sides(stances, lambda k: k == "asserts")))
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
    said = sorted(((d, speaker, polarity, text, e.document) for e in events
                   for speaker, polarity, d, text in e.claims),
                  key=lambda c: (c[0] or date.max))
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
    placed = sorted((e for e in events if e.lat is not None),
                    key=lambda e: (e.geo_precision or 3, -sum(1 for x in events
                                                              if x.gazetteer_id == e.gazetteer_id)))
    actors = Counter(e.actor1 for e in asserting if e.actor1)
    lows = [e.fatalities[0] for e in asserting if e.fatalities[0] is not None]
    highs = [e.fatalities[1] if e.fatalities[1] is not None else e.fatalities[0]
             for e in asserting if e.fatalities[0] is not None]
    disputes = _disputes(events)
    origins = len({e.origin for e in events})
    fields = {d.field for d in disputes}
    if all(e.stance == "denies" for e in events):
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
                   place=placed[0] if placed else None,
                   actor1=actors.most_common(1)[0][0] if actors else None,
                   fatalities=(min(lows), max(highs)) if lows else (None, None),
                   origins=origins, confidence=confidence, disputes=disputes, status=status)
