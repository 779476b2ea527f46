"""Queries: reads the store, writes incident and dispute records (spec/RECORD.md, second
shape) and streamed exports: ACLED-column CSV, GeoJSON and JSON Lines."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, TextIO

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from observatory.errors import QueryError
from observatory.record.incidents import STAGE
from observatory.record.search import has_words, incident_ids
from observatory.record.store.models import (Document, Event, Incident, IncidentDispute, IncidentEvent,
                                             IncidentOutlet)

ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "actor2", "country", "admin1",
                 "admin2", "location", "latitude", "longitude", "geo_precision", "source",
                 "source_scale", "notes", "fatalities", "origins", "confidence", "disputes",
                 "reviewed")
# ASCII digits only (str.isdigit() takes "²"), short enough for any integer column.
_INCIDENT_ID = re.compile(r"i?([0-9]{1,18})")


def incident_number(text: str) -> int | None:
    """'i42' (or '42') -> 42; anything else -> None."""
    m = _INCIDENT_ID.fullmatch(text)
    return int(m.group(1)) if m else None


def count_text(low: int | None, high: int | None) -> str:
    if low is None:
        return "not stated"
    if high is None:
        return f"at least {low}"
    return str(low) if low == high else f"{low} to {high}"


def date_text(value: dict | None) -> str:
    if not value:
        return "unknown"
    span = value["start"] if value["start"] == value["end"] else f"{value['start']} to {value['end']}"
    return f"{span} ({value['precision']})"


def side_text(field: str, value: Any) -> str:
    """A dispute side's value as a reader says it."""
    if field == "occurred":
        return "it happened" if value else "it did not happen"
    if field == "fatalities" and isinstance(value, dict):
        return f"{count_text(value.get('low'), value.get('high'))} killed"
    return str(value)


_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


def _date(start: date | None, end: date | None, precision: str | None) -> dict | None:
    if start is None:
        return None
    return {"start": start.isoformat(), "end": (end or start).isoformat(), "precision": precision}


def coded(session: Session, incident: Incident) -> dict[str, dict[str, Any]]:
    """Per coded field, who stands behind its value: the machine (with its stage), or the
    person who confirmed or corrected it, with the machine's value beside theirs."""
    from observatory.record import review

    # Any field review leaves the machine's values in incident.machine: without them there is
    # nothing to look up (the common case, and the one a page of incidents reads most).
    reviews = review.field_reviews(session, incident.id) if incident.machine else {}
    machine = incident.machine or {}
    out = {}
    for field in review.FIELDS:
        r = reviews.get(field)
        out[field] = {"by": "machine", "stage": STAGE} if r is None else {
            "by": r.reviewer, "verdict": r.verdict, "at": r.created_at.isoformat() + "Z",
            "reason": r.reason, "machine": machine.get(field, r.machine)}
    return out


def incident_record(session: Session, incident: Incident) -> dict[str, Any]:
    return incident_records(session, [incident])[0]


def incident_records(session: Session, incidents: Sequence[Incident]) -> list[dict[str, Any]]:
    """The records of a page of incidents: their reports' events and their disputes read in
    one query each for the page, not per incident (and of the reports only their keys)."""
    from observatory.record import review

    if not incidents:
        return []
    ids = [i.id for i in incidents]
    events: dict[int, list] = {i: [] for i in ids}
    for row in session.execute(select(IncidentEvent.incident_id, Document.key, Event.key,
                                      Event.sub_event_type, Event.origin, Event.stance,
                                      Event.span_start, Event.span_end, IncidentEvent.reason)
                               .join(Event, Event.id == IncidentEvent.event_id)
                               .join(Document, Document.id == Event.document_id)
                               .where(IncidentEvent.incident_id.in_(ids))
                               .order_by(Document.id, Event.id)):
        events[row[0]].append(row[1:])
    disputes: dict[int, list[IncidentDispute]] = {i: [] for i in ids}
    for d in session.scalars(select(IncidentDispute).where(IncidentDispute.incident_id.in_(ids))
                             .order_by(IncidentDispute.id)):
        disputes[d.incident_id].append(d)
    out = []
    for incident in incidents:
        rows = events[incident.id]
        reviews = (review.dispute_reviews(session, incident.id) if disputes[incident.id]
                   else {})
        out.append({
            "id": f"i{incident.id}",
            "event_type": incident.event_type, "sub_event_type": incident.sub_event_type,
            "date": _date(incident.date_start, incident.date_end, incident.date_precision),
            "location": None if incident.lat is None and not incident.admin1 else {
                "name": incident.place_name, "admin1": incident.admin1,
                "admin2": incident.admin2, "lat": incident.lat, "lon": incident.lon,
                "geo_precision": incident.geo_precision, "gazetteer_id": incident.gazetteer_id},
            "actor1": incident.actor1,
            "fatalities": {"low": incident.fatalities_low, "high": incident.fatalities_high},
            "documents": list(dict.fromkeys(r[0] for r in rows)),
            "origins": incident.origins,
            "confidence": incident.confidence,
            "disputes": [{"field": d.field, "sides": d.sides,
                          "review": _dispute_review(reviews.get(d.field))}
                         for d in disputes[incident.id]],
            "status": incident.status,
            "events": [{"document": doc, "event": key, "sub_event_type": sub, "origin": origin,
                        "stance": stance, "span": [start, end], "why": reason}
                       for doc, key, sub, origin, stance, start, end, reason in rows],
            "coded": coded(session, incident),
        })
    return out


