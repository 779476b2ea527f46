"""Browse: reads filters and the store, writes what a list of incidents needs around it: the
total, facet counts, timeline bins (background dates left out) and compact map points."""
from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from threading import Lock
from typing import Any

from sqlalchemy import Integer, String, cast, func, literal, null, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from observatory.record.store.models import (Claim, Document, Event, Incident, IncidentDispute,
                                             IncidentEvent, IncidentBackground, IncidentOutlet)
from observatory.record.store.queries import incidents_query

FACETS = ("admin1", "admin2", "type", "actor", "source", "confidence", "has_dispute")


def _ids(filters: dict[str, Any]):
    return incidents_query(**filters).order_by(None).with_only_columns(Incident.id)


def _filtered(filters: dict[str, Any], *columns):
    """The filters' query selecting ``columns`` instead of incidents: their conditions apply
    to the incidents table directly (an IN over all ids is far slower on a large store)."""
    return incidents_query(**filters).order_by(None).with_only_columns(*columns)


def total(session: Session, filters: dict[str, Any], *, changed_after: datetime | None = None
          ) -> int:
    """How many incidents the filters select (of them, how many changed after a time)."""
    # count(*), not count(id): SQLite then counts index entries without reading their ids.
    query = _filtered(filters, func.count()).select_from(Incident)
    if changed_after is not None:
        # Usually nothing changed: the update time's index says so without the filters' work.
        if session.scalar(select(Incident.id).where(Incident.updated_at > changed_after)
                          .limit(1)) is None:
            return 0
        query = query.where(Incident.updated_at > changed_after)
    return session.scalar(query) or 0


def facets(session: Session, filters: dict[str, Any], *, limit: int = 12
           ) -> dict[str, list[tuple[str, int]]]:
    """For each facet, its values among the filtered incidents with their counts, commonest
    first (at most ``limit``)."""
    out: dict[str, list[tuple[str, int]]] = {}
    columns = {"admin1": Incident.admin1, "admin2": Incident.admin2,
               "type": Incident.sub_event_type, "actor": Incident.actor1,
               "confidence": Incident.confidence}
    n = func.count(Incident.id)
    for name, col in columns.items():
        rows = session.execute(_filtered(filters, col, n).where(col.is_not(None)).group_by(col)
                               .order_by(n.desc(), col).limit(limit)).all()
        out[name] = [(v, c) for v, c in rows]
    # Unfiltered, the outlets' own index answers without reading an incident.
    n = func.count(IncidentOutlet.incident_id)
    outlets = (_filtered(filters, IncidentOutlet.outlet, n).select_from(Incident)
               .join(IncidentOutlet, IncidentOutlet.incident_id == Incident.id) if filters
               else select(IncidentOutlet.outlet, n))
    rows = session.execute(outlets.group_by(IncidentOutlet.outlet)
                           .order_by(n.desc(), IncidentOutlet.outlet).limit(limit)).all()
    out["source"] = [(v, c) for v, c in rows]
    disputed = session.scalar(_filtered(filters, func.count(func.distinct(Incident.id)))
                              .join(IncidentDispute, IncidentDispute.incident_id == Incident.id)
                              ) or 0
    everything = total(session, filters)
    out["has_dispute"] = [(v, c) for v, c in (("yes", disputed), ("no", everything - disputed))
                          if c]
    return out


