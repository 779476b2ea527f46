"""The store on SQLite and PostgreSQL against what PostgreSQL alone used to refuse: NUL bytes,
over-long ids, 64-bit ids, one id for two texts; and database URLs never printed whole."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from observatory.errors import QueryError, StoreError
from observatory.reading import read_jsonl
from observatory.record.store import masked, open_store
from observatory.record.store.ingest import ingest
from observatory.record.store.models import Document, Incident
from observatory.record.store.queries import incidents_query
from test_store import db_url  # noqa: F401 - the SQLite/PostgreSQL fixture

GOOD = "Two civilians were killed when shelling hit a market in Aleppo on Monday, activists said."


def _lines(*objs) -> list[bytes]:
    return [json.dumps(o).encode("utf-8") + b"\n" for o in objs]


def test_fields_postgresql_cannot_hold_fail_alone_and_the_batch_goes_on(db_url, extractor):
    store = open_store(db_url)
    items = read_jsonl(_lines({"id": "a", "text": GOOD, "title": "Market\x00 hit"},
                              {"id": "b\x00", "text": GOOD + " Again."},
                              {"id": "c" * 400, "text": GOOD + " Later."},
                              {"id": "d", "text": GOOD + " Still.", "outlet": "o\x00" * 400},
                              {"id": "e", "text": GOOD + " Once more.", "published": "1e400"}),
                       source="in.jsonl", limit=10_000_000)
    summary = ingest(items, store=store, extractor=extractor)
    assert (summary.new, summary.failed) == (2, 3)
    assert all("\n" not in f.message for f in summary.failures)
    with store.session() as session:
        rows = dict(session.execute(select(Document.key, Document.title)).all())
    assert rows == {"a": "Market hit", "d": None}
    store.close()


def test_one_id_for_two_texts_is_refused(db_url, extractor):
    store = open_store(db_url)
    first = ingest(read_jsonl(_lines({"id": "same", "text": GOOD}), source="one.jsonl",
                              limit=10_000_000), store=store, extractor=extractor)
    second = ingest(read_jsonl(_lines({"id": "same", "text": GOOD + " Revised."},
                                      {"id": "same", "text": GOOD}), source="two.jsonl",
                               limit=10_000_000), store=store, extractor=extractor)
    assert first.new == 1 and (second.new, second.already, second.failed) == (0, 1, 1)
    assert "already used" in second.failures[0].message
    with store.session() as session:
        assert session.scalar(select(func.count(Document.id))) == 1
    store.close()


def test_a_nul_in_a_filter_is_one_error_on_both_databases(db_url):
    store = open_store(db_url)
    for name in ("admin1", "admin2", "event_type", "actor"):
        with pytest.raises(QueryError):
            incidents_query(**{name: "Idl\x00eb"})
    store.close()


def test_row_ids_are_64_bit(db_url):
    store = open_store(db_url)
    big = 2**31 + 7
    with store.session() as session, session.begin():
        session.execute(text(
            "INSERT INTO incidents (id, event_type, sub_event_type, origins, confidence, status, "
            "updated_at) VALUES (:id, 'Battles', 'Armed clash', 1, 'single-source', '[]', "
            "'2020-01-01 00:00:00')"), {"id": big})
    with store.session() as session:
        assert session.get(Incident, big).id == big
        assert session.get(Incident, 2**62) is None
        assert [i.id for i in session.scalars(incidents_query(after=2**31))] == [big]
        assert list(session.scalars(incidents_query(after=2**63 - 2))) == []
    store.close()


def test_a_database_url_is_never_printed_with_its_password():
    with pytest.raises(StoreError) as exc:
        open_store("postgresql+psycopg://analyst:hunter2secret@127.0.0.1:1/none")
    assert "hunter2secret" not in str(exc.value) and "***" in str(exc.value)
    assert "\n" not in str(exc.value)
    with pytest.raises(StoreError) as exc:
        open_store("nosuchdriver://analyst:hunter2secret@host/none")
    assert "hunter2secret" not in str(exc.value)
    assert masked("sqlite:///x.db") == "sqlite:///x.db"
