"""Merge: reads the stored events in no incident yet, writes their links to incidents (new
or joined), the incidents' fields, origins, confidence and disputes, in canonical order."""
from __future__ import annotations

from bisect import insort
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from observatory.coding.casualties import vague_at
from observatory.record import audit, review
from observatory.record.changes import Facts, Tracker, snapshot
from observatory.record.incidents import (BACKGROUND_RANK, STAGE as INCIDENTS_STAGE, EventFacts,
                                          Summary, cell_key, compared, governorates_of,
                                          joinable, matches, may_join, neighbour_cells,
                                          placement, summarise, window, with_headline)
from observatory.record.origins import Voice
from observatory.record.search import index_incidents
from observatory.record.store import Store
from observatory.record.store.models import (Actor, Document, Event, Incident, IncidentDispute,
                                             IncidentEvent, Place)

MERGE_CHUNK = 500  # documents merged per transaction
MAX_INCIDENT_DAYS = 31


def facts_of(session: Session, event: Event, document: Document, *,
             known: dict[str, bool] | None = None) -> EventFacts:
    """One event's facts (a lead's with the report's events it recalls, see _as_told).
    ``known``: the actors table's known flags, when the caller has read them already."""
    facts = _facts(event, document, known=_known(session, event, known))
    others = ([_facts(e, document, known=_known(session, e, known)) for e in document.events]
              if _recalling(facts) else [])
    return _as_told(facts, others, document)


def report_facts(document: Document, *, known: dict[str, bool]
                 ) -> list[tuple[Event, EventFacts]]:
    """Every event of a report with its facts, most salient first, each read once: a lead's
    recalled events are its siblings' facts, not read again."""
    events = sorted(document.events, key=lambda e: _rank(e.key))
    plain = [_facts(e, document, known=known.get(e.actor1 or "", False)) for e in events]
    return [(e, _as_told(f, plain, document)) for e, f in zip(events, plain)]


def _known(session: Session, event: Event, known: dict[str, bool] | None) -> bool:
    if known is not None:
        return known.get(event.actor1 or "", False)
    actor = session.get(Actor, event.actor1) if event.actor1 else None
    return bool(actor and actor.known)


def _recalling(facts: EventFacts) -> bool:
    """A lead dated to the day keeps the report's passing events dated to other days: the
    incidents the report tells apart from its own (incidents.told_apart)."""
    return facts.rank == 1 and facts.precision == "day"


def _as_told(facts: EventFacts, others: Sequence[EventFacts], document: Document
             ) -> EventFacts:
    """An event's facts as its report tells them: a lead with what it recalls, and placed by
    its headline when its own sentences place it nowhere."""
    if _recalling(facts):
        facts = replace(facts, recalled=tuple(
            o for o in others if 2 <= o.rank <= BACKGROUND_RANK and o.precision == "day"
            and o.date_start != facts.date_start))
    return with_headline(facts, document.title)


def _facts(event: Event, document: Document, *, known: bool) -> EventFacts:
    claims = {c.key: c for c in document.claims}
    linked = [claims[k] for k in event.claim_keys if k in claims]
    rank = _rank(event.key)
    return EventFacts(
        event_id=event.id, document=document.key, origin=event.origin,
        event_type=event.event_type, sub_event_type=event.sub_event_type,
        topic=event.trigger, date_start=event.date_start, date_end=event.date_end,
        precision=event.date_precision, admin1=event.admin1, gazetteer_id=event.gazetteer_id,
        place_name=event.place_name, lat=event.lat, lon=event.lon,
        geo_precision=event.geo_precision, actor1=event.actor1,
        actor1_known=known,
        fatalities=(event.fatalities_low, event.fatalities_high), stance=event.stance,
        speakers=tuple(event.speakers),
        claims=tuple((c.speaker, c.polarity, c.date_start, c.content) for c in linked),
        terms=frozenset(event.terms), rank=rank,
        toll_vague=vague_at(document.text, event.evidence.get("fatalities")),
        voices=tuple(Voice.from_dict(v) for v in event.voices or ()),
        order=(*_document_order(document), rank))


