"""Ingest: reads Documents through the Extractor, writes them with their claims and events into
the store, one transaction per document, and links each event to its incident."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from observatory.coding.casualties import vague_at
from observatory.record.incidents import (STAGE as INCIDENTS_STAGE, EventFacts, cell_key, fingerprint,
                         governorates_of, joinable, matches, neighbour_cells, summarise, terms,
                         window, wire_origin)
from observatory.coding.pipeline import Extractor
from observatory.records import Claim as ClaimRecord
from observatory.records import Document as DocumentRecord
from observatory.records import Event as EventRecord
from observatory.records import Extraction, ReadFailure
from observatory.record.search import index_document, index_incident
from observatory.record.store import Store
from observatory.record.store.models import (Actor, Claim, Document, Event, Incident, IncidentDispute, IncidentEvent,
                     Place)

STAGE = "store.v1"
MAX_INCIDENT_DAYS = 31
# Kinds of speaker whose word is an origin of its own (a person speaks for an institution).
_ORIGIN_TYPES = ("monitor", "state_media", "media", "international_org", "ngo", "government",
                 "armed_group")
_TOPIC = re.compile(r"\b(corridors?|ceasefire|cease-fire|truce|agreement|deal|reconciliation|"
                    r"exchange|evacuation|swap|accord)\b", re.I)


@dataclass
class IngestSummary:
    new: int = 0
    already: int = 0
    failed: int = 0
    failures: list[ReadFailure] = field(default_factory=list)


def ingest(items: Iterable[DocumentRecord | ReadFailure], *, store: Store, extractor: Extractor,
           on_item: Callable[[str, DocumentRecord | ReadFailure], None] | None = None
           ) -> IngestSummary:
    """Extract and store a stream of documents; each is committed on its own."""
    summary = IngestSummary()
    seen: set[str] = set()

    def fresh() -> Iterator[DocumentRecord | ReadFailure]:
        # Known bytes are skipped before parsing: re-running an ingest costs little.
        with store.session() as session:
            for item in items:
                if isinstance(item, ReadFailure):
                    yield item
                    continue
                if item.sha256 in seen or session.scalar(
                        select(Document.id).where(Document.sha256 == item.sha256)):
                    summary.already += 1
                    if on_item:
                        on_item("already", item)
                    continue
                seen.add(item.sha256)
                yield item

    for result in extractor.run(fresh()):
        if isinstance(result, ReadFailure):
            summary.failed += 1
            summary.failures.append(result)
            if on_item:
                on_item("failed", result)
            continue
        try:
            store_extraction(store, result)
        except IntegrityError:
            summary.already += 1  # stored meanwhile by another ingest
            if on_item:
                on_item("already", result.document)
            continue
        summary.new += 1
        if on_item:
            on_item("new", result.document)
    return summary


def counts(store: Store) -> dict[str, int]:
    with store.session() as session:
        return {"documents": session.scalar(select(func.count(Document.id))) or 0,
                "incidents": session.scalar(select(func.count(Incident.id))) or 0,
                "disputes": session.scalar(select(func.count(IncidentDispute.id))) or 0}


def _origin(doc: DocumentRecord, session: Session, fp: str) -> str:
    """Where a report's information comes from: the same text stored before, a wire credit,
    else the outlet (or the document itself)."""
    earlier = session.scalar(select(Document.origin).where(Document.fingerprint == fp).limit(1))
    if earlier:
        return earlier
    return wire_origin(doc.text) or doc.outlet or doc.id


def _event_origin(event: EventRecord, claims: dict[str, ClaimRecord], doc_origin: str) -> str:
    """'according to SOHR' in three outlets is one origin: the source the event is attributed to."""
    for key in event.claims:
        c = claims[key]
        if c.speaker_type in _ORIGIN_TYPES:
            return c.speaker
        if c.affiliation:
            return c.affiliation
    return doc_origin


def _stance(event: EventRecord, claims: dict[str, ClaimRecord]) -> str:
    linked = [claims[k] for k in event.claims]
    return "denies" if linked and all(c.polarity == "denies" for c in linked) else "asserts"


def _topic(event: EventRecord, text: str) -> str | None:
    m = _TOPIC.search(text[event.trigger_span[0]:event.trigger_span[0] + 60])
    return m.group(1).lower().rstrip("s").replace("cease-fire", "ceasefire") if m else None


def store_extraction(store: Store, ex: Extraction) -> None:
    """Store one document and everything extracted from it; all or nothing."""
    doc = ex.document
    claims = {c.id: c for c in ex.claims}
    with store.session() as session, session.begin():
        fp = fingerprint(doc.text)
        origin = _origin(doc, session, fp)
        row = Document(key=doc.id, sha256=doc.sha256, source=doc.source, title=doc.title,
                       outlet=doc.outlet, url=doc.url, published=doc.published,
                       acquired_at=datetime.now(timezone.utc).replace(tzinfo=None),
                       raw=doc.raw or doc.text.encode("utf-8"), text=doc.text, origin=origin,
                       fingerprint=fp, stage=STAGE)
        session.add(row)
        for c in ex.claims:
            row.claims.append(Claim(
                key=c.id, speaker=c.speaker, speaker_mention=c.speaker_mention,
                speaker_type=c.speaker_type, affiliation=c.affiliation, via=list(c.via),
                cue=c.cue, content=c.content, polarity=c.polarity, quote=c.quote,
                date_start=c.date.start if c.date else None,
                date_end=c.date.end if c.date else None,
                date_precision=c.date.precision if c.date else None,
                span_start=c.span[0], span_end=c.span[1], topics=list(c.topics), stage=c.stage))
        stored: list[tuple[Event, EventRecord]] = []
        for e in ex.events:
            loc = e.location
            if loc is not None and loc.gazetteer_id and session.get(Place, loc.gazetteer_id) is None:
                session.add(Place(gazetteer_id=loc.gazetteer_id, name=loc.name, admin1=loc.admin1,
                                  admin2=loc.admin2, lat=loc.lat, lon=loc.lon))
            for actor in (e.actor1, e.actor2):
                if actor is not None and session.get(Actor, actor.name) is None:
                    session.add(Actor(name=actor.name, known=actor.known))
            session.flush()
            record = e.to_dict(doc.sha256)
            event_row = Event(
                key=e.id, event_type=e.event_type, sub_event_type=e.sub_event_type,
                trigger=_topic(e, doc.text) or e.trigger.lower(),
                date_start=e.date.start if e.date else None,
                date_end=e.date.end if e.date else None,
                date_precision=e.date.precision if e.date else None,
                actor1=e.actor1.name if e.actor1 else None,
                actor2=e.actor2.name if e.actor2 else None,
                assoc_actor_1=[a.name for a in e.assoc_actor_1],
                gazetteer_id=loc.gazetteer_id if loc else None, place_name=loc.name if loc else None,
                admin1=loc.admin1 if loc else None, admin2=loc.admin2 if loc else None,
                lat=loc.lat if loc else None, lon=loc.lon if loc else None,
                geo_precision=loc.geo_precision if loc else None,
                fatalities_low=e.fatalities.low, fatalities_high=e.fatalities.high,
                injured_low=e.injured.low, injured_high=e.injured.high,
                targets=list(e.targets), claim_keys=list(e.claims), span_start=e.span[0],
                span_end=e.span[1], evidence=record["evidence"],
                origin=_event_origin(e, claims, origin), stance=_stance(e, claims),
                speakers=list(dict.fromkeys([claims[k].speaker for k in e.claims]
                                            or [doc.outlet or doc.title or origin])),
                terms=sorted(_event_terms(e, doc, first=e is ex.events[0])),
                stage=e.stage)
            row.events.append(event_row)
            stored.append((event_row, e))
        session.flush()
        index_document(session, row)
        touched: set[int] = set()
        for event_row, _ in stored:
            incident_id, absorbed = _link(session, event_row)
            touched = (touched | {incident_id}) - absorbed
        for incident_id in touched:
            refresh_incident(session, incident_id)


LEAD_CHARS = 800  # a news story's opening paragraphs: what the outlets' versions share


def _event_terms(event: EventRecord, doc: DocumentRecord, *, first: bool) -> frozenset[str]:
    """The distinctive words of what the report says about the event: its sentences, and for
    the report's main event its headline and opening paragraphs (more words: a story's
    opening tells the incident in its own details)."""
    text = doc.text[event.span[0]:event.span[1]]
    if first:
        return terms(f"{doc.title or ''} {doc.text[:LEAD_CHARS]} {text}", limit=80)
    return terms(text)


def facts_of(session: Session, event: Event, document: Document) -> EventFacts:
    claims = {c.key: c for c in document.claims}
    actor = session.get(Actor, event.actor1) if event.actor1 else None
    linked = [claims[k] for k in event.claim_keys if k in claims]
    return EventFacts(
        event_id=event.id, document=document.key, origin=event.origin,
        event_type=event.event_type, sub_event_type=event.sub_event_type,
        topic=event.trigger, date_start=event.date_start, date_end=event.date_end,
        precision=event.date_precision, admin1=event.admin1, gazetteer_id=event.gazetteer_id,
        place_name=event.place_name, lat=event.lat, lon=event.lon,
        geo_precision=event.geo_precision, actor1=event.actor1,
        actor1_known=bool(actor and actor.known),
        fatalities=(event.fatalities_low, event.fatalities_high), stance=event.stance,
        speakers=tuple(event.speakers),
        claims=tuple((c.speaker, c.polarity, c.date_start, c.content) for c in linked),
        terms=frozenset(event.terms), rank=_rank(event.key),
        toll_vague=vague_at(document.text, event.evidence.get("fatalities")))


def _rank(key: str) -> int:
    """'e3' -> 3: events are stored most salient first."""
    return int(key[1:]) if key[1:].isdigit() else 0


def _candidates(session: Session, facts: EventFacts) -> dict[int, list[EventFacts]]:
    """Incidents that could be the same: blocked by date window and governorate (indexed), so
    the search grows with what happened nearby, not with the whole store."""
    span = window(facts)
    if span is None:
        return {}
    # The lower bound on date_start keeps the indexed range scan to a few weeks: an incident
    # dated over more than MAX_INCIDENT_DAYS is background and merges with nothing anyway.
    query = select(Incident.id).where(Incident.date_start <= span[1],
                                      Incident.date_start
                                      >= span[0] - timedelta(days=MAX_INCIDENT_DAYS),
                                      func.coalesce(Incident.date_end, Incident.date_start)
                                      >= span[0])
    precise = cell_key(facts.lat, facts.lon, facts.geo_precision)
    in_area = or_(Incident.admin1.in_(governorates_of(facts.admin1)),
                  Incident.admin1.is_(None))
    if facts.sub_event_type == "Agreement":
        query = query.where(Incident.sub_event_type == "Agreement")
    elif precise is not None and not facts.main:
        # A named place: incidents in its grid cell or the eight around it, and those placed
        # only at governorate level in the same governorate.
        query = query.where(or_(Incident.cell.in_(neighbour_cells(facts.lat, facts.lon)),
                                and_(Incident.cell.is_(None), in_area)))
    elif facts.admin1:
        # A report's lead is matched on its words as much as its place: the whole governorate.
        query = query.where(in_area)
    ids = list(session.scalars(query.limit(200)))
    if not ids:
        return {}
    members: dict[int, list[EventFacts]] = {i: [] for i in ids}
    rows = session.execute(select(IncidentEvent.incident_id, Event, Document)
                           .join(Event, Event.id == IncidentEvent.event_id)
                           .join(Document, Document.id == Event.document_id)
                           .where(IncidentEvent.incident_id.in_(ids)))
    for incident_id, event, document in rows:
        members[incident_id].append(facts_of(session, event, document))
    return members


def _link(session: Session, event: Event) -> tuple[int, set[int]]:
    """Link an event to the incident it reports, or a new one; returns that incident and the
    incidents it absorbed (two incidents the event showed to be one)."""
    facts = facts_of(session, event, event.document)
    candidates = _candidates(session, facts)
    found = matches(facts, candidates)
    absorbed: set[int] = set()
    if not found:
        incident = Incident(event_type=event.event_type, sub_event_type=event.sub_event_type,
                            date_start=event.date_start, date_end=event.date_end,
                            admin1=event.admin1,
                            cell=cell_key(event.lat, event.lon, event.geo_precision),
                            origins=1, confidence="single-source",
                            status=[], updated_at=datetime.now(timezone.utc).replace(tzinfo=None))
        session.add(incident)
        session.flush()
        reason: dict = {"score": None, "matched": ["first report"]}
        incident_id = incident.id
    else:
        incident_id, why = found[0]
        reason = why.to_dict()
        members = [*candidates[incident_id], facts]
        for other_id, _ in found[1:] if facts.main else ():
            if joinable(members, candidates[other_id]):
                _absorb(session, incident_id, other_id)
                members += candidates[other_id]
                absorbed.add(other_id)
    session.add(IncidentEvent(event_id=event.id, incident_id=incident_id, reason=reason,
                              stage=INCIDENTS_STAGE))
    session.flush()
    return incident_id, absorbed


def _absorb(session: Session, incident_id: int, other_id: int) -> None:
    """Move another incident's events into this one, saying why, and drop it."""
    for link in session.scalars(select(IncidentEvent)
                                .where(IncidentEvent.incident_id == other_id)):
        link.incident_id = incident_id
        link.reason = {**link.reason, "merged": f"i{other_id} joined i{incident_id}: most of "
                                                f"their reports' leads match"}
    session.flush()
    session.delete(session.get(Incident, other_id))
    session.flush()


