"""Shared by the API routers: reads query values, writes the records' common shapes."""
from __future__ import annotations

from typing import Any

from fastapi import HTTPException

from observatory.record.store.models import Claim

MAX_BODY_BYTES = 2_000_000
# The largest row id any supported database holds (SQLite and PostgreSQL BIGINT).
MAX_ROW_ID = 2**63 - 1
CONFIDENCE = ("single-source", "corroborated", "contested", "denied")


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise HTTPException(422, "bbox must be four numbers: west,south,east,north") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise HTTPException(422, "bbox must have west <= east and south <= north, in degrees")
    return west, south, east, north


def claim_record(c: Claim, document: str) -> dict[str, Any]:
    return {"id": c.key, "document": document, "speaker": c.speaker,
            "speaker_type": c.speaker_type, "cue": c.cue, "polarity": c.polarity,
            "content": c.content, "via": c.via, "span": [c.span_start, c.span_end],
            "date": c.date_start.isoformat() if c.date_start else None}
