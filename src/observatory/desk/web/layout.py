"""Web layout: reads incident records, writes the HTML every page shares (the page shell, an SVG
map over the bundled OCHA boundaries, the timeline, the filter form, highlighted spans)."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from functools import lru_cache
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import HTMLResponse


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
mark{padding:0 .1em}mark.new{background:#2ecc71;color:#fff;border-radius:3px}mark:target{outline:3px solid #c0392b}.legend span{display:inline-block;margin-right:.8rem}
@media (max-width:700px){.grid{grid-template-columns:1fr}main{padding:.5rem}}
"""


@lru_cache(maxsize=1)
def boundaries() -> list[dict[str, Any]]:
    text = resources.files("observatory.data").joinpath("boundaries_admin1.json").read_text()
    return json.loads(text)["features"]


def _xy(lon: float, lat: float) -> tuple[float, float]:
    return ((lon - WEST) / (EAST - WEST) * WIDTH, (NORTH - lat) / (NORTH - SOUTH) * HEIGHT)


def page(title: str, body: str) -> HTMLResponse:
    nav = ('<a href="/app">Map</a><a href="/app/disputes">Disputes</a>'
           '<a href="/app/alerts">Alerts</a><a href="/docs">API</a>')
    return HTMLResponse(f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
                        f'<title>{escape(title)} · Conflict Observatory</title>'
                        f'<style>{STYLE}</style></head><body><header><nav>{nav}</nav></header>'
                        f'<main><h1>{escape(title)}</h1>{body}</main></body></html>')


def svg_map(records: list[dict[str, Any]]) -> str:
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


def timeline(records: list[dict[str, Any]], filters: dict[str, str]) -> str:
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


def filters_form(values: dict[str, str]) -> str:
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


def span_link(doc: str, span: list[int] | None, text: str) -> str:
    if not span:
        return escape(text)
    return f'<a href="/app/documents/{escape(doc)}#s{span[0]}-{span[1]}">{escape(text)}</a>'


def highlight(text: str, spans: list[tuple[int, int, str]]) -> str:
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
