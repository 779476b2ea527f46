"""Review: reads a person's decisions (a field confirmed or corrected, a dispute weighed, a
document marked, events moved, incidents split or merged), writes them as reviews the machine
never overwrites, applies them to incidents on every refresh, and logs each in the audit trail."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from observatory.errors import ReviewError
from observatory.record import audit
from observatory.record.store import merge as machine
from observatory.record.store.models import (Document, Event, Incident, IncidentDispute,
                                             IncidentEvent, Review)

FIELDS = ("event_type", "sub_event_type", "actor1", "location", "date", "fatalities", "status")
DOCUMENT_MARKS = ("irrelevant", "duplicate", "relevant")
STATUSES = ("announced", "denied", "reported implemented", "not implemented")
_LOCATION = ("name", "admin1", "lat", "lon", "geo_precision", "gazetteer_id")

__all__ = ["FIELDS", "DOCUMENT_MARKS", "review_field", "confirm_all", "review_dispute",
           "mark_document", "document_marks", "move_event", "split", "merge", "apply", "field_reviews",
           "dispute_reviews", "excluded_documents", "pinned", "queue"]


def read(incident: Incident, field: str) -> Any:
    """A field's value as a reviewer sees and writes it (JSON)."""
    if field == "location":
        return None if incident.lat is None and not incident.admin1 else {
            "name": incident.place_name, "admin1": incident.admin1, "lat": incident.lat,
            "lon": incident.lon, "geo_precision": incident.geo_precision,
            "gazetteer_id": incident.gazetteer_id}
    if field == "date":
        return None if incident.date_start is None else {
            "start": incident.date_start.isoformat(),
            "end": (incident.date_end or incident.date_start).isoformat(),
            "precision": incident.date_precision}
    if field == "fatalities":
        return {"low": incident.fatalities_low, "high": incident.fatalities_high}
    if field == "status":
        return incident.status[-1]["status"] if incident.status else None
    return getattr(incident, field)


def _write(incident: Incident, field: str, value: Any, review: Review) -> None:
    if field == "location":
        value = value or {}
        incident.place_name, incident.admin1 = value.get("name"), value.get("admin1")
        incident.lat, incident.lon = value.get("lat"), value.get("lon")
        incident.geo_precision = value.get("geo_precision")
        incident.gazetteer_id = value.get("gazetteer_id")
        incident.cell = machine.cell_key(incident.lat, incident.lon, incident.geo_precision)
    elif field == "date":
        incident.date_start = date.fromisoformat(value["start"]) if value else None
        incident.date_end = date.fromisoformat(value["end"]) if value else None
        incident.date_precision = value["precision"] if value else None
    elif field == "fatalities":
        incident.fatalities_low, incident.fatalities_high = value["low"], value["high"]
    elif field == "status":
        incident.status = [s for s in incident.status if not s.get("reviewed")] + [
            {"date": review.created_at.date().isoformat(), "status": value,
             "speaker": f"{review.reviewer} (review)", "document": None, "reviewed": True}]
    else:
        setattr(incident, field, value)


def _checked(field: str, value: Any) -> Any:
    """A reviewer's value in the shape the field keeps, or a ReviewError saying what is wrong."""
    if field not in FIELDS:
        raise ReviewError(f"cannot review '{field}': fields are {', '.join(FIELDS)}")
    try:
        if field == "location":
            if value is None:
                return None
            out = {k: value.get(k) for k in _LOCATION}
            if out["lat"] is not None:
                out["lat"], out["lon"] = float(out["lat"]), float(out["lon"])
                if not (-90 <= out["lat"] <= 90 and -180 <= out["lon"] <= 180):
                    raise ValueError("coordinates out of range")
            out["geo_precision"] = int(out["geo_precision"] or 1)
            if not out["name"] and not out["admin1"]:
                raise ValueError("a place needs a name or an admin1")
            return out
        if field == "date":
            start = date.fromisoformat(value["start"])
            end = date.fromisoformat(value.get("end") or value["start"])
            if end < start:
                raise ValueError("the end is before the start")
            precision = value.get("precision") or "day"
            if precision not in ("day", "week", "month", "year"):
                raise ValueError("precision is day, week, month or year")
            return {"start": start.isoformat(), "end": end.isoformat(), "precision": precision}
        if field == "fatalities":
            low = None if value.get("low") in (None, "") else int(value["low"])
            high = None if value.get("high") in (None, "") else int(value["high"])
            if (low is not None and low < 0) or (high is not None and (low is None or high < low)):
                raise ValueError("need 0 <= low <= high")
            return {"low": low, "high": high}
        if field == "status":
            if value not in STATUSES:
                raise ValueError(f"one of {', '.join(STATUSES)}")
            return value
        if field == "actor1":
            return None if value in (None, "") else str(value).strip()[:300]
        if not isinstance(value, str) or not value.strip():
            raise ValueError("a non-empty text")
        return value.strip()[:80]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ReviewError(f"{field}: not a valid value ({exc})") from None