def _document_order(document: Document) -> tuple:
    """Canonical merge order: by publication (undated last), then by content hash."""
    return (document.published is None, document.published or datetime.min, document.sha256)


def _order(facts: EventFacts) -> tuple:
    return facts.order


def _rank(key: str) -> int:
    """'e3' -> 3: events are stored most salient first."""
    return int(key[1:]) if key[1:].isdigit() else 0


def merge_pending(store: Store, *, chunk: int = MERGE_CHUNK,
                  on_merged: Callable[[int], None] | None = None,
                  tracker: Tracker | None = None) -> int:
    """Link every event not yet in an incident, document by document in canonical order, so
    the incidents do not depend on the order reports arrived in or on which process read
    them; ``chunk`` documents per transaction. Returns the documents merged here; what each
    committed transaction changed is recorded on ``tracker``."""
    merged = conflicts = 0
    # The facts of the events the last transaction held, by event id, for the next one: it
    # goes on with the same recent incidents, and stored events never change.
    kept: dict[int, EventFacts] = {}
    while True:
        with store.session() as session:
            pending = _pending(session, chunk)
        if not pending:
            return merged
        try:
            with store.session() as session, session.begin():
                merger = _Merger(session, track=tracker is not None, kept=kept)
                for document in session.scalars(select(Document).where(
                        Document.id.in_(pending)).options(selectinload(Document.events),
                                                          selectinload(Document.claims))):
                    merger.add(document)
                merger.finish()
        except IntegrityError:
            # Another ingest merged some of these meanwhile: take what is left, afresh.
            conflicts += 1
            if conflicts > 10:
                raise
            continue
        kept = {f.event_id: f for members in merger.members.values() for f in members}
        merged += len(pending)
        if tracker is not None:
            # Only once committed: a transaction rolled back changed nothing.
            tracker.record(merger.before, merger.created)
        if on_merged:
            on_merged(len(pending))
        if len(pending) < chunk:
            # That was all of it: asking again would scan the documents for nothing (a report
            # stored meanwhile is merged by the ingest that stored it).
            return merged


def _pending(session: Session, limit: int) -> list[int]:
    """The first ``limit`` documents, in canonical order, with events in no incident."""
    unlinked = ~select(IncidentEvent.event_id).where(IncidentEvent.event_id == Event.id).exists()
    return list(session.scalars(
        select(Document.id).where(select(Event.id).where(Event.document_id == Document.id,
                                                         unlinked).exists())
        .order_by(Document.published.is_(None), Document.published, Document.sha256)
        .limit(limit)))


