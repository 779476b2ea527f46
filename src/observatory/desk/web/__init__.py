"""Web pages: reads the store, writes server-rendered HTML (map, timeline, incident, dispute and
document pages); no script or tile from outside. One router per page family."""
from __future__ import annotations

from fastapi import APIRouter

from observatory.desk.web import (alerts, assets, disputes, documents, incidents, overview,
                                  review, sources)
from observatory.record.store import Store
from observatory.settings import Settings

__all__ = ["router", "public_router", "install"]
install = assets.install


def router(store: Store, settings: Settings) -> APIRouter:
    r = APIRouter(include_in_schema=False)
    for module in (overview, incidents, disputes, documents, review, alerts):
        r.include_router(module.router(store))
    r.include_router(sources.router(store, settings))
    return r


def public_router(store: Store) -> APIRouter:
    """Pages reachable without an account (sign-in)."""
    return review.public_router(store)
