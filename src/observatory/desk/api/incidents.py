"""Incidents router: reads filters and the store, writes incident records, paged by cursor."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from observatory.desk.api.common import CONFIDENCE, MAX_ROW_ID, claim_record, read_filters
from observatory.desk.kept import Kept
from observatory.record.store.browse import total
from observatory.record import review
from observatory.record.store import Store
from observatory.record.store.models import Incident
from observatory.record.store.queries import (incident_number, incident_record, incident_records,
                                              incident_reports, incidents_query, SORTS)


def router(store: Store, kept: Kept) -> APIRouter:
    api = APIRouter()
    # Facets kept while the store's incidents are unchanged, shared with the pages. Paging a
    # view asks its total on every page; a wide filter counts most of the store. A search's
    # is counted afresh: its index can be rebuilt while the records stay the same.
    summaries, totals = kept.views, kept.totals

    def filters(request: Request) -> dict[str, Any]:
        try:
            return read_filters(request.query_params)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None

    @api.get("/incidents")
    def incidents(
        request: Request,
        q: Annotated[str | None, Query(description="full-text search: places, actors, types, "
                                       "outlets, speakers, the reports' words")] = None,
        since: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
        until: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
        admin1: str | None = None, admin2: str | None = None,
        bbox: Annotated[str | None, Query(description="west,south,east,north")] = None,
        event_type: Annotated[str | None, Query(alias="type")] = None,
        actor: str | None = None,
        source: Annotated[str | None, Query(description="an outlet of one of its reports")] = None,
        confidence: Annotated[str | None, Query(description=", ".join(CONFIDENCE))] = None,
        has_dispute: Annotated[str | None, Query(description="yes or no")] = None,
        sort: Annotated[str | None, Query(pattern="^(" + "|".join(SORTS) + ")$",
                                          description="order; paged by offset")] = None,
        offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
        cursor: Annotated[int | None, Query(ge=0, le=MAX_ROW_ID,
                                             description="id after which to start (id order)")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> dict[str, Any]:
        """Incidents matching the filters (blank ones are ignored), with their total: in id
        order paged by cursor, or with ``sort`` in that order paged by offset."""
        chosen = filters(request)
        with store.session() as session:
            count = total(session, chosen) if chosen.get("q") else totals.of(session, chosen)
            if sort:
                query = incidents_query(**chosen, sort=sort).offset(offset)
            else:
                query = incidents_query(**chosen, after=cursor if cursor is not None else -1)
            rows = list(session.scalars(query.limit(limit + 1)))
            items = incident_records(session, rows[:limit])
        more = len(rows) > limit
        return {"items": items, "total": count,
                "next_cursor": (None if sort else rows[limit - 1].id) if more else None,
                "next_offset": offset + limit if sort and more else None}

    @api.get("/incidents/facets")
    def incident_facets(request: Request) -> dict[str, Any]:
        """Counts of the filtered incidents per governorate, district, type, actor, outlet,
        confidence and disputed (the same filters as /incidents)."""
        chosen = filters(request)
        with store.session() as session:
            found = summaries.of(session, chosen)
            return {"total": found["total"],
                    "facets": {k: [{"value": v, "count": c} for v, c in values]
                               for k, values in found["facets"].items()}}

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
