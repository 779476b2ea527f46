"""Ingest: reads Documents through the Extractor, writes them with their claims and events into
the store in batches, then has each event linked to its incident by the merge (merge.py)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from observatory.coding.pipeline import Extractor
from observatory.errors import DuplicateId
from observatory.record import audit
from observatory.record.changes import Tracker
from observatory.record.incidents import fingerprint, terms, wire_origin
from observatory.record.origins import ORIGIN_TYPES, event_voices
from observatory.record.search import index_new_documents
from observatory.record.store import Store
from observatory.record.store.merge import merge_pending
from observatory.record.store.models import (Actor, Claim, Document, Event, Incident,
                                             IncidentDispute, Place)
from observatory.records import Claim as ClaimRecord
from observatory.records import Document as DocumentRecord
from observatory.records import Event as EventRecord
from observatory.records import Extraction, ReadFailure

STAGE = "store.v1"
STORE_BATCH = 50  # documents per insert transaction
_TOPIC = re.compile(r"\b(corridors?|ceasefire|cease-fire|truce|agreement|deal|reconciliation|"
                    r"exchange|evacuation|swap|accord)\b", re.I)


@dataclass
class IngestSummary:
    new: int = 0
    already: int = 0
    failed: int = 0
    failures: list[ReadFailure] = field(default_factory=list)

    def fail(self, failure: ReadFailure, on_item: OnItem | None) -> None:
        """Count a document that could not be read or extracted, and report it."""
        self.failed += 1
        self.failures.append(failure)
        if on_item:
            on_item("failed", failure)


OnItem = Callable[[str, DocumentRecord | ReadFailure], None]


def ingest(items: Iterable[DocumentRecord | ReadFailure], *, store: Store, extractor: Extractor,
           on_item: OnItem | None = None, batch: int = STORE_BATCH,
           on_merged: Callable[[int], None] | None = None,
           by: str = "machine", tracker: Tracker | None = None) -> IngestSummary:
    """Extract and store a stream of documents in batches, then merge what they report; each
    stored document gets an audit entry naming ``by`` (the person or process that asked).
    ``tracker`` is told which incidents the merge changed (for the alerts)."""
    summary = IngestSummary()
    results = extractor.run(skip_known(items, store=store, summary=summary, on_item=on_item))
    store_results(results, store=store, summary=summary, on_item=on_item, batch=batch, by=by)
    merge_pending(store, on_merged=on_merged, tracker=tracker)
    return summary


def skip_known(items: Iterable[DocumentRecord | ReadFailure], *, store: Store,
               summary: IngestSummary, on_item: OnItem | None = None
               ) -> Iterator[DocumentRecord | ReadFailure]:
    """The documents not stored yet: known bytes are skipped before parsing, so re-running
    an ingest costs little."""
    seen: set[str] = set()
    keys: set[str] = set()
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
            if item.id in keys or session.scalar(
                    select(Document.id).where(Document.key == item.id)):
                # One id, two texts: the second would make the id's pages ambiguous.
                yield ReadFailure(item.source, DuplicateId(item.source, item.id).reason)
                continue
            seen.add(item.sha256)
            keys.add(item.id)
            yield item


def store_results(results: Iterable[Extraction | ReadFailure], *, store: Store,
                  summary: IngestSummary, on_item: OnItem | None = None,
                  batch: int = STORE_BATCH, by: str = "machine") -> None:
    """Write extractions to the store ``batch`` documents per transaction; failures are
    counted and reported as they come."""
    pending: list[Extraction] = []

    def flush() -> None:
        for state, doc in store_batch(store, pending, by=by):
            summary.new += state == "new"
            summary.already += state == "already"
            if on_item:
                on_item(state, doc)
        pending.clear()

    for result in results:
        if isinstance(result, ReadFailure):
            summary.fail(result, on_item)
            continue
        pending.append(result)
        if len(pending) >= batch:
            flush()
    flush()


def store_batch(store: Store, extractions: Sequence[Extraction], *, by: str = "machine"
                ) -> list[tuple[str, DocumentRecord]]:
    """Store documents with their claims and events in one transaction; merging comes after
    (merge_pending). A document stored meanwhile by another ingest is skipped, alone."""
    if not extractions:
        return []
    try:
        with store.session() as session, session.begin():
            _add_documents(session, extractions, by=by)
        return [("new", ex.document) for ex in extractions]
    except IntegrityError:
        pass
    out: list[tuple[str, DocumentRecord]] = []
    for ex in extractions:
        try:
            with store.session() as session, session.begin():
                _add_documents(session, [ex], by=by)
            out.append(("new", ex.document))
        except IntegrityError:
            out.append(("already", ex.document))
    return out


def counts(store: Store) -> dict[str, int]:
    with store.session() as session:
        return {"documents": session.scalar(select(func.count(Document.id))) or 0,
                "incidents": session.scalar(select(func.count(Incident.id))) or 0,
                "disputes": session.scalar(select(func.count(IncidentDispute.id))) or 0}


def _event_origin(event: EventRecord, claims: dict[str, ClaimRecord], doc_origin: str) -> str:
    """'according to SOHR' in three outlets is one origin: the source the event is attributed to."""
    for key in event.claims:
        c = claims[key]
        if c.speaker_type in ORIGIN_TYPES:
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


def _add_documents(session: Session, extractions: Sequence[Extraction], *,
                   by: str = "machine") -> None:
    """Add documents, claims and events (and the places and actors they name) to the session;
    the known places, actors and fingerprints are read once for the whole batch."""
    fps = {ex.document.sha256: fingerprint(ex.document.text) for ex in extractions}
    origins: dict[str, str] = dict(session.execute(
        select(Document.fingerprint, Document.origin).where(Document.fingerprint.in_(
            set(fps.values())))).all())
    events = [e for ex in extractions for e in ex.events]
    places = {e.location.gazetteer_id: e.location for e in events
              if e.location is not None and e.location.gazetteer_id}
    known_places = set(session.scalars(select(Place.gazetteer_id)
                                       .where(Place.gazetteer_id.in_(places))))
    session.add_all(Place(gazetteer_id=i, name=loc.name, admin1=loc.admin1, admin2=loc.admin2,
                          lat=loc.lat, lon=loc.lon)
                    for i, loc in places.items() if i not in known_places)
    actors = {a.name: a for e in events for a in (e.actor1, e.actor2) if a is not None}
    known_actors = set(session.scalars(select(Actor.name).where(Actor.name.in_(actors))))
    session.add_all(Actor(name=name, known=a.known)
                    for name, a in actors.items() if name not in known_actors)
    session.flush()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows: list[Document] = []
    custody: list[dict] = []
    claim_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    for ex in extractions:
        doc = ex.document
        fp = fps[doc.sha256]
        # The same text stored before (or earlier in the batch) keeps its first origin.
        origin = origins.setdefault(fp, wire_origin(doc.text) or doc.outlet or doc.id)
        row = Document(key=doc.id, sha256=doc.sha256, source=doc.source, title=doc.title,
                       outlet=doc.outlet, url=doc.url, published=doc.published,
                       acquired_at=now, raw=doc.raw or doc.text.encode("utf-8"), text=doc.text,
                       origin=origin, fingerprint=fp, stage=STAGE)
        session.add(row)
        rows.append(row)
        # Chain of custody: what was acquired, when, from where, by which stages.
        custody.append({"actor": by, "action": "ingest", "target": f"document:{doc.sha256}",
                        "after": {"document": doc.id, "sha256": doc.sha256,
                                  "source": doc.source, "url": doc.url,
                                  "acquired_at": now.isoformat(), "stage": STAGE,
                                  "extraction": sorted({e.stage for e in ex.events}
                                                       | {c.stage for c in ex.claims}),
                                  "events": len(ex.events), "claims": len(ex.claims)}})
    session.flush()  # the documents' ids
    for row, ex in zip(rows, extractions):
        claim_rows += _claim_rows(row.id, ex)
        event_rows += _event_rows(row.id, ex, row.origin)
    # Claims and events in one statement each: the unit of work's bookkeeping per object was
    # as costly as the rest of storing a report.
    claim_ids = session.scalars(insert(Claim).returning(Claim.id, sort_by_parameter_order=True),
                                claim_rows).all() if claim_rows else []
    if event_rows:
        session.execute(insert(Event), event_rows)
    audit.append_all(session, custody)
    outlets = {row.id: row.outlet for row in rows}
    index_new_documents(session, rows, [
        (claim_id, claim, outlets[claim["document_id"]])
        for claim_id, claim in zip(claim_ids, claim_rows)])


def _claim_rows(document_id: int, ex: Extraction) -> list[dict[str, Any]]:
    return [dict(
            document_id=document_id, key=c.id, speaker=c.speaker, speaker_mention=c.speaker_mention,
            speaker_type=c.speaker_type, affiliation=c.affiliation, via=list(c.via),
            cue=c.cue, content=c.content, polarity=c.polarity, quote=c.quote,
            date_start=c.date.start if c.date else None,
            date_end=c.date.end if c.date else None,
            date_precision=c.date.precision if c.date else None,
            span_start=c.span[0], span_end=c.span[1], topics=list(c.topics), stage=c.stage)
            for c in ex.claims]


def _event_rows(document_id: int, ex: Extraction, origin: str) -> list[dict[str, Any]]:
    doc = ex.document
    claims = {c.id: c for c in ex.claims}
    rows = []
    for e in ex.events:
        loc = e.location
        record = e.to_dict(doc.sha256)
        rows.append(dict(
            document_id=document_id, key=e.id, event_type=e.event_type,
            sub_event_type=e.sub_event_type,
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
            voices=[v.to_dict() for v in event_voices(e.claims, _topic(e, doc.text), ex,
                                                      fallback=origin)],
            stage=e.stage))
    return rows


LEAD_CHARS = 800  # a news story's opening paragraphs: what the outlets' versions share


def _event_terms(event: EventRecord, doc: DocumentRecord, *, first: bool) -> frozenset[str]:
    """The distinctive words of what the report says about the event: its sentences, and for
    the report's main event its headline and opening paragraphs (more words: a story's
    opening tells the incident in its own details)."""
    text = doc.text[event.span[0]:event.span[1]]
    if first:
        return terms(f"{doc.title or ''} {doc.text[:LEAD_CHARS]} {text}", limit=80)
    return terms(text)
