"""Reviews router: reads a person's corrections, confirmations, dispute notes, document marks,
moves, splits and merges; writes them to the record (reviewer or editor role) and the queue."""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from observatory.desk.api.common import Text
from observatory.desk.auth import Principal, require
from observatory.errors import ReviewError
from observatory.record import review
from observatory.record.store import Store
from observatory.record.store.models import Incident
from observatory.record.store.queries import incident_number, incident_record


class FieldReview(BaseModel):
    field: Literal[review.FIELDS]  # type: ignore[valid-type]
    action: Literal["confirm", "correct"]
    value: Any = None
    reason: Text = Field(min_length=1, max_length=2000)


class DisputeReview(BaseModel):
    note: Text = Field(min_length=1, max_length=2000)
    favours: Text | None = Field(default=None, max_length=300)


class DocumentMark(BaseModel):
    mark: Literal[review.DOCUMENT_MARKS]  # type: ignore[valid-type]
    reason: Text = Field(min_length=1, max_length=2000)
    duplicate_of: Text | None = Field(default=None, max_length=300)


class EventRef(BaseModel):
    document: Text = Field(max_length=300)
    event: Text = Field(max_length=20)


class Move(EventRef):
    to_incident: Text = Field(max_length=24)
    reason: Text = Field(min_length=1, max_length=2000)


class Split(BaseModel):
    events: list[EventRef] = Field(min_length=1, max_length=1000)
    reason: Text = Field(min_length=1, max_length=2000)


class Merge(BaseModel):
    other: Text = Field(max_length=24)
    reason: Text = Field(min_length=1, max_length=2000)


def _number(text: str) -> int:
    number = incident_number(text)
    if number is None:
        raise HTTPException(422, "incident ids look like i42")
    return number


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["reviews"])

    def run(action) -> Any:
        """One review in one transaction; a review that does not fit the record is a 422
        (404 when what it names does not exist)."""
        try:
            with store.session() as session, session.begin():
                return action(session)
        except ReviewError as exc:
            raise HTTPException(404 if str(exc).startswith("no ") else 422, str(exc)) from None

    def record(incident_id: int) -> dict[str, Any]:
        with store.session() as session:
            found = session.get(Incident, incident_id)
            if found is None:
                raise HTTPException(404, f"no incident i{incident_id}")
            return incident_record(session, found)

    @api.post("/incidents/{incident_id}/reviews", status_code=201)
    def review_field(incident_id: str, body: FieldReview,
                     who: Principal = Depends(require("reviewer"))) -> dict[str, Any]:
        """Confirm or correct one coded field; the answer is the incident as it now stands."""
        number = _number(incident_id)
        run(lambda s: review.review_field(s, number, body.field, reviewer=who.name,
                                          reason=body.reason, value=body.value,
                                          confirm=body.action == "confirm"))
        return record(number)

    @api.post("/incidents/{incident_id}/disputes/{field}/review", status_code=201)
    def review_dispute(incident_id: str, field: str, body: DisputeReview,
                       who: Principal = Depends(require("reviewer"))) -> dict[str, Any]:
        """Mark a dispute reviewed, with a note on which side the evidence favours."""
        number = _number(incident_id)
        run(lambda s: review.review_dispute(s, number, field, reviewer=who.name,
                                            note=body.note, favours=body.favours))
        return record(number)

    @api.post("/documents/{key}/mark", status_code=201)
    def mark(key: Text, body: DocumentMark,
             who: Principal = Depends(require("reviewer"))) -> dict[str, Any]:
        """Mark a report irrelevant or a duplicate (or relevant again)."""
        run(lambda s: review.mark_document(s, key, body.mark, reviewer=who.name,
                                           reason=body.reason, duplicate_of=body.duplicate_of))
        return {"document": key, "mark": body.mark, "by": who.name}

    @api.post("/events/move", status_code=201)
    def move(body: Move, who: Principal = Depends(require("editor"))) -> dict[str, Any]:
        """Move one report's event to another incident."""
        number = _number(body.to_incident)
        run(lambda s: review.move_event(s, body.document, body.event, number,
                                        reviewer=who.name, reason=body.reason))
        return record(number)

    @api.post("/incidents/{incident_id}/split", status_code=201)
    def split(incident_id: str, body: Split,
              who: Principal = Depends(require("editor"))) -> dict[str, Any]:
        """Take the listed events into a new incident; the answer is the new incident."""
        number = _number(incident_id)
        new = run(lambda s: review.split(s, number, [(e.document, e.event) for e in body.events],
                                         reviewer=who.name, reason=body.reason))
        return record(new)

    @api.post("/incidents/{incident_id}/merge", status_code=201)
    def merge(incident_id: str, body: Merge,
              who: Principal = Depends(require("editor"))) -> dict[str, Any]:
        """Merge another incident into this one."""
        number, other = _number(incident_id), _number(body.other)
        run(lambda s: review.merge(s, number, other, reviewer=who.name, reason=body.reason))
        return record(number)

    @api.get("/reviews/queue")
    def queue(who: Principal = Depends(require("reviewer"))) -> dict[str, Any]:
        """Incidents ranked by what most needs a person, with the reasons."""
        with store.session() as session:
            return {"items": [{"id": f"i{i.id}", "score": score, "why": why,
                               "sub_event_type": i.sub_event_type, "place": i.place_name
                               or i.admin1} for score, i, why in review.queue(session)]}

    return api
