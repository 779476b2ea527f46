"""Alerts page and visit markers: reads the alerts and each list's last visit from the store,
writes the alerts page with unread counts and what every list marks new."""
from __future__ import annotations

from datetime import datetime, timezone
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select, update

from observatory.desk.web.layout import page
from observatory.record.store import Store
from observatory.record.store.models import Alert, Visit

__all__ = ["router", "visit", "new_note"]


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def visit(store: Store, list_name: str, *, new_since: datetime | None = None,
          owner: str | None = None) -> datetime | None:
    """The marker a list compares with: ``new_since`` when given (the `new_since` parameter),
    else when the list was last shown; this showing is recorded as the next marker. Kept in
    the store, not in a cookie: global until accounts fill ``owner``."""
    key = f"{owner or ''}:{list_name}"
    with store.session() as session, session.begin():
        row = session.get(Visit, key)
        last = row.seen_at if row else None
        if row is None:
            session.add(Visit(key=key, seen_at=_now()))
        else:
            row.seen_at = _now()
    return new_since or last


def since_param(text: str | None) -> datetime | None:
    """A `new_since` time read from a page's query string; what is not a time is ignored."""
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def new_note(count: int, marker: datetime | None) -> str:
    if marker is None:
        return '<p class="since">First visit: nothing is marked new yet.</p>'
    return (f'<p class="since"><b>{count} new</b> since {marker.isoformat(timespec="minutes")}'
            f' UTC (the last visit; <code>?new_since=YYYY-MM-DDTHH:MM</code> sets another '
            f'time)</p>')


NEW = '<mark class="new">new</mark> '


def router(store: Store) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/app/alerts", response_class=HTMLResponse)
    def alerts_page(new_since: datetime | None = None) -> HTMLResponse:
        marker = visit(store, "alerts", new_since=new_since)
        with store.session() as session:
            rows = list(session.scalars(select(Alert).order_by(Alert.id.desc()).limit(500)))
        unread = sum(1 for a in rows if a.read_at is None)
        fresh = sum(1 for a in rows if marker and a.created_at > marker)
        items = "".join(
            f'<tr{" class=unread" if a.read_at is None else ""}><td>'
            f'{NEW if marker and a.created_at > marker else ""}'
            f'{"<b>unread</b>" if a.read_at is None else "read"}</td>'
            f'<td>{a.created_at.isoformat(timespec="minutes")}</td>'
            f'<td><a href="/app/incidents/i{a.incident_id}">{escape(a.title)}</a><br>'
            f'{escape("; ".join(c["text"] for c in a.detail.get("changes", [])))}</td>'
            f'<td>{escape(", ".join(a.kinds))}</td></tr>' for a in rows)
        body = (f'<p><b id="unread">{unread}</b> unread of {len(rows)} · '
                f'<a href="/alerts.atom">Atom feed</a></p>' + new_note(fresh, marker) +
                ('<form method="post" action="/app/alerts/read"><button>Mark all read'
                 '</button></form>' if unread else '') +
                (f'<div class="scroll"><table><thead><tr><th>state</th><th>when (UTC)</th>'
                 f'<th>alert</th><th>rules</th></tr></thead><tbody>{items}</tbody></table></div>'
                 if rows else '<p>No alerts yet.</p>'))
        return page(f"Alerts ({unread} unread)", body)

    @r.post("/app/alerts/read")
    def alerts_read(up_to: int | None = None) -> RedirectResponse:
        with store.session() as session, session.begin():
            query = update(Alert).where(Alert.read_at.is_(None))
            if up_to is not None:
                query = query.where(Alert.id <= up_to)
            session.execute(query.values(read_at=_now()))
        return RedirectResponse("/app/alerts", status_code=303)

    return r
