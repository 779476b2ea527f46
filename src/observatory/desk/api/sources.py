"""Sources router: reads the store and the sources dictionary, writes source records (speakers
and outlets with their claims, denials, contradictions and relaying outlets)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from sqlalchemy import func, select

from observatory.coding.nlp import load_sources
from observatory.record.sources import KeptTallies, list_sources, source_record
from observatory.record.store import Store
from observatory.record.store.models import Claim, Document
from observatory.settings import Settings


def router(store: Store, settings: Settings) -> APIRouter:
    api = APIRouter()
    dictionary = load_sources(settings.sources_file)[0]
    kept = KeptTallies(dictionary)

    @api.get("/sources")
    def sources(unknown: bool = False) -> dict[str, Any]:
        """Speakers and outlets with how many claims and documents they stand behind, and
        every source's record (``unknown=true``: only speakers with no dictionary entry)."""
        with store.session() as session:
            speakers = session.execute(select(Claim.speaker, Claim.speaker_type,
                                              func.count(Claim.id))
                                       .group_by(Claim.speaker, Claim.speaker_type)
                                       .order_by(func.count(Claim.id).desc())).all()
            outlets = session.execute(select(Document.outlet, func.count(Document.id))
                                      .where(Document.outlet.is_not(None))
                                      .group_by(Document.outlet)
                                      .order_by(func.count(Document.id).desc())).all()
            records = list_sources(session, dictionary, unknown=unknown, kept=kept)
        return {"speakers": [{"name": n, "type": t, "claims": c} for n, t, c in speakers],
                "outlets": [{"name": n, "documents": c} for n, c in outlets],
                "sources": records}

    @api.get("/sources/{source_id}")
    def source(source_id: str) -> dict[str, Any]:
        """One source: its type, aliases, counts and every claim it made."""
        with store.session() as session:
            record = source_record(session, dictionary, source_id, kept=kept)
        if record is None:
            raise HTTPException(404, f"no source {source_id}")
        return record

    return api
