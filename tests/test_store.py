"""The store on SQLite and PostgreSQL: migrations, idempotent transactional ingest, merging,
queries and exports; and an ingest killed midway."""
from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, insert, inspect, select, text

from conftest import GOLDEN
from test_incidents import facts
from observatory.reading import read_inputs
from observatory.record.store import open_store
from observatory.record.incidents import cell_key
from observatory.record.store.ingest import counts, ingest
from observatory.record.store.merge import _Blocked, _Window
from observatory.record.store.models import Alert, Document, Event, Incident, IncidentEvent
from observatory.record.store.queries import (incidents_query, iter_disputes, iter_incidents,
                                              write_export)

PG_VARIABLE = "OBSERVATORY_TEST_POSTGRES"
EXAMPLES = Path(__file__).resolve().parents[1] / "src/observatory/data/examples"


def _postgres_url():
    admin = os.environ.get(PG_VARIABLE)
    if not admin:
        pytest.skip(f"PostgreSQL tests need {PG_VARIABLE}=postgresql+psycopg://user@host/db "
                    "(an account that may create databases)")
    name = f"observatory_test_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return admin.rsplit("/", 1)[0] + "/" + name, engine, name


def _drop_postgres(admin, name) -> None:
    """Drop a database _postgres_url made, and let go of its admin engine."""
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    url, admin, name = _postgres_url()
    yield url
    _drop_postgres(admin, name)


def _head_revision() -> str:
    from importlib import resources

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location",
                           str(resources.files("observatory.record.store") / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def docs(*paths, **kw):
    return list(read_inputs([str(p) for p in paths], limit=10_000_000, **kw))


def test_migrations_create_every_table(db_url):
    store = open_store(db_url)
    with store.engine.connect() as conn:
        names = set(store.engine.dialect.get_table_names(conn))
        version = conn.execute(text("select version_num from alembic_version")).scalar()
    assert {"documents", "claims", "events", "places", "actors", "incidents",
            "incident_events", "disputes", "users", "api_tokens", "web_sessions", "reviews",
            "audit_log", "audit_head"} <= names
    assert version == _head_revision()
    store.close()


def test_corridor_reports_make_one_contested_incident(db_url, extractor):
    store = open_store(db_url)
    summary = ingest(docs(EXAMPLES / "memo-2019-08-23-sohr-corridor.txt",
                          EXAMPLES / "state-media-corridor-2019-08-22.txt"),
                     store=store, extractor=extractor)
    assert (summary.new, summary.already, summary.failed) == (2, 0, 0)
    with store.session() as session:
        records = list(iter_incidents(session))
        corridor = [r for r in records if r["sub_event_type"] == "Agreement"]
        assert len(corridor) == 1
        inc = corridor[0]
        assert len(inc["documents"]) == 2 and inc["confidence"] == "contested"
        occurred = [d for d in inc["disputes"] if d["field"] == "occurred"]
        assert occurred
        speakers = {s for side in occurred[0]["sides"] for s in side["speakers"]}
        assert "Syrian Observatory for Human Rights" in speakers
        assert "Syrian state media" in speakers
        assert [s["status"] for s in inc["status"]][:2] == ["announced", "denied"]
        assert all(e["why"]["matched"] for e in inc["events"])
        assert any(d["field"] == "occurred" for d in iter_disputes(session))
        stored = session.scalar(select(Document).where(Document.key == inc["documents"][0]))
        assert stored.raw and len(stored.sha256) == 64
    store.close()


def test_one_report_telling_both_sides_gives_the_dispute_between_its_speakers(db_url,
                                                                               extractor):
    """Origins are speakers: the memo alone relays state media and SOHR, two origins."""
    store = open_store(db_url)
    ingest(docs(EXAMPLES / "memo-2019-08-23-sohr-corridor.txt"), store=store,
           extractor=extractor)
    with store.session() as session:
        corridor = [r for r in iter_incidents(session) if r["sub_event_type"] == "Agreement"]
        assert len(corridor) == 1
        inc = corridor[0]
        assert len(inc["documents"]) == 1
        assert (inc["confidence"], inc["origins"]) == ("contested", 2)
        occurred = [d for d in inc["disputes"] if d["field"] == "occurred"]
        assert len(occurred) == 1
        sides = {s["value"]: s for s in occurred[0]["sides"]}
        assert sides[True]["speakers"] == ["Syrian state media"]
        assert sides[False]["speakers"] == ["Syrian Observatory for Human Rights"]
        assert "Voice of America" in sides[False]["via"]
        assert [(s["date"], s["status"]) for s in inc["status"]] == [
            ("2019-08-21", "announced"), ("2019-08-22", "denied")]
        # The shelling SOHR's words mention is not part of the corridor dispute.
        others = [r for r in iter_incidents(session) if r["sub_event_type"] != "Agreement"]
        assert not any(d["field"] == "occurred" for r in others for d in r["disputes"])
    store.close()


def test_outlets_relaying_one_speaker_are_one_origin(db_url, extractor, tmp_path):
    """Two outlets quoting SOHR on one strike: corroboration needs another speaker."""
    store = open_store(db_url)
    lines = [json.dumps({"id": f"relay-{outlet}", "outlet": outlet,
                         "published": "2019-03-05T10:00:00",
                         "title": "Air strike kills civilians in Maarat al-Numan",
                         "text": "An air strike killed 12 civilians in Maarat al-Numan in Idlib "
                                 "province on Monday, the Syrian Observatory for Human Rights "
                                 "said. The strike hit a market in the town centre."})
             for outlet in ("Outlet One", "Outlet Two")]
    path = tmp_path / "relay.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest(docs(path), store=store, extractor=extractor)
    with store.session() as session:
        records = list(iter_incidents(session))
        lead = [r for r in records if len(r["documents"]) == 2]
        assert lead, records
        assert lead[0]["origins"] == 1 and lead[0]["confidence"] == "single-source"
    store.close()


def test_ingest_is_idempotent(db_url, extractor):
    store = open_store(db_url)
    first = ingest(docs(GOLDEN / "fakes-1914947534.jsonl", GOLDEN / "fakes-1965511217.jsonl"),
                   store=store, extractor=extractor)
    before = counts(store)
    again = ingest(docs(GOLDEN / "fakes-1914947534.jsonl", GOLDEN / "fakes-1965511217.jsonl"),
                   store=store, extractor=extractor)
    assert first.new == 2 and (again.new, again.already) == (0, 2)
    assert counts(store) == before
    store.close()


def test_bad_document_loses_nothing_and_the_batch_goes_on(db_url, extractor, tmp_path):
    (tmp_path / "a.txt").write_text("Regime forces shelled Saraqib on 3 February 2020, killing "
                                    "two civilians, the Syrian Observatory said.")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "c.txt").write_text("Russian warplanes struck Ariha on 4 February 2020.")
    store = open_store(db_url)
    summary = ingest(docs(tmp_path), store=store, extractor=extractor)
    assert (summary.new, summary.failed) == (2, 1)
    with store.session() as session:
        assert session.scalar(select(func.count(Document.id))) == 2
        orphans = session.scalar(select(func.count(Event.id)).outerjoin(IncidentEvent)
                                 .where(IncidentEvent.event_id.is_(None)))
        assert orphans == 0
    store.close()


