"""Incident page: reads one incident, writes its coded fields each linked to the words that gave
it in the report that gave it, its reports (outlet, date, toll, sentence), status and disputes."""
from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import HTMLResponse

from observatory.desk.auth import Principal, require
from observatory.desk.web.disputes import dispute_block
from observatory.desk.web.layout import page, span_link
from observatory.desk.web.sources import speaker_link
from observatory.desk.web.review import review_panel
from observatory.record import review
from observatory.record.store import Store
from observatory.record.store.models import Document, Event, Incident
from observatory.record.store.queries import (count_text, date_text, incident_number,
                                              incident_record, incident_reports)


def _gave(incident: Incident, event: Event, field: str) -> bool:
    """Whether this report's event has the incident's value for ``field`` (so its words are
    the evidence for it)."""
    if field == "event_type":
        return event.sub_event_type == incident.sub_event_type
    if field == "date":
        return event.date_start is not None and event.date_start == incident.date_start
    if field == "location":
        return bool(event.gazetteer_id and event.gazetteer_id == incident.gazetteer_id) or (
            incident.gazetteer_id is None and event.place_name == incident.place_name
            and event.admin1 == incident.admin1)
    if field == "actor1":
        return event.actor1 is not None and event.actor1 == incident.actor1
    if field == "fatalities":
        return event.fatalities_low is not None and event.fatalities_low in (
            incident.fatalities_low, incident.fatalities_high)
    return False


def evidence_link(incident: Incident, evidence: list[tuple[Document, Event, Any]], field: str,
                  text: str) -> str:
    """``text`` linked to the words of the first report whose event gave the value, or plain
    when no report recorded words for it."""
    for doc, event, _ in evidence:
        span = event.evidence.get(field)
        if span and _gave(incident, event, field):
            outlet = doc.outlet or doc.title or doc.key
            return (f'{span_link(doc.key, span, text)} <span class="muted">in '
                    f'{escape(outlet)}: “{escape(doc.text[span[0]:span[1]][:80])}”</span>')
    return f'{escape(text)} <span class="muted">(no words recorded)</span>'


_FIELD_KEYS = {"Type": "event_type", "Date": "date", "Place": "location", "Actor": "actor1",
               "Killed": "fatalities"}


def _reviewed(rec: dict[str, Any], name: str) -> str:
    """Who reviewed a coded value, beside it; nothing when it is the machine's."""
    coded = rec.get("coded", {}).get(_FIELD_KEYS[name])
    if not coded or coded["by"] == "machine":
        return ""
    return (f' <span class="reviewed">({escape(coded["verdict"])} by '
            f'{escape(coded["by"])})</span>')


def report_item(doc: Document, event: Event, entry: dict[str, Any],
                mark: dict[str, Any] | None = None) -> str:
    published = doc.published.date().isoformat() if doc.published else "undated"
    sentence = doc.text[event.span_start:event.span_end].strip()
    toll = count_text(event.fatalities_low, event.fatalities_high)
    why = ", ".join(entry["why"]["matched"]) if entry.get("why") else ""
    return (f'<li><b>{escape(doc.outlet or "outlet not named")}</b>, {published}: '
            f'{span_link(doc.key, event.evidence.get("event_type"), doc.title or doc.key)}'
            f'<blockquote>{escape(sentence[:400])}</blockquote>'
            f'{escape(event.sub_event_type)}; killed: {toll}; origin <b>'
            f'{speaker_link(event.origin) if event.origin != doc.key else "the report"}</b>;'
            f' {event.stance}' + (f'; joined because: {escape(why)}' if why else "")
            + (f'; <b>marked {escape(mark["mark"])}</b> by {escape(mark["by"])}: '
               f'{escape(mark["reason"])}' if mark else "") + '</li>')


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
            loc = rec["location"] or {}
            place = (", ".join(p for p in (loc.get("name"), loc.get("admin2"), loc.get("admin1"))
                               if p) + f' (precision {loc.get("geo_precision")})'
                     if loc else "not stated")
            killed = count_text(rec["fatalities"]["low"], rec["fatalities"]["high"])
            fields = [("Type", f'{rec["event_type"]} / {rec["sub_event_type"]}', "event_type"),
                      ("Date", date_text(rec["date"]), "date" if rec["date"] else None),
                      ("Place", place, "location" if loc else None),
                      ("Actor", rec["actor1"] or "not stated", "actor1" if rec["actor1"] else None),
                      ("Killed", killed, "fatalities" if rec["fatalities"]["low"] is not None
                       else None)]
            coded = "".join(
                f'<tr><th>{name}</th><td>'
                + (evidence_link(found, evidence, key, value) if key else escape(value))
                + _reviewed(rec, name) + '</td></tr>' for name, value, key in fields)
            reports = "".join(report_item(doc, event, entry, marks.get(doc.key))
                              for doc, event, entry in evidence)
            disputes = "".join(dispute_block(session, d, found, heading="h3")
                               for d in found.disputes)
        status = "".join(f'<li>{escape(s["date"] or "")}: {escape(s["status"])} by '
                         f'{speaker_link(s["speaker"])}</li>' for s in rec["status"])
        body = (f'<p>{rec["origins"]} independent origin(s); confidence <b>{rec["confidence"]}'
                f'</b>. Each coded value links to the words that gave it.</p>'
                f'<table>{coded}</table><h2>Reports</h2><ul>{reports}</ul>'
                + (f'<h2>Status</h2><ul>{status}</ul>' if status else "")
                + (f'<h2>Disputes</h2>{disputes}' if disputes else "")
                + review_panel(rec, who))
        return page(f'Incident {rec["id"]}: {rec["sub_event_type"]}', body)

    return r
