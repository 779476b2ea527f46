"""Sources: reads the store's claims, event voices and incidents with the sources dictionary,
writes source records: speakers and outlets with type, aliases, claims and how they held up."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from threading import Lock
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observatory.coding.nlp import Source
from observatory.record.store.models import Claim, Document, Event, IncidentDispute, IncidentEvent


def source_id(name: str) -> str:
    """'Syrian Observatory for Human Rights' -> 'syrian-observatory-for-human-rights'."""
    return re.sub(r"[^\w]+", "-", name.lower()).strip("-") or "source"


@dataclass
class _Tally:
    name: str
    type: str | None = None
    known: bool = False
    affiliation: str | None = None
    aliases: dict[str, None] = field(default_factory=dict)
    claims: list[tuple[str, str]] = field(default_factory=list)  # (document, claim key)
    denials: int = 0
    documents: set[str] = field(default_factory=set)
    incidents: set[int] = field(default_factory=set)
    contradicted: set[tuple[str, str]] = field(default_factory=set)
    first: set[int] = field(default_factory=set)
    relayed_by: Counter = field(default_factory=Counter)
    outlet_documents: int = 0

    def record(self) -> dict[str, Any]:
        return {"id": source_id(self.name), "name": self.name,
                "type": self.type or "unknown", "known": self.known,
                "affiliation": self.affiliation,
                "aliases": [a for a in self.aliases if a != self.name],
                "claims": len(self.claims), "denials": self.denials,
                "documents": len(self.documents), "outlet_documents": self.outlet_documents,
                "incidents": len(self.incidents), "contradicted": len(self.contradicted),
                "first_to_report": len(self.first),
                "relayed_by": [{"name": n, "times": c} for n, c in self.relayed_by.most_common()]}


def _tallies(session: Session, dictionary: Sequence[Source]) -> tuple[dict[str, _Tally],
                                                                      dict[tuple[str, str], set[int]]]:
    """Every source's tally, and the incidents each (document, claim) speaks about."""
    # A speaker stored before its entry was written is known by any of the entry's names.
    known = {n.lower(): s for s in dictionary for n in (s.name, *s.aliases)}
    out: dict[str, _Tally] = {}

    def tally(name: str) -> _Tally:
        if name not in out:
            entry = known.get(name.lower())
            out[name] = _Tally(name, type=entry.type if entry else None, known=entry is not None,
                               affiliation=entry.affiliation if entry else None,
                               aliases=dict.fromkeys(entry.aliases) if entry else {})
        return out[name]

    for c, doc_key in session.execute(select(Claim, Document.key)
                                      .join(Document, Document.id == Claim.document_id)
                                      .order_by(Claim.id)):
        t = tally(c.speaker)
        t.type = t.type or c.speaker_type
        t.affiliation = t.affiliation or c.affiliation
        t.aliases.setdefault(c.speaker_mention)
        t.claims.append((doc_key, c.key))
        t.denials += c.polarity == "denies"
        t.documents.add(doc_key)
    for outlet, documents in session.execute(select(Document.outlet, func.count(Document.id))
                                             .where(Document.outlet.is_not(None))
                                             .group_by(Document.outlet)):
        t = tally(outlet)
        t.type = t.type or "outlet"
        t.outlet_documents += documents

    claim_incidents: dict[tuple[str, str], set[int]] = {}
    # incident -> its earliest voice (when, document id, origin, speaker), and the
    # (origin, speaker, (document, claim)) of each claim quoted on it
    earliest: dict[int, tuple[date, int, str, str]] = {}
    quoted: dict[int, list[tuple[str, str, tuple[str, str]]]] = {}
    # Rows without the ORM's per-row work: a large store has an event per incident.
    rows = session.connection().execute(
        select(IncidentEvent.incident_id, Event.voices, Event.origin, Document.id, Document.key,
               Document.published)
        .join(Event, Event.id == IncidentEvent.event_id)
        .join(Document, Document.id == Event.document_id))
    for incident_id, voices, origin, doc_id, doc_key, published in rows:
        day = published.date() if published else date.max
        if not voices:
            if origin == doc_key:
                continue  # no one quoted, no outlet named: the report is nobody's word
            # No one quoted: the report speaks with its origin (its outlet or the wire it
            # credits), relayed by no one. Most events on a large store: kept short.
            said = (day, doc_id, origin, origin)
            if incident_id not in earliest or said < earliest[incident_id]:
                earliest[incident_id] = said
            tally(origin).incidents.add(incident_id)
            continue
        for v in voices:
            said = (date.fromisoformat(v["date"]) if v.get("date") else day, doc_id,
                    v["origin"], v["speaker"])
            if incident_id not in earliest or said < earliest[incident_id]:
                earliest[incident_id] = said
            if v.get("claim"):
                key = (doc_key, v["claim"])
                claim_incidents.setdefault(key, set()).add(incident_id)
                quoted.setdefault(incident_id, []).append((v["origin"], v["speaker"], key))
            for name in dict.fromkeys((v["origin"], v["speaker"])):
                t = tally(name)
                t.incidents.add(incident_id)
                if v.get("via"):
                    t.relayed_by.update(x for x in v["via"] if x != name)
            for outlet in v.get("via") or ():
                tally(outlet).type = tally(outlet).type or "outlet"
    for incident_id, (_, _, origin, _) in earliest.items():
        tally(origin).first.add(incident_id)
    for d in session.scalars(select(IncidentDispute)):
        for side in d.sides:
            others = {s for o in d.sides if o is not side for s in o["speakers"]}
            for name in set(side["speakers"]) - others:
                if not others:
                    continue
                t = tally(name)
                t.contradicted.update(key for origin, speaker, key in quoted.get(d.incident_id, ())
                                      if name in (origin, speaker))
    return out, claim_incidents