def test_exports_stream_acled_columns_and_geojson(db_url, extractor, tmp_path):
    import csv
    import io
    store = open_store(db_url)
    ingest(docs(EXAMPLES), store=store, extractor=extractor)
    with store.session() as session:
        out = io.StringIO()
        write_export("csv", session, out)
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        assert len(rows) == len(list(iter_incidents(session))) > 0
        assert {"event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
                "admin1", "location", "latitude", "longitude", "fatalities"} <= set(rows[0])
        geo = io.StringIO()
        write_export("geojson", session, geo)
        collection = json.loads(geo.getvalue())
        assert collection["type"] == "FeatureCollection" and collection["features"]
        filtered = list(iter_incidents(session, admin1="Idleb"))
        assert filtered and all(r["location"]["admin1"] == "Idleb" for r in filtered)
    store.close()


def test_killed_ingest_leaves_a_consistent_store_that_a_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    lines = []
    for n in range(60):
        lines.append(json.dumps({"id": f"r{n}", "published": "2020-02-10", "outlet": "Test",
                                 "text": f"On {1 + n % 20} February 2020 regime forces shelled "
                                         f"Saraqib in Idlib countryside, killing {n % 7} "
                                         f"civilians, the Syrian Observatory said. Report {n}."}))
    corpus.write_text("\n".join(lines) + "\n")
    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "observatory", "ingest", str(corpus), "--db", f"sqlite:///{db}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    stored = conn.execute("select count(*) from documents").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if stored >= 10:
                break
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as conn:
        docs_stored = conn.execute("select count(*) from documents").fetchone()[0]
        # Killed while storing or while merging: the documents stored so far are whole.
        assert 10 <= docs_stored <= 60
        # Every stored document is whole: its events exist (merging them into incidents is
        # a later pass, which the re-run completes).
        without_events = conn.execute("select count(*) from documents d where not exists "
                                      "(select 1 from events e where e.document_id = d.id)"
                                      ).fetchone()[0]
        assert without_events == 0
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{60 - docs_stored} new, {docs_stored} already stored" in rerun.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*), count(distinct sha256) from documents"
                            ).fetchone() == (60, 60)
        assert conn.execute("select count(*) from events e where not exists (select 1 from "
                            "incident_events l where l.event_id = e.id)").fetchone()[0] == 0