class _Merger:
    """One merge transaction: each incident's reports are read once and kept (as EventFacts),
    so a report's cost does not grow with re-reading the incidents it is compared with.
    ``kept``: facts read by an earlier transaction, by event id."""

    def __init__(self, session: Session, *, track: bool = False,
                 kept: dict[int, EventFacts] | None = None) -> None:
        self.session = session
        self.kept = kept or {}
        self.members: dict[int, list[EventFacts]] = {}
        self.documents: dict[int, set[str]] = {}
        # What a new report is compared with, per incident, until the incident changes.
        self.compared: dict[int, list[EventFacts]] = {}
        self.touched: set[int] = set()
        self.queue: list[Document] = []
        # The incidents this transaction touches, held: the session keeps clean objects only
        # weakly, and reading one again per report was a query per report.
        self.incidents: dict[int, Incident] = {}
        # What they are blocked on, and their ids by bucket and first day (_Blocked.buckets).
        self.blocked: dict[int, _Blocked] = {}
        self.held: dict[tuple, dict[date | None, set[int]]] = {}
        # Links written in one statement at the end, not one flush each.
        self.links: list[dict[str, Any]] = []
        # With ``track``, each incident's alert facts just before this transaction first
        # changes it, and the incidents it creates (a Tracker's record).
        self.track = track
        self.before: dict[int, Facts] = {}
        self.created: set[int] = set()
        # Read once: looking an actor up per event was a query per event.
        self.known: dict[str, bool] = dict(session.execute(select(Actor.name, Actor.known)).all())

    def add(self, document: Document) -> None:
        self.queue.append(document)

    def finish(self) -> None:
        """Merge the queued documents in canonical order, then summarise what changed: every
        field in memory, the disputes replaced and the rows updated in a few statements."""
        for document in sorted(self.queue, key=_document_order):
            new: list[tuple] = []
            for event, facts in report_facts(document, known=self.known):
                self._link(event, facts, new)
            self._create(new)
        if self.links:
            self.session.execute(insert(IncidentEvent), self.links)
        # Read once for the transaction, not once per incident refreshed.
        excluded = _excluded_keys(self.session)
        touched = sorted(self.touched)
        summaries = {i: summary_of(self.members[i], excluded) for i in touched}
        districts = _districts(self.session, {s.place.gazetteer_id for s in summaries.values()
                                              if s.place and s.place.gazetteer_id})
        disputes: list[dict[str, Any]] = []
        for i in touched:
            s = summaries[i]
            _write_summary(self._incident(i), self.members[i], s,
                           admin2=districts.get(s.place.gazetteer_id) if s.place else None)
            disputes += _dispute_rows(i, s)
        for at in range(0, len(touched), 500):
            self.session.execute(delete(IncidentDispute).where(
                IncidentDispute.incident_id.in_(touched[at:at + 500])))
        if disputes:
            self.session.execute(insert(IncidentDispute), disputes)
        for i in touched:
            # Written past the session: its copies of the disputes are stale.
            self.session.expire(self._incident(i), ["disputes"])
        for i in sorted(review.reviewed_incidents(self.session, touched)):
            review.apply(self.session, self._incident(i))
        self.session.flush()
        index_incidents(self.session, touched)

    def _load(self, ids: Sequence[int]) -> None:
        missing = [i for i in ids if i not in self.members]
        for i in missing:
            self.members[i], self.documents[i] = [], set()
        if not missing:
            return
        links = self.session.execute(select(IncidentEvent.incident_id, IncidentEvent.event_id)
                                     .where(IncidentEvent.incident_id.in_(missing))).all()
        unknown = [e for _, e in links if e not in self.kept]
        read: dict[int, EventFacts] = {}
        for at in range(0, len(unknown), 500):
            # Each report's claims, and its other events for a lead's recalled ones, read
            # with it: read one report at a time, they were a query each.
            for event, document in self.session.execute(
                    select(Event, Document).join(Document, Document.id == Event.document_id)
                    .where(Event.id.in_(unknown[at:at + 500]))
                    .options(selectinload(Document.events), selectinload(Document.claims))):
                read[event.id] = facts_of(self.session, event, document, known=self.known)
        for incident_id, event_id in links:
            self._remember(incident_id, self.kept.get(event_id) or read[event_id])

    def _remember(self, incident_id: int, facts: EventFacts) -> None:
        # Kept in canonical order: whatever order they were read in, ties break alike.
        insort(self.members.setdefault(incident_id, []), facts, key=_order)
        self.documents.setdefault(incident_id, set()).add(facts.document)
        self.compared.pop(incident_id, None)

    def _compared(self, incident_id: int) -> list[EventFacts]:
        found = self.compared.get(incident_id)
        if found is None:
            found = self.compared[incident_id] = compared(self.members[incident_id])
        return found

    def _changing(self, incident_id: int) -> None:
        """Called before an incident changes: read its facts the first time (by key, so the
        alerts' cost follows what the merge touches, not the store)."""
        if self.track and incident_id not in self.before and incident_id not in self.created:
            self.before.update(snapshot(self.session, ids=[incident_id]))

    def _candidates(self, facts: EventFacts) -> list[int]:
        """The incidents an event is compared with, the first CANDIDATES by id (so every
        database picks the same): the stored ones, read without writing this transaction's
        changes first (a flush per report was most of a merge's cost), and those it holds."""
        block = _Window.of(facts)
        if block is None:
            return []
        # Ids only, past the ORM: its work per row cost more than the query.
        stored = self.session.connection().execute(*block.query(CANDIDATES + len(self.blocked)))
        found = {i for (i,) in stored if i not in self.blocked}
        for bucket in block.buckets():
            for day, ids in self.held.get(bucket, {}).items():
                if day is not None and block.first <= day <= block.last:
                    found.update(i for i in ids if block.holds(self.blocked[i]))
        return sorted(found)[:CANDIDATES]

    def _hold(self, incident_id: int, blocked: _Blocked | None) -> None:
        """Keep (or, with None, forget) what an incident is blocked on."""
        old = self.blocked.pop(incident_id, None)
        if old is not None:
            for key in old.buckets():
                self.held[key][old.date_start].discard(incident_id)
        if blocked is not None:
            self.blocked[incident_id] = blocked
            for key in blocked.buckets():
                self.held.setdefault(key, {}).setdefault(blocked.date_start, set()).add(
                    incident_id)

    def _link(self, event: Event, facts: EventFacts, new: list[tuple]) -> None:
        """Link an event to the incident it reports (joining two incidents the event shows to
        be one), or queue on ``new`` the incident it begins (see _create)."""
        # Background joins nothing: its window's incidents are not even read.
        ids = self._candidates(facts) if may_join(facts) else []
        self._load(ids)
        candidates = {i: self._compared(i) for i in ids
                      if facts.document not in self.documents[i]}
        found = matches(facts, candidates)
        if not found:
            incident = Incident(event_type=event.event_type, sub_event_type=event.sub_event_type,
                                date_start=event.date_start, date_end=event.date_end,
                                admin1=event.admin1,
                                cell=cell_key(event.lat, event.lon, event.geo_precision),
                                origins=1, confidence="single-source", status=[],
                                updated_at=datetime.now(timezone.utc).replace(tzinfo=None))
            # The link keeps its place among the others; its incident's id comes in _create.
            link = dict(event_id=event.id, incident_id=None, stage=INCIDENTS_STAGE,
                        reason={"score": None, "matched": ["first report"]})
            self.links.append(link)
            new.append((facts, incident, link))
            return
        incident_id, why = found[0]
        self._changing(incident_id)
        members = [*candidates[incident_id], facts]
        for other_id, _ in found[1:] if facts.main else ():
            # Incidents a person arranged are theirs: the machine never joins them.
            if (not self.documents[incident_id] & self.documents[other_id]
                    and joinable(members, candidates[other_id])
                    and not review.pinned(self.session, [incident_id, other_id])):
                self._changing(other_id)
                self._absorb(incident_id, other_id)
                members += candidates[other_id]
        self.links.append(dict(event_id=event.id, incident_id=incident_id,
                               reason=why.to_dict(), stage=INCIDENTS_STAGE))
        self._joined(incident_id, facts)

    def _create(self, new: list[tuple]) -> None:
        """Write the incidents one report's events began, in one flush: a report's events never
        join one another's incidents, so none needs its id before the report is done."""
        if not new:
            return
        self.session.add_all([incident for _, incident, _ in new])
        self.session.flush()
        for facts, incident, link in new:
            link["incident_id"] = incident.id
            self.incidents[incident.id] = incident
            self.created.add(incident.id)
            self._joined(incident.id, facts)

    def _joined(self, incident_id: int, facts: EventFacts) -> None:
        self._remember(incident_id, facts)
        self.touched.add(incident_id)
        self._hold(incident_id, _block(self._incident(incident_id), self.members[incident_id]))

    def _incident(self, incident_id: int) -> Incident:
        found = self.incidents.get(incident_id)
        if found is None:
            found = self.incidents[incident_id] = self.session.get_one(Incident, incident_id)
        return found

    def _absorb(self, incident_id: int, other_id: int) -> None:
        """Move another incident's events into this one, saying why, and drop it."""
        merged = f"i{other_id} joined i{incident_id}: most of their reports' leads match"
        for link in self.session.scalars(select(IncidentEvent)
                                         .where(IncidentEvent.incident_id == other_id)):
            link.incident_id = incident_id
            link.reason = {**link.reason, "merged": merged}
        for pending in self.links:
            if pending["incident_id"] == other_id:
                pending.update(incident_id=incident_id, reason={**pending["reason"],
                                                                "merged": merged})
        review.carry_reviews(self.session, other_id, incident_id)
        audit.append(self.session, actor="machine", action="merge",
                     target=f"incident:i{incident_id}",
                     before={"incidents": [f"i{incident_id}", f"i{other_id}"]},
                     after={"incident": f"i{incident_id}",
                            "reason": "most of their reports' leads match"})
        self.session.flush()
        self.session.delete(self._incident(other_id))
        self.incidents.pop(other_id)
        self._hold(other_id, None)
        self.session.flush()
        self.members[incident_id] = sorted([*self.members[incident_id],
                                            *self.members.pop(other_id)], key=_order)
        self.documents[incident_id] |= self.documents.pop(other_id)
        self.compared.pop(incident_id, None)
        self.compared.pop(other_id, None)
        self.touched.discard(other_id)


