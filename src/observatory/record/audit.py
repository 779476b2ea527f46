"""Audit trail: reads every write the record makes (ingest, review, merge, split, account
change), writes hash-chained log entries; verifies the chain and exports a chain-of-custody log."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from observatory.record.store.models import (AuditEntry, AuditHead, Document, Event,
                                             IncidentEvent)

GENESIS = "0" * 64

__all__ = ["append", "append_all", "verify", "custody", "Problem", "GENESIS"]


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def _digest(seq: int, at: datetime, actor: str, action: str, target: str, before: Any,
            after: Any, prev_hash: str) -> str:
    # Canonical JSON: the same entry hashes the same on SQLite and PostgreSQL.
    body = json.dumps([seq, at.isoformat(), actor, action, target, before, after, prev_hash],
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """Dates and other values as JSON stores them, so the hash reads back the same."""
    return json.loads(json.dumps(value, default=str)) if value is not None else None


def append(session: Session, *, actor: str, action: str, target: str, before: Any = None,
           after: Any = None) -> AuditEntry:
    """Add an entry in the caller's transaction: it commits with the write it records, or not
    at all. The head row is locked, so concurrent writers chain one after the other."""
    return append_all(session, [{"actor": actor, "action": action, "target": target,
                                 "before": before, "after": after}])[0]


def append_all(session: Session, entries: Sequence[dict[str, Any]]) -> list[AuditEntry]:
    """Add entries (``actor``, ``action``, ``target``, optional ``before`` and ``after``) in
    order, in the caller's transaction, taking the head lock once: a batch of reports is
    logged in one step."""
    # The migration creates the head row (sequence 0, GENESIS).
    head = session.scalar(select(AuditHead).where(AuditHead.id == 1).with_for_update())
    at = now()
    out = []
    for e in entries:
        before, after = _plain(e.get("before")), _plain(e.get("after"))
        seq = head.seq + 1
        digest = _digest(seq, at, e["actor"], e["action"], e["target"], before, after, head.hash)
        out.append(AuditEntry(seq=seq, at=at, actor=e["actor"], action=e["action"],
                              target=e["target"][:200], before=before, after=after,
                              prev_hash=head.hash, hash=digest))
        head.seq, head.hash = seq, digest
    session.add_all(out)
    session.flush()
    return out


@dataclass(frozen=True, slots=True)
class Problem:
    seq: int
    message: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.message}"


def verify(session: Session) -> tuple[int, str, list[Problem]]:
    """Walk the chain: each entry's hash must cover its content and the entry before; sequence
    numbers must run on without a gap; the head must name the last entry. Returns the number
    of entries, the newest hash and the problems found."""
    problems: list[Problem] = []
    expected_seq, prev = 1, GENESIS
    count = 0
    for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)
                             .execution_options(yield_per=1000)):
        count += 1
        if e.seq != expected_seq:
            problems.append(Problem(expected_seq, f"missing (the next entry is {e.seq}): "
                                    "removed from the log"))
        if e.prev_hash != prev:
            problems.append(Problem(e.seq, "does not follow the entry before it (an entry "
                                    "before it was removed or changed)"))
        if _digest(e.seq, e.at, e.actor, e.action, e.target, e.before, e.after,
                   e.prev_hash) != e.hash:
            problems.append(Problem(e.seq, f"changed after it was written ({e.action} "
                                    f"{e.target})"))
        expected_seq, prev = e.seq + 1, e.hash
    head = session.get(AuditHead, 1)
    last_seq = expected_seq - 1
    if head is None:
        problems.append(Problem(last_seq, "the head row (audit_head) was removed"))
    elif head.seq != last_seq or head.hash != prev:
        problems.append(Problem(head.seq, f"the log ends at entry {last_seq} but its head "
                                f"names entry {head.seq}: newest entries removed"))
    return count, prev, problems


def _entry(e: AuditEntry) -> dict[str, Any]:
    return {"seq": e.seq, "at": e.at.isoformat() + "Z", "actor": e.actor, "action": e.action,
            "target": e.target, "before": e.before, "after": e.after,
            "prev_hash": e.prev_hash, "hash": e.hash}


def custody(session: Session) -> Iterator[dict[str, Any]]:
    """Chain of custody: for each document its sha256, when and from where it was acquired and
    the incidents its events are in; then every entry of the log, hashes included, so a reader
    can re-check the chain without the database."""
    for doc in session.scalars(select(Document).order_by(Document.id)
                               .execution_options(yield_per=500)):
        incidents = sorted(set(session.scalars(
            select(IncidentEvent.incident_id).join(Event, Event.id == IncidentEvent.event_id)
            .where(Event.document_id == doc.id))))
        yield {"type": "document", "document": doc.key, "sha256": doc.sha256,
               "acquired_at": doc.acquired_at.isoformat() + "Z", "acquired_from": doc.source,
               "url": doc.url, "outlet": doc.outlet, "stage": doc.stage,
               "incidents": [f"i{i}" for i in incidents],
               # Every transformation since: its ingest and marks, and what people and the
               # machine did to the incidents it reports.
               "entries": list(session.scalars(
                   select(AuditEntry.seq).where(AuditEntry.target.in_(
                       [f"document:{doc.sha256}", *(f"incident:i{i}" for i in incidents)]))
                   .order_by(AuditEntry.seq)))}
    for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)
                             .execution_options(yield_per=1000)):
        yield {"type": "entry", **_entry(e)}
