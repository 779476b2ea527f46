"""Overview page: reads filters and the store, writes the map, the timeline and the incident list."""
from __future__ import annotations

from datetime import date, datetime
from html import escape

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from observatory.desk.web.alerts import NEW, new_note, visit
from observatory.desk.web.layout import filters_form, page, svg_map, timeline
from observatory.record.store import Store
from observatory.record.store.queries import incident_record, incidents_query


def router(store: Store) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/app", response_class=HTMLResponse)
    def overview(since: date | None = None, until: date | None = None,
                 admin1: str | None = None, admin2: str | None = None,
                 event_type: str | None = Query(None, alias="type"), actor: str | None = None,
                 confidence: str | None = None, has_dispute: str | None = None,
                 bbox: str | None = None, new_since: datetime | None = None) -> HTMLResponse:
        """The map, the timeline and the list, with the API's filters."""
        from observatory.desk.api import parse_bbox

        values = {k: str(v) for k, v in (("since", since), ("until", until), ("admin1", admin1),
                                         ("admin2", admin2), ("type", event_type),
                                         ("actor", actor), ("confidence", confidence),
                                         ("has_dispute", has_dispute), ("bbox", bbox)) if v}
        disputed = {"yes": True, "no": False}.get(has_dispute or "")
        query = incidents_query(since=since, until=until, admin1=admin1 or None,
                                admin2=admin2 or None, event_type=event_type or None,
                                actor=actor or None, confidence=confidence or None,
                                has_dispute=disputed, bbox=parse_bbox(bbox or None))
        marker = visit(store, "incidents", new_since=new_since)
        with store.session() as session:
            found = list(session.scalars(query.limit(2000)))
            records = [incident_record(session, i) for i in found]
            fresh = {f"i{i.id}" for i in found if marker and i.updated_at > marker}
        rows = "".join(
            f'<tr><td>{NEW if x["id"] in fresh else ""}'
            f'<a href="/app/incidents/{x["id"]}">{x["id"]}</a></td>'
            f'<td>{(x["date"] or {}).get("start", "")}</td><td>{escape(x["sub_event_type"])}</td>'
            f'<td>{escape((x["location"] or {}).get("name") or "")}</td>'
            f'<td>{escape(x["actor1"] or "")}</td><td>{x["origins"]}</td>'
            f'<td>{x["confidence"]}</td><td>{", ".join(d["field"] for d in x["disputes"])}</td></tr>'
            for x in records)
        body = (filters_form(values) + svg_map(records) + timeline(records, values) +
                f'<h2>{len(records)} incidents</h2>' + new_note(len(fresh), marker) +
                f'<div class="scroll"><table><thead><tr><th>id</th><th>date</th>'
                f'<th>type</th><th>place</th><th>actor</th><th>origins</th><th>confidence</th>'
                f'<th>disputes</th></tr></thead><tbody>{rows}</tbody></table></div>')
        return page("Incidents", body)

    return r
