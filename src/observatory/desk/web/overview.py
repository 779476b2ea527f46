"""Overview page: reads filters, search words and the store, writes the incidents page (search
and filter form, facets with counts, the map, the timeline, a sorted and paged list, export
links) and the map's data (points, boundaries with label positions) as JSON."""
from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.orm import selectinload

from observatory.desk.api.common import CONFIDENCE, filter_params, read_filters
from observatory.desk.web.alerts import NEW, new_note, since_param, visit
from observatory.desk.web.layout import COLOURS, boundaries, page, pager
from observatory.record.search import search
from observatory.record.store import Store
from observatory.record.store.browse import Summaries, map_points, total
from observatory.record.store.models import Incident
from observatory.record.store.queries import SORTS, count_text, incidents_query

PER_PAGE = 50
SORT_NAMES = {"-date": "newest first", "date": "oldest first", "-fatalities": "most killed",
              "-origins": "most independent origins", "confidence": "most confident"}
FACET_NAMES = {"admin1": "Governorate", "admin2": "District", "type": "Type", "actor": "Actor",
               "source": "Outlet", "confidence": "Confidence", "has_dispute": "Disputed"}
HEAD = ('<link rel="stylesheet" href="/static/leaflet/leaflet.css">'
        '<link rel="stylesheet" href="/static/markercluster/MarkerCluster.css">'
        '<link rel="stylesheet" href="/static/markercluster/MarkerCluster.Default.css">'
        '<script defer src="/static/leaflet/leaflet.js"></script>'
        '<script defer src="/static/markercluster/leaflet.markercluster.js"></script>'
        '<script defer src="/static/desk.js"></script>')


def _href(params: dict[str, str], **change: Any) -> str:
    merged = {k: v for k, v in {**params, **change}.items() if v not in (None, "")}
    return "/app?" + urlencode(merged) if merged else "/app"


def search_form(params: dict[str, str], sort: str) -> str:
    def field(name: str, label: str, kind: str = "text", hint: str = "") -> str:
        return (f'<label>{label}<br><input name="{name}" type="{kind}" '
                f'value="{escape(params.get(name, ""))}"{hint}></label>')

    def select(name: str, label: str, options: list[tuple[str, str]],
               chosen: str | None = None) -> str:
        chosen = params.get(name, "") if chosen is None else chosen
        opts = "".join(f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>'
                       f'{escape(t)}</option>' for v, t in options)
        return f'<label>{label}<br><select name="{name}">{opts}</select></label>'
    governorates = [("", "any")] + sorted((f["name"], f["name"]) for f in boundaries() if f["name"])
    return ('<form class="filters" method="get" action="/app" role="search">'
            + field("q", "Search", "search", ' placeholder="place, actor, outlet, words"')
            + f'{select("admin1", "Governorate", governorates)}{field("admin2", "District")}'
            f'{field("since", "From", "date")}{field("until", "To", "date")}'
            f'{field("type", "Type")}{field("actor", "Actor")}{field("source", "Outlet")}'
            + select("confidence", "Confidence", [("", "any")] + [(c, c) for c in CONFIDENCE])
            + select("has_dispute", "Disputed", [("", "any"), ("yes", "yes"), ("no", "no")])
            + (f'<input type="hidden" name="bbox" value="{escape(params["bbox"])}">'
               if "bbox" in params else "")
            + select("sort", "Order", [(k, SORT_NAMES[k]) for k in SORTS], sort)
            + '<button type="submit">Search</button><a href="/app">Clear</a></form>')


def facet_lists(params: dict[str, str], counts: dict[str, list[tuple[str, int]]], sort: str
                ) -> str:
    blocks = []
    for name, values in counts.items():
        if not values:
            continue
        items = "".join(
            f'<li><a href="{escape(_href(params, **{name: v}, sort=sort))}">{escape(str(v))}</a>'
            f'<span class="n">{c:,}</span></li>' for v, c in values)
        blocks.append(f'<h3>{FACET_NAMES[name]}</h3><ul>{items}</ul>')
    return f'<aside class="facets" aria-label="Refine">{"".join(blocks)}</aside>'


def chips(params: dict[str, str], sort: str) -> str:
    if not params:
        return ""
    links = "".join(f'<a href="{escape(_href(params, **{k: None}, sort=sort))}" '
                    f'aria-label="remove {k} {escape(v)}">{escape(k)}: {escape(v)} ✕</a>'
                    for k, v in params.items())
    return f'<p class="chips">{links}</p>'


