"""Search: reads incidents, documents and claims from the store, writes their folded words to
the full-text index (SQLite FTS5 or PostgreSQL tsvector; one table per kind, keyed by the
row's id, migration 0010) and answers `q=`.

Words are folded before indexing and before querying: accents and case go, every run of
vowels is one `a`, doubled letters are one, q/c/k are one, a closing `h` after a vowel goes, and
articles are dropped. "Idlib" and "Idleb" fold to `adlab`, "Deir ez-Zor" and "Dayr al-Zawr" to
`dar zar`, so transliterations of one Arabic name meet. Adjacent words are also indexed joined
("Ezzor", "airstrike"), and query words with aliases in data/search.toml find their phrases.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from sqlalchemy import (Boolean, column, delete, func, insert, literal, literal_column, select,
                        table, text)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import ColumnElement, Select, TableClause

from observatory.record.store.models import (Claim, Document, Event, Incident, IncidentEvent,
                                             IncidentBackground, IncidentOutlet)

_WORD = re.compile(r"[^\W_]+")
_VOWELS = set("aeiouy")
# One table per kind, each row keyed by its item's id (`rowid` on both databases, migration
# 0010); PostgreSQL's also stores the body's tsvector as `words`.
INCIDENTS, DOCUMENTS, CLAIMS = (table(name, column("rowid"), column("body"), column("words"))
                                for name in ("incident_search", "document_search",
                                             "claim_search"))
# Their tables, not the ORM classes: an ORM bulk statement checks every object the session
# holds, and a merge pass holds thousands.
OUTLETS = IncidentOutlet.__table__
BACKGROUND = IncidentBackground.__table__


@dataclass(frozen=True)
class Lexicon:
    articles: frozenset[str]
    aliases: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = tomllib.loads(resources.files("observatory.data").joinpath("search.toml").read_text())
    return Lexicon(articles=frozenset(data["articles"]),
                   aliases={fold_word(k): tuple(v) for k, v in data["aliases"].items()})


@lru_cache(maxsize=1 << 17)
def fold_word(word: str) -> str:
    """One word's spelling-tolerant key (see the module docstring). Cached: reports share
    most of their words, and indexing folds every word of every report."""
    plain = word.lower()
    if not plain.isascii():
        plain = "".join(c for c in unicodedata.normalize("NFKD", plain)
                        if not unicodedata.combining(c))
    if plain.isdigit():
        return plain
    out: list[str] = []
    for ch in plain:
        if ch in _VOWELS or (ch == "w" and out and out[-1] == "a"):
            ch = "a"
        elif ch in "qc":
            ch = "k"
        if not out or out[-1] != ch:
            out.append(ch)
    if len(out) > 2 and out[-1] == "h" and out[-2] == "a":
        out.pop()
    return "".join(out)


def words(text: str) -> list[str]:
    """The raw words of a text, articles dropped (kept raw so neighbours can be joined)."""
    articles = lexicon().articles
    return [w for w in _WORD.findall(text) if w.lower() not in articles]


def fold(text: str, *, pairs: bool = False) -> str:
    """A text's folded words; with ``pairs`` also each two neighbours written as one."""
    raw = words(text)
    out = [fold_word(w) for w in raw]
    if pairs:
        out += [fold_word(a + b) for a, b in zip(raw, raw[1:])]
    return " ".join(out)


def _term(word: str, dialect: str) -> str:
    return f'"{word}"*' if dialect == "sqlite" else f"{word}:*"


def _phrase(keys: list[str], dialect: str) -> str:
    """Adjacent words, the last as a prefix ("air strike" also finds "air strikes")."""
    if dialect == "sqlite":
        return '"' + " ".join(keys) + '"*'
    return "(" + " <-> ".join(keys[:-1] + [keys[-1] + ":*"]) + ")"


def match_expression(query: str, dialect: str) -> str | None:
    """The FTS5 MATCH text or PostgreSQL to_tsquery text for a user's query: every word must
    match (as a prefix), a word with aliases may match any of their phrases instead."""
    both, either = (" AND ", " OR ") if dialect == "sqlite" else (" & ", " | ")
    groups = []
    for w in words(query):
        key = fold_word(w)
        if not key:  # a lone combining mark
            continue
        options = [_term(key, dialect)]
        for phrase in lexicon().aliases.get(key, ()):
            keys = [fold_word(p) for p in words(phrase)]
            if keys:
                options.append(_phrase(keys, dialect))
        groups.append(options[0] if len(options) == 1 else "(" + either.join(options) + ")")
    return both.join(groups) if groups else None


