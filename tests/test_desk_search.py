"""Search, facets, sorting, paging and filtered exports through the API, on SQLite and
PostgreSQL; the spelling folding; the app's HTML error pages and offline API docs."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from observatory.desk.api import create_app
from observatory.reading import read_inputs
from observatory.record.search import fold, match_expression
from observatory.record.store import open_store
from observatory.record.store.ingest import ingest
from test_store import _drop_postgres, _postgres_url

EXAMPLES = Path(__file__).resolve().parents[1] / "src/observatory/data/examples"


@pytest.mark.parametrize("a,b", [("Idlib", "Idleb"), ("Deir ez-Zor", "Dayr al-Zawr"),
                                 ("Al-Hasakah", "Hasakeh"), ("Raqqa", "Rakka"),
                                 ("Khan Sheikhoun", "Khan Shaykhun"), ("Douma", "Duma"),
                                 ("Ḥimṣ", "Hims")])
def test_transliterations_fold_alike(a, b):
    assert fold(a) == fold(b)


def test_different_places_stay_apart():
    assert fold("Idlib") != fold("Aleppo") and fold("Homs") != fold("Hama")


def test_a_query_with_no_words_matches_nothing_rather_than_everything():
    assert match_expression("  -- ", "sqlite") is None
    assert "drana" in match_expression("airstrike", "postgresql")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(request, tmp_path_factory, settings, extractor):
    if request.param == "sqlite":
        url, admin = f"sqlite:///{tmp_path_factory.mktemp('desk') / 'desk.db'}", None
    else:
        url, admin, name = _postgres_url()
    store = open_store(url)
    ingest(read_inputs([str(EXAMPLES)], limit=10_000_000), store=store, extractor=extractor)
    with TestClient(create_app(store, settings), base_url="http://127.0.0.1") as c:
        c.store = store
        yield c
    store.close()
    if admin is not None:
        _drop_postgres(admin, name)


def ids(client, **params) -> set[str]:
    body = client.get("/incidents", params={**params, "limit": 500}).json()
    assert body["total"] == len(body["items"])
    return {i["id"] for i in body["items"]}


def test_search_tolerates_spelling_and_finds_types_by_their_everyday_word(client):
    idleb = ids(client, admin1="Idleb")
    assert idleb and idleb <= ids(client, q="idlib") == ids(client, q="IDLEB")
    strikes = ids(client, type="Air/drone strike")
    assert strikes and strikes <= ids(client, q="airstrike")
    assert ids(client, q="russia") and not ids(client, q="zzyzx")
    assert ids(client, q="khan shaykhun") == ids(client, q="Khan Sheikhoun") != set()


def test_search_reaches_reports_claims_and_sources(client):
    found = client.get("/search", params={"q": "corridor"}).json()
    assert found["documents"] and found["claims"] and found["sources"]
    assert all("corridor" in c["content"].lower() or c["speaker"] for c in found["claims"])


def test_governorate_typed_another_way_and_blank_fields(client):
    assert ids(client, admin1="Idlib") == ids(client, admin1="Idleb")
    everything = client.get("/incidents", params={"limit": 1}).json()["total"]
    blank = client.get("/incidents?since=&until=&admin1=&type=&q=&limit=1")
    assert blank.status_code == 200 and blank.json()["total"] == everything
    app = client.get("/app?since=&until=&admin1=Idleb&admin2=&confidence=&has_dispute=")
    assert app.status_code == 200 and app.headers["content-type"].startswith("text/html")


def test_facet_counts_are_what_each_filter_gives(client):
    body = client.get("/incidents/facets").json()
    facets = body["facets"]
    for name, param in (("admin1", "admin1"), ("type", "type"), ("confidence", "confidence"),
                        ("source", "source"), ("has_dispute", "has_dispute"),
                        ("admin2", "admin2"), ("actor", "actor")):
        assert facets[name], name
        for item in facets[name]:
            assert len(ids(client, **{param: item["value"]})) == item["count"], (name, item)
    assert sum(i["count"] for i in facets["confidence"]) == body["total"]
    outlet = facets["source"][0]["value"]
    both = client.get("/incidents/facets", params={"has_dispute": "no", "source": outlet}).json()
    assert both["total"] == len(ids(client, has_dispute="no", source=outlet)) > 0
    assert {i["value"] for i in both["facets"]["has_dispute"]} == {"no"}
    narrowed = client.get("/incidents/facets", params={"admin1": "Idleb"}).json()
    assert [i["value"] for i in narrowed["facets"]["admin1"]] == ["Idleb"]


def test_sorted_pages_cover_every_incident_once(client):
    total = client.get("/incidents", params={"limit": 1}).json()["total"]
    seen, offset, killed = [], 0, []
    while offset is not None:
        page = client.get("/incidents", params={"sort": "-fatalities", "limit": 4,
                                                "offset": offset}).json()
        assert page["total"] == total
        seen += [i["id"] for i in page["items"]]
        killed += [i["fatalities"]["low"] or 0 for i in page["items"]]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == total
    assert killed == sorted(killed, reverse=True)
    dates = [i["date"]["start"] for i in client.get(
        "/incidents", params={"sort": "-date", "limit": 500}).json()["items"] if i["date"]]
    assert dates == sorted(dates, reverse=True)


def test_exports_hold_exactly_the_filtered_incidents_with_outlets_and_notes(client):
    wanted = ids(client, admin1="Idleb")
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv?admin1=Idleb").text)))
    assert {r["event_id_cnty"] for r in rows} == wanted
    assert all(r["admin1"] == "Idleb" and r["notes"] for r in rows)
    assert any(r["source"] for r in rows)
    assert not any(re.search(r"fakes-|[0-9a-f]{64}", r["source"]) for r in rows)
    lines = client.get("/export.jsonl", params={"q": "airstrike"}).text.splitlines()
    assert len(lines) == len(ids(client, q="airstrike"))
    assert client.get("/export.csv?since=nonsense").status_code == 422


def test_app_pages_are_html_when_missing_and_docs_load_nothing_from_outside(client):
    missing = client.get("/app/incidents/i999999")
    assert missing.status_code == 404 and "<html" in missing.text
    assert "<html" in client.get("/app/no/such/page").text
    assert client.get("/incidents/i999999").headers["content-type"] == "application/json"
    docs = client.get("/docs").text
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs
    assert not re.search(r"(src|href)=[\"']https?://", docs)
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    page = client.get("/app").text
    assert not re.search(r"(src|href)=[\"']https?://", page)
    assert page.index('class="skip"') < page.index("<nav")


def test_disputes_are_paged_with_quotes_and_each_has_a_page(client):
    page = client.get("/app/disputes").text
    links = re.findall(r'href="/app/disputes/(\d+)"', page)
    assert links and "<blockquote>" in page
    one = client.get(f"/app/disputes/{links[0]}")
    assert one.status_code == 200 and "<blockquote>" in one.text
    assert client.get("/app/disputes?field=occurred&page=9").status_code == 200


def test_a_store_indexed_again_from_scratch_answers_the_same(client):
    from observatory.record.search import backfill

    before = {q: ids(client, q=q) for q in ("idlib", "airstrike", "corridor")}
    claims = client.get("/search", params={"q": "corridor"}).json()
    with client.store.session() as session, session.begin():
        for name in ("incident_search", "document_search", "claim_search"):
            session.execute(text(f"DELETE FROM {name}"))
    assert ids(client, q="idlib") == set()
    with client.store.session() as session, session.begin():
        assert backfill(session) > 0
    with client.store.session() as session, session.begin():
        assert backfill(session) == 0
    assert {q: ids(client, q=q) for q in before} == before
    assert client.get("/search", params={"q": "corridor"}).json() == claims


def test_an_incident_dated_years_before_its_reports_is_background_not_timeline(client):
    from datetime import timedelta

    from sqlalchemy import select

    from observatory.record.search import index_incidents
    from observatory.record.store.browse import timeline
    from observatory.record.store.models import Incident

    with client.store.session() as session:
        before = timeline(session, {})
    with client.store.session() as session, session.begin():
        incident = session.scalars(select(Incident).where(Incident.date_precision == "day")
                                   .order_by(Incident.id)).first()
        incident.date_start = incident.date_end = incident.date_start - timedelta(days=3 * 365)
        session.flush()
        index_incidents(session, [incident.id])
    with client.store.session() as session:
        after = timeline(session, {})
    assert after["background"] == before["background"] + 1
    assert sum(b["incidents"] for b in after["bins"]) == sum(b["incidents"]
                                                             for b in before["bins"]) - 1
    assert after["bins"][0]["start"] >= before["bins"][0]["start"]


def test_the_command_line_searches_and_exports_what_the_api_filters(client):
    from typer.testing import CliRunner

    from observatory.cli import app

    runner = CliRunner()
    url = client.store.engine.url.render_as_string(hide_password=False)

    def cli_ids(*args: str) -> set[str]:
        result = runner.invoke(app, ["incidents", "--json", "--db", url, *args])
        assert result.exit_code == 0, result.output
        return {json.loads(line)["id"] for line in result.stdout.splitlines()}

    for q in ("idlib", "airstrike", "khan shaykhun"):
        assert cli_ids("--q", q) == ids(client, q=q) != set()
    # The governorate is read as the API reads it, and search narrows it like any filter.
    narrowed = cli_ids("--q", "airstrike", "--admin1", "Idlib")
    assert narrowed == ids(client, q="airstrike", admin1="Idleb")
    assert narrowed and narrowed < cli_ids("--q", "airstrike")
    # A query without words is no filter, as a blank q= is not.
    assert cli_ids("--q", " - ") == cli_ids() == ids(client)
    result = runner.invoke(app, ["export", "--format", "csv", "--q", "airstrike", "--db", url])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["event_id_cnty"] for r in rows} == ids(client, q="airstrike")


@pytest.mark.parametrize("filters", [{"q": "airstrike"}, {"q": "idlib", "has_dispute": True},
                                     {"admin1": "Idleb"}, {"source": None},
                                     {"q": "zzyzx"}])
def test_a_views_counts_in_one_statement_are_the_counts_of_each(client, filters):
    from observatory.record.store.browse import facets, summary, timeline, total

    with client.store.session() as session:
        if "source" in filters:  # the commonest outlet
            filters = {"source": facets(session, {})["source"][0][0]}
        one = summary(session, filters)
        assert one == {"total": total(session, filters), "facets": facets(session, filters),
                       "timeline": timeline(session, filters)}
    if filters != {"q": "zzyzx"}:
        assert one["total"] and one["timeline"]["bins"]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    url, admin, name = _postgres_url()
    yield url
    _drop_postgres(admin, name)


def test_migration_0010_moves_the_search_index_to_a_table_per_kind(empty_url):
    """A store indexed under 0006's one table keeps its words, each with its own row: the
    newest of an item's rows, none for an incident a merge deleted."""
    from alembic import command
    from alembic.config import Config
    from importlib import resources

    from observatory.record.search import search
    from observatory.record.store.queries import incidents_query

    store = open_store(empty_url, migrate=False)
    config = Config()
    config.set_main_option("script_location",
                           str(resources.files("observatory.record.store") / "migrations"))
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0009")
        conn.execute(text(
            "INSERT INTO documents (id, key, sha256, source, acquired_at, raw, text, origin, "
            "fingerprint, stage) VALUES (7, 'memo-1', 'x', 's', '2020-01-01', :raw, 'a text', "
            "'o', 'f', 'test')"), {"raw": b"a text"})
        conn.execute(text(
            "INSERT INTO claims (id, document_id, key, speaker, speaker_mention, speaker_type, "
            "via, cue, content, polarity, quote, span_start, span_end, topics, stage) VALUES "
            "(5, 7, 'c1', 'A Ministry', 'the ministry', 'official', '[]', 'said', 'words', "
            "'asserts', false, 0, 5, '[]', 'test')"))
        conn.execute(text(
            "INSERT INTO incidents (id, event_type, sub_event_type, origins, confidence, status,"
            " updated_at) VALUES (3, 'Battles', 'Armed clash', 1, 'single-source', '[]', "
            "'2020-01-01')"))
        # (kind, ref, incident, words): an older and a newer row of one incident, a report,
        # its claim, and the words of an incident merged away.
        rows = [("incident", "i3", 3, "oldword"), ("incident", "i3", 3, "newword"),
                ("document", "memo-1", None, "reportword"),
                ("claim", "memo-1#c1", None, "claimword"), ("incident", "i9", 9, "goneword")]
        for n, (kind, ref, incident, word) in enumerate(rows, start=1):
            body = fold(word)
            if store.engine.dialect.name == "sqlite":
                conn.execute(text("INSERT INTO search_index (rowid, body, kind, ref, incident_id)"
                                  " VALUES (:n, :body, :kind, :ref, :i)"),
                             dict(n=n, body=body, kind=kind, ref=ref, i=incident))
                conn.execute(text("INSERT INTO search_refs (row, kind, ref) VALUES (:n, :kind, "
                                  ":ref)"), dict(n=n, kind=kind, ref=ref))
            else:
                conn.execute(text("INSERT INTO search_index (kind, ref, incident_id, body) "
                                  "VALUES (:kind, :ref, :i, :body)"),
                             dict(body=body, kind=kind, ref=ref, i=incident))
    store.migrate()
    with store.session() as session:
        def found(word):
            return [i.id for i in session.scalars(incidents_query(q=word))]
        assert found("newword") == [3] and found("oldword") == [] == found("goneword")
        assert [d["id"] for d in search(session, "reportword")["documents"]] == ["memo-1"]
        assert [c["id"] for c in search(session, "claimword")["claims"]] == ["c1"]
        for name in ("incident_search", "document_search", "claim_search"):
            assert session.scalar(text(f"SELECT count(*) FROM {name}")) == 1
    store.close()


