"""Audit router: reads the hash-chained log, writes its verification (admin role)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from observatory.desk.auth import Principal, require
from observatory.record import audit
from observatory.record.store import Store


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["audit"])

    @api.get("/audit/verify")
    def verify(who: Principal = Depends(require("admin"))) -> dict[str, Any]:
        """Walk the chain: entries, the newest hash, and any entry changed or removed."""
        with store.session() as session:
            count, head, problems = audit.verify(session)
        return {"entries": count, "head": head, "ok": not problems,
                "problems": [str(p) for p in problems]}

    return api
