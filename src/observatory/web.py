"""Web pages: reads the store, writes server-rendered HTML (an SVG map over the bundled OCHA
boundaries, a timeline, incident, dispute and document pages); no script or tile from outside."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from functools import lru_cache
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from .store import Store
from .store.models import Document, Incident
from .store.queries import (count_text, date_text, incident_number, incident_record,
                            incident_reports, incidents_query, iter_disputes, side_text)

# Syria's extent, for an equirectangular projection of the map.
WEST, EAST, SOUTH, NORTH = 35.5, 42.5, 32.2, 37.5
WIDTH, HEIGHT = 700, 530
COLOURS = {"Battles": "#c0392b", "Explosions/Remote violence": "#e67e22",
           "Violence against civilians": "#8e44ad", "Protests": "#2980b9", "Riots": "#16a085",
           "Strategic developments": "#7f8c8d"}
CONFIDENCE_STYLE = {"corroborated": "", "single-source": 'stroke-dasharray="2 2"',
                    "contested": 'stroke="#000" stroke-width="2.5"',
                    "denied": 'fill-opacity="0.15"'}
HIGHLIGHTS = {"event": "#ffe08a", "claim": "#fff3b0", "place": "#cde8ff", "date": "#d9f5d0", "actor": "#f8d7e8",
              "casualties": "#ffd6cc"}
STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1d2b36;color:#fff;padding:.6rem 1rem}header a{color:#fff;margin-right:1rem}
main{padding:1rem;max-width:1200px;margin:auto}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f1c40f}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.side{background:#fff;border:1px solid #ddd;padding:.6rem}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:.6rem}
.scroll{overflow-x:auto;max-width:100%}svg{max-width:100%;height:auto;background:#fff;border:1px solid #ddd}.doc{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;padding:1rem;border:1px solid #ddd}
mark{padding:0 .1em}mark:target{outline:3px solid #c0392b}.legend span{display:inline-block;margin-right:.8rem}
@media (max-width:700px){.grid{grid-template-columns:1fr}main{padding:.5rem}}
"""


@lru_cache(maxsize=1)
def boundaries() -> list[dict[str, Any]]:
    text = resources.files("observatory.data").joinpath("boundaries_admin1.json").read_text()
    return json.loads(text)["features"]


def _xy(lon: float, lat: float) -> tuple[float, float]:
    return ((lon - WEST) / (EAST - WEST) * WIDTH, (NORTH - lat) / (NORTH - SOUTH) * HEIGHT)


def _page(title: str, body: str) -> HTMLResponse:
    nav = ('<a href="/app">Map</a><a href="/app/disputes">Disputes</a>'
           '<a href="/docs">API</a>')
    return HTMLResponse(f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
                        f'<title>{escape(title)} · Conflict Observatory</title>'
                        f'<style>{STYLE}</style></head><body><header><nav>{nav}</nav></header>'
                        f'<main><h1>{escape(title)}</h1>{body}</main></body></html>')


def _map(records: list[dict[str, Any]]) -> str:
    shapes = []
    for f in boundaries():
        for ring in f["rings"]:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_xy(*p) for p in ring))
            shapes.append(f'<polygon points="{points}" fill="#f2f0e6" stroke="#999" '
                          f'stroke-width="0.7"><title>{escape(f["name"] or "")}</title></polygon>')
    markers = []
    for r in records:
        loc = r["location"] or {}
        if loc.get("lat") is None:
            continue
        x, y = _xy(loc["lon"], loc["lat"])
        colour = COLOURS.get(r["event_type"], "#555")
        label = (f'{r["id"]} {r["sub_event_type"]} at {loc.get("name")} '
                 f'{(r["date"] or {}).get("start", "")} ({r["confidence"]})')
        markers.append(f'<a href="/app/incidents/{r["id"]}" aria-label="{escape(label)}">'
                       f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}" '
                       f'fill-opacity="0.8" stroke="{colour}" '
                       f'{CONFIDENCE_STYLE.get(r["confidence"], "")}>'
                       f'<title>{escape(label)}</title></circle></a>')
    legend = "".join(f'<span><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" '
                     f'r="5" fill="{c}"/></svg> {escape(t)}</span>' for t, c in COLOURS.items())
    return (f'<svg id="map" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-label="Map of incidents in Syria">{"".join(shapes)}{"".join(markers)}</svg>'
            f'<p class="legend">{legend} · dashed: single source, black ring: contested, '
            f'pale: denied</p>')


