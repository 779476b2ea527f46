"""Documents router: reads a stored report, or a posted one that it runs through the pipeline
into the store, raising and delivering alerts as the watcher's ingest does."""
from __future__ import annotations

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import select

from observatory.desk.api.common import Problem, claim_record
from observatory.desk.api.extraction import pool_for
from observatory.errors import InputError
from observatory.reading.base import MAX_KEY_CHARS
from observatory.records import Document as DocumentRecord, ReadFailure
from observatory.desk.auth import Principal, require
from observatory.record.store import Store
from observatory.record.store.models import Document
from observatory.settings import Settings

_TEXT = {"type": "string", "minLength": 1}
# What POST /documents reads, for the schema (and so for schemathesis, which sends bodies).
POSTED_BODY = {"required": True, "content": {
    "text/plain": {"schema": _TEXT},
    "text/html": {"schema": _TEXT},
    "application/json": {"schema": {
        "type": "object", "required": ["text"],
        "properties": {"text": _TEXT, "id": {"type": "string", "maxLength": MAX_KEY_CHARS},
                       "title": {"type": "string"}, "outlet": {"type": "string"},
                       "url": {"type": "string"},
                       "published": {"type": "string", "description": "YYYY-MM-DD or RFC 822"}},
    }}}}


def router(store: Store, settings: Settings) -> APIRouter:
    api = APIRouter()

    @api.get("/documents/{key:path}")
    def document(key: str) -> dict[str, Any]:
        """A report's text and the spans of everything extracted from it."""
        # No stored id holds a control character or runs over the column (readers refuse
        # them); asked for anyway they would make PostgreSQL fail, not answer.
        if len(key) > MAX_KEY_CHARS or any(ord(c) < 32 for c in key):
            raise HTTPException(404, "no such document")
        with store.session() as session:
            doc = session.scalar(select(Document).where(Document.key == key))
            if doc is None:
                raise HTTPException(404, f"no document {key}")
            return {"id": doc.key, "sha256": doc.sha256, "title": doc.title,
                    "outlet": doc.outlet, "url": doc.url,
                    "published": doc.published.isoformat() if doc.published else None,
                    "origin": doc.origin, "text": doc.text,
                    "claims": [claim_record(c, doc.key) for c in doc.claims],
                    "events": [{"id": e.key, "sub_event_type": e.sub_event_type,
                                "span": [e.span_start, e.span_end], "evidence": e.evidence}
                               for e in doc.events]}

    # Posts run one at a time on a thread of their own: the store never blocks the event loop,
    # and queued posts never take the threads reads use. spaCy runs in the pool's process.
    extractor = pool_for(settings)
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="observatory-post")
    # Webhook deliveries on their own thread: a slow or failing receiver (retried with
    # backoff) never delays the answer to a post, and one at a time never sends an alert twice.
    courier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="observatory-alerts")

    def store_posted(body: bytes, kind: str, by: str) -> dict[str, Any]:
        from observatory.reading import read_html, read_text
        from observatory.reading.jsonl import read_jsonl
        from observatory.watch.alerting import ingest_with_alerts
        from observatory.watch.deliver import deliver_pending

        source = f"<post:{hashlib.sha256(body).hexdigest()[:12]}>"
        limit = settings.max_document_bytes
        try:
            if kind == "application/json":
                items = list(read_jsonl([body], source=source, limit=limit))
            elif kind in ("text/html", "application/xhtml+xml"):
                items = [read_html(body, source=source, limit=limit)]
            else:
                items = [read_text(body, source=source, limit=limit)]
        except InputError as exc:
            raise HTTPException(422, exc.reason) from None
        if not items:
            raise HTTPException(422, "empty document (no JSON object to read)")
        if isinstance(items[0], ReadFailure):
            raise HTTPException(422, items[0].message)
        doc: DocumentRecord = items[0]
        with store.session() as session:
            if session.scalar(select(Document.id).where(Document.key == doc.id,
                                                        Document.sha256 != doc.sha256)):
                raise HTTPException(409, f"id {doc.id!r} is already used by another document")
        try:
            done = ingest_with_alerts(items, store=store, extractor=extractor, by=by)
        except BrokenProcessPool:
            raise HTTPException(503, "the extraction worker died reading this report") from None
        if done.alerts:
            courier.submit(deliver_pending, store, settings)
        summary = done.summary
        if summary.failures:
            raise HTTPException(409, summary.failures[0].message)
        return {"id": doc.id, "sha256": doc.sha256, "stored": bool(summary.new),
                "already_stored": bool(summary.already), "alerts": len(done.alerts)}

    @api.post("/documents", status_code=201, openapi_extra={"requestBody": POSTED_BODY},
              responses={409: {"model": Problem, "description": "The id names another document"},
                         415: {"model": Problem, "description": "Not text, HTML or JSON"},
                         503: {"model": Problem,
                               "description": "The extraction worker died reading the report"}})
    async def post_document(request: Request,
                            who: Principal = Depends(require("editor"))) -> dict[str, Any]:
        """Run a report (text, HTML, or a JSON object like a JSON Lines input) through the
        pipeline into the store."""
        kind = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
        if not (kind == "application/json" or kind == "application/xhtml+xml"
                or kind.startswith("text/")):
            raise HTTPException(415, "send text/plain, text/html or application/json")
        body = await request.body()  # bounded by the app's BodyLimit while it streams
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(worker, store_posted, body, kind, who.name)

    return api
