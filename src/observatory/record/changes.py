"""Incident changes: reads the incidents an ingest's merge touched, before it changed them and
after, writes the Changes between the two snapshots (new disputes, confidence, tolls,
announcement status)."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from observatory.record.store.models import Incident, IncidentDispute

__all__ = ["Facts", "Change", "Tracker", "snapshot", "diff"]

_IDS_PER_QUERY = 1000  # under every database's limit on bound parameters


@dataclass(frozen=True)
class Facts:
    """What the alert rules look at in one incident."""

    id: int
    event_type: str
    sub_event_type: str
    topic: str | None
    date: str | None
    place: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    confidence: str
    fatalities: tuple[int | None, int | None]
    disputes: frozenset[str]
    status: str | None  # the newest state of an announcement's timeline

    @property
    def title(self) -> str:
        what = self.topic or self.sub_event_type
        where = self.place or self.admin1 or "unplaced"
        return f"i{self.id} {what} at {where}" + (f" on {self.date}" if self.date else "")


@dataclass(frozen=True)
class Change:
    """One thing that changed in an incident; ``kind`` names the rule that may fire on it."""

    kind: str  # new, dispute, contested, denied, fatalities, status
    incident: Facts
    before: Any = None
    after: Any = None


def snapshot(session: Session, *, ids: Iterable[int]) -> dict[int, Facts]:
    """The facts of the incidents ``ids`` (read by key), two queries per thousand."""
    wanted = sorted(set(ids))
    out: dict[int, Facts] = {}
    for start in range(0, len(wanted), _IDS_PER_QUERY):
        out.update(_snapshot(session, wanted[start:start + _IDS_PER_QUERY]))
    return out


def _snapshot(session: Session, ids: list[int]) -> dict[int, Facts]:
    query = select(Incident.id, Incident.event_type, Incident.sub_event_type, Incident.topic,
                   Incident.date_start, Incident.place_name, Incident.admin1, Incident.lat,
                   Incident.lon, Incident.confidence, Incident.fatalities_low,
                   Incident.fatalities_high,
                   # As text: most incidents have no timeline, and decoding "[]" for each of
                   # them was most of a snapshot's time.
                   cast(Incident.status, Text).label("status")).where(Incident.id.in_(ids))
    disputes = select(IncidentDispute.incident_id, IncidentDispute.field).where(
        IncidentDispute.incident_id.in_(ids))
    fields: dict[int, set[str]] = {}
    for incident_id, field_name in session.execute(disputes):
        fields.setdefault(incident_id, set()).add(field_name)
    out = {}
    for row in session.execute(query):
        status = json.loads(row.status) if row.status and row.status != "[]" else []
        out[row.id] = Facts(
            id=row.id, event_type=row.event_type, sub_event_type=row.sub_event_type,
            topic=row.topic, date=row.date_start.isoformat() if row.date_start else None,
            place=row.place_name, admin1=row.admin1, lat=row.lat, lon=row.lon,
            confidence=row.confidence, fatalities=(row.fatalities_low, row.fatalities_high),
            disputes=frozenset(fields.get(row.id, ())),
            status=status[-1].get("status") if status else None)
    return out


@dataclass
class Tracker:
    """The incidents an ingest's merge changed: each one's facts just before its first change
    and the ids it created. Its snapshots read only those, so their cost follows the ingest,
    not the store."""

    before: dict[int, Facts] = field(default_factory=dict)
    created: set[int] = field(default_factory=set)

    def record(self, before: dict[int, Facts], created: Iterable[int]) -> None:
        """Add what one committed merge transaction touched; an incident keeps the facts it had
        before the ingest's first change (one created by an earlier transaction stays new)."""
        for incident_id, facts in before.items():
            if incident_id not in self.created:
                self.before.setdefault(incident_id, facts)
        self.created.update(created)

    def changes(self, session: Session) -> list[Change]:
        """What changed in the touched incidents (one absorbed by another is gone)."""
        return diff(self.before, snapshot(session, ids=self.before.keys() | self.created))


def _widens(before: tuple[int | None, int | None], after: tuple[int | None, int | None]) -> bool:
    """A toll range widens when one of its known bounds moves outward; a first toll is news
    of another kind, not a widening."""
    (lo0, hi0), (lo1, hi1) = before, after
    if lo0 is None and hi0 is None:
        return False
    return ((lo0 is not None and lo1 is not None and lo1 < lo0)
            or (hi0 is not None and (hi1 is None or hi1 > hi0)))


def diff(before: dict[int, Facts], after: dict[int, Facts]) -> list[Change]:
    """What changed from one snapshot to the next; an incident absorbed by a merge is gone,
    and the one that absorbed it shows what it gained."""
    changes: list[Change] = []
    for incident_id, now in sorted(after.items()):
        old = before.get(incident_id)
        if old is None:
            changes.append(Change("new", now, None, None))
            changes.extend(Change("dispute", now, None, f) for f in sorted(now.disputes))
            if now.confidence in ("contested", "denied"):
                changes.append(Change(now.confidence, now, None, now.confidence))
            if now.status:
                changes.append(Change("status", now, None, now.status))
            continue
        changes.extend(Change("dispute", now, None, f)
                       for f in sorted(now.disputes - old.disputes))
        if now.confidence != old.confidence and now.confidence in ("contested", "denied"):
            changes.append(Change(now.confidence, now, old.confidence, now.confidence))
        if _widens(old.fatalities, now.fatalities):
            changes.append(Change("fatalities", now, list(old.fatalities),
                                  list(now.fatalities)))
        if now.status != old.status and now.status:
            changes.append(Change("status", now, old.status, now.status))
    return changes
