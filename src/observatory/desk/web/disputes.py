"""Disputes page: reads the store, writes every disagreement between sources side by side."""
from __future__ import annotations

from datetime import datetime
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from observatory.desk.web.alerts import NEW, new_note, visit
from observatory.desk.web.layout import page
from observatory.record.store import Store
from observatory.record.store.models import Document, Incident
from observatory.record.store.queries import iter_disputes, side_text


def router(store: Store) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/app/disputes", response_class=HTMLResponse)
    def disputes_page(new_since: datetime | None = None) -> HTMLResponse:
        marker = visit(store, "disputes", new_since=new_since)
        with store.session() as session:
            items = list(iter_disputes(session))
            # A dispute is as new as the last change to its incident.
            fresh = set() if marker is None else {
                f"i{n}" for n in session.scalars(select(Incident.id)
                                                 .where(Incident.updated_at > marker))}
            keys = {k for d in items for s in d["sides"] for k in s["documents"]}
            about = {d.key: (d.outlet or d.origin, d.published.date().isoformat()
                             if d.published else "undated")
                     for d in session.scalars(select(Document).where(Document.key.in_(keys)))}

        def reports(keys: list[str]) -> str:
            return "; ".join(f'<a href="/app/documents/{escape(k)}">{escape(about[k][0][:40])}'
                             f'</a> ({about[k][1]})' for k in keys if k in about)
        blocks = "".join(
            f'<section><h2>{NEW if d["incident"] in fresh else ""}'
            f'<a href="/app/incidents/{d["incident"]}">{d["incident"]}</a> '
            f'{escape((d["date"] or {}).get("start", ""))} — {escape(d["about"])} at '
            f'{escape(d["place"] or "")}: {escape(d["field"])}</h2><div class="grid">' + "".join(
                f'<div class="side"><b>{escape(side_text(d["field"], s["value"]))}</b><br>said by '
                f'{escape(", ".join(s["speakers"]))}<br>in {reports(s["documents"])}'
                f'</div>' for s in d["sides"]) + '</div></section>' for d in items)
        shown = sum(1 for d in items if d["incident"] in fresh)
        return page("Disputes between sources",
                    new_note(shown, marker) + (blocks or "<p>No disputes.</p>"))

    return r
