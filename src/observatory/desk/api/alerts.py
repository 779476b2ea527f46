"""Alerts router: reads the alerts the watch raised, writes them as JSON, as an Atom feed
(/alerts.atom, for any feed reader) and marks them read."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any
from xml.sax.saxutils import escape

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, select, update

from observatory.desk.api.common import MAX_ROW_ID
from observatory.record.store import Store
from observatory.record.store.models import Alert

FEED_SIZE = 100


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def alert_record(a: Alert) -> dict[str, Any]:
    return {"id": a.id, "incident": f"i{a.incident_id}", "kinds": a.kinds, "title": a.title,
            "detail": a.detail, "owner": a.owner, "created_at": a.created_at.isoformat() + "Z",
            "read": a.read_at is not None,
            "delivered": a.delivered_at is not None, "delivery_error": a.delivery_error}


def unread_count(session) -> int:
    return session.scalar(select(func.count(Alert.id)).where(Alert.read_at.is_(None))) or 0


def _stamp(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "Z"


def atom(alerts: list[Alert], base: str) -> str:
    """An Atom 1.0 feed of the newest alerts; each entry links to its incident's page."""
    updated = _stamp(alerts[0].created_at if alerts else datetime(2000, 1, 1))
    entries = "".join(
        f'<entry><id>{escape(base)}/alerts/{a.id}</id><title>{escape(a.title)}</title>'
        f'<updated>{_stamp(a.created_at)}</updated>'
        f'<link href="{escape(base)}/app/incidents/i{a.incident_id}"/>'
        f'<category term="{" ".join(a.kinds)}"/>'
        f'<content type="text">{escape("; ".join(c["text"] for c in a.detail.get("changes", [])))}'
        f'</content></entry>' for a in alerts)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom">'
            f'<id>{escape(base)}/alerts.atom</id><title>Conflict Observatory alerts</title>'
            f'<updated>{updated}</updated><link rel="self" href="{escape(base)}/alerts.atom"/>'
            f'<author><name>Conflict Observatory</name></author>{entries}</feed>')


def router(store: Store) -> APIRouter:
    api = APIRouter()

    @api.get("/alerts")
    def alerts(before: Annotated[int, Query(ge=1, le=MAX_ROW_ID)] = MAX_ROW_ID,
               limit: Annotated[int, Query(ge=1, le=500)] = 50,
               unread: bool = False) -> dict[str, Any]:
        """Alerts newest first, paged by id (`before`), with the count of unread ones."""
        with store.session() as session:
            query = select(Alert).where(Alert.id < before)
            if unread:
                query = query.where(Alert.read_at.is_(None))
            rows = list(session.scalars(query.order_by(Alert.id.desc()).limit(limit + 1)))
            items = [alert_record(a) for a in rows[:limit]]
            count = unread_count(session)
        return {"items": items, "unread": count,
                "next_before": rows[limit - 1].id if len(rows) > limit else None}

    @api.get("/alerts.atom", response_class=Response)
    def alerts_atom(request: Request) -> Response:
        """The newest alerts as an Atom feed."""
        with store.session() as session:
            rows = list(session.scalars(select(Alert).order_by(Alert.id.desc())
                                        .limit(FEED_SIZE)))
        base = str(request.base_url).rstrip("/")
        return Response(atom(rows, base), media_type="application/atom+xml")

    @api.post("/alerts/read")
    def mark_read(up_to: Annotated[int, Query(ge=1, le=MAX_ROW_ID)] = MAX_ROW_ID
                  ) -> dict[str, int]:
        """Mark every unread alert up to this id read."""
        with store.session() as session, session.begin():
            done = session.execute(update(Alert).where(Alert.read_at.is_(None),
                                                       Alert.id <= up_to)
                                   .values(read_at=_now())).rowcount
        return {"marked": done}

    return api