def _bin_start(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _bin_end(start: date, unit: str) -> date:
    if unit == "day":
        return start
    if unit == "week":
        return start + timedelta(days=6)
    nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def _timeline(records: list[dict[str, Any]], filters: dict[str, str]) -> str:
    """Incidents per day (per week or month over long ranges), stacked by type; each bar
    narrows the map to its dates."""
    dated = [(date.fromisoformat(r["date"]["start"]), r["event_type"]) for r in records
             if r["date"]]
    if not dated:
        return ""
    first, last = min(d for d, _ in dated), max(d for d, _ in dated)
    span = (last - first).days
    unit = "day" if span <= 180 else "week" if span <= 1260 else "month"
    counts = Counter((_bin_start(d, unit), t) for d, t in dated)
    bins = []
    cursor = _bin_start(first, unit)
    while cursor <= last:
        bins.append(cursor)
        cursor = _bin_end(cursor, unit) + timedelta(days=1)
    peak = max(sum(v for (b, _), v in counts.items() if b == x) for x in bins) or 1
    step = max(3, min(12, 900 // len(bins)))
    bars = []
    for i, b in enumerate(bins):
        base = 0.0
        for etype, colour in COLOURS.items():
            n = counts.get((b, etype), 0)
            if not n:
                continue
            h = n / peak * 80
            end = _bin_end(b, unit)
            query = urlencode({**filters, "since": b.isoformat(), "until": end.isoformat()})
            label = f"{n} {etype} in the {unit} from {b.isoformat()}"
            bars.append(f'<a href="/app?{query}" aria-label="{escape(label)}">'
                        f'<rect x="{i * step}" y="{90 - base - h:.1f}" width="{step - 1}" '
                        f'height="{h:.1f}" fill="{colour}"><title>{escape(label)}</title></rect>'
                        f'</a>')
            base += h
    return (f'<svg id="timeline" viewBox="0 0 {len(bins) * step} 100" role="img" '
            f'aria-label="Incidents per {unit} from {first} to {last}">{"".join(bars)}</svg>'
            f'<p>Incidents per {unit}, {first} to {last}: choose a bar to narrow the map.</p>')


def _filters_form(values: dict[str, str]) -> str:
    def field(name: str, label: str, kind: str = "text") -> str:
        return (f'<label>{label}<br><input name="{name}" type="{kind}" '
                f'value="{escape(values.get(name, ""))}"></label>')
    confidence = "".join(f'<option{" selected" if values.get("confidence") == c else ""}>{c}'
                         f'</option>' for c in ("", "single-source", "corroborated",
                                                "contested", "denied"))
    disputed = "".join(f'<option{" selected" if values.get("has_dispute") == v else ""}>{v}'
                       f'</option>' for v in ("", "yes", "no"))
    return (f'<form class="filters" method="get" action="/app">{field("since", "From", "date")}'
            f'{field("until", "To", "date")}{field("admin1", "Governorate")}'
            f'{field("admin2", "District")}{field("type", "Type")}{field("actor", "Actor")}'
            f'{field("bbox", "Box (W,S,E,N)")}<label>Confidence<br><select name="confidence">'
            f'{confidence}</select></label><label>Disputed<br><select name="has_dispute">'
            f'{disputed}</select></label><button type="submit">Filter</button>'
            f'<a href="/app">Clear</a></form>')


def _span_link(doc: str, span: list[int] | None, text: str) -> str:
    if not span:
        return escape(text)
    return f'<a href="/app/documents/{escape(doc)}#s{span[0]}-{span[1]}">{escape(text)}</a>'


def router(store: Store) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/app", response_class=HTMLResponse)
    def overview(since: date | None = None, until: date | None = None,
                 admin1: str | None = None, admin2: str | None = None,
                 event_type: str | None = Query(None, alias="type"), actor: str | None = None,
                 confidence: str | None = None, has_dispute: str | None = None,
                 bbox: str | None = None) -> HTMLResponse:
        """The map, the timeline and the list, with the API's filters."""
        from .api import parse_bbox

        values = {k: str(v) for k, v in (("since", since), ("until", until), ("admin1", admin1),
                                         ("admin2", admin2), ("type", event_type),
                                         ("actor", actor), ("confidence", confidence),
                                         ("has_dispute", has_dispute), ("bbox", bbox)) if v}
        disputed = {"yes": True, "no": False}.get(has_dispute or "")
        query = incidents_query(since=since, until=until, admin1=admin1 or None,
                                admin2=admin2 or None, event_type=event_type or None,
                                actor=actor or None, confidence=confidence or None,
                                has_dispute=disputed, bbox=parse_bbox(bbox or None))
        with store.session() as session:
            records = [incident_record(session, i) for i in session.scalars(query.limit(2000))]
        rows = "".join(
            f'<tr><td><a href="/app/incidents/{x["id"]}">{x["id"]}</a></td>'
            f'<td>{(x["date"] or {}).get("start", "")}</td><td>{escape(x["sub_event_type"])}</td>'
            f'<td>{escape((x["location"] or {}).get("name") or "")}</td>'
            f'<td>{escape(x["actor1"] or "")}</td><td>{x["origins"]}</td>'
            f'<td>{x["confidence"]}</td><td>{", ".join(d["field"] for d in x["disputes"])}</td></tr>'
            for x in records)
        body = (_filters_form(values) + _map(records) + _timeline(records, values) +
                f'<h2>{len(records)} incidents</h2><div class="scroll"><table><thead><tr><th>id</th><th>date</th>'
                f'<th>type</th><th>place</th><th>actor</th><th>origins</th><th>confidence</th>'
                f'<th>disputes</th></tr></thead><tbody>{rows}</tbody></table></div>')
        return _page("Incidents", body)

    @r.get("/app/incidents/{incident_id}", response_class=HTMLResponse)
    def incident_page(incident_id: str) -> HTMLResponse:
        number = incident_number(incident_id)
        with store.session() as session:
            found = session.get(Incident, number) if number is not None else None
            if found is None:
                raise HTTPException(404, f"no incident {incident_id}")
            rec = incident_record(session, found)
            evidence = incident_reports(session, rec)
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
        coded = "".join(f'<tr><th>{name}</th><td>{_span_link(doc0.key, ev_spans.get(key), value)}'
                        f'</td></tr>' for name, value, key in fields)
        reports = "".join(
            f'<li>{_span_link(doc.key, event.evidence.get("event_type"), doc.title or doc.key)}'
            f' — {escape(doc.outlet or "")}; origin <b>{escape(event.origin)}</b>; '
            f'{event.stance}; joined because: {escape(", ".join(ev["why"]["matched"]))}</li>'
            for doc, event, ev in evidence)
        disputes = "".join(
            f'<h3>{escape(d["field"])}</h3><div class="grid">' + "".join(
                f'<div class="side"><b>{escape(side_text(d["field"], s["value"]))}</b><br>said by '
                f'{escape(", ".join(s["speakers"]))}<br>in ' + ", ".join(
                    f'<a href="/app/documents/{escape(k)}">{escape(k[:16])}</a>'
                    for k in s["documents"]) + '</div>' for s in d["sides"]) + '</div>'
            for d in rec["disputes"])
        status = "".join(f'<li>{escape(s["date"] or "")}: {escape(s["status"])} by '
                         f'{escape(s["speaker"])}</li>' for s in rec["status"])
        body = (f'<p>{rec["origins"]} independent origin(s); confidence <b>{rec["confidence"]}'
                f'</b></p><table>{coded}</table><h2>Reports</h2><ul>{reports}</ul>'
                + (f'<h2>Status</h2><ul>{status}</ul>' if status else "")
                + (f'<h2>Disputes</h2>{disputes}' if disputes else ""))
        return _page(f'Incident {rec["id"]}: {rec["sub_event_type"]}', body)

    @r.get("/app/disputes", response_class=HTMLResponse)
    def disputes_page() -> HTMLResponse:
        with store.session() as session:
            items = list(iter_disputes(session))
            keys = {k for d in items for s in d["sides"] for k in s["documents"]}
            about = {d.key: (d.outlet or d.origin, d.published.date().isoformat()
                             if d.published else "undated")
                     for d in session.scalars(select(Document).where(Document.key.in_(keys)))}

        def reports(keys: list[str]) -> str:
            return "; ".join(f'<a href="/app/documents/{escape(k)}">{escape(about[k][0][:40])}'
                             f'</a> ({about[k][1]})' for k in keys if k in about)
        blocks = "".join(
            f'<section><h2><a href="/app/incidents/{d["incident"]}">{d["incident"]}</a> '
            f'{escape((d["date"] or {}).get("start", ""))} — {escape(d["about"])} at '
            f'{escape(d["place"] or "")}: {escape(d["field"])}</h2><div class="grid">' + "".join(
                f'<div class="side"><b>{escape(side_text(d["field"], s["value"]))}</b><br>said by '
                f'{escape(", ".join(s["speakers"]))}<br>in {reports(s["documents"])}'
                f'</div>' for s in d["sides"]) + '</div></section>' for d in items)
        return _page("Disputes between sources", blocks or "<p>No disputes.</p>")

    @r.get("/app/documents/{key}", response_class=HTMLResponse)
    def document_page(key: str) -> HTMLResponse:
        with store.session() as session:
            doc = session.scalar(select(Document).where(Document.key == key))
            if doc is None:
                raise HTTPException(404, f"no document {key}")
            spans: list[tuple[int, int, str]] = [(c.span_start, c.span_end, "claim")
                                                 for c in doc.claims]
            kinds = {"event_type": "event", "location": "place", "date": "date",
                     "actor1": "actor", "actor2": "actor", "fatalities": "casualties",
                     "injured": "casualties"}
            for e in doc.events:
                for field, span in e.evidence.items():
                    if field in kinds:
                        spans.append((span[0], span[1], kinds[field]))
            text, title = doc.text, doc.title or doc.key
        body = _highlight(text, spans)
        legend = "".join(f'<span><mark style="background:{c}">{k}</mark></span>'
                         for k, c in HIGHLIGHTS.items())
        return _page(title, f'<p class="legend">{legend}</p><div class="doc">{body}</div>')

    return r


def _highlight(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Mark every span, nested ones included: between two boundaries, each span covering the
    piece opens its mark (with its anchor id where the span starts) and closes it again."""
    spans = sorted({(a, b, k) for a, b, k in spans if 0 <= a < b <= len(text)},
                   key=lambda s: (s[0], -s[1]))
    cuts = sorted({0, len(text)} | {a for a, _, _ in spans} | {b for _, b, _ in spans})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in spans if s[0] <= a < s[1]]
        opening = "".join(
            f'<mark{f" id=s{s0}-{s1}" if s0 == a else ""} class="{k}" '
            f'style="background:{HIGHLIGHTS[k]}" title="{k}">' for s0, s1, k in active)
        out.append(opening + escape(text[a:b]) + "</mark>" * len(active))
    return "".join(out)