def refresh_incident(session: Session, incident_id: int) -> None:
    """Recompute an incident's fields, origins, confidence and disputes from its events."""
    incident = session.get(Incident, incident_id)
    rows = list(session.execute(select(Event, Document)
                           .join(IncidentEvent, IncidentEvent.event_id == Event.id)
                           .join(Document, Document.id == Event.document_id)
                           .where(IncidentEvent.incident_id == incident_id)))
    facts = [facts_of(session, e, d) for e, d in rows]
    s = summarise(facts)
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
    # The district of the event that gave the place (the gazetteer's admin2).
    incident.admin2 = next((e.admin2 for e, _ in rows if place and e.admin2
                            and e.gazetteer_id == place.gazetteer_id), None)
    incident.geo_precision = place.geo_precision if place else None
    incident.cell = cell_key(incident.lat, incident.lon, incident.geo_precision)
    incident.actor1 = s.actor1
    incident.fatalities_low, incident.fatalities_high = s.fatalities
    incident.origins, incident.confidence = s.origins, s.confidence
    incident.status = list(s.status)
    incident.updated_at = datetime.now(timezone.utc).replace(tzinfo=None)
    incident.disputes.clear()
    session.flush()
    for d in s.disputes:
        incident.disputes.append(IncidentDispute(field=d.field, sides=d.to_dict()["sides"],
                                                 stage=INCIDENTS_STAGE))
    session.flush()
    index_incident(session, incident)