def _dispute_review(r) -> dict[str, Any] | None:
    return None if r is None else {"by": r.reviewer, "at": r.created_at.isoformat() + "Z",
                                   "favours": r.value.get("favours"), "note": r.reason}


def incident_reports(session: Session, record: dict[str, Any]
                     ) -> list[tuple[Document, Event, dict[str, Any]]]:
    """The stored report and event behind each event entry of an incident record."""
    out = []
    for entry in record["events"]:
        doc = session.scalar(select(Document).where(Document.key == entry["document"]))
        event = next(e for e in doc.events if e.key == entry["event"])
        out.append((doc, event, entry))
    return out


SORTS = ("-date", "date", "-fatalities", "-origins", "confidence")
_CONFIDENCE_RANK = {"corroborated": 0, "contested": 1, "single-source": 2, "denied": 3}


def _order(sort: str) -> tuple:
    """Newest first by default; ties by id so pages never overlap."""
    rank = case(_CONFIDENCE_RANK, value=Incident.confidence, else_=9)
    keys = {"-date": (Incident.date_start.desc().nulls_last(), Incident.id.desc()),
            "date": (Incident.date_start.asc().nulls_last(), Incident.id),
            "-fatalities": (func.coalesce(Incident.fatalities_low, -1).desc(),
                            Incident.date_start.desc().nulls_last(), Incident.id.desc()),
            "-origins": (Incident.origins.desc(), Incident.date_start.desc().nulls_last(),
                         Incident.id.desc()),
            "confidence": (rank, Incident.date_start.desc().nulls_last(), Incident.id.desc())}
    return keys[sort]


def incidents_query(*, since: date | None = None, until: date | None = None,
                    admin1: str | None = None, admin2: str | None = None,
                    event_type: str | None = None, actor: str | None = None,
                    confidence: str | None = None, has_dispute: bool | None = None,
                    bbox: tuple[float, float, float, float] | None = None,
                    q: str | None = None, source: str | None = None,
                    after: int | None = None, sort: str = "date"):
    """Incidents matching every given filter; the one query behind CLI, API and web pages.
    ``q`` is full-text search (record/search.py), ``source`` an outlet of one of its reports."""
    for name, value in (("admin1", admin1), ("admin2", admin2), ("type", event_type),
                        ("actor", actor), ("confidence", confidence), ("q", q), ("source", source)):
        # PostgreSQL refuses NUL in any text; SQLite would just match nothing. Refused on both.
        if value is not None and "\x00" in value:
            raise QueryError(f"{name}: a filter cannot hold a NUL character")
    query = select(Incident).order_by(*_order(sort))
    if since:
        query = query.where(Incident.date_end >= since)
    if until:
        query = query.where(Incident.date_start <= until)
    if admin1:
        query = query.where(Incident.admin1 == admin1)
    if admin2:
        query = query.where(Incident.admin2 == admin2)
    if event_type:
        query = query.where((Incident.event_type == event_type)
                            | (Incident.sub_event_type == event_type))
    if actor:
        query = query.where(Incident.actor1 == actor)
    if confidence:
        query = query.where(Incident.confidence == confidence)
    if has_dispute is not None:
        # Correlated with the incident only: facets join disputes to the same query.
        exists = select(IncidentDispute.id).where(
            IncidentDispute.incident_id == Incident.id).correlate(Incident).exists()
        query = query.where(exists if has_dispute else ~exists)
    if bbox:
        west, south, east, north = bbox
        query = query.where(Incident.lon.between(west, east), Incident.lat.between(south, north))
    if has_words(q):
        query = query.where(Incident.id.in_(incident_ids(q)))
    if source:
        query = query.where(select(IncidentOutlet.outlet)
                            .where(IncidentOutlet.incident_id == Incident.id,
                                   IncidentOutlet.outlet == source)
                            .correlate(Incident).exists())
    if after is not None:
        query = query.order_by(None).order_by(Incident.id).where(Incident.id > after)
    return query


