"""Disputes pages: reads the store, writes the disagreements between sources side by side with
the words of each side, paged and filtered, and a page for each dispute."""
from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observatory.desk.api.common import filter_params, read_filters
from observatory.desk.web.alerts import NEW, new_note, since_param, visit
from observatory.desk.web.layout import boundaries, page, pager
from observatory.desk.web.sources import speaker_links
from observatory.record.store import Store
from observatory.record.store.browse import disputes_query, side_quotes
from observatory.record.store.models import Incident, IncidentDispute
from observatory.record.store.queries import side_text

PER_PAGE = 20
FIELDS = ("occurred", "fatalities", "perpetrator", "control", "date", "location")


def dispute_block(session: Session, dispute: IncidentDispute, incident: Incident, *,
                  heading: str = "h2", new: bool = False) -> str:
    when = incident.date_start.isoformat() if incident.date_start else "undated"
    place = incident.place_name or incident.admin1 or "place not stated"
    sides = []
    for side in dispute.sides:
        quotes = "".join(
            f'<blockquote>“{escape(q["text"][:400])}” <span class="muted">— '
            f'{escape(q["speaker"])}, <a href="/app/documents/{escape(q["document"])}'
            f'#s{q["span"][0]}-{q["span"][1]}">{escape(q["outlet"] or q["document"][:16])}'
            f'</a> ({q["published"]})</span></blockquote>'
            for q in side_quotes(session, incident.id, side, dispute.field))
        sides.append(f'<div class="side"><b>{escape(side_text(dispute.field, side["value"]))}'
                     f'</b><br>said by {speaker_links(side["speakers"])}'
                     + (f' via {speaker_links(side["via"])}' if side.get("via") else "")
                     + f'{quotes}</div>')
    return (f'<section><{heading}>{NEW if new else ""}<a href="/app/disputes/{dispute.id}">{escape(dispute.field)}'
            f'</a> — <a href="/app/incidents/i{incident.id}">i{incident.id}</a> {when}, '
            f'{escape(incident.topic or incident.sub_event_type)} at {escape(place)}</{heading}>'
            f'<div class="grid">{"".join(sides)}</div></section>')


def router(store: Store) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/app/disputes", response_class=HTMLResponse)
    def disputes_page(request: Request) -> HTMLResponse:
        values = request.query_params
        params = filter_params(values)
        field = values.get("field") if values.get("field") in FIELDS else None
        if field:
            params["field"] = field
        page_text = values.get("page", "1")
        page_no = int(page_text) if page_text.isdigit() and len(page_text) < 7 else 1
        try:
            chosen = read_filters(values)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        query = disputes_query(field=field, **chosen)
        # A dispute is as new as the last change to its incident.
        marker = visit(store, "disputes", new_since=since_param(values.get("new_since")))
        with store.session() as session:
            fresh = 0 if marker is None else session.scalar(
                select(func.count()).select_from(query.where(Incident.updated_at > marker)
                                                 .subquery())) or 0
            count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            pages = max(1, -(-count // PER_PAGE))
            page_no = max(1, min(page_no, pages))
            rows = session.execute(query.offset((page_no - 1) * PER_PAGE).limit(PER_PAGE)).all()
            blocks = "".join(dispute_block(session, d, i, new=marker is not None
                                           and i.updated_at > marker) for d, i in rows)
        body = (_form(params) + new_note(fresh, marker) + f'<p id="results" tabindex="-1">{count:,} disputes'
                + (f', page {page_no} of {pages}' if pages > 1 else "") + '</p>'
                + pager(params, page_no, pages, "/app/disputes")
                + (blocks or "<p>No disputes match.</p>")
                + pager(params, page_no, pages, "/app/disputes"))
        return page("Disputes between sources", body, skip="results")

    @r.get("/app/disputes/{dispute_id}", response_class=HTMLResponse)
    def dispute_page(dispute_id: str) -> HTMLResponse:
        number = int(dispute_id) if dispute_id.isdigit() and len(dispute_id) < 19 else None
        with store.session() as session:
            found = session.get(IncidentDispute, number) if number is not None else None
            if found is None:
                raise HTTPException(404, f"no dispute {dispute_id}")
            block = dispute_block(session, found, found.incident)
        return page(f"Dispute {number}: {found.field}", block + '<p><a href="/app/disputes">'
                    'All disputes</a></p>')

    return r


def _form(params: dict[str, Any]) -> str:
    def options(name: str, values: list[str]) -> str:
        chosen = params.get(name, "")
        return "".join(f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>'
                       f'{escape(v or "any")}</option>' for v in values)
    governorates = [""] + sorted(f["name"] for f in boundaries() if f["name"])
    return (f'<form class="filters" method="get" action="/app/disputes">'
            f'<label>Search<br><input type="search" name="q" value="{escape(params.get("q", ""))}">'
            f'</label><label>About<br><select name="field">{options("field", ["", *FIELDS])}'
            f'</select></label><label>Governorate<br><select name="admin1">'
            f'{options("admin1", governorates)}</select></label>'
            f'<button type="submit">Show</button><a href="/app/disputes">Clear</a>'
            f'<a href="/app?{escape(urlencode({**{k: v for k, v in params.items() if k != "field"}, "has_dispute": "yes"}))}">'
            f'Disputed incidents on the map</a></form>')
