"""Incident page: reads one incident, writes its coded fields linked to their evidence, its reports, status and disputes."""
from __future__ import annotations

from html import escape

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import HTMLResponse

from observatory.desk.auth import Principal, require
from observatory.desk.web.layout import page, span_link
from observatory.desk.web.sources import speaker_link, speaker_links
from observatory.desk.web.review import review_panel
from observatory.record import review
from observatory.record.store import Store
from observatory.record.store.models import Incident
from observatory.record.store.queries import (count_text, date_text, incident_number,
                                              incident_record, incident_reports, side_text)


def router(store: Store) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/app/incidents/{incident_id}", response_class=HTMLResponse)
    def incident_page(incident_id: str,
                      who: Principal = Depends(require("viewer"))) -> HTMLResponse:
        number = incident_number(incident_id)
        with store.session() as session:
            found = session.get(Incident, number) if number is not None else None
            if found is None:
                raise HTTPException(404, f"no incident {incident_id}")
            rec = incident_record(session, found)
            evidence = incident_reports(session, rec)
            marks = review.document_marks(session, rec["documents"])
        doc0, ev0, _ = evidence[0]
        ev_spans = ev0.evidence
        loc = rec["location"] or {}
        fields = [("Type", f'{rec["event_type"]} / {rec["sub_event_type"]}', "event_type"),
                  ("Date", date_text(rec["date"]), "date"),
                  ("Place", f'{loc.get("name")} ({loc.get("admin1")}), precision '
                            f'{loc.get("geo_precision")}', "location"),
                  ("Actor", rec["actor1"] or "-", "actor1"),
                  ("Killed", count_text(rec["fatalities"]["low"], rec["fatalities"]["high"]),
                   "fatalities")]
        by = {key: rec["coded"][key] for _, _, key in fields}
        coded = "".join(f'<tr><th>{name}</th><td>{span_link(doc0.key, ev_spans.get(key), value)}'
                        + (f' <span class="reviewed">({escape(by[key]["verdict"])} by '
                           f'{escape(by[key]["by"])})</span>' if by[key]["by"] != "machine"
                           else "") + '</td></tr>' for name, value, key in fields)
        reports = "".join(
            f'<li>{span_link(doc.key, event.evidence.get("event_type"), doc.title or doc.key)}'
            f' — {escape(doc.outlet or "")}; origin <b>{speaker_link(event.origin) if event.origin != doc.key else "the report"}</b>; '
            f'{event.stance}; joined because: {escape(", ".join(ev["why"]["matched"]))}'
            + (f'; <b>marked {escape(marks[doc.key]["mark"])}</b> by '
               f'{escape(marks[doc.key]["by"])}: {escape(marks[doc.key]["reason"])}'
               if doc.key in marks else "") + '</li>'
            for doc, event, ev in evidence)
        disputes = "".join(
            f'<h3>{escape(d["field"])}</h3><div class="grid">' + "".join(
                f'<div class="side"><b>{escape(side_text(d["field"], s["value"]))}</b><br>said by '
                f'{speaker_links(s["speakers"])}'
                + (f' via {speaker_links(s["via"])}' if s.get("via") else "") + '<br>in ' + ", ".join(
                    f'<a href="/app/documents/{escape(k)}">{escape(k[:16])}</a>'
                    for k in s["documents"]) + '</div>' for s in d["sides"]) + '</div>'
            for d in rec["disputes"])
        status = "".join(f'<li>{escape(s["date"] or "")}: {escape(s["status"])} by '
                         f'{speaker_link(s["speaker"])}</li>' for s in rec["status"])
        body = (f'<p>{rec["origins"]} independent origin(s); confidence <b>{rec["confidence"]}'
                f'</b></p><table>{coded}</table><h2>Reports</h2><ul>{reports}</ul>'
                + (f'<h2>Status</h2><ul>{status}</ul>' if status else "")
                + (f'<h2>Disputes</h2>{disputes}' if disputes else "")
                + review_panel(rec, who))
        return page(f'Incident {rec["id"]}: {rec["sub_event_type"]}', body)

    return r
