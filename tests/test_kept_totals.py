"""A view's total is kept while the store is unchanged, made once however many requests ask for
it at the same moment, and made again once the store changes."""
from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path

from observatory.record.store import open_store
from observatory.record.store.browse import Summaries, total
from observatory.record.store.models import Incident


def test_requests_asking_at_once_wait_for_one_count(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'kept.db'}")
    made = []

    def slow_total(session, filters):
        made.append(filters)
        time.sleep(0.2)  # long enough for every asker to arrive while it counts
        return total(session, filters)

    totals = Summaries(make=slow_total)
    answers = []

    def ask():
        with store.session() as session:
            answers.append(totals.of(session, {"admin1": "Idleb"}))

    askers = [threading.Thread(target=ask) for _ in range(6)]
    for a in askers:
        a.start()
    for a in askers:
        a.join()
    assert answers == [0] * 6 and len(made) == 1

    with store.session() as session, session.begin():
        session.add(Incident(event_type="Battles", sub_event_type="Armed clash",
                             admin1="Idleb", origins=1, confidence="single-source", status=[],
                             updated_at=datetime(2026, 1, 1)))
    with store.session() as session:
        assert totals.of(session, {"admin1": "Idleb"}) == 1
    assert len(made) == 2
    store.close()


def test_the_pages_and_the_api_share_caches_filled_at_start(tmp_path, settings, extractor):
    """The unfiltered facets and the sources' counts are read once, as the server starts,
    and the API's answers come from those caches, not from the store again."""
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from observatory.desk.api import create_app
    from observatory.reading import read_inputs
    from observatory.record.store.ingest import ingest

    examples = Path(__file__).resolve().parents[1] / "src/observatory/data/examples"
    store = open_store(f"sqlite:///{tmp_path / 'warm.db'}")
    ingest(read_inputs([str(examples)], limit=10_000_000), store=store, extractor=extractor)
    grouped: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda _c, _k, sql, *_: grouped.append(sql) if "GROUP BY" in sql else None)
    with TestClient(create_app(store, settings), base_url="http://127.0.0.1") as client:
        started = len(grouped)
        assert started  # the warming read them
        facets = client.get("/incidents/facets").json()
        sources = client.get("/sources").json()
        page = client.get("/app")
        assert len(grouped) == started
    assert facets["total"] > 0 and sources["speakers"] and sources["outlets"]
    assert page.status_code == 200
    store.close()
