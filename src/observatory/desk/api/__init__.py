"""API: reads HTTP requests and the store, writes JSON records, streamed exports and the web
pages, and ingests posted reports through the pipeline; one router per resource."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from observatory.desk import web
from observatory.desk.api import alerts, disputes, documents, exports, incidents, sources
from observatory.desk.api.common import MAX_BODY_BYTES, parse_bbox
from observatory.record.store import Store
from observatory.settings import Settings

__all__ = ["create_app", "MAX_BODY_BYTES", "parse_bbox"]


def create_app(store: Store, settings: Settings) -> FastAPI:
    """The HTTP API over one store. The extraction pipeline loads on the first POST."""
    app = FastAPI(title="Conflict Observatory", version="0.1.0",
                  description="Incidents, claims, documents and disputes between sources.")
    app.include_router(web.router(store))
    for router in (incidents.router(store), documents.router(store, settings),
                   disputes.router(store), sources.router(store), exports.router(store),
                   alerts.router(store)):
        app.include_router(router)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/app")

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return JSONResponse({"detail": f"request body over {MAX_BODY_BYTES} bytes"}, 413)
        return await call_next(request)

    return app
