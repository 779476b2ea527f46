"""Documents router: reads a stored report, or a posted one that it runs through the pipeline into the store."""
from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import select

from observatory.desk.api.common import MAX_BODY_BYTES, claim_record
from observatory.desk.auth import Principal, require
from observatory.records import ReadFailure
from observatory.record.store import Store
from observatory.record.store.models import Document
from observatory.settings import Settings


def router(store: Store, settings: Settings) -> APIRouter:
    api = APIRouter()

    @api.get("/documents/{key}")
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
                    "claims": [claim_record(c, doc.key) for c in doc.claims],
                    "events": [{"id": e.key, "sub_event_type": e.sub_event_type,
                                "span": [e.span_start, e.span_end], "evidence": e.evidence}
                               for e in doc.events]}

    state: dict[str, Any] = {}

    @api.post("/documents", status_code=201)
    async def post_document(request: Request,
                            who: Principal = Depends(require("editor"))) -> dict[str, Any]:
        """Run a report (text, HTML, or a JSON object like a JSON Lines input) through the
        pipeline into the store."""
        from observatory.coding.pipeline import Extractor
        from observatory.reading import read_html, read_text
        from observatory.reading.jsonl import read_jsonl
        from observatory.record.store.ingest import ingest

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
        summary = ingest(items, store=store, extractor=state["extractor"], by=who.name)
        doc = items[0]
        return {"id": doc.id, "sha256": doc.sha256, "stored": bool(summary.new),
                "already_stored": bool(summary.already)}

    return api
