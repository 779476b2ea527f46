"""Sources router: reads the store and the sources dictionary, writes source records (speakers
and outlets with their claims, denials, contradictions and relaying outlets)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from observatory.desk.kept import Kept
from observatory.record.sources import list_sources, source_record
from observatory.record.store import Store


def router(store: Store, kept: Kept) -> APIRouter:
    api = APIRouter()
    dictionary, tallies = kept.dictionary, kept.tallies

    @api.get("/sources")
    def sources(unknown: bool = False) -> dict[str, Any]:
        """Speakers and outlets with how many claims and documents they stand behind, and
        every source's record (``unknown=true``: only speakers with no dictionary entry)."""
        with store.session() as session:
            counts = kept.sources.of(session, {})
            records = list_sources(session, dictionary, unknown=unknown, kept=tallies)
        return {**counts, "sources": records}

    @api.get("/sources/{source_id}")
    def source(source_id: str) -> dict[str, Any]:
        """One source: its type, aliases, counts and every claim it made."""
        with store.session() as session:
            record = source_record(session, dictionary, source_id, kept=tallies)
        if record is None:
            raise HTTPException(404, f"no source {source_id}")
        return record

    return api
