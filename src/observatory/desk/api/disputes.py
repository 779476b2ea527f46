"""Disputes router: reads the store, writes the disagreements between sources, paged."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from observatory.desk.api.common import MAX_ROW_ID
from observatory.record.store import Store
from observatory.record.store.queries import iter_disputes


def router(store: Store) -> APIRouter:
    api = APIRouter()

    @api.get("/disputes")
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

    return api