def iter_incidents(session: Session, **filters: Any) -> Iterator[dict[str, Any]]:
    """Incident records in date order, read in chunks so a large store streams."""
    page: list[Incident] = []
    for incident in session.scalars(incidents_query(**filters).execution_options(yield_per=500)):
        page.append(incident)
        if len(page) == 500:
            yield from incident_records(session, page)
            page = []
    yield from incident_records(session, page)


def iter_disputes(session: Session) -> Iterator[dict[str, Any]]:
    query = (select(IncidentDispute, Incident).join(Incident)
             .order_by(Incident.date_start.desc(), IncidentDispute.id))
    for dispute, incident in session.execute(query.execution_options(yield_per=500)):
        yield {"incident": f"i{incident.id}", "about": incident.topic or incident.sub_event_type,
               "place": incident.place_name or incident.admin1,
               "date": _date(incident.date_start, incident.date_end, incident.date_precision),
               "field": dispute.field, "sides": dispute.sides}


def jsonl_chunks(session: Session, **filters: Any) -> Iterator[str]:
    for record in iter_incidents(session, **filters):
        yield json.dumps(record, ensure_ascii=False) + "\n"


def csv_chunks(session: Session, **filters: Any) -> Iterator[str]:
    """ACLED's column names, so the export loads into the tools analysts already use."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(ACLED_COLUMNS)
    yield flush()
    for r in iter_incidents(session, **filters):
        loc = r["location"] or {}
        start = (r["date"] or {}).get("start") or ""
        outlets = sorted({o for o in session.scalars(
            select(Document.outlet).where(Document.key.in_(r["documents"]))) if o})
        writer.writerow([r["id"], start, start[:4],
                         _TIME_PRECISION.get((r["date"] or {}).get("precision"), 3),
                         r["event_type"], r["sub_event_type"], r["actor1"] or "", "", "",
                         "Syria" if loc.get("admin1") else "", loc.get("admin1") or "",
                         loc.get("admin2") or "",
                         loc.get("name") or "", loc.get("lat") or "", loc.get("lon") or "",
                         loc.get("geo_precision") or "", "; ".join(outlets), "",
                         notes(r, outlets), r["fatalities"]["low"] or 0, r["origins"], r["confidence"],
                         "; ".join(d["field"] for d in r["disputes"]),
                         "; ".join(f'{field}: {c["verdict"]} by {c["by"]}'
                                   for field, c in r["coded"].items() if c["by"] != "machine")])
        yield flush()


def notes(record: dict[str, Any], outlets: list[str]) -> str:
    """A one-line summary in the spirit of ACLED's notes, written from the coded fields."""
    loc = record["location"] or {}
    place = ", ".join(p for p in (loc.get("name"), loc.get("admin1")) if p) or "an unstated place"
    when = (record["date"] or {}).get("start") or "an unknown date"
    low, high = record["fatalities"]["low"], record["fatalities"]["high"]
    text = (f"On {when}, {record['sub_event_type'].lower()} in {place}"
            + (f" by {record['actor1']}" if record["actor1"] else "")
            + (f"; {count_text(low, high)} killed" if low is not None else "")
            + f". Reported by {', '.join(outlets) or 'unnamed outlets'} "
            f"({record['origins']} independent origin(s), {record['confidence']}).")
    if record["disputes"]:
        text += " Sources disagree on: " + ", ".join(d["field"] for d in record["disputes"]) + "."
    return text


def geojson_chunks(session: Session, **filters: Any) -> Iterator[str]:
    """A FeatureCollection written feature by feature (never built whole in memory)."""
    yield '{"type": "FeatureCollection", "features": [\n'
    first = True
    for r in iter_incidents(session, **filters):
        loc = r["location"] or {}
        if loc.get("lat") is None:
            continue
        feature = {"type": "Feature", "geometry": {"type": "Point",
                                                   "coordinates": [loc["lon"], loc["lat"]]},
                   "properties": {k: v for k, v in r.items() if k != "events"}}
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "\n]}\n"


EXPORTS = {"csv": (csv_chunks, "text/csv"), "geojson": (geojson_chunks, "application/geo+json"),
           "jsonl": (jsonl_chunks, "application/x-ndjson")}


def write_export(fmt: str, session: Session, out: TextIO, **filters: Any) -> None:
    for chunk in EXPORTS[fmt][0](session, **filters):
        out.write(chunk)
