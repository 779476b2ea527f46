"""Sources router: reads the store, writes speakers and outlets with their counts."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import func, select

from observatory.record.store import Store
from observatory.record.store.models import Claim, Document


def router(store: Store) -> APIRouter:
    api = APIRouter()

    @api.get("/sources")
    def sources() -> dict[str, Any]:
        """Speakers and outlets with how many claims and documents they stand behind."""
        with store.session() as session:
            speakers = session.execute(select(Claim.speaker, Claim.speaker_type,
                                              func.count(Claim.id))
                                       .group_by(Claim.speaker, Claim.speaker_type)
                                       .order_by(func.count(Claim.id).desc())).all()
            outlets = session.execute(select(Document.outlet, func.count(Document.id))
                                      .where(Document.outlet.is_not(None))
                                      .group_by(Document.outlet)
                                      .order_by(func.count(Document.id).desc())).all()
        return {"speakers": [{"name": n, "type": t, "claims": c} for n, t, c in speakers],
                "outlets": [{"name": n, "documents": c} for n, c in outlets]}

    return api
