"""Exports router: reads filters and the store, writes the matching incidents as CSV, GeoJSON
or JSON Lines, streamed."""
from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import StreamingResponse

from observatory.desk.api.common import read_filters
from observatory.record.store import Store
from observatory.record.store.queries import EXPORTS


def router(store: Store) -> APIRouter:
    api = APIRouter()

    @api.get("/export.{fmt}")
    def export(fmt: str, request: Request) -> StreamingResponse:
        """The incidents matching the filters of /incidents (all when none), streamed: CSV with
        ACLED's columns, GeoJSON, or JSON Lines."""
        if fmt not in EXPORTS:
            raise HTTPException(422, f"export format must be one of {', '.join(EXPORTS)}")
        try:
            chosen = read_filters(request.query_params)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        chunks, media = EXPORTS[fmt]

        def stream() -> Iterator[bytes]:
            with store.session() as session:
                for chunk in chunks(session, **chosen):
                    yield chunk.encode("utf-8")
        name = f"incidents.{fmt}"
        return StreamingResponse(stream(), media_type=media,
                                 headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return api
