"""A view's total is kept while the store is unchanged, made once however many requests ask for
it at the same moment, and made again once the store changes."""
from __future__ import annotations

import threading
import time
from datetime import datetime

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
