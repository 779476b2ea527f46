"""API: reads HTTP requests and the store, writes JSON records, streamed exports and the web
pages, and ingests posted reports through the pipeline; one router per resource."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from observatory.desk import web
from observatory.desk.api import (alerts, audit, disputes, documents, exports, incidents, reviews,
                                  search, sources, users)
from observatory.desk.api.common import COMMON_RESPONSES, MAX_BODY_BYTES, invalid, parse_bbox
from observatory.desk.api.extraction import pool_for
from observatory.desk.auth import Auth, install, login_redirect, require
from observatory.desk.kept import Kept
from observatory.desk.web.assets import html_error
from observatory.errors import QueryError
from observatory.record.store import Store
from observatory.settings import Settings

__all__ = ["create_app", "MAX_BODY_BYTES", "parse_bbox"]


def create_app(store: Store, settings: Settings, *, bind: str = "127.0.0.1") -> FastAPI:
    """The HTTP API over one store, served on ``bind`` (which decides ``public_read`` when it
    is auto). The extraction pipeline loads on the first POST, in a process of its own that
    stops with the last app using it."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        pool = pool_for(settings)
        pool.hold()
        try:
            yield
        finally:
            pool.release()

    app = FastAPI(lifespan=lifespan, title="Conflict Observatory", version="0.1.0",
                  description="Incidents, claims, documents and disputes between sources.",
                  responses=COMMON_RESPONSES,
                  docs_url=None, redoc_url=None)  # /docs is served from bundled assets
    install(app, Auth(store, settings, bind=bind))
    web.install(app)
    app.include_router(web.public_router(store))
    # Reading needs an account unless public_read is on; each write route asks for its role.
    readers = [Depends(require("viewer"))]
    kept = Kept.for_settings(settings)
    app.include_router(web.router(store, kept), dependencies=readers)
    for router in (incidents.router(store, kept), documents.router(store, settings),
                   disputes.router(store), sources.router(store, kept), exports.router(store),
                   search.router(store), reviews.router(store), users.router(store),
                   audit.router(store), alerts.router(store)):
        app.include_router(router, dependencies=readers)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/app")

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        # One handler, so the pages' answers and the API's shapes cannot shadow each other.
        special = login_redirect(request, exc.status_code) or html_error(request, exc)
        if special is not None:
            return special
        # A 422 raised by hand gets the same body as FastAPI's own validation errors.
        if exc.status_code == 422 and isinstance(exc.detail, str):
            return JSONResponse(invalid(exc.detail), 422)
        # FastAPI's only 400: a JSON body that is not UTF-8, as unusable as bad JSON (422).
        if exc.status_code == 400:
            return JSONResponse(invalid(f"{exc.detail} (JSON must be UTF-8)", "body"), 422)
        return await http_exception_handler(request, exc)

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError):
        return JSONResponse(invalid(str(exc), "query"), 422)

    return app


class BodyLimit:
    """Refuse a request body over ``limit`` bytes: at once when Content-Length says so, and while
    it streams when it is chunked, so no more than ``limit`` bytes are ever held."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await JSONResponse({"detail": f"request body over {self.limit} bytes"}, 413)(
                scope, receive, send)
            return
        received = 0

        async def bounded() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                # Raised inside the route's read of the body: answered 413 by the handlers.
                raise HTTPException(413, f"request body over {self.limit} bytes")
            return message

        await self.app(scope, bounded, send)