def timeline_html(data: dict[str, Any], params: dict[str, str], sort: str) -> str:
    """Bars of incidents (and below them, fatalities) per bin under a date axis; each bar
    narrows the whole view to its dates."""
    bins = data["bins"]
    if not bins:
        return ""
    peak = max(b["incidents"] for b in bins) or 1
    peak_killed = max(b["fatalities"] for b in bins) or 1
    unit = data["unit"]
    bars, killed = [], []
    for b in bins:
        label = (f'{b["incidents"]} incidents, {b["fatalities"]} killed, '
                 f'{unit} of {b["start"].isoformat()}')
        bars.append(f'<a href="{escape(_href(params, since=b["start"].isoformat(), until=b["end"].isoformat(), sort=sort))}" '
                    f'style="height:{b["incidents"] / peak * 100:.1f}%" title="{label}" '
                    f'aria-label="{label}"></a>')
        killed.append(f'<span style="height:{b["fatalities"] / peak_killed * 100:.1f}%"></span>')
    first, last = bins[0]["start"], bins[-1]["end"]
    span = (last - first).days + 1
    ticks = []
    years = range(first.year, last.year + 1)
    if len(years) > 1:
        marks = [(f"{y}", (max(first, first.replace(year=y, month=1, day=1)) - first).days)
                 for y in years]
    else:
        marks = [(first.replace(month=m, day=1).strftime("%b %Y"),
                  (first.replace(month=m, day=1) - first).days)
                 for m in range(first.month, last.month + 1)]
    for text, offset in marks:
        if 0 <= offset < span:
            # A label at the very left edge is not centred on its tick, or it would be cut.
            edge = ' class="edge"' if offset / span < 0.04 else ""
            ticks.append(f'<span{edge} style="left:{offset / span * 100:.1f}%">{text}</span>')
    note = (f' {data["background"]} incident(s) dated years before their reports are background'
            f' and not shown.' if data["background"] else "")
    return (f'<section aria-label="Timeline"><h2>Timeline</h2>'
            f'<div class="tl"><b class="peak">{peak:,}</b>{"".join(bars)}</div>'
            f'<div class="axis" aria-hidden="true">{"".join(ticks)}</div>'
            f'<div class="tlk" aria-hidden="true"><b class="peak">{peak_killed:,}</b>'
            f'{"".join(killed)}</div>'
            f'<p class="muted">Incidents per {unit} (bars) and people killed (red, below), '
            f'{first.isoformat()} to {last.isoformat()}; choose a bar to narrow the view to '
            f'its dates. Only incidents dated to the day or week are drawn.{note}</p></section>')


def legend() -> str:
    dots = "".join(f'<span><i class="pin" style="display:inline-block;width:12px;height:12px;'
                   f'background:{c}"></i> {escape(t)}</span>' for t, c in COLOURS.items())
    # The sizes desk.js gives markers for 0, 10 and 100 killed.
    sizes = "".join(f'<i class="pin" style="display:inline-block;vertical-align:middle;width:{px}px;'
                    f'height:{px}px;background:#999"></i> {n} ' for n, px in ((0, 12), (10, 22),
                                                                               (100, 32)))
    return (f'<p class="legend">{dots}<span>Killed: {sizes}</span>'
            f'<span>Numbers: incidents clustered together; zoom or click to split.</span></p>')


def elsewhere(found: dict[str, list], words: str) -> str:
    """What the search words also find: reports and the speakers of matching claims."""
    if not (found["documents"] or found["sources"]):
        return ""
    docs = "".join(f'<li><a href="/app/documents/{escape(d["id"])}">{escape(d["title"] or d["id"])}'
                   f'</a> <span class="muted">{escape(d["outlet"] or "")} '
                   f'{d["published"] or ""}</span></li>' for d in found["documents"])
    speakers = ", ".join(f'{escape(s["name"])} ({s["claims"]})' for s in found["sources"][:15])
    return (f'<section aria-label="Reports and sources"><h2>“{escape(words)}” in reports and '
            f'claims</h2><ul>{docs}</ul>'
            + (f'<p>Speakers of matching claims: {speakers}</p>' if speakers else "")
            + '</section>')


def rows_html(rows: list[Incident], marker: datetime | None = None) -> str:
    out = []
    for i in rows:
        when = i.date_start.isoformat() if i.date_start else ""
        place = ", ".join(p for p in (i.place_name, i.admin2, i.admin1) if p)
        disputes = ", ".join(d.field for d in i.disputes)
        new = NEW if marker is not None and i.updated_at > marker else ""
        out.append(f'<tr><td>{new}<a href="/app/incidents/i{i.id}">i{i.id}</a></td><td>{when}</td>'
                   f'<td>{escape(i.sub_event_type)}</td><td>{escape(place)}</td>'
                   f'<td>{escape(i.actor1 or "")}</td>'
                   f'<td>{count_text(i.fatalities_low, i.fatalities_high)}</td>'
                   f'<td>{i.origins}</td><td>{i.confidence}</td><td>{disputes}</td></tr>')
    return "".join(out)