def _incident(session: Session, incident_id: int) -> Incident:
    found = session.get(Incident, incident_id)
    if found is None:
        raise ReviewError(f"no incident i{incident_id}")
    return found


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("a review needs a reason")
    return reason[:2000]


def reviewed_incidents(session: Session, incident_ids: Iterable[int]) -> set[int]:
    """Which of these incidents have a field review standing."""
    ids = list(incident_ids)
    return set(session.scalars(select(Review.incident_id).distinct().where(
        Review.incident_id.in_(ids), Review.kind == "field"))) if ids else set()


def _standing(session: Session, incident_id: int, kind: str) -> dict[str, Review]:
    """The standing review of each field reviewed so: the newest wins."""
    out: dict[str, Review] = {}
    for r in session.scalars(select(Review).where(Review.incident_id == incident_id,
                                                  Review.kind == kind)
                             .order_by(Review.id)):
        out[r.field] = r
    return out


def field_reviews(session: Session, incident_id: int) -> dict[str, Review]:
    """The standing review of each reviewed field."""
    return _standing(session, incident_id, "field")


def dispute_reviews(session: Session, incident_id: int) -> dict[str, Review]:
    """The standing review of each weighed dispute (by its field)."""
    return _standing(session, incident_id, "dispute")


def _machine_value(incident: Incident, field: str) -> Any:
    return (incident.machine or {}).get(field, read(incident, field))


def review_field(session: Session, incident_id: int, field: str, *, reviewer: str,
                 reason: str, value: Any = None, confirm: bool = False) -> Review:
    """Confirm a field as the machine coded it, or correct it; the machine's value is kept."""
    incident = _incident(session, incident_id)
    if field not in FIELDS:
        raise ReviewError(f"cannot review '{field}': fields are {', '.join(FIELDS)}")
    before = read(incident, field)
    was = _machine_value(incident, field)
    value = before if confirm else _checked(field, value)
    review = Review(kind="field", incident_id=incident_id, field=field,
                    verdict="confirmed" if confirm else "corrected", value=value, machine=was,
                    reason=_reason(reason), reviewer=reviewer, created_at=audit.now())
    session.add(review)
    session.flush()
    apply(session, incident)
    audit.append(session, actor=reviewer, action=f"review {review.verdict}",
                 target=f"incident:i{incident_id}",
                 before={field: before}, after={field: value, "reason": review.reason})
    return review


def confirm_all(session: Session, incident_id: int, *, reviewer: str, reason: str) -> None:
    """Confirm every field as it stands (the review queue's one key)."""
    for field in FIELDS:
        if field == "status" and not _incident(session, incident_id).status:
            continue
        review_field(session, incident_id, field, reviewer=reviewer, reason=reason, confirm=True)


def review_dispute(session: Session, incident_id: int, field: str, *, reviewer: str,
                   note: str, favours: str | None = None) -> Review:
    """Mark a dispute as reviewed, saying which side the evidence favours (if any)."""
    incident = _incident(session, incident_id)
    if not any(d.field == field for d in incident.disputes):
        raise ReviewError(f"incident i{incident_id} has no '{field}' dispute")
    review = Review(kind="dispute", incident_id=incident_id, field=field, verdict="reviewed",
                    value={"favours": favours}, machine=None, reason=_reason(note),
                    reviewer=reviewer, created_at=audit.now())
    session.add(review)
    session.flush()
    audit.append(session, actor=reviewer, action="review dispute",
                 target=f"incident:i{incident_id}",
                 after={"dispute": field, "favours": favours, "note": review.reason})
    return review


def excluded_documents(session: Session) -> set[int]:
    """Documents whose standing mark is irrelevant or duplicate: incidents are summarised
    without them."""
    latest = (select(Review.document_id, func.max(Review.id).label("id"))
              .where(Review.kind == "document").group_by(Review.document_id).subquery())
    return set(session.scalars(select(Review.document_id).join(latest, latest.c.id == Review.id)
                               .where(Review.verdict.in_(("irrelevant", "duplicate")))))


