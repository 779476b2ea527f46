"""Every ingest raises alerts alike (watch/alerting.py): a report posted to the API that
contradicts the toll of an earlier one raises one alert, seen in /alerts.atom, on the alerts
page and by the webhook; the snapshots behind alerts read only the incidents the merge
touched, give the alerts a whole-store comparison gives, and read as many rows on a store of
10 incidents as on one of 10,000."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import date, datetime
from pathlib import Path

import feedparser
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from test_store import db_url  # noqa: F401  (the SQLite and PostgreSQL store fixture)
from test_watch import SECRET, Site, settings_for
from observatory.desk.api import create_app
from observatory.reading import read_inputs, read_jsonl
from observatory.record import accounts, changes
from observatory.record.changes import Tracker, diff, snapshot
from observatory.record.store import open_store
from observatory.record.store.ingest import ingest
from observatory.record.store.models import Alert, Incident
from observatory.watch.alerting import ingest_with_alerts
from observatory.watch.deliver import SIGNATURE_HEADER

EXAMPLES = Path(__file__).resolve().parents[1] / "src/observatory/data/examples"
FIVE = {"id": "five", "title": "Shelling kills five civilians in Maarat al-Numan",
        "published": "2019-12-18", "outlet": "Test Wire",
        "text": "Five civilians were killed on Tuesday when government artillery shelled the "
                "town of Maarat al-Numan in southern Idlib, the Syrian Observatory for Human "
                "Rights said."}
TWELVE = {"id": "twelve", "title": "Twelve killed in Maarat al-Numan shelling, rescuers say",
          "published": "2019-12-18", "outlet": "Other Wire",
          "text": "Twelve civilians were killed on Tuesday when government artillery shelled "
                  "the town of Maarat al-Numan in southern Idlib, the Syrian Civil Defence "
                  "said. Rescuers said they were still searching the rubble of two houses."}


def _editor(store) -> dict[str, str]:
    with store.session() as session, session.begin():
        return {"authorization": "Bearer " + accounts.add_user(session, "ed", role="editor",
                                                               by="test")}


def test_a_posted_report_contradicting_the_toll_raises_one_alert(db_url):  # noqa: F811
    hook = Site()
    hook.pages["/hook"] = (200, b"ok", "text/plain", None)
    settings = settings_for(db_url, alert_webhook_url=hook.url + "/hook",
                            alert_webhook_secret=SECRET)
    store = open_store(db_url)
    editor = _editor(store)
    with TestClient(create_app(store, settings), base_url="http://127.0.0.1") as client:
        for report, alerts in ((FIVE, 0), (TWELVE, 1)):
            posted = client.post("/documents", content=json.dumps(report),
                                 headers={"content-type": "application/json", **editor})
            assert posted.status_code == 201, posted.text
            assert (posted.json()["stored"], posted.json()["alerts"]) == (True, alerts)
        with store.session() as session:
            (alert,) = session.scalars(select(Alert)).all()
        assert set(alert.kinds) == {"dispute", "fatalities"}
        feed = feedparser.parse(client.get("/alerts.atom").content)
        assert [e.title for e in feed.entries] == [alert.title]
        assert '<b id="unread">1</b>' in client.get("/app/alerts").text
        # Delivered from the server's own thread, after the answer.
        deadline = time.monotonic() + 30
        while not hook.paths("POST") and time.monotonic() < deadline:
            time.sleep(0.1)
    (post,) = [r for r in hook.requests if r[0] == "POST"]
    assert post[2][SIGNATURE_HEADER] == "sha256=" + hmac.new(
        SECRET.encode(), post[3], hashlib.sha256).hexdigest()
    assert json.loads(post[3])["id"] == alert.id
    hook.close()
    store.close()


def _lines(*reports: dict) -> list:
    return list(read_jsonl([json.dumps(r).encode() for r in reports], source="<test>",
                           limit=10_000_000))


def test_tracked_snapshots_give_the_alerts_of_whole_store_snapshots(db_url, extractor):  # noqa: F811
    store = open_store(db_url)
    ingest(read_inputs([str(EXAMPLES / "state-media-corridor-2019-08-22.txt")],
                       limit=10_000_000), store=store, extractor=extractor)
    ingest(_lines(FIVE), store=store, extractor=extractor)
    later = [*read_inputs([str(EXAMPLES)], limit=10_000_000), *_lines(TWELVE)]
    with store.session() as session:
        whole_before = snapshot(session, ids=session.scalars(select(Incident.id)))
    tracker = Tracker()
    ingest(later, store=store, extractor=extractor, tracker=tracker)
    with store.session() as session:
        whole = diff(whole_before, snapshot(session, ids=session.scalars(select(Incident.id))))
        tracked = tracker.changes(session)
        total = session.scalar(select(func.count(Incident.id)))
    # New incidents, a new dispute and a widened toll on old ones, a status: all alike.
    assert {c.kind for c in whole} >= {"new", "dispute", "fatalities", "status"}
    assert tracked == whole
    assert len(tracker.before) < total  # only what the merge touched was read
    store.close()


def _fill(store, n: int) -> None:
    """``n`` incidents years away from the reports ingested here: never their candidates."""
    now = datetime(2026, 1, 1)
    rows = [dict(event_type="Battles", sub_event_type="Armed clash", topic=None,
                 date_start=date(2005, 1, 1 + i % 28), date_end=date(2005, 1, 1 + i % 28),
                 date_precision="day", admin1="Idleb", origins=1,
                 confidence="single-source", status=[], updated_at=now) for i in range(n)]
    with store.engine.begin() as conn:
        for first in range(0, n, 5000):
            conn.execute(insert(Incident), rows[first:first + 5000])


def _elsewhere(report: dict) -> dict:
    return {**report, "id": report["id"] + "-b",
            "text": report["text"].replace("Maarat al-Numan in southern Idlib",
                                           "Saraqib in eastern Idlib")}


def test_the_alert_snapshots_read_as_many_rows_on_a_large_store(db_url, extractor,  # noqa: F811
                                                                  monkeypatch):
    read: list[int] = []
    whole = changes._snapshot

    def counted(session, ids):
        out = whole(session, ids)
        read.append(len(out))
        return out

    monkeypatch.setattr(changes, "_snapshot", counted)
    store = open_store(db_url)
    per_store = []
    # The same story twice, in two towns: once on a store of 10 incidents, once on 10,000;
    # the snapshots read the rows of the incidents the merge touched, and no others.
    for more, pair in ((10, (FIVE, TWELVE)), (9_990, (_elsewhere(FIVE), _elsewhere(TWELVE)))):
        _fill(store, more)
        read.clear()
        first = ingest_with_alerts(_lines(pair[0]), store=store, extractor=extractor)
        second = ingest_with_alerts(_lines(pair[1]), store=store, extractor=extractor)
        assert (len(first.alerts), len(second.alerts)) == (0, 1)
        per_store.append(sum(read))
    with store.session() as session:
        assert session.scalar(select(func.count(Incident.id))) > 10_000
    store.close()
    assert per_store[0] == per_store[1] <= 4


def test_alert_ids_are_64_bit(db_url):  # noqa: F811
    from observatory.record.changes import Change, Facts
    from observatory.watch.rules import raise_alerts

    store = open_store(db_url)
    big = 2**31 + 7  # an incident id past 32 bits names its alert, and any id pages the list
    facts = Facts(id=big, event_type="Battles", sub_event_type="Armed clash", topic=None,
                  date=None, place=None, admin1=None, lat=None, lon=None, confidence="denied",
                  fatalities=(None, None), disputes=frozenset(), status=None)
    (alert_id,) = raise_alerts(store, [Change("denied", facts, "single-source", "denied")])
    client = TestClient(create_app(store, settings_for(db_url)), base_url="http://127.0.0.1")
    page = client.get("/alerts", params={"before": 2**40})
    assert page.status_code == 200 and page.json()["items"][0]["incident"] == f"i{big}"
    assert client.get("/alerts", params={"before": alert_id}).json()["items"] == []
    editor = _editor(store)
    assert client.post("/alerts/read", params={"up_to": 2**40}, headers=editor).status_code == 200
    store.close()