class Matches(ColumnElement[bool]):
    """`a row of ``table`` matches the query`, in the dialect's own full-text syntax."""

    type = Boolean()
    inherit_cache = False
    # A condition in itself: no `= 1` appended where booleans are integers (SQLite).
    _is_implicitly_boolean = True

    def __init__(self, query: str, table: TableClause) -> None:
        self.query = query
        self.table = table


@compiles(Matches, "sqlite")
def _sqlite_match(element: Matches, compiler, **kw) -> str:
    expression = match_expression(element.query, "sqlite")
    return compiler.process(literal_column(element.table.name).op("MATCH")(literal(expression)),
                            **kw)


@compiles(Matches, "postgresql")
def _postgres_match(element: Matches, compiler, **kw) -> str:
    expression = match_expression(element.query, "postgresql")
    return compiler.process(element.table.c.words.op("@@")(
        func.to_tsquery(text("'simple'"), literal(expression))), **kw)


def has_words(query: str | None) -> bool:
    return bool(query and words(query))


def incident_ids(query: str) -> Select:
    """Ids of the incidents whose words match ``query`` (which must have words: see
    has_words), for an IN filter: read from the index alone, no row looked up."""
    return select(INCIDENTS.c.rowid).where(Matches(query, INCIDENTS))


def index_incidents(session: Session, ids: Sequence[int], *, chunk: int = 2000) -> int:
    """(Re)write incidents' words (their coded fields, and per report the outlet, title,
    speakers, actors, place and the sentence the event came from) and their outlet and
    background rows; one read per ``chunk`` incidents. Returns how many it indexed."""
    added = 0
    ids = list(ids)
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        session.execute(delete(INCIDENTS).where(INCIDENTS.c.rowid.in_(part)))
        # Each distinct text once (a dict keeps the order): the outlets, speakers and actors
        # of an incident told by thousands of reports repeat, and their words add nothing.
        parts: dict[int, dict] = {}
        days = {}
        for i in session.execute(select(Incident.id, Incident.event_type, Incident.sub_event_type,
                                        Incident.topic, Incident.place_name, Incident.admin1,
                                        Incident.admin2, Incident.actor1, Incident.date_start)
                                 .where(Incident.id.in_(part))):
            parts[i[0]] = dict.fromkeys(i[1:8])
            days[i[0]] = i[8]
        # Columns, and of the text only each event's sentence: whole document rows (text
        # and raw bytes) cost more than the indexing.
        length = Event.span_end - Event.span_start
        reports: dict[int, tuple[date | None, set, list]] = {i: (days[i], set(), [])
                                                            for i in parts}
        for row in session.execute(
                select(IncidentEvent.incident_id, Document.outlet, Document.title,
                       Event.place_name, Event.actor1, Event.actor2, Event.trigger,
                       Event.speakers, func.substr(Document.text, Event.span_start + 1, length),
                       Document.published)
                .join(Event, Event.id == IncidentEvent.event_id)
                .join(Document, Document.id == Event.document_id)
                .where(IncidentEvent.incident_id.in_(part)).order_by(Event.id)):
            parts[row[0]].update(dict.fromkeys([row[1], *row[3:7], " ".join(row[7] or [])]))
            # The titles and sentences of the first reports only: later ones tell the same
            # story in the same words, and an incident's index (and its cost on every
            # refresh) must not grow with every report that joins it.
            published = reports[row[0]][2]  # one date per report read so far
            if len(published) < INDEXED_REPORTS:
                parts[row[0]].update(dict.fromkeys([row[2], row[8]]))
            reports[row[0]][1].add(row[1])
            published.append(row[9])
        session.execute(delete(OUTLETS).where(OUTLETS.c.incident_id.in_(part)))
        session.execute(delete(BACKGROUND).where(BACKGROUND.c.incident_id.in_(part)))
        _summaries(session, reports)
        _append(session, INCIDENTS,
                [{"rowid": incident_id, "body": fold(" ".join(v for v in values if v), pairs=True)}
                 for incident_id, values in parts.items()])
        added += len(parts)
    return added


# The reports of an incident whose titles and sentences are indexed.
INDEXED_REPORTS = 50
# An incident dated this long before its first report is background, not news.
BACKGROUND_DAYS = 365


def _summaries(session: Session, reports: dict[int, tuple[date | None, set, list]]) -> None:
    """Each incident's outlets, and whether it is background, for facets and the timeline."""
    outlets = [{"incident_id": i, "outlet": o} for i, (_, names, _) in reports.items()
               for o in sorted(n for n in names if n)]
    background = [{"incident_id": i} for i, (day, _, dates) in reports.items()
                  if day and any(dates) and (min(d for d in dates if d).date() - day).days
                  > BACKGROUND_DAYS]
    if outlets:
        session.execute(insert(OUTLETS), outlets)
    if background:
        session.execute(insert(BACKGROUND), background)


