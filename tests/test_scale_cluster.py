"""Ingest on Dask distributed: a local cluster of two worker processes writing to PostgreSQL
gives the record a serial ingest into SQLite gives; a worker killed mid-run loses nothing and
doubles nothing."""
from __future__ import annotations

import getpass
import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from observatory.reading import read_inputs
from observatory.record.store import open_store
from observatory.record.store.ingest import ingest
from observatory.record.store.models import AuditEntry, Document, Event, IncidentEvent
from observatory.scale import connect, ingest_on_cluster
from observatory.scale.workers import for_worker, loaded
from test_merge_order import SAMPLE, record_digest
from test_store import _drop_postgres, _postgres_url


@pytest.fixture(scope="module")
def serial(extractor, tmp_path_factory):
    """The sample ingested the ordinary way, in one process, into SQLite."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('serial') / 'serial.db'}")
    summary = ingest(read_inputs([str(SAMPLE)], limit=10_000_000), store=store,
                     extractor=extractor)
    assert (summary.new, summary.failed) == (59, 0)
    digest = record_digest(store)
    store.close()
    return digest


@pytest.fixture
def postgres():
    url, admin, name = _postgres_url()
    yield url
    _drop_postgres(admin, name)


def _complete(store) -> None:
    """Every document once, every document with its events, every event in an incident."""
    with store.session() as session:
        assert session.execute(select(func.count(Document.id),
                                      func.count(func.distinct(Document.sha256)))).one() == (59, 59)
        assert session.scalar(select(func.count(Document.id)).where(~select(Event.id).where(
            Event.document_id == Document.id).exists())) == 0
        assert session.scalar(select(func.count(Event.id)).where(~select(
            IncidentEvent.event_id).where(IncidentEvent.event_id == Event.id).exists())) == 0


def test_two_workers_into_postgresql_give_the_serial_record(serial, postgres):
    run = subprocess.run([sys.executable, "-m", "observatory", "ingest", str(SAMPLE),
                          "--workers", "2", "--db", postgres],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    assert "Dask dashboard: http" in run.stderr
    assert "59 new, 0 already stored, 0 failed" in run.stderr
    store = open_store(postgres)
    _complete(store)
    assert record_digest(store) == serial
    # The workers extract, but who asked for the ingest is who stored each report.
    with store.session() as session:
        assert set(session.scalars(select(AuditEntry.actor).where(
            AuditEntry.action == "ingest"))) == {f"cli:{getpass.getuser()}"}
    store.close()


def test_a_worker_killed_mid_run_loses_nothing_and_doubles_nothing(serial, settings, tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'killed.db'}")
    killed: list[int] = []
    with connect(workers=2) as client:
        def on_item(state: str, _item) -> None:
            # After the first stored batch, with batches still queued on both workers.
            if state == "new" and not killed:
                pid = next(iter(client.run(os.getpid).values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        summary = ingest_on_cluster(read_inputs([str(SAMPLE)], limit=10_000_000), store=store,
                                    settings=settings, client=client, on_item=on_item,
                                    batch=4, task_documents=2)
        client.wait_for_workers(2, timeout=120)
        assert killed and killed[0] not in client.run(os.getpid).values()  # it really died
        # The worker started in its place loaded the pipeline as it started.
        assert all(client.run(loaded, for_worker(settings)).values())
    assert (summary.new, summary.already, summary.failed) == (59, 0, 0)
    _complete(store)
    assert record_digest(store) == serial
    store.close()