def test_the_maps_points_send_each_text_once_and_decode_to_the_incidents(client):
    from datetime import date, timedelta

    data = client.get("/app/map.json").json()
    points = data["points"]
    assert points
    for name in ("kinds", "places", "confidences"):
        assert len(data[name]) == len({json.dumps(v) for v in data[name]})
    # Only numbers in the points: every text is an index into a list sent once.
    assert all(isinstance(v, (int, float)) or v is None for p in points for v in p)
    first = date.fromisoformat(data["first_day"])
    records = {i["id"]: i for i in client.get("/incidents", params={"limit": 500}).json()["items"]}
    for number, lat, lon, kind, killed, place, day, confidence in points:
        record = records[f"i{number}"]
        where = record["location"]
        assert (lat, lon) == (round(where["lat"], 4), round(where["lon"], 4))
        assert data["kinds"][kind] == [record["event_type"], record["sub_event_type"]]
        assert killed == (record["fatalities"]["low"] or 0)
        assert data["places"][place] == (where["name"] or "")
        assert data["confidences"][confidence] == record["confidence"]
        assert (None if day is None else (first + timedelta(days=day)).isoformat()) == (
            (record["date"] or {}).get("start"))
    assert len(points) == sum(1 for r in records.values() if (r["location"] or {}).get("lat"))


