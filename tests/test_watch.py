"""Watching sources: a local HTTP server started here serves a feed that changes between
polls; only new entries are ingested, 304 is honoured, a summary-only entry gets its article
fetched, errors back off, a contradicting report raises one alert (Atom feed and a signed
webhook), and a killed `watch run` neither misses nor repeats an entry."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text
from typer.testing import CliRunner

from test_store import db_url  # noqa: F401  (the SQLite and PostgreSQL store fixture)
from observatory.cli import app
from observatory.desk.api import create_app
from observatory.record.changes import Change, Facts
from observatory.record.store import open_store
from observatory.record.store.models import Alert, Document
from observatory.settings import load_settings
from observatory.watch.deliver import SIGNATURE_HEADER
from observatory.watch.poll import run_once
from observatory.watch.rules import RuleInfo, matches
from observatory.watch.sources import add_source, list_sources, now

ROOT = Path(__file__).resolve().parents[1]
SECRET = "test-secret"


class Site:
    """A local web server whose pages the test changes; it answers If-None-Match with 304
    and records every request."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, bytes, str, str | None]] = {}
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.redirects: dict[str, str] = {}
        # Called on each POST once it is recorded, before it is answered: a test holds it there.
        self.hold: Callable[[], None] | None = None
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args) -> None:
                pass

            def _answer(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                site.requests.append((self.command, self.path, dict(self.headers), body))
                if site.hold and self.command == "POST":
                    site.hold()
                if self.path in site.redirects:
                    self.send_response(302)
                    self.send_header("Location", site.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status, content, ctype, etag = site.pages.get(
                    self.path, (404, b"not found", "text/plain", None))
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(content)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self, method: str = "GET") -> list[str]:
        return [p for m, p, _, _ in self.requests if m == method]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def rss(*items: str) -> bytes:
    return ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/'
            'modules/content/"><channel><title>Test Wire</title>' + "".join(items) +
            '</channel></rss>').encode("utf-8")


def item(guid: str, title: str, body: str | None = None, link: str | None = None,
         summary: str = "A short summary.") -> str:
    content = f"<content:encoded><![CDATA[{body}]]></content:encoded>" if body else ""
    return (f"<item><guid>{guid}</guid><title>{title}</title>"
            f"<pubDate>Wed, 18 Dec 2019 09:00:00 +0000</pubDate>"
            f"{f'<link>{link}</link>' if link else ''}<description>{summary}</description>"
            f"{content}</item>")


FIVE = item("five", "Shelling kills five civilians in Maarat al-Numan",
            "<p>Five civilians were killed on Tuesday when government artillery shelled the town "
            "of Maarat al-Numan in southern Idlib, the Syrian Observatory for Human Rights "
            "said.</p>")
TWELVE_PAGE = (ROOT / "src/observatory/data/feed/articles/maarat-twelve.html").read_bytes()


def settings_for(db: str, **more):
    return load_settings(env={}, overrides={"db": db, "fetch_host_delay": 0, **more})


