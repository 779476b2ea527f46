"""POST /documents extracts in a process of its own: the server's interpreter never runs spaCy,
a dead worker is replaced, a report that kills it is refused, and the worker stops with the
last app using it."""
from __future__ import annotations

import os
import signal

import pytest
from fastapi.testclient import TestClient

from observatory.coding import pipeline
from observatory.desk.api import create_app
from observatory.desk.api import extraction
from observatory.record import accounts
from observatory.record.store import open_store


@pytest.fixture
def posting(tmp_path, settings):
    store = open_store(f"sqlite:///{tmp_path / 'pool.db'}")
    with store.session() as session, session.begin():
        token = accounts.add_user(session, "ed", role="editor", by="test")
    with TestClient(create_app(store, settings), base_url="http://127.0.0.1") as client:
        def post(text: str):
            return client.post("/documents", content=text.encode(),
                               headers={"authorization": f"Bearer {token}",
                                        "content-type": "text/plain"})
        yield post, extraction.pool_for(settings)
    store.close()


def _die(_settings, _items):
    # Sent to the worker in place of the extraction: the process ends as if killed mid-report.
    os._exit(1)


def test_a_posted_report_is_extracted_outside_the_server(posting, monkeypatch):
    post, pool = posting

    def refused(_settings):
        raise AssertionError("the pipeline was loaded in the server's process")

    monkeypatch.setattr(pipeline.Extractor, "from_settings", refused)
    answer = post("Shelling hit Saraqib on Monday, killing three civilians.")
    assert answer.status_code == 201 and answer.json()["stored"]
    assert pool.pid is not None and pool.pid != os.getpid()


def test_a_dead_worker_is_replaced(posting):
    post, pool = posting
    assert post("Shelling hit Saraqib on Monday, killing three civilians.").status_code == 201
    first = pool.pid
    os.kill(first, signal.SIGKILL)
    answer = post("An air strike hit Ariha on Tuesday, killing two people.")
    assert answer.status_code == 201 and answer.json()["stored"]
    assert pool.pid not in (None, first)


def test_a_report_that_kills_the_worker_is_refused_and_the_next_is_read(posting, monkeypatch):
    post, pool = posting
    with monkeypatch.context() as m:
        m.setattr(extraction, "_extract", _die)
        answer = post("Clashes in Maarat al-Numan on Wednesday left four fighters dead.")
    assert answer.status_code == 503
    assert "extraction worker" in answer.json()["detail"]
    again = post("Clashes in Maarat al-Numan on Wednesday left four fighters dead.")
    assert again.status_code == 201 and again.json()["stored"]


def test_the_worker_stops_with_the_last_app_using_it(tmp_path, settings):
    store = open_store(f"sqlite:///{tmp_path / 'stop.db'}")
    with store.session() as session, session.begin():
        token = accounts.add_user(session, "ed", role="editor", by="test")
    with TestClient(create_app(store, settings), base_url="http://127.0.0.1") as client:
        with TestClient(create_app(store, settings), base_url="http://127.0.0.1") as other:
            assert other.post("/documents", json={"text": "Shelling hit Saraqib on Monday."},
                              headers={"authorization": f"Bearer {token}"}).status_code == 201
            pid = extraction.pool_for(settings).pid
        os.kill(pid, 0)  # still alive: the first app serves on
        assert client.get("/incidents").status_code == 200
    store.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