def test_the_server_fills_the_costliest_caches_as_it_starts_not_the_first_request(
        client, settings):
    """The unfiltered view's counts and the sources' tallies are read by the thread that
    warms them as the server starts, which waits for it: the first requests read neither
    every incident nor every event."""
    import threading

    from sqlalchemy import event

    read: dict[str, list[str]] = {"warm": [], "requests": []}

    def note(conn, cursor, statement, *_):
        warm = threading.current_thread().name == "observatory-warm"
        read["warm" if warm else "requests"].append(" ".join(statement.split()))

    engine = client.store.engine
    app = create_app(client.store, settings)
    event.listen(engine, "before_cursor_execute", note)
    try:
        with TestClient(app, base_url="http://127.0.0.1") as c:
            # The start waited for the warming (a small store's takes far less than its bound).
            assert not any(t.name == "observatory-warm" for t in threading.enumerate())
            # Every route's models were built then too (FastAPI builds them with the schema).
            assert app.openapi_schema is not None
            assert c.get("/app/sources").status_code == 200
            assert c.get("/app").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert any("FROM incident_events" in s for s in read["warm"])
    assert any("GROUP BY incidents.admin1" in s for s in read["warm"])
    costly = [s for s in read["requests"]
              if "FROM incident_events" in s or "FROM claims JOIN" in s or "GROUP BY" in s]
    assert costly == []


def test_the_timeline_reads_the_incidents_in_table_order_on_sqlite(client):
    """Through the dates' index SQLite looks each incident up again (three times slower on a
    large store); the timeline's grouping must not choose it."""
    from sqlalchemy import event

    from observatory.record.store.browse import timeline

    if client.store.engine.dialect.name != "sqlite":
        pytest.skip("a plan of SQLite's")
    ran = []

    def note(conn, cursor, statement, parameters, *_):
        ran.append((statement, parameters))

    event.listen(client.store.engine, "before_cursor_execute", note)
    try:
        with client.store.session() as session:
            timeline(session, {})
    finally:
        event.remove(client.store.engine, "before_cursor_execute", note)
    statement, parameters = next(r for r in ran if "GROUP BY" in r[0])
    with client.store.engine.connect() as conn:
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters))
    assert "SCAN incidents" in plan and "ix_incidents_date" not in plan, plan