def test_postgresql_connections_plan_without_jit(db_url):
    # Compiling a large store's counts cost more than running them: the store turns JIT off.
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    store = open_store(db_url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
    store.close()


def test_the_merge_window_reads_stored_and_held_incidents_alike(db_url):
    # The merge tests the incidents its transaction holds in memory and queries the stored
    # ones: one description, two readings, which must never disagree.
    store = open_store(db_url)
    day = date(2020, 2, 10)
    rows = []
    for n, (offset, span, admin1, placed, sub) in enumerate(itertools.product(
            (-40, -3, 0, 2, 5), (0, 3, 40), ("Idleb", "Aleppo", "Damascus", None),
            (True, False), ("Air/drone strike", "Agreement"))):
        lat, lon = (35.86, 36.80) if placed else (None, None)
        rows.append(Incident(event_type="x", sub_event_type=sub, admin1=admin1,
                             date_start=day + timedelta(days=offset),
                             date_end=day + timedelta(days=offset + span),
                             cell=cell_key(lat, lon, 1), origins=1, confidence="c",
                             status=[], updated_at=datetime(2020, 1, 1)))
    with store.session() as session, session.begin():
        session.add_all(rows)
    with store.session() as session:
        stored = list(session.scalars(select(Incident)))
        for event in (facts(1, "a"), facts(1, "a", rank=1), facts(1, "a", admin1="Damascus"),
                      facts(1, "a", sub="Agreement", etype="Strategic developments"),
                      facts(1, "a", admin1=None, geo=3)):
            window = _Window.of(event)
            found = set(session.scalars(*window.query(10_000)))
            held = {i.id for i in stored if window.holds(_Blocked(
                i.sub_event_type, i.date_start, i.date_end, i.admin1, i.cell))}
            assert found == held and found
    store.close()


# What the models do not declare: 0010's full-text tables (with SQLite's FTS5 shadow tables
# and PostgreSQL's word indexes) and PostgreSQL's ordered expression indexes, made in SQL; on
# SQLite, the text columns 0004 widened on PostgreSQL only (SQLite keeps no length).
ORDERED = {"ix_incidents_newest", "ix_incidents_most_origins", "ix_incidents_most_killed"}
WIDENED = {("documents", "outlet"), ("documents", "origin"), ("events", "origin")}


def _undeclared(change: tuple, dialect: str) -> bool:
    kind, obj = change[0], change[1]
    if kind == "remove_table":
        return "_search" in obj.name
    if kind == "remove_index":
        return "_search" in obj.table.name or (dialect == "postgresql" and obj.name in ORDERED)
    if kind == "modify_type":
        return dialect == "sqlite" and (change[2], change[3]) in WIDENED
    return False


def test_models_and_migrations_agree(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from observatory.record.store.models import Base

    store = open_store(db_url)
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    store.close()
    changes = [c for d in diffs for c in (d if isinstance(d, list) else [d])]
    assert [c for c in changes if not _undeclared(c, store.engine.dialect.name)] == []


GOVERNORATES = ("Aleppo", "Damascus", "Rural Damascus", "Homs", "Hama", "Lattakia", "Tartous",
                "Deir-ez-Zor", "Ar-Raqqa", "Al-Hasakeh", "Dar'a", "As-Sweida", "Idleb")


def test_a_governorates_incidents_in_id_order_are_read_from_its_index(db_url):
    """The API's incident pages of one governorate, in id order (paged by cursor), read that
    governorate's rows from ix_incidents_admin1_id: neither every incident nor every one of
    the governorate's sorted."""
    store = open_store(db_url)
    indexes = {i["name"]: i["column_names"] for i in inspect(store.engine).get_indexes("incidents")}
    assert indexes["ix_incidents_admin1_id"] == ["admin1", "id"]
    # 151 of 25,000 incidents in Quneitra, spread among the others: PostgreSQL's statistics
    # read every row (up to 30,000), so its plan is the same on every run.
    day = date(2020, 1, 1)
    rows = [dict(event_type="Battles", sub_event_type="Armed clash", date_start=day,
                 date_end=day, date_precision="day", origins=1, confidence="single-source",
                 admin1="Quneitra" if n % 166 == 0 else GOVERNORATES[n % 13], status=[],
                 updated_at=datetime(2026, 1, 1)) for n in range(25_000)]
    with store.engine.begin() as conn:
        conn.execute(insert(Incident), rows)
        conn.exec_driver_sql("ANALYZE")
    sqlite = store.engine.dialect.name == "sqlite"
    with store.session() as session:
        first = session.scalar(select(func.min(Incident.id)).where(Incident.admin1 == "Quneitra"))
        page = incidents_query(admin1="Quneitra", after=first).limit(51)
        sql = str(page.compile(store.engine, compile_kwargs={"literal_binds": True}))
        plan = "\n".join(str(row[-1]) for row in session.execute(
            text(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + sql)))
        assert "ix_incidents_admin1_id" in plan, plan
        assert ("TEMP B-TREE" if sqlite else "Sort") not in plan, plan
        wanted = session.scalars(select(Incident.id).where(Incident.admin1 == "Quneitra")
                                 .order_by(Incident.id)).all()[1:52]
        assert [i.id for i in session.scalars(page)] == wanted
    store.close()


def test_a_delivery_run_reads_the_undelivered_alerts_from_their_index(db_url):
    store = open_store(db_url)
    query = select(Alert.id).where(Alert.delivered_at.is_(None))
    with store.engine.connect() as conn:
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        if store.engine.dialect.name == "sqlite":
            plan = " ".join(str(r) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        else:
            # An empty table: the planner would scan it whatever the indexes.
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
    store.close()
    assert "ix_alerts_undelivered" in plan
