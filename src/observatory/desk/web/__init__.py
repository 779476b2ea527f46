"""Web pages: reads the store, writes server-rendered HTML (map, timeline, incident, dispute and
document pages); no script or tile from outside. One router per page family."""
from __future__ import annotations

from fastapi import APIRouter

from observatory.desk.web import alerts, disputes, documents, incidents, overview
from observatory.record.store import Store

__all__ = ["router"]


def router(store: Store) -> APIRouter:
    r = APIRouter(include_in_schema=False)
    for module in (overview, incidents, disputes, documents, alerts):
        r.include_router(module.router(store))
    return r