CANDIDATES = 200  # incidents an event is compared with at most


@dataclass(frozen=True)
class _Window:
    """Which incidents could be the same as an event: blocked by date window and governorate
    (indexed), so the search grows with what happened nearby, not with the whole store. One
    description gives both the query over stored incidents and the test of those the merge
    transaction holds changed but not yet written."""

    first: date  # date_start at least (see MAX_INCIDENT_DAYS)
    last: date  # date_start at most
    since: date  # the incident's end at least
    agreement: bool
    cells: tuple[str, ...] | None  # a named place: these grid cells, or unplaced in `areas`
    areas: tuple[str, ...] | None  # governorates; None: anywhere

    @classmethod
    def of(cls, facts: EventFacts) -> "_Window | None":
        span = window(facts)
        if span is None:
            return None
        precise = cell_key(facts.lat, facts.lon, facts.geo_precision)
        agreement = facts.sub_event_type == "Agreement"
        # A named place: incidents in its grid cell or the eight around it, and those placed
        # only at governorate level in the same governorate. A report's lead is matched on
        # its words as much as its place: the whole governorate.
        cells = (tuple(neighbour_cells(facts.lat, facts.lon))
                 if precise is not None and not facts.main and not agreement else None)
        areas = (governorates_of(facts.admin1) if facts.admin1 and not agreement else None)
        # The lower bound on date_start keeps the indexed range scan to a few weeks: an
        # incident dated over more than MAX_INCIDENT_DAYS is background and merges with
        # nothing anyway.
        return cls(first=span[0] - timedelta(days=MAX_INCIDENT_DAYS), last=span[1],
                   since=span[0], agreement=agreement, cells=cells, areas=areas)

    def query(self, limit: int) -> tuple[Any, dict[str, Any]]:
        """The stored incidents' query and its parameters (one statement a kind of window,
        built once: building it per report cost as much as running it)."""
        kind = ("agreement" if self.agreement else "cells" if self.cells is not None else
                "area" if self.areas is not None else "any")
        params: dict[str, Any] = dict(first=self.first, last=self.last, since=self.since,
                                      limit=limit)
        if self.cells is not None:
            params["cells"] = list(self.cells)
        if self.areas is not None:
            params["areas"] = list(self.areas)
        return _window_query(kind, self.areas is not None), params

    def buckets(self) -> list[tuple]:
        """Where the held incidents this window may hold are kept (see _Blocked.buckets): all,
        or those of its governorates and unplaced, and of its cells."""
        if self.agreement or (self.cells is None and self.areas is None):
            return [("all",)]
        if self.cells is None:
            return [("area", a) for a in (*(self.areas or ()), None)]
        return ([("cell", c) for c in self.cells]
                + [("unplaced", a) for a in (*(self.areas or ()), None)])

    def holds(self, incident: _Blocked) -> bool:
        start = incident.date_start
        if start is None or not self.first <= start <= self.last or (
                (incident.date_end or start) < self.since):
            return False
        # As in _window_query: unplaced, or placed in one of the governorates.
        in_area = incident.admin1 is None or incident.admin1 in (self.areas or ())
        if self.agreement:
            return incident.sub_event_type == "Agreement"
        if self.cells is not None:
            return incident.cell in self.cells or (incident.cell is None and in_area)
        return in_area if self.areas is not None else True