def router(store: Store, *, views: Summaries) -> APIRouter:
    """The pages' routes; ``views``: the app's kept counts of each view."""
    r = APIRouter(include_in_schema=False)

    @r.get("/app", response_class=HTMLResponse)
    def overview(request: Request) -> HTMLResponse:
        """Search, facets, map, timeline and a paged list; every view is its own URL."""
        query_values = request.query_params
        params = filter_params(query_values)
        sort = query_values.get("sort") if query_values.get("sort") in SORTS else "-date"
        page_text = query_values.get("page", "1")
        page_no = int(page_text) if page_text.isdigit() and 0 < len(page_text) < 7 else 1
        try:
            chosen = read_filters(query_values)
        except ValueError as exc:
            body = (search_form(params, sort) + f'<p role="alert">{escape(str(exc))}. '
                    f'<a href="/app">Start again</a></p>')
            response = page("Incidents", body)
            response.status_code = 400
            return response
        marker = visit(store, "incidents", new_since=since_param(query_values.get("new_since")))
        with store.session() as session:
            fresh = 0 if marker is None else total(session, chosen, changed_after=marker)
            summary = views.of(session, chosen)
            count = summary["total"]
            pages = max(1, -(-count // PER_PAGE))
            page_no = min(page_no, pages)
            rows = list(session.scalars(
                incidents_query(**chosen, sort=sort).options(selectinload(Incident.disputes))
                .offset((page_no - 1) * PER_PAGE).limit(PER_PAGE)))
            counts, bins = summary["facets"], summary["timeline"]
            found = search(session, chosen["q"], limit=10) if "q" in chosen else None
        view = {**params, "sort": sort} if sort != "-date" else dict(params)
        exports = " ".join(f'<a class="button" href="/export.{fmt}?{escape(urlencode(params))}" '
                           f'download>{name}</a>' for fmt, name in
                           (("csv", "Export CSV"), ("geojson", "GeoJSON"), ("jsonl", "JSON Lines")))
        first = (page_no - 1) * PER_PAGE + 1 if count else 0
        shown = (f'{first:,}–{first + len(rows) - 1:,} of {count:,} incidents' if rows
                 else "No incidents match.")
        points = "/app/map.json?" + urlencode(params)
        body = (search_form(params, sort) + chips(params, sort)
                + '<div class="layout">' + facet_lists(params, counts, sort)
                + '<div>'
                + f'<div id="map" data-points="{escape(points)}"{" data-fit" if params else ""} '
                  f'data-boundaries="/app/boundaries.json" role="region" '
                  f'aria-label="Map of the incidents listed"></div>'
                + '<noscript><p>The map needs JavaScript; the list below has every incident.'
                  '</p></noscript>' + legend()
                + timeline_html(bins, params, sort)
                + f'<section id="results" tabindex="-1" aria-label="Incidents">'
                  f'<h2>{shown}</h2>{new_note(fresh, marker)}<p class="exports">{exports}</p>'
                + pager(view, page_no, pages, "/app")
                + '<div class="scroll" id="list" tabindex="-1"><table><thead><tr><th>id</th><th>date</th><th>type</th>'
                  '<th>place</th><th>actor</th><th>killed</th><th>origins</th>'
                  '<th>confidence</th><th>disputes</th></tr></thead>'
                + f'<tbody>{rows_html(rows, marker)}</tbody></table></div>'
                + pager(view, page_no, pages, "/app") + '</section>'
                + (elsewhere(found, params["q"]) if found else "") + '</div></div>')
        return page("Incidents", body, head=HEAD, skip="list")

    @r.get("/app/map.json")
    def map_json(request: Request) -> JSONResponse:
        """The filtered incidents' places for the map's script (browse.map_points)."""
        try:
            chosen = read_filters(request.query_params)
        except ValueError as exc:
            return JSONResponse({"detail": str(exc)}, 422)
        with store.session() as session:
            points = map_points(session, chosen)
        return JSONResponse({"colours": COLOURS, **points})

    @r.get("/app/boundaries.json")
    def boundaries_json() -> JSONResponse:
        """Governorate and district outlines with a label position each (cached a day)."""
        return JSONResponse(_outlines(), headers={"Cache-Control": "max-age=86400"})

    return r


def _label_point(rings: list[list[list[float]]]) -> list[float]:
    """The centre of the largest ring's vertices: inside enough for a label."""
    ring = max(rings, key=len)
    return [round(sum(p[1] for p in ring) / len(ring), 3), round(sum(p[0] for p in ring) / len(ring), 3)]


def _outlines() -> dict[str, Any]:
    return {level: [{"name": f["name"], "rings": f["rings"], "label": _label_point(f["rings"])}
                    for f in boundaries(n) if f["rings"]]
            for level, n in (("admin1", 1), ("admin2", 2))}