def test_feed_polls_ingest_only_new_entries_and_one_contradiction_raises_one_alert(
        db_url, extractor, site):  # noqa: F811
    hook = Site()
    hook.pages["/hook"] = (200, b"ok", "text/plain", None)
    settings = settings_for(db_url, alert_webhook_url=hook.url + "/hook",
                            alert_webhook_secret=SECRET)
    store = open_store(db_url)
    site.pages["/feed.xml"] = (200, rss(FIVE), "application/rss+xml", '"v1"')
    add_source(store, site.url + "/feed.xml", outlet="Test Wire", every_seconds=900)

    (first,) = run_once(store, settings=settings, extractor=extractor)
    assert (first.status, first.new) == ("ok", 1)
    assert "ConflictObservatory" in site.requests[0][2]["User-Agent"]
    # Not due again for 15 minutes; forced, the unchanged feed answers 304.
    assert run_once(store, settings=settings, extractor=extractor) == []
    (again,) = run_once(store, settings=settings, extractor=extractor, force=True)
    assert again.status == "not-modified" and site.requests[-1][2]["If-None-Match"] == '"v1"'

    # The feed grows a summary-only entry whose article gives another toll.
    site.pages["/feed.xml"] = (200, rss(FIVE, item("twelve", "Twelve killed in Maarat al-Numan",
                                                   link="/articles/twelve.html")),
                               "application/rss+xml", '"v2"')
    site.pages["/articles/twelve.html"] = (200, TWELVE_PAGE, "text/html", None)
    (third,) = run_once(store, settings=settings, extractor=extractor, force=True)
    assert (third.status, third.new, third.already, third.alerts) == ("ok", 1, 0, 1)
    assert "/articles/twelve.html" in site.paths()
    with store.session() as session:
        assert session.scalar(select(func.count(Document.id))) == 2
        fetched = session.scalar(select(Document).where(Document.key == "twelve"))
        assert "searching the rubble" in fetched.text  # the article, not the summary
        (alert,) = session.scalars(select(Alert)).all()
        assert set(alert.kinds) == {"dispute", "fatalities"}
        assert alert.delivered_at is not None

    client = TestClient(create_app(store, settings), base_url="http://127.0.0.1")
    feed = feedparser.parse(client.get("/alerts.atom").content)
    assert [e.title for e in feed.entries] == [alert.title]
    assert feed.entries[0].link.endswith(f"/app/incidents/i{alert.incident_id}")

    (post,) = [r for r in hook.requests if r[0] == "POST"]
    signature = hmac.new(SECRET.encode(), post[3], hashlib.sha256).hexdigest()
    assert post[2][SIGNATURE_HEADER] == "sha256=" + signature
    assert json.loads(post[3])["title"] == alert.title
    hook.close()
    store.close()


def test_server_error_and_garbage_back_off_and_show_per_source(db_url, extractor, site):  # noqa: F811
    settings = settings_for(db_url)
    store = open_store(db_url)
    site.pages["/feed.xml"] = (500, b"oops", "text/plain", None)
    site.pages["/garbage.xml"] = (200, b"\x00\x01 not a feed at all", "text/xml", None)
    add_source(store, site.url + "/feed.xml", outlet="Test Wire", every_seconds=900)
    add_source(store, site.url + "/garbage.xml", outlet="Junk", every_seconds=900)
    at = now()
    failed, junk = run_once(store, settings=settings, extractor=extractor, at=at)
    assert failed.status == junk.status == "error"
    assert "HTTP 500" in failed.error and failed.retry_at == at + timedelta(seconds=60)
    asked = len(site.requests)
    # Not retried before the backoff ends; then the wait doubles.
    assert run_once(store, settings=settings, extractor=extractor,
                    at=at + timedelta(seconds=30)) == []
    assert len(site.requests) == asked
    failed, _ = run_once(store, settings=settings, extractor=extractor,
                         at=at + timedelta(seconds=60))
    assert failed.retry_at == at + timedelta(seconds=60 + 120)
    shown = {s.url.rsplit("/", 1)[1]: s for s in list_sources(store)}
    assert shown["feed.xml"].failures == 2 and "HTTP 500" in shown["feed.xml"].last_error
    # Recovered: the failures reset and the interval is back.
    site.pages["/feed.xml"] = (200, rss(FIVE), "application/rss+xml", None)
    ok, _ = run_once(store, settings=settings, extractor=extractor,
                     at=at + timedelta(seconds=180))
    assert (ok.status, ok.new) == ("ok", 1)
    assert {s.url.rsplit("/", 1)[1]: s.failures for s in list_sources(store)}["feed.xml"] == 0
    store.close()