def document_marks(session: Session, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The standing mark of each of these documents that has one: the mark, who and why."""
    out: dict[str, dict[str, Any]] = {}
    for key, r in session.execute(select(Document.key, Review)
                                  .join(Review, Review.document_id == Document.id)
                                  .where(Document.key.in_(keys), Review.kind == "document")
                                  .order_by(Review.id)):
        out[key] = {"mark": r.verdict, "by": r.reviewer, "at": r.created_at.isoformat() + "Z",
                    "reason": r.reason, "duplicate_of": (r.value or {}).get("duplicate_of")}
    return out


def mark_document(session: Session, key: str, mark: str, *, reviewer: str, reason: str,
                  duplicate_of: str | None = None) -> Review:
    if mark not in DOCUMENT_MARKS:
        raise ReviewError(f"a document is marked {', '.join(DOCUMENT_MARKS)}")
    doc = session.scalar(select(Document).where(Document.key == key))
    if doc is None:
        raise ReviewError(f"no document {key}")
    if mark == "duplicate" and duplicate_of is not None and session.scalar(
            select(Document.id).where(Document.key == duplicate_of)) is None:
        raise ReviewError(f"no document {duplicate_of}")
    review = Review(kind="document", document_id=doc.id, verdict=mark,
                    value={"duplicate_of": duplicate_of}, machine=None, reason=_reason(reason),
                    reviewer=reviewer, created_at=audit.now())
    session.add(review)
    session.flush()
    audit.append(session, actor=reviewer, action=f"mark {mark}", target=f"document:{doc.sha256}",
                 after={"document": key, "duplicate_of": duplicate_of, "reason": review.reason})
    for incident_id in set(session.scalars(
            select(IncidentEvent.incident_id).join(Event, Event.id == IncidentEvent.event_id)
            .where(Event.document_id == doc.id))):
        machine.refresh_incident(session, incident_id)
    return review


def _event(session: Session, document: str, event: str) -> tuple[Event, IncidentEvent]:
    row = session.execute(select(Event, IncidentEvent)
                          .join(Document, Document.id == Event.document_id)
                          .join(IncidentEvent, IncidentEvent.event_id == Event.id)
                          .where(Document.key == document, Event.key == event)).first()
    if row is None:
        raise ReviewError(f"no event {event} of document {document}")
    return row[0], row[1]


def _relink(session: Session, links: list[IncidentEvent], target: int, *, reviewer: str,
            reason: str, kind: str) -> set[int]:
    sources = {link.incident_id for link in links}
    for link in links:
        link.incident_id = target
        link.reason = {"score": None, "matched": [f"{kind} by {reviewer}: {reason}"],
                       "by": reviewer}
    session.flush()
    return sources - {target}


def _settle(session: Session, incident_ids: set[int]) -> None:
    """Refresh incidents that lost events; one left with none is gone."""
    for incident_id in incident_ids:
        if session.scalar(select(IncidentEvent.event_id)
                          .where(IncidentEvent.incident_id == incident_id).limit(1)) is None:
            incident = session.get(Incident, incident_id)
            session.delete(incident)
        else:
            machine.refresh_incident(session, incident_id)
    session.flush()


def move_event(session: Session, document: str, event: str, to_incident: int, *,
               reviewer: str, reason: str) -> None:
    """Move one event (a report's account) to another incident."""
    reason = _reason(reason)
    _incident(session, to_incident)
    _, link = _event(session, document, event)
    source = link.incident_id
    if source == to_incident:
        raise ReviewError(f"{document} {event} is already in i{to_incident}")
    _relink(session, [link], to_incident, reviewer=reviewer, reason=reason, kind="moved")
    session.add(Review(kind="move", incident_id=to_incident, verdict="moved",
                       value={"document": document, "event": event, "from": f"i{source}"},
                       machine=None, reason=reason, reviewer=reviewer, created_at=audit.now()))
    machine.refresh_incident(session, to_incident)
    _settle(session, {source})
    audit.append(session, actor=reviewer, action="move", target=f"incident:i{to_incident}",
                 before={"incident": f"i{source}"},
                 after={"document": document, "event": event, "incident": f"i{to_incident}",
                        "reason": reason})


def split(session: Session, incident_id: int, events: list[tuple[str, str]], *,
          reviewer: str, reason: str) -> int:
    """Take some of an incident's events into a new incident; returns its id."""
    reason = _reason(reason)
    incident = _incident(session, incident_id)
    links = []
    for document, event in events:
        _, link = _event(session, document, event)
        if link.incident_id != incident_id:
            raise ReviewError(f"{document} {event} is not in i{incident_id}")
        links.append(link)
    total = session.scalar(select(func.count()).select_from(IncidentEvent)
                           .where(IncidentEvent.incident_id == incident_id))
    if not links or len(links) >= total:
        raise ReviewError("a split takes some, not all, of an incident's events")
    new = Incident(event_type=incident.event_type, sub_event_type=incident.sub_event_type,
                   origins=1, confidence="single-source", status=[],
                   updated_at=audit.now())
    session.add(new)
    session.flush()
    _relink(session, links, new.id, reviewer=reviewer, reason=reason, kind="split")
    session.add(Review(kind="split", incident_id=new.id, verdict="split",
                       value={"from": f"i{incident_id}",
                              "events": [list(e) for e in events]},
                       machine=None, reason=reason, reviewer=reviewer, created_at=audit.now()))
    session.add(Review(kind="split", incident_id=incident_id, verdict="split",
                       value={"into": f"i{new.id}"}, machine=None, reason=reason,
                       reviewer=reviewer, created_at=audit.now()))
    machine.refresh_incident(session, new.id)
    machine.refresh_incident(session, incident_id)
    audit.append(session, actor=reviewer, action="split", target=f"incident:i{incident_id}",
                 after={"into": f"i{new.id}", "events": [list(e) for e in events],
                        "reason": reason})
    return new.id


def carry_reviews(session: Session, from_id: int, to_id: int) -> None:
    """A merged incident keeps the reviews of both: only the incident they point at changes.
    The one merged in is older news, so the surviving incident's own reviews stay newest."""
    session.execute(update(Review).where(Review.incident_id == from_id)
                    .values(incident_id=to_id))


def merge(session: Session, incident_id: int, other_id: int, *, reviewer: str,
          reason: str) -> None:
    """Merge another incident into this one, with its events and reviews."""
    reason = _reason(reason)
    if incident_id == other_id:
        raise ReviewError("an incident cannot be merged with itself")
    _incident(session, incident_id)
    _incident(session, other_id)
    links = list(session.scalars(select(IncidentEvent)
                                 .where(IncidentEvent.incident_id == other_id)))
    _relink(session, links, incident_id, reviewer=reviewer, reason=reason, kind="merged")
    carry_reviews(session, other_id, incident_id)
    session.add(Review(kind="merge", incident_id=incident_id, verdict="merged",
                       value={"from": f"i{other_id}"}, machine=None, reason=reason,
                       reviewer=reviewer, created_at=audit.now()))
    session.flush()
    session.delete(session.get(Incident, other_id))
    session.flush()
    machine.refresh_incident(session, incident_id)
    audit.append(session, actor=reviewer, action="merge", target=f"incident:i{incident_id}",
                 before={"incidents": [f"i{incident_id}", f"i{other_id}"]},
                 after={"incident": f"i{incident_id}", "reason": reason})


def pinned(session: Session, incident_ids: list[int]) -> bool:
    """Whether a person arranged any of these incidents' events (a move, split or merge): the
    machine then never joins them on its own."""
    return session.scalar(select(Review.id).where(Review.incident_id.in_(incident_ids),
                                                  Review.kind.in_(("move", "split", "merge")))
                          .limit(1)) is not None


def apply(session: Session, incident: Incident) -> None:
    """Put the standing reviews over the machine's values, keeping the machine's beside them."""
    kept = dict(incident.machine or {})
    reviews = field_reviews(session, incident.id)
    machine_values: dict[str, Any] = {}
    for field, review in reviews.items():
        machine_values[field] = kept.get(field, read(incident, field))
        _write(incident, field, review.value, review)
    incident.machine = machine_values or None
    session.flush()


def queue(session: Session, *, limit: int = 50, scan: int = 5000) -> list[tuple[float, Incident,
                                                                              list[str]]]:
    """Incidents ranked by what most needs a person: contested, disputed, low confidence, large
    tolls, unplaced, recently changed; an incident reviewed since its last change drops out."""
    recent = audit.now() - timedelta(days=2)
    last_review = dict(session.execute(select(Review.incident_id, func.max(Review.created_at))
                                       .where(Review.incident_id.is_not(None))
                                       .group_by(Review.incident_id)).all())
    disputed = dict(session.execute(select(IncidentDispute.incident_id, func.count())
                                    .group_by(IncidentDispute.incident_id)).all())
    ranked = []
    for incident in session.scalars(select(Incident).order_by(Incident.updated_at.desc())
                                    .limit(scan)):
        seen = last_review.get(incident.id)
        if seen is not None and seen >= incident.updated_at:
            continue
        score, why = 0.0, []
        if incident.confidence in ("contested", "denied"):
            score, why = score + 3, why + [incident.confidence]
        if disputed.get(incident.id):
            score, why = score + 2 * min(disputed[incident.id], 3), why + [
                f"{disputed[incident.id]} dispute(s)"]
        if incident.confidence == "single-source":
            score, why = score + 1, why + ["single source"]
        toll = incident.fatalities_high or incident.fatalities_low or 0
        if toll >= 10:
            score, why = score + (3 if toll >= 50 else 2), why + [f"toll {toll}"]
        if incident.lat is None:
            score, why = score + 2, why + ["unplaced"]
        if incident.updated_at >= recent:
            score, why = score + 1, why + ["recently changed"]
        ranked.append((score, incident, why))
    ranked.sort(key=lambda r: (-r[0], -r[1].id))
    return ranked[:limit]