@dataclass(frozen=True)
class _Blocked:
    """An incident's fields later reports are blocked on, as the merge holds them."""

    sub_event_type: str | None
    date_start: date | None
    date_end: date | None
    admin1: str | None
    cell: str | None

    def buckets(self) -> tuple[tuple, ...]:
        """The keys the merge holds it under (each by first day): all, its governorate, and
        its cell (or its governorate again, placed in no cell), so a window looks only where
        its incidents can be."""
        keys = (("all",), ("area", self.admin1))
        return (*keys, ("unplaced", self.admin1) if self.cell is None else ("cell", self.cell))


@lru_cache(maxsize=None)
def _window_query(kind: str, areas: bool) -> Any:
    """See _Window.query: the same conditions as _Window.holds, over the stored rows."""
    where = [Incident.date_start <= bindparam("last"), Incident.date_start >= bindparam("first"),
             func.coalesce(Incident.date_end, Incident.date_start) >= bindparam("since")]
    in_area = or_(Incident.admin1.in_(bindparam("areas", expanding=True)),
                  Incident.admin1.is_(None)) if areas else Incident.admin1.is_(None)
    if kind == "agreement":
        where.append(Incident.sub_event_type == "Agreement")
    elif kind == "cells":
        where.append(or_(Incident.cell.in_(bindparam("cells", expanding=True)),
                         and_(Incident.cell.is_(None), in_area)))
    elif kind == "area":
        where.append(in_area)
    # Ordered, so that every database picks the same incidents and ranks ties alike.
    return select(Incident.id).where(*where).order_by(Incident.id).limit(bindparam("limit"))