def test_a_link_off_the_source_hosts_is_not_followed(db_url, extractor, site):  # noqa: F811
    settings = settings_for(db_url)
    store = open_store(db_url)
    other = site.url.replace("127.0.0.1", "localhost")
    site.pages["/feed.xml"] = (200, rss(item(
        "away", "Clashes reported near Saraqib",
        link=other + "/articles/away.html",
        summary="Clashes between government forces and rebels were reported near Saraqib "
                "in Idlib on Tuesday, activists said.")), "application/rss+xml", None)
    add_source(store, site.url + "/feed.xml", outlet="Test Wire", every_seconds=900)
    (result,) = run_once(store, settings=settings, extractor=extractor)
    assert result.new == 1 and "/articles/away.html" not in site.paths()
    # A redirect off the hosts is refused too, unless the host is allowed.
    site.redirects["/moved.xml"] = other + "/feed.xml"
    add_source(store, site.url + "/moved.xml", outlet="Moved", every_seconds=900)
    (refused,) = run_once(store, settings=settings, extractor=extractor)
    assert refused.status == "error" and "not among the source's hosts" in refused.error
    add_source(store, site.url + "/moved.xml?again", outlet="Moved", every_seconds=900,
               allow_hosts=("localhost",))
    site.redirects["/moved.xml?again"] = other + "/feed.xml"
    site.pages["/articles/away.html"] = (200, TWELVE_PAGE, "text/html", None)
    # An entry of its own: the first one's id already names the summary stored above.
    site.pages["/feed.xml"] = (200, rss(item(
        "away-article", "Clashes reported near Saraqib", link=other + "/articles/away.html",
        summary="Clashes were reported near Saraqib, activists said.")),
        "application/rss+xml", None)
    (allowed,) = run_once(store, settings=settings, extractor=extractor)
    # Allowed, the host's article is fetched too: a document of its own for this source.
    assert (allowed.status, allowed.new) == ("ok", 1), allowed
    assert "/articles/away.html" in site.paths()
    store.close()


def test_rules_match_areas_and_types():
    facts = Facts(id=1, event_type="Explosions/Remote violence",
                  sub_event_type="Shelling/artillery/missile attack", topic=None,
                  date="2019-12-17", place="Ma'arrat An Nu'man", admin1="Idleb", lat=35.65,
                  lon=36.67, confidence="single-source", fatalities=(5, 5),
                  disputes=frozenset(), status=None)
    new = Change("new", facts)
    assert matches(RuleInfo(1, None, "area", {"admin1": "idleb"}, True), new)
    assert matches(RuleInfo(2, None, "area", {"bbox": [36, 35, 37, 36]}, True), new)
    assert not matches(RuleInfo(3, None, "area", {"bbox": [38, 35, 39, 36]}, True), new)
    assert matches(RuleInfo(4, None, "type", {"type": "Explosions/Remote violence"}, True), new)
    assert not matches(RuleInfo(5, None, "dispute", {}, True), new)
    assert matches(RuleInfo(6, None, "dispute", {}, True), Change("dispute", facts, None, "x"))


def test_watch_commands_keep_sources_and_rules(tmp_path, site):
    db = f"sqlite:///{tmp_path / 'w.db'}"
    runner = CliRunner()
    url = site.url + "/feed.xml"
    out = runner.invoke(app, ["watch", "add", url, "--outlet", "Wire", "--every", "15m",
                              "--db", db])
    assert out.exit_code == 0, out.output
    again = runner.invoke(app, ["watch", "add", url, "--db", db])
    assert again.exit_code == 2 and "already watched" in again.output
    bad = runner.invoke(app, ["watch", "add", url + "2", "--every", "soon", "--db", db])
    assert bad.exit_code == 2 and "--every" in bad.output
    listed = runner.invoke(app, ["watch", "list", "--db", db])
    assert "Wire" in listed.output and "900s" in listed.output
    assert runner.invoke(app, ["watch", "disable", "1", "--db", db]).exit_code == 0
    rule = runner.invoke(app, ["watch", "rules", "add", "area", "--bbox", "36,35,37,36",
                               "--db", db])
    assert rule.exit_code == 0, rule.output
    rules = runner.invoke(app, ["watch", "rules", "list", "--db", db]).output
    assert "global\tarea\tbbox=[36.0, 35.0, 37.0, 36.0]" in rules and "\tdispute\t" in rules
    assert runner.invoke(app, ["watch", "remove", url, "--db", db]).exit_code == 0
    assert "Wire" not in runner.invoke(app, ["watch", "list", "--db", db]).output