class unindexed(FunctionElement):
    """A column SQLite must read from the rows, not through an index (its unary plus);
    the column itself elsewhere."""

    inherit_cache = True

    def __init__(self, column) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _column(element: unindexed, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unindexed_column(element: unindexed, compiler, **kw) -> str:
    return "+" + compiler.process(element.clauses, **kw)


def timeline(session: Session, filters: dict[str, Any]) -> dict[str, Any]:
    """Incidents and fatalities per day (per week past 180 days, per month past 3 years) over
    the span of the dated incidents that are news, not background. Only incidents dated to
    the day or week are drawn."""
    drawn = Incident.date_precision.in_(("day", "week"))
    # Every row is read: in table order, not through the dates' index (a look-up per row,
    # three times slower on SQLite, which picks the index for the grouping).
    day = unindexed(Incident.date_start)
    per_day = (day, func.count(Incident.id), func.sum(func.coalesce(Incident.fatalities_low, 0)))
    rows = session.execute(_filtered(filters, *per_day)
                           .where(drawn, day.is_not(None)).group_by(day)).all()
    # Background incidents are few: count them apart (read from their own table, not found
    # among all incidents) and take them out of their days.
    left_out = session.execute(_filtered(filters, *per_day)
                               .where(Incident.id.in_(select(IncidentBackground.incident_id)),
                                      drawn).group_by(Incident.date_start)).all()
    return _timeline(rows, left_out, filters.get("since"))


def _timeline(rows: list, left_out: list, since: date | None) -> dict[str, Any]:
    """Timeline bins from (day, incidents, killed) rows and those rows of the background."""
    background = sum(n for _, n, _ in left_out)
    minus = {d: (n, f) for d, n, f in left_out}
    rows = [(d, n - minus.get(d, (0, 0))[0], (f or 0) - (minus.get(d, (0, 0))[1] or 0))
            for d, n, f in rows if n > minus.get(d, (0, 0))[0]]
    # A week-long date may start before the view's first day: draw it from that day.
    dated = [(max(d, since) if since else d, n, f or 0) for d, n, f in rows]
    if not dated:
        return {"unit": "day", "bins": [], "background": background}
    start, end = min(d for d, _, _ in dated), max(d for d, _, _ in dated)
    span = (end - start).days
    unit = "day" if span <= 180 else "week" if span <= 1100 else "month"
    counts: Counter[date] = Counter()
    killed: Counter[date] = Counter()
    for d, n, f in dated:
        b = bin_start(d, unit)
        counts[b] += n
        killed[b] += f
    bins = []
    cursor = bin_start(start, unit)
    while cursor <= end:
        bins.append({"start": cursor, "end": bin_end(cursor, unit), "incidents": counts[cursor],
                     "fatalities": killed[cursor]})
        cursor = bin_end(cursor, unit) + timedelta(days=1)
    return {"unit": unit, "bins": bins, "background": background}


def bin_start(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def bin_end(start: date, unit: str) -> date:
    if unit == "day":
        return start
    if unit == "week":
        return start + timedelta(days=6)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def map_points(session: Session, filters: dict[str, Any]) -> dict[str, Any]:
    """Every placed incident among the filtered, newest first, compact for the map's script
    (each repeated text sent once): ``points`` are [incident number, lat, lon, kind,
    fatalities, place, day, confidence], where kind, place and confidence index the lists
    ``kinds`` ([event type, sub-event type]), ``places`` and ``confidences``, and day counts
    the days from ``first_day`` (null when undated); coordinates to 4 decimals (about 10 m)."""
    rows = session.execute(_filtered(filters, Incident.id, Incident.lat, Incident.lon,
                                     Incident.event_type, Incident.sub_event_type,
                                     Incident.fatalities_low, Incident.place_name,
                                     Incident.date_start, Incident.confidence)
                           .where(Incident.lat.is_not(None))
                           .order_by(Incident.date_start.desc().nulls_last(), Incident.id)).all()
    # Newest first, undated last: the oldest date is the last dated row's.
    first = next((r[7] for r in reversed(rows) if r[7] is not None), None)
    kinds: dict[tuple[str, str], int] = {}
    places: dict[str, int] = {}
    confidences: dict[str, int] = {}
    points = [[i, round(lat, 4), round(lon, 4), kinds.setdefault((t, s), len(kinds)), f or 0,
               places.setdefault(p or "", len(places)), (d - first).days if d else None,
               confidences.setdefault(c, len(confidences))]
              for i, lat, lon, t, s, f, p, d, c in rows]
    return {"first_day": first.isoformat() if first else None, "kinds": list(kinds),
            "places": list(places), "confidences": list(confidences), "points": points}


def disputes_query(*, field: str | None = None, **filters: Any):
    """Disagreements (with their incident) on the incidents the filters select, newest first."""
    query = (select(IncidentDispute, Incident).join(Incident)
             .where(Incident.id.in_(_ids(filters)))
             .order_by(Incident.date_start.desc().nulls_last(), IncidentDispute.id))
    if field:
        query = query.where(IncidentDispute.field == field)
    return query


def side_quotes(session: Session, incident_id: int, side: dict[str, Any], field: str,
                *, limit: int = 3) -> list[dict[str, Any]]:
    """The words behind one side of a dispute: in each of its reports, the claims of its
    speakers on this incident, else the words that gave the disputed value, else the
    sentence the event came from."""
    rows = session.execute(select(Event, Document)
                           .join(IncidentEvent, IncidentEvent.event_id == Event.id)
                           .join(Document, Document.id == Event.document_id)
                           .where(IncidentEvent.incident_id == incident_id,
                                  Document.key.in_(side["documents"]))).all()
    quotes: list[dict[str, Any]] = []
    for event, doc in rows:
        published = doc.published.date().isoformat() if doc.published else "undated"
        claims = [c for c in doc.claims if c.key in (event.claim_keys or [])
                  and c.speaker in side["speakers"]]
        if claims:
            quotes += [{"document": doc.key, "outlet": doc.outlet, "published": published,
                        "speaker": c.speaker,
                        "text": doc.text[c.span_start:c.span_end],
                        "span": [c.span_start, c.span_end]} for c in claims]
            continue
        span = event.evidence.get(field) or [event.span_start, event.span_end]
        start = doc.text.rfind(". ", 0, span[0]) + 1 if field != "occurred" else event.span_start
        end = doc.text.find(". ", span[1])
        start, end = max(start, event.span_start), end + 1 if end != -1 else len(doc.text)
        quotes.append({"document": doc.key, "outlet": doc.outlet, "published": published,
                       "speaker": doc.outlet or doc.key, "text": doc.text[start:end].strip(),
                       "span": span})
    return quotes[:limit]


_COLUMNS = {"admin1": "admin1", "admin2": "admin2", "type": "sub_event_type", "actor": "actor1",
            "confidence": "confidence"}


def summary(session: Session, filters: dict[str, Any], *, limit: int = 12) -> dict[str, Any]:
    """The total, facets (as ``facets``) and timeline (as ``timeline``) of a view.

    Unfiltered, each count reads its own index. Filtered, one statement: the incidents are
    selected once (a CTE, which both databases materialise as it is read more than once) and
    every count reads them, so a search's full-text matching runs once, not once a count."""
    if not filters:
        return {"total": total(session, filters), "facets": facets(session, filters, limit=limit),
                "timeline": timeline(session, filters)}
    hits = _filtered(filters, Incident.id, *(getattr(Incident, c) for c in _COLUMNS.values()),
                     Incident.date_start, Incident.date_precision,
                     Incident.fatalities_low).cte("hits")
    n, nothing = func.count(), cast(null(), Integer)
    parts = [select(literal(name), cast(hits.c[col], String), n, nothing)
             .where(hits.c[col].is_not(None)).group_by(hits.c[col])
             for name, col in _COLUMNS.items()]
    parts.append(select(literal("source"), IncidentOutlet.outlet, n, nothing)
                 .select_from(hits).join(IncidentOutlet, IncidentOutlet.incident_id == hits.c.id)
                 .group_by(IncidentOutlet.outlet))
    parts.append(select(literal("disputed"), cast(null(), String),
                        func.count(func.distinct(hits.c.id)), nothing)
                 .select_from(hits).join(IncidentDispute, IncidentDispute.incident_id == hits.c.id))
    parts.append(select(literal("total"), cast(null(), String), n, nothing).select_from(hits))
    per_day = (cast(hits.c.date_start, String), n,
               cast(func.sum(func.coalesce(hits.c.fatalities_low, 0)), Integer))
    drawn = hits.c.date_precision.in_(("day", "week"))
    parts.append(select(literal("day"), *per_day)
                 .where(drawn, hits.c.date_start.is_not(None)).group_by(hits.c.date_start))
    parts.append(select(literal("background"), *per_day).select_from(hits)
                 .join(IncidentBackground, IncidentBackground.incident_id == hits.c.id)
                 .where(drawn).group_by(hits.c.date_start))
    counts: dict[str, list] = {name: [] for name in FACETS}
    days: dict[str, list] = {"day": [], "background": []}
    found = {"disputed": 0, "total": 0}
    for kind, value, count, killed in session.execute(union_all(*parts)):
        if kind in days:
            days[kind].append((date.fromisoformat(value), count, killed))
        elif kind in found:
            found[kind] = count
        else:
            counts[kind].append((value, count))
    out = {name: sorted(values, key=lambda v: (-v[1], v[0]))[:limit]
           for name, values in counts.items()}
    disputed, everything = found["disputed"], found["total"]
    out["has_dispute"] = [(v, c) for v, c in (("yes", disputed), ("no", everything - disputed))
                          if c]
    return {"total": everything, "facets": out,
            "timeline": _timeline(days["day"], days["background"], filters.get("since"))}


def change_key(session: Session) -> tuple:
    """A key that changes whenever the store's records do, read from indexes: the incidents'
    count, newest id and latest update (a merge deletes one incident and updates the other, a
    review updates one) and the newest report and claim (they are only ever added)."""
    # Each value its own subquery: SQLite answers a lone max() from its index, but a count
    # beside it makes it scan every row. One statement: every read asks for the key.
    values = (func.count(), func.max(Incident.id), func.max(Incident.updated_at))
    return tuple(session.execute(select(
        *(select(v).select_from(Incident).scalar_subquery() for v in values),
        select(func.max(Document.id)).scalar_subquery(),
        select(func.max(Claim.id)).scalar_subquery())).one())


class Summaries:
    """The total, facets and timeline of recent views (or what ``make`` reads of them, such as
    their total alone), kept while the store is unchanged (the same change_key): on a large
    store they cost far more than a page of rows, and analysts come back to the same views,
    page after page. Requests (and the server's warming at start) share them: a view being
    computed is waited for, not computed twice."""

    def __init__(self, *, size: int = 64,
                 make: Callable[[Session, dict[str, Any]], Any] = summary) -> None:
        self._size = size
        self._make = make
        self._kept: OrderedDict[tuple, Any] = OrderedDict()
        self._guard = Lock()
        self._computing: dict[tuple, Lock] = {}

    def of(self, session: Session, filters: dict[str, Any]) -> Any:
        key = (repr(sorted(filters.items())), change_key(session))
        with self._guard:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
            computing = self._computing.setdefault(key, Lock())
        with computing:
            with self._guard:
                if key in self._kept:
                    return self._kept[key]
            try:
                found = self._make(session, filters)
                with self._guard:
                    self._kept[key] = found
                    if len(self._kept) > self._size:
                        self._kept.popitem(last=False)
            finally:
                with self._guard:
                    self._computing.pop(key, None)
        return found