def _document_body(doc: Document) -> str:
    return (fold(" ".join(p for p in (doc.title, doc.outlet) if p), pairs=True) + " "
            + fold(doc.text))


def _claim_body(speaker: str, mention: str, content: str, outlet: str | None) -> str:
    return fold(" ".join(p for p in (speaker, mention, content, outlet) if p), pairs=True)


def index_new_documents(session: Session, docs: Sequence[Document],
                        claims: Sequence[tuple[int, dict[str, Any], str | None]]) -> None:
    """Index reports stored in this transaction, in bulk: their words (title, outlet, text)
    and each of their claims' (id, column values and report's outlet, as inserted). They have
    no older rows to replace."""
    session.flush()  # the rows' ids are their words' keys
    _append(session, DOCUMENTS, [{"rowid": d.id, "body": _document_body(d)} for d in docs])
    _append(session, CLAIMS, [{"rowid": claim_id, "body": _claim_body(
        claim["speaker"], claim["speaker_mention"], claim["content"], outlet)}
        for claim_id, claim, outlet in claims])


def _append(session: Session, index: TableClause, rows: list[dict]) -> None:
    """Insert index rows known to be new, in bulk (no look-up of older rows to replace)."""
    if rows:
        session.execute(insert(index), rows)
        rows.clear()


def _indexed(index: TableClause, key) -> ColumnElement[bool]:
    """`the row with this id has words in ``index```, correlated to the row's query."""
    return select(index.c.rowid).where(index.c.rowid == key).exists()


def backfill(session: Session, *, chunk: int = 2000) -> int:
    """Index what a store filled before migration 0006 holds and the index lacks, in bulk;
    returns how many incidents and documents it indexed."""
    pending: list[dict] = []
    # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN over a large index table as a scan of it
    # per row (minutes on 100,000 incidents, at every start); NOT EXISTS is an anti-join.
    added = index_incidents(session, list(session.scalars(select(Incident.id).where(
        ~_indexed(INCIDENTS, Incident.id)))), chunk=chunk)
    claims: list[dict] = []
    for doc in session.scalars(select(Document)
                               .where(~_indexed(DOCUMENTS, Document.id))
                               .options(selectinload(Document.claims))
                               .execution_options(yield_per=500)):
        pending.append({"rowid": doc.id, "body": _document_body(doc)})
        # A report's claims are indexed with it, so one left out of the index is new too.
        claims += [{"rowid": c.id, "body": _claim_body(c.speaker, c.speaker_mention, c.content,
                                                       doc.outlet)} for c in doc.claims]
        added += 1
        if len(pending) >= chunk:
            _append(session, DOCUMENTS, pending)
            _append(session, CLAIMS, claims)
    _append(session, DOCUMENTS, pending)
    _append(session, CLAIMS, claims)
    return added


def search(session: Session, query: str, *, limit: int = 20) -> dict[str, list]:
    """Documents, claims and sources matching ``query`` (incidents go through the filters)."""
    out: dict[str, list] = {"documents": [], "claims": [], "sources": []}
    if not has_words(query):
        return out
    docs = session.execute(select(Document.key, Document.title, Document.outlet,
                                  Document.published)
                           .join(DOCUMENTS, DOCUMENTS.c.rowid == Document.id)
                           .where(Matches(query, DOCUMENTS))
                           .order_by(DOCUMENTS.c.rowid).limit(limit))
    out["documents"] = [{"id": k, "title": t, "outlet": o,
                         "published": p.date().isoformat() if p else None}
                        for k, t, o, p in docs]
    speakers: dict[str, int] = {}
    for claim, doc_key in session.execute(select(Claim, Document.key)
                                          .join(CLAIMS, CLAIMS.c.rowid == Claim.id)
                                          .join(Document, Document.id == Claim.document_id)
                                          .where(Matches(query, CLAIMS))
                                          .order_by(CLAIMS.c.rowid).limit(limit * 10)):
        speakers[claim.speaker] = speakers.get(claim.speaker, 0) + 1
        if len(out["claims"]) < limit:
            out["claims"].append({"id": claim.key, "document": doc_key,
                                  "speaker": claim.speaker, "polarity": claim.polarity,
                                  "content": claim.content,
                                  "span": [claim.span_start, claim.span_end]})
    out["sources"] = [{"name": n, "claims": c}
                      for n, c in sorted(speakers.items(), key=lambda x: -x[1])]
    return out