def test_run_once_polls_every_enabled_source_due_or_not(tmp_path, site):
    db = f"sqlite:///{tmp_path / 'o.db'}"
    runner = CliRunner()
    site.pages["/feed.xml"] = (200, rss(FIVE), "application/rss+xml", None)
    site.pages["/off.xml"] = (200, rss(FIVE), "application/rss+xml", None)
    for url, more in (("/feed.xml", []), ("/off.xml", ["--disabled"])):
        added = runner.invoke(app, ["watch", "add", site.url + url, "--every", "1d", "--db", db,
                                    *more])
        assert added.exit_code == 0, added.output
    first = runner.invoke(app, ["watch", "run", "--once", "--db", db])
    assert first.exit_code == 0 and "1 new" in first.output, first.output
    # Not due for a day: cron asked, so it is polled all the same (the switched-off one not).
    site.pages["/feed.xml"] = (200, rss(FIVE, item("r2", "Report 2", "<p>Government aircraft "
                                                   "struck Ariha in Idlib on Tuesday, killing "
                                                   "three people, activists said.</p>")),
                               "application/rss+xml", None)
    second = runner.invoke(app, ["watch", "run", "--once", "--db", db])
    assert second.exit_code == 0 and "1 new, 0 already stored" in second.output, second.output
    assert site.paths().count("/feed.xml") == 2 and "/off.xml" not in site.paths()


def test_lists_mark_what_is_new_since_the_last_visit_and_alerts_count_unread(tmp_path):
    db = f"sqlite:///{tmp_path / 'v.db'}"
    store = open_store(db)
    client = TestClient(create_app(store, settings_for(db)), base_url="http://127.0.0.1")
    assert "First visit" in client.get("/app").text
    assert "<b>0 new</b>" in client.get("/app").text
    from observatory.watch.rules import raise_alerts
    facts = Facts(id=7, event_type="Battles", sub_event_type="Armed clash", topic=None,
                  date=None, place=None, admin1="Idleb", lat=None, lon=None,
                  confidence="contested", fatalities=(None, None), disputes=frozenset(),
                  status=None)
    raise_alerts(store, [Change("contested", facts, "single-source", "contested")])
    page = client.get("/app/alerts").text
    assert '<b id="unread">1</b>' in page
    assert client.post("/app/alerts/read", follow_redirects=False).status_code == 303
    assert '<b id="unread">0</b>' in client.get("/app/alerts").text
    assert client.get("/alerts").json()["unread"] == 0
    store.close()


def _count(db: str, query: str) -> int:
    engine = create_engine(db)
    with engine.connect() as conn:
        value = conn.execute(text(query)).scalar()
    engine.dispose()
    return value