def _block(incident: Incident, facts: Sequence[EventFacts]) -> _Blocked:
    """The fields later reports are blocked and matched on, kept current as reports join
    (the full summary and the disputes are computed once per transaction)."""
    asserting = [e for e in facts if e.stance == "asserts"] or list(facts)
    (incident.event_type, incident.sub_event_type), _ = Counter(
        (e.event_type, e.sub_event_type) for e in asserting).most_common(1)[0]
    dates = [f for f in facts if f.date_start is not None]
    if dates:
        incident.date_start = min(f.date_start for f in dates)
        incident.date_end = max(f.date_end or f.date_start for f in dates)
    place = placement(facts)
    incident.admin1 = place.admin1 if place else next((f.admin1 for f in facts if f.admin1),
                                                      None)
    incident.cell = cell_key(place.lat, place.lon, place.geo_precision) if place else None
    return _Blocked(incident.sub_event_type, incident.date_start, incident.date_end,
                    incident.admin1, incident.cell)


def _districts(session: Session, gazetteer_ids: set[str]) -> dict[str, str | None]:
    """The district (the gazetteer's admin2) of each of these places, a query a thousand."""
    wanted = sorted(gazetteer_ids)
    return {k: v for at in range(0, len(wanted), 1000) for k, v in session.execute(
        select(Place.gazetteer_id, Place.admin2).where(Place.gazetteer_id.in_(
            wanted[at:at + 1000])))}


