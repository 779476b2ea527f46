"""Incidents router: reads filters and the store, writes incident records, paged by cursor."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from observatory.desk.api.common import CONFIDENCE, MAX_ROW_ID, claim_record, parse_bbox
from observatory.record import review
from observatory.record.store import Store
from observatory.record.store.models import Incident
from observatory.record.store.queries import (incident_number, incident_record, incident_reports,
                                              incidents_query)


def router(store: Store) -> APIRouter:
    api = APIRouter()

    @api.get("/incidents")
    def incidents(
        since: date | None = None, until: date | None = None, admin1: str | None = None,
        admin2: str | None = None,
        bbox: Annotated[str | None, Query(description="west,south,east,north")] = None,
        event_type: Annotated[str | None, Query(alias="type")] = None,
        actor: str | None = None,
        confidence: Annotated[str | None, Query(pattern="^(" + "|".join(CONFIDENCE) + ")$")] = None,
        has_dispute: bool | None = None,
        cursor: Annotated[int | None, Query(ge=0, le=MAX_ROW_ID,
                                             description="id after which to start")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> dict[str, Any]:
        """Incidents in id order, paged by cursor."""
        query = incidents_query(since=since, until=until, admin1=admin1, admin2=admin2,
                                event_type=event_type, actor=actor, confidence=confidence,
                                has_dispute=has_dispute, bbox=parse_bbox(bbox),
                                after=cursor if cursor is not None else -1)
        with store.session() as session:
            rows = list(session.scalars(query.limit(limit + 1)))
            items = [incident_record(session, i) for i in rows[:limit]]
        next_cursor = rows[limit - 1].id if len(rows) > limit else None
        return {"items": items, "next_cursor": next_cursor}

    @api.get("/incidents/{incident_id}")
    def incident(incident_id: str) -> dict[str, Any]:
        """One incident with its events, their claims and documents, and its disputes."""
        number = incident_number(incident_id)
        if number is None:
            raise HTTPException(422, "incident ids look like i42")
        with store.session() as session:
            found = session.get(Incident, number)
            if found is None:
                raise HTTPException(404, f"no incident {incident_id}")
            record = incident_record(session, found)
            record["marks"] = review.document_marks(session, record["documents"])
            record["claims"] = [claim_record(c, doc.key)
                                for doc, event, _ in incident_reports(session, record)
                                for c in doc.claims if c.key in event.claim_keys]
        return record

    return api
