"""API: reads HTTP requests and the store, writes JSON records, streamed exports and the web
pages, and ingests posted reports through the pipeline."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from sqlalchemy import func, select

from . import web
from .records import ReadFailure
from .settings import Settings
from .store import Store
from .store.models import Claim, Document, Incident
from .store.queries import (EXPORTS, incident_number, incident_record, incident_reports,
                            incidents_query, iter_disputes)

MAX_BODY_BYTES = 2_000_000
# The largest row id any supported database holds (SQLite and PostgreSQL BIGINT).
MAX_ROW_ID = 2**63 - 1
CONFIDENCE = ("single-source", "corroborated", "contested", "denied")


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise HTTPException(422, "bbox must be four numbers: west,south,east,north") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise HTTPException(422, "bbox must have west <= east and south <= north, in degrees")
    return west, south, east, north


def create_app(store: Store, settings: Settings) -> FastAPI:
    """The HTTP API over one store. The extraction pipeline loads on the first POST."""
    app = FastAPI(title="Conflict Observatory", version="0.1.0",
                  description="Incidents, claims, documents and disputes between sources.")
    state: dict[str, Any] = {}
    app.include_router(web.router(store))

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/app")

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return JSONResponse({"detail": f"request body over {MAX_BODY_BYTES} bytes"}, 413)
        return await call_next(request)

    @app.get("/incidents")
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

    @app.get("/incidents/{incident_id}")
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
            record["claims"] = [_claim(c, doc.key)
                                for doc, event, _ in incident_reports(session, record)
                                for c in doc.claims if c.key in event.claim_keys]
        return record

    @app.get("/documents/{key}")
    def document(key: str) -> dict[str, Any]:
        """A report's text and the spans of everything extracted from it."""
        with store.session() as session:
            doc = session.scalar(select(Document).where(Document.key == key))
            if doc is None:
                raise HTTPException(404, f"no document {key}")
            return {"id": doc.key, "sha256": doc.sha256, "title": doc.title,
                    "outlet": doc.outlet, "url": doc.url,
                    "published": doc.published.isoformat() if doc.published else None,
                    "origin": doc.origin, "text": doc.text,
                    "claims": [_claim(c, doc.key) for c in doc.claims],
                    "events": [{"id": e.key, "sub_event_type": e.sub_event_type,
                                "span": [e.span_start, e.span_end], "evidence": e.evidence}
                               for e in doc.events]}

    @app.get("/disputes")
    def disputes(cursor: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
                 limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
        """Every disagreement between sources, newest first."""
        with store.session() as session:
            items = []
            for n, d in enumerate(iter_disputes(session)):
                if n >= cursor + limit + 1:
                    break
                if n >= cursor:
                    items.append(d)
        more = len(items) > limit
        return {"items": items[:limit], "next_cursor": cursor + limit if more else None}

    @app.get("/sources")
    def sources() -> dict[str, Any]:
        """Speakers and outlets with how many claims and documents they stand behind."""
        with store.session() as session:
            speakers = session.execute(select(Claim.speaker, Claim.speaker_type,
                                              func.count(Claim.id))
                                       .group_by(Claim.speaker, Claim.speaker_type)
                                       .order_by(func.count(Claim.id).desc())).all()
            outlets = session.execute(select(Document.outlet, func.count(Document.id))
                                      .where(Document.outlet.is_not(None))
                                      .group_by(Document.outlet)
                                      .order_by(func.count(Document.id).desc())).all()
        return {"speakers": [{"name": n, "type": t, "claims": c} for n, t, c in speakers],
                "outlets": [{"name": n, "documents": c} for n, c in outlets]}

    @app.get("/export.{fmt}")
    def export(fmt: str) -> StreamingResponse:
        """All incidents, streamed: CSV with ACLED's columns, GeoJSON, or JSON Lines."""
        if fmt not in EXPORTS:
            raise HTTPException(422, f"export format must be one of {', '.join(EXPORTS)}")
        chunks, media = EXPORTS[fmt]

        def stream() -> Iterator[bytes]:
            with store.session() as session:
                for chunk in chunks(session):
                    yield chunk.encode("utf-8")
        return StreamingResponse(stream(), media_type=media)

    @app.post("/documents", status_code=201)
    async def post_document(request: Request) -> dict[str, Any]:
        """Run a report (text, HTML, or a JSON object like a JSON Lines input) through the
        pipeline into the store."""
        from .pipeline import Extractor
        from .readers import read_html, read_text
        from .readers.jsonl import read_jsonl
        from .store.ingest import ingest

        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            raise HTTPException(413, f"request body over {MAX_BODY_BYTES} bytes")
        kind = request.headers.get("content-type", "text/plain").split(";")[0].strip()
        source = f"<post:{hashlib.sha256(body).hexdigest()[:12]}>"
        limit = settings.max_document_bytes
        try:
            if kind == "application/json":
                items = list(read_jsonl([body], source=source, limit=limit))
            elif kind in ("text/html", "application/xhtml+xml"):
                items = [read_html(body, source=source, limit=limit)]
            elif kind.startswith("text/"):
                items = [read_text(body, source=source, limit=limit)]
            else:
                raise HTTPException(415, "send text/plain, text/html or application/json")
        except HTTPException:
            raise
        except Exception as exc:  # noqa: BLE001 - every reader error is the client's input
            raise HTTPException(422, str(exc)) from None
        failures = [i for i in items if isinstance(i, ReadFailure)]
        if failures:
            raise HTTPException(422, f"{failures[0].message}")
        if "extractor" not in state:
            state["extractor"] = Extractor.from_settings(settings)
        summary = ingest(items, store=store, extractor=state["extractor"])
        doc = items[0]
        return {"id": doc.id, "sha256": doc.sha256, "stored": bool(summary.new),
                "already_stored": bool(summary.already)}

    return app


def _claim(c: Claim, document: str) -> dict[str, Any]:
    return {"id": c.key, "document": document, "speaker": c.speaker,
            "speaker_type": c.speaker_type, "cue": c.cue, "polarity": c.polarity,
            "content": c.content, "via": c.via, "span": [c.span_start, c.span_end],
            "date": c.date_start.isoformat() if c.date_start else None}
