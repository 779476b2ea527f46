"""Web pages: reads the store, writes server-rendered HTML (map, timeline, incident, dispute and
document pages); no script or tile from outside. One router per page family; as the server
starts, a thread fills the pages' costliest caches (the unfiltered view's counts, the sources'
tallies) so the first visitor does not pay for them."""
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
from observatory.record.store import Store
from observatory.settings import Settings

__all__ = ["router", "public_router", "install"]
install = assets.install
log = logging.getLogger(__name__)


def router(store: Store, settings: Settings) -> APIRouter:
    warm: list[Callable[[Session], Any]] = []
    r = APIRouter(include_in_schema=False, lifespan=warming(store, warm))
    r.include_router(overview.router(store, warm=warm))
    for module in (incidents, disputes, documents, review, alerts):
        r.include_router(module.router(store))
    r.include_router(sources.router(store, settings, warm=warm))
    return r


def public_router(store: Store) -> APIRouter:
    """Pages reachable without an account (sign-in)."""
    return review.public_router(store)


def warming(store: Store, tasks: list[Callable[[Session], Any]]):
    """A lifespan running ``tasks`` one after another in a thread while the server serves:
    the server is ready at once, and a request needing a cache being filled waits for it
    (the caches compute each value once at a time). Shutdown waits for the thread."""

    def warm() -> None:
        for task in tasks:
            try:
                with store.session() as session:
                    task(session)
            except Exception:  # a cache left cold: its first request fills it (or fails)
                log.exception("warming the caches at start failed")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        thread = threading.Thread(target=warm, name="observatory-warm", daemon=True)
        thread.start()
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(thread.join)

    return lifespan
