"""Shared by the API routers: reads query values, writes the records' common shapes."""
from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from pydantic import BaseModel

from observatory.record.store.models import Claim

MAX_BODY_BYTES = 2_000_000
# The largest row id any supported database holds (SQLite and PostgreSQL BIGINT).
MAX_ROW_ID = 2**63 - 1
CONFIDENCE = ("single-source", "corroborated", "contested", "denied")


class Problem(BaseModel):
    """The body of a 404, 409, 413 or 415 answer."""

    detail: str


class ValidationItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationProblem(BaseModel):
    """The body of every 422: FastAPI's own shape, also for checks made by hand."""

    detail: list[ValidationItem]


# Documented on every route: any path may be unknown, any request may carry too large a body.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such resource"},
    422: {"model": ValidationProblem, "description": "A parameter or body that cannot be used"},
    413: {"model": Problem, "description": f"Request body over {MAX_BODY_BYTES:,} bytes"},
}


def invalid(message: str, *loc: str | int) -> dict[str, Any]:
    """A 422 body in FastAPI's documented shape (HTTPValidationError), for checks made by hand."""
    return {"detail": [{"loc": list(loc) or ["request"], "msg": message,
                        "type": "value_error"}]}


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
