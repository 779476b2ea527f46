"""Search router: reads a query and the full-text index, writes the matching reports, claims and
sources (incidents are searched with `q=` on /incidents)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from observatory.record.search import backfill, search
from observatory.record.store import Store


def router(store: Store) -> APIRouter:
    # A store filled before the index existed (migration 0006) is indexed once, here.
    with store.session() as session, session.begin():
        backfill(session)
    api = APIRouter()

    @api.get("/search")
    def search_all(q: Annotated[str, Query(max_length=500, description="words; spelling- and "
                                           "accent-tolerant for names")],
                   limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
        """Reports, claims and speakers matching the words (prefixes; every word must match)."""
        with store.session() as session:
            return search(session, q, limit=limit)

    return api
