"""Shared by the API routers: reads query values, writes the records' common shapes."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import HTTPException
from pydantic import AfterValidator, BaseModel

from observatory.record.store.models import Claim

MAX_BODY_BYTES = 2_000_000
# The largest row id any supported database holds (SQLite and PostgreSQL BIGINT).
MAX_ROW_ID = 2**63 - 1
CONFIDENCE = ("single-source", "corroborated", "contested", "denied")


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("holds a NUL character")
    return value


# A body's text: PostgreSQL refuses NUL in text, even in a query's parameters (a 500 before).
Text = Annotated[str, AfterValidator(_no_nul)]


class Problem(BaseModel):
    """The body of a 401, 403, 404, 409, 413 or 415 answer."""

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
    401: {"model": Problem, "description": "Not signed in (reads need an account unless they "
                                           "are public; writes always do)"},
    403: {"model": Problem, "description": "The account's role is too low, or a web form's "
                                           "CSRF token is missing"},
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


FILTERS = ("q", "since", "until", "admin1", "admin2", "type", "actor", "source", "confidence",
           "has_dispute", "bbox")
_YES_NO = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def governorate(name: str) -> str:
    """The OCHA name of a governorate as typed ("Idlib" is Idleb, "hasakah" Al-Hasakeh);
    anything else as given."""
    from observatory.desk.web.layout import boundaries
    from observatory.record.search import fold

    wanted = fold(name)
    return next((f["name"] for f in boundaries() if f["name"] and fold(f["name"]) == wanted), name)


def read_filters(values: Mapping[str, str | None]) -> dict[str, Any]:
    """Query values to incidents_query's keywords. Blank values are ignored (an empty form
    field means no filter); a bad value raises ValueError with a message for the user."""
    v = {k: (values.get(k) or "").strip() for k in FILTERS}
    out: dict[str, Any] = {}
    for name in ("since", "until"):
        if v[name]:
            try:
                out[name] = date.fromisoformat(v[name])
            except ValueError:
                raise ValueError(f"{name} must be a date as YYYY-MM-DD, not {v[name]!r}") from None
    if v["confidence"] and v["confidence"] not in CONFIDENCE:
        raise ValueError(f"confidence must be one of {', '.join(CONFIDENCE)}")
    if v["has_dispute"]:
        if v["has_dispute"].lower() not in _YES_NO:
            raise ValueError("has_dispute must be yes or no")
        out["has_dispute"] = _YES_NO[v["has_dispute"].lower()]
    if v["bbox"]:
        try:
            out["bbox"] = parse_bbox(v["bbox"])
        except HTTPException as exc:
            raise ValueError(exc.detail) from None
    if v["admin1"]:
        out["admin1"] = governorate(v["admin1"])
    for name, key in (("admin2", "admin2"), ("type", "event_type"), ("actor", "actor"),
                      ("source", "source"), ("q", "q"), ("confidence", "confidence")):
        if v[name]:
            out[key] = v[name]
    return out


def filter_params(values: Mapping[str, str | None]) -> dict[str, str]:
    """The non-blank filter values, to write back into links (a permalink of the view)."""
    return {k: values[k].strip() for k in FILTERS if (values.get(k) or "").strip()}