def test_a_killed_watch_run_neither_misses_nor_repeats_an_entry(tmp_path, site):
    db = f"sqlite:///{tmp_path / 'k.db'}"
    env = {**os.environ, "OBSERVATORY_DB": db, "OBSERVATORY_FETCH_HOST_DELAY": "0",
           "OBSERVATORY_SETTINGS": str(tmp_path / "none.toml")}
    (tmp_path / "none.toml").write_text("")
    cmd = [sys.executable, "-m", "observatory", "watch"]
    reports = [item(f"r{n}", f"Report {n}",
                    f"<p>Government aircraft struck the village of {place} in Idlib on Tuesday, "
                    f"killing {n + 2} people, the Syrian Observatory for Human Rights said.</p>")
               for n, place in enumerate(["Kafranbel", "Saraqib", "Ariha"], 1)]
    site.pages["/feed.xml"] = (200, rss(reports[0]), "application/rss+xml", None)
    subprocess.run([*cmd, "add", site.url + "/feed.xml", "--every", "1s"], env=env, check=True)
    proc = subprocess.Popen([*cmd, "run"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while _count(db, "select count(*) from watch_seen") < 1:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.2)
        site.pages["/feed.xml"] = (200, rss(*reports[:2]), "application/rss+xml", None)
        while _count(db, "select count(*) from watch_seen") < 2:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    site.pages["/feed.xml"] = (200, rss(*reports), "application/rss+xml", None)
    rerun = subprocess.run([*cmd, "run", "--once"], env=env, capture_output=True,
                           text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "1 new, 0 already stored" in rerun.stderr
    assert _count(db, "select count(*) from documents") == 3
    assert _count(db, "select count(distinct key) from documents") == 3
    assert _count(db, "select count(*) from watch_seen") == 3


def test_json_lines_endpoints_and_folders_are_watched_too(db_url, extractor, site, tmp_path):  # noqa: F811
    settings = settings_for(db_url)
    store = open_store(db_url)
    line = {"id": "j1", "title": "Clashes near Saraqib", "published": "2019-12-18",
            "text": "Clashes between government forces and rebels near Saraqib in Idlib killed "
                    "four fighters on Tuesday, the Syrian Observatory for Human Rights said."}
    site.pages["/reports.jsonl"] = (200, (json.dumps(line) + "\n{broken\n").encode(),
                                    "application/x-ndjson", None)
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a.txt").write_text("Government aircraft struck Ariha in Idlib on Tuesday, "
                                  "killing three people, activists said.\n")
    add_source(store, site.url + "/reports.jsonl", outlet="Lines", every_seconds=60)
    add_source(store, str(folder), outlet="Drop", every_seconds=60)
    errors = []
    lines, drop = run_once(store, settings=settings, extractor=extractor,
                           on_error=lambda source, message: errors.append(source))
    assert (lines.new, lines.failed, drop.new) == (1, 1, 1)
    assert errors == [site.url + "/reports.jsonl:2"]  # the bad line, named, reported once
    (folder / "b.txt").write_text("Rebels shelled Aleppo's Hamdaniyeh district on Tuesday, "
                                  "wounding five civilians, state media said.\n")
    lines, drop = run_once(store, settings=settings, extractor=extractor, force=True,
                           on_error=lambda source, message: errors.append(source))
    assert (lines.new, lines.failed, drop.new, drop.already) == (0, 0, 1, 0)
    assert len(errors) == 1
    store.close()


def test_webhook_delivery_is_retried_and_kept_for_the_next_run(tmp_path):
    from observatory.watch.deliver import deliver_pending
    from observatory.watch.rules import raise_alerts

    hook = Site()
    db = f"sqlite:///{tmp_path / 'h.db'}"
    store = open_store(db)
    settings = settings_for(db, alert_webhook_url=hook.url + "/hook", alert_webhook_attempts=2)
    facts = Facts(id=3, event_type="Battles", sub_event_type="Armed clash", topic=None,
                  date=None, place=None, admin1=None, lat=None, lon=None, confidence="denied",
                  fatalities=(None, None), disputes=frozenset(), status=None)
    raise_alerts(store, [Change("denied", facts, "single-source", "denied")])
    hook.pages["/hook"] = (503, b"busy", "text/plain", None)
    waits = []
    assert deliver_pending(store, settings, sleep=waits.append) == (0, 1)
    assert len(hook.paths("POST")) == 2 and waits == [1]
    with store.session() as session:
        (alert,) = session.scalars(select(Alert)).all()
        assert alert.delivery_error == "HTTP 503" and alert.delivered_at is None
    hook.pages["/hook"] = (200, b"ok", "text/plain", None)
    assert deliver_pending(store, settings, sleep=waits.append) == (1, 0)
    assert deliver_pending(store, settings, sleep=waits.append) == (0, 0)  # not sent twice
    assert SIGNATURE_HEADER not in hook.requests[-1][2]  # no secret, no signature
    hook.close()
    store.close()


def _alerts(store, n: int) -> list[int]:
    """``n`` alerts, one per incident (a denial each)."""
    from observatory.watch.rules import raise_alerts

    return raise_alerts(store, [Change("denied", Facts(
        id=incident, event_type="Battles", sub_event_type="Armed clash", topic=None, date=None,
        place=None, admin1=None, lat=None, lon=None, confidence="denied",
        fatalities=(None, None), disputes=frozenset(), status=None), "single-source", "denied")
        for incident in range(1, n + 1)])


def _posted(hook: Site) -> list[int]:
    return [json.loads(body)["id"] for method, _, _, body in hook.requests if method == "POST"]


def test_two_deliverers_at_once_post_each_alert_once(db_url):  # noqa: F811
    from observatory.watch.deliver import deliver_pending

    hook = Site()
    hook.pages["/hook"] = (200, b"ok", "text/plain", None)
    settings = settings_for(db_url, alert_webhook_url=hook.url + "/hook")
    stores = [open_store(db_url), open_store(db_url)]  # two deliverers, two engines
    ids = _alerts(stores[0], 12)
    # The first POST is answered only once a second one arrives: both deliverers are then
    # posting at the same time, each what it claimed (without claims, the same alert).
    together, held, lock = threading.Barrier(2, timeout=60), [0], threading.Lock()

    def hold() -> None:
        with lock:
            held[0] += 1
            first_two = held[0] <= 2
        if first_two:
            together.wait()

    hook.hold = hold
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda store: deliver_pending(store, settings), stores))
    assert sorted(_posted(hook)) == ids  # every alert, each once
    assert sum(d for d, _ in results) == len(ids) and all(d for d, _ in results)
    assert [f for _, f in results] == [0, 0]
    with stores[0].session() as session:
        for alert in session.scalars(select(Alert)):
            assert alert.delivered_at is not None and alert.delivery_attempts == 1
            assert (alert.delivery_claimed_by, alert.delivery_claimed_until) == (None, None)
    hook.close()
    for store in stores:
        store.close()


