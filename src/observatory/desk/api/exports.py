"""Exports router: reads the store, writes every incident as CSV, GeoJSON or JSON Lines, streamed."""
from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse

from observatory.record.store import Store
from observatory.record.store.queries import EXPORTS


def router(store: Store) -> APIRouter:
    api = APIRouter()

    @api.get("/export.{fmt}")
    def export(fmt: str) -> StreamingResponse:
        """All incidents, streamed: CSV with ACLED's columns, GeoJSON, or JSON Lines."""
        if fmt not in EXPORTS:
            raise HTTPException(422, f"export format must be one of {', '.join(EXPORTS)}")
        chunks, media = EXPORTS[fmt]

        def stream() -> Iterator[bytes]:
            with store.session() as session:
                for chunk in chunks(session):
                    yield chunk.encode("utf-8")
        return StreamingResponse(stream(), media_type=media)

    return api