def _excluded_keys(session: Session) -> set[str]:
    """The keys of the reports a person marked irrelevant or duplicate."""
    excluded = review.excluded_documents(session)
    return set(session.scalars(select(Document.key).where(Document.id.in_(excluded)))
               ) if excluded else set()


def refresh_incident(session: Session, incident_id: int,
                     facts: Sequence[EventFacts] | None = None, *,
                     excluded: set[str] | None = None) -> None:
    """Recompute an incident's fields, origins, confidence and disputes from its events (read
    from the store when ``facts`` is not given), then lay the standing reviews over them and
    index it. ``excluded``: the keys of the reports a person set aside, when read already."""
    incident = session.get_one(Incident, incident_id)
    if facts is None:
        facts = [facts_of(session, e, d) for e, d in session.execute(
            select(Event, Document).join(IncidentEvent, IncidentEvent.event_id == Event.id)
            .join(Document, Document.id == Event.document_id)
            .where(IncidentEvent.incident_id == incident_id)).all()]
    s = summary_of(facts, _excluded_keys(session) if excluded is None else excluded)
    place = s.place.gazetteer_id if s.place else None
    known = session.get(Place, place) if place else None
    _write_summary(incident, facts, s, admin2=known.admin2 if known else None)
    incident.disputes.clear()
    session.flush()
    for row in _dispute_rows(incident_id, s):
        incident.disputes.append(IncidentDispute(**row))
    review.apply(session, incident)
    session.flush()
    index_incidents(session, [incident_id])


def summary_of(facts: Sequence[EventFacts], excluded: set[str]) -> Summary:
    """The summary of an incident's reports, leaving out those a person marked irrelevant or
    duplicate (unless that is all of them)."""
    if excluded:
        facts = [f for f in facts if f.document not in excluded] or list(facts)
    return summarise(facts)


def _write_summary(incident: Incident, facts: Sequence[EventFacts], s: Summary, *,
                   admin2: str | None) -> None:
    """Set an incident's coded fields from its summary (the machine's values: the reviews
    are laid over them after). ``admin2``: the district of the gazetteer entry placing it."""
    incident.event_type, incident.sub_event_type, incident.topic = (s.event_type,
                                                                    s.sub_event_type, s.topic)
    dates = [f for f in facts if f.date_start is not None]
    # The stored range covers every report, so later reports find this incident.
    incident.date_start = min((f.date_start for f in dates), default=s.date_start)
    incident.date_end = max((f.date_end or f.date_start for f in dates), default=s.date_end)
    incident.date_precision = s.precision
    place = s.place
    incident.gazetteer_id = place.gazetteer_id if place else None
    incident.place_name = place.place_name if place else None
    incident.admin1 = place.admin1 if place else next((f.admin1 for f in facts if f.admin1), None)
    incident.lat, incident.lon = (place.lat, place.lon) if place else (None, None)
    incident.admin2 = admin2 if place and place.gazetteer_id else None
    incident.geo_precision = place.geo_precision if place else None
    incident.cell = cell_key(incident.lat, incident.lon, incident.geo_precision)
    incident.actor1 = s.actor1
    incident.fatalities_low, incident.fatalities_high = s.fatalities
    incident.origins, incident.confidence = s.origins, s.confidence
    incident.status = list(s.status)
    incident.updated_at = datetime.now(timezone.utc).replace(tzinfo=None)
    incident.machine = None


def _dispute_rows(incident_id: int, s: Summary) -> list[dict[str, Any]]:
    return [dict(incident_id=incident_id, field=d.field, sides=d.to_dict()["sides"],
                 stage=INCIDENTS_STAGE) for d in s.disputes]