DELIVER = ("import sys\n"
           "from observatory.record.store import open_store\n"
           "from observatory.settings import load_settings\n"
           "from observatory.watch.deliver import deliver_pending\n"
           "deliver_pending(open_store(sys.argv[1]), load_settings(env={}, overrides={\n"
           "    'db': sys.argv[1], 'alert_webhook_url': sys.argv[2]}))\n")


def test_a_dead_deliverers_lease_is_taken_over_once_it_expires(db_url):  # noqa: F811
    from observatory.watch.deliver import deliver_pending

    hook = Site()
    hook.pages["/hook"] = (200, b"ok", "text/plain", None)
    answer = threading.Event()
    hook.hold = lambda: answer.wait(60)  # the dead deliverer's POST is never answered
    store = open_store(db_url)
    (alert_id,) = _alerts(store, 1)
    proc = subprocess.Popen([sys.executable, "-c", DELIVER, db_url, hook.url + "/hook"])
    try:
        deadline = time.monotonic() + 120
        while not _posted(hook):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    answer.set()
    hook.hold = None
    with store.session() as session:
        dead = session.get(Alert, alert_id)
        assert dead.delivered_at is None and f"pid {proc.pid}" in dead.delivery_claimed_by
    settings = settings_for(db_url, alert_webhook_url=hook.url + "/hook")
    # Its lease runs: nobody sends the alert again ...
    assert deliver_pending(store, settings) == (0, 0)
    assert _posted(hook) == [alert_id]
    # ... until it has expired: then the next deliverer takes the alert over.
    later = dead.delivery_claimed_until + timedelta(seconds=1)
    assert deliver_pending(store, settings, clock=lambda: later) == (1, 0)
    assert _posted(hook) == [alert_id, alert_id]
    with store.session() as session:
        taken = session.get(Alert, alert_id)
        assert taken.delivered_at == later and taken.delivery_attempts == 2
        assert taken.delivery_claimed_by is None
    hook.close()
    store.close()


def test_an_ingest_by_hand_raises_alerts_too(tmp_path):
    db = f"sqlite:///{tmp_path / 'i.db'}"
    examples = ROOT / "src/observatory/data/examples"
    runner = CliRunner()
    out = runner.invoke(app, ["ingest", str(examples / "state-media-corridor-2019-08-22.txt"),
                              "--db", db])
    # A new announcement is a status change (none -> announced).
    assert out.exit_code == 0 and "; 1 alerts" in " ".join(out.output.split()), out.output
    out = runner.invoke(app, ["ingest", str(examples / "memo-2019-08-23-sohr-corridor.txt"),
                              "--db", db])
    assert out.exit_code == 0 and "; 0 alerts" not in " ".join(out.output.split())
    store = open_store(db)
    with store.session() as session:
        first, *later = session.scalars(select(Alert).order_by(Alert.id)).all()
        assert first.kinds == ["status"]
        # The denial: one alert on the corridor, with its dispute and its new status.
        (corridor,) = [a for a in later if a.incident_id == first.incident_id]
        assert {"dispute", "status"} <= set(corridor.kinds)
    store.close()
