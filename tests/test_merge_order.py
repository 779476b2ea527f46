"""Merging does not depend on arrival order: one report set stored in different orders and
batchings gives the same incidents and disputes, on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest
from sqlalchemy import select

from observatory.reading import read_inputs
from observatory.record.store import open_store
from observatory.record.store.ingest import IngestSummary, store_results
from observatory.record.store import merge
from observatory.record.store.merge import merge_pending
from observatory.record.store.models import Document, Event, Incident, IncidentEvent
from observatory.records import Extraction
from test_store import db_url  # noqa: F401 - the SQLite / PostgreSQL fixture

SAMPLE = Path(__file__).parent / "data" / "fakes-sample.jsonl"  # FA-KES, see data/CREDITS.md


def record_digest(store) -> tuple[str, int, int]:
    """A canonical hash of the store's record: the partition of events into incidents (by
    document and event key, not by row id) and each incident's confidence and disputes;
    with the numbers of incidents and disputes."""
    with store.session() as session:
        members: dict[int, list[tuple[str, str]]] = {}
        for incident_id, doc_key, event_key in session.execute(
                select(IncidentEvent.incident_id, Document.key, Event.key)
                .join(Event, Event.id == IncidentEvent.event_id)
                .join(Document, Document.id == Event.document_id)):
            members.setdefault(incident_id, []).append((doc_key, event_key))
        incidents = []
        disputes = 0
        for incident in session.scalars(select(Incident)):
            sides = sorted(json.dumps({"field": d.field, "sides": sorted(
                json.dumps(side, sort_keys=True) for side in d.sides)}, sort_keys=True)
                for d in incident.disputes)
            disputes += len(sides)
            incidents.append(json.dumps({"events": sorted(members.get(incident.id, [])),
                                         "confidence": incident.confidence,
                                         "disputes": sides}, sort_keys=True))
    digest = hashlib.sha256("\n".join(sorted(incidents)).encode()).hexdigest()
    return digest, len(incidents), disputes


@pytest.fixture(scope="module")
def extractions(extractor) -> list[Extraction]:
    docs = list(read_inputs([str(SAMPLE)], limit=10_000_000))
    out = [r for r in extractor.run(docs) if isinstance(r, Extraction)]
    assert len(out) == len(docs) == 59
    return out


def _store(url: str, extractions: list[Extraction], batch: int):
    store = open_store(url)
    summary = IngestSummary()
    store_results(extractions, store=store, summary=summary, batch=batch)
    assert merge_pending(store, chunk=1000) == summary.new == len(extractions)
    return store


def test_two_orders_give_the_same_incidents(db_url, extractions, tmp_path):  # noqa: F811
    first = _store(f"sqlite:///{tmp_path / 'first.db'}", extractions, batch=50)
    shuffled = extractions[::-1]
    random.Random(7).shuffle(shuffled)
    second = _store(db_url, shuffled, batch=7)
    a, b = record_digest(first), record_digest(second)
    first.close()
    second.close()
    # The sample holds whole groups of one incident's reports: merges and disputes happen.
    assert a[1] < sum(len(e.events) for e in extractions) and a[2] > 0
    assert a == b


def test_merge_in_chunks_matches_one_pass(extractions, tmp_path, monkeypatch):
    """Reports merged over several transactions, in canonical order, give what one pass
    gives: the chunking of the merge is not a second order."""
    one = _store(f"sqlite:///{tmp_path / 'one.db'}", extractions, batch=50)
    pending = merge._pending
    store = open_store(f"sqlite:///{tmp_path / 'chunks.db'}")
    store_results(extractions, store=store, summary=IngestSummary(), batch=50)
    scans = []
    monkeypatch.setattr(merge, "_pending", lambda session, limit: scans.append(limit)
                        or pending(session, limit))
    merge_pending(store, chunk=5)
    assert record_digest(one) == record_digest(store)
    # 59 reports, 5 a transaction: 12 scans for pending reports, not a 13th that finds none.
    assert len(scans) == 12
    one.close()
    store.close()
