"""Web pages: reads the store, writes server-rendered HTML (map, timeline, incident, dispute and
document pages); no script or tile from outside. One router per page family; as the server
starts, a thread builds the app's routes and fills the pages' costliest caches (the unfiltered
view's counts, the sources' tallies) so the first visitor does not pay for them."""
from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, FastAPI
from sqlalchemy.orm import Session

from observatory.desk.web import (alerts, assets, disputes, documents, incidents, overview,
                                  review, sources)
from observatory.desk.kept import Kept
from observatory.record.store import Store

__all__ = ["router", "public_router", "install"]
install = assets.install
log = logging.getLogger(__name__)


def router(store: Store, kept: Kept) -> APIRouter:
    """The pages, over the app's caches (``kept``), which are filled as the server starts."""
    r = APIRouter(include_in_schema=False, lifespan=warming(store, kept.warming()))
    r.include_router(overview.router(store, views=kept.views))
    for module in (incidents, disputes, documents, review, alerts):
        r.include_router(module.router(store))
    r.include_router(sources.router(store, kept=kept))
    return r


def public_router(store: Store) -> APIRouter:
    """Pages reachable without an account (sign-in)."""
    return review.public_router(store)


# How long the server's start waits for the caches: on a large store the thread goes on while
# the server serves (a start must not take minutes).
WARM_WAIT_SECONDS = 5.0


def warming(store: Store, tasks: list[Callable[[Session], Any]]):
    """A lifespan running ``tasks`` one after another in a thread as the server starts,
    after building the app's routes (FastAPI builds each route's models when a request
    first passes it: 0.3 s, paid by the first request otherwise). The server listens once
    they are done, or after WARM_WAIT_SECONDS while they go on: the first requests do not
    compete with them for the interpreter, and one needing a cache still being filled
    waits for it (the caches compute each value once at a time). Shutdown waits for the
    thread."""

    def warm(app: FastAPI) -> None:
        try:
            app.openapi()  # builds every route's models, as serving /openapi.json would
        except Exception:
            log.exception("building the routes at start failed")
        for task in tasks:
            try:
                with store.session() as session:
                    task(session)
            except Exception:  # a cache left cold: its first request fills it (or fails)
                log.exception("warming the caches at start failed")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        thread = threading.Thread(target=warm, args=(app,), name="observatory-warm",
                                  daemon=True)
        thread.start()
        await anyio.to_thread.run_sync(thread.join, WARM_WAIT_SECONDS)
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(thread.join)

    return lifespan