class KeptTallies:
    """Every source's tally, kept while the store is unchanged (browse.change_key): they are
    read from every claim, event and dispute, far more than one page of sources shows.
    Requests (and the server's warming at start) share them: computed once at a time."""

    def __init__(self, dictionary: Sequence[Source]) -> None:
        self.dictionary = dictionary
        self._kept: tuple[tuple, tuple] | None = None
        self._computing = Lock()

    def of(self, session: Session) -> tuple[dict[str, _Tally], dict[tuple[str, str], set[int]]]:
        from observatory.record.store.browse import change_key

        key = change_key(session)
        kept = self._kept  # one read and one write: concurrent requests keep a matching pair
        if kept is None or kept[0] != key:
            with self._computing:
                kept = self._kept
                if kept is None or kept[0] != key:
                    kept = self._kept = (key, _tallies(session, self.dictionary))
        return kept[1]


def list_sources(session: Session, dictionary: Sequence[Source], *,
                 unknown: bool = False, kept: KeptTallies | None = None) -> list[dict[str, Any]]:
    """Every speaker and outlet in the store, most claims first; with ``unknown`` only the
    speakers the dictionary has no entry for yet. ``kept`` answers from its tallies."""
    tallies, _ = kept.of(session) if kept else _tallies(session, dictionary)
    records = [t.record() for t in tallies.values()
               if not unknown or (not t.known and t.claims)]
    return sorted(records, key=lambda r: (-r["claims"], -r["outlet_documents"], r["name"]))


def source_record(session: Session, dictionary: Sequence[Source], sid: str, *,
                  kept: KeptTallies | None = None) -> dict[str, Any] | None:
    """One source with every claim it made and the incidents they speak about."""
    tallies, claim_incidents = kept.of(session) if kept else _tallies(session, dictionary)
    found = next((t for t in tallies.values() if source_id(t.name) == sid), None)
    if found is None:
        return None
    record = found.record()
    rows = session.execute(select(Claim, Document.key, Document.outlet)
                           .join(Document, Document.id == Claim.document_id)
                           .where(Claim.speaker == found.name).order_by(Claim.id))
    record["claim_list"] = [
        {"document": key, "claim": c.key, "cue": c.cue, "content": c.content,
         "polarity": c.polarity, "date": c.date_start.isoformat() if c.date_start else None,
         "via": [*c.via, *([outlet] if outlet else [])], "span": [c.span_start, c.span_end],
         "contradicted": (key, c.key) in found.contradicted,
         "incidents": [f"i{i}" for i in sorted(claim_incidents.get((key, c.key), ()))]}
        for c, key, outlet in rows]
    return record
