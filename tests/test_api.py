"""The HTTP API through FastAPI's test client: every endpoint, bad parameters, big bodies."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from observatory.desk.api import MAX_BODY_BYTES, create_app
from observatory.reading import read_inputs
from observatory.record import accounts
from observatory.record.store import open_store
from observatory.record.store.ingest import ingest

EXAMPLES = Path(__file__).resolve().parents[1] / "src/observatory/data/examples"


@pytest.fixture(scope="module")
def client(tmp_path_factory, settings, extractor):
    db = tmp_path_factory.mktemp("api") / "api.db"
    store = open_store(f"sqlite:///{db}")
    ingest(read_inputs([str(EXAMPLES)], limit=10_000_000), store=store, extractor=extractor)
    with store.session() as session, session.begin():
        token = accounts.add_user(session, "ed", role="editor", by="test")
    app = create_app(store, settings)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        c.editor = {"authorization": f"Bearer {token}"}
        yield c
    store.close()


def test_incidents_page_with_a_cursor(client):
    first = client.get("/incidents", params={"limit": 3}).json()
    assert len(first["items"]) == 3 and first["next_cursor"] is not None
    second = client.get("/incidents", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    ids = {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    assert ids == set()


def test_incident_filters(client):
    idlib = client.get("/incidents", params={"admin1": "Idleb", "limit": 100}).json()["items"]
    assert idlib and all(i["location"]["admin1"] == "Idleb" for i in idlib)
    contested = client.get("/incidents", params={"confidence": "contested"}).json()["items"]
    assert any(i["sub_event_type"] == "Agreement" for i in contested)
    disputed = client.get("/incidents", params={"has_dispute": True}).json()["items"]
    assert disputed and all(i["disputes"] for i in disputed)
    box = client.get("/incidents", params={"bbox": "36.0,35.0,37.5,36.5", "limit": 100}).json()
    assert all(35.0 <= i["location"]["lat"] <= 36.5 for i in box["items"])
    dated = client.get("/incidents", params={"since": "2019-08-01", "until": "2019-08-31"})
    assert dated.status_code == 200


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"cursor": -1},
                                    {"since": "yesterday-ish"}, {"confidence": "sure"},
                                    {"bbox": "1,2,3"}, {"bbox": "40,0,30,10"},
                                    {"has_dispute": "perhaps"}])
def test_bad_parameters_are_422_with_a_message(client, params):
    response = client.get("/incidents", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]


def corridor_incident(client) -> dict:
    """The corridor: the agreement the two example reports (state media, SOHR) both tell."""
    items = client.get("/incidents", params={"type": "Agreement", "limit": 500}).json()["items"]
    return max(items, key=lambda i: len(i["documents"]))


def test_one_incident_with_claims_and_the_corridor_dispute(client):
    corridor = corridor_incident(client)
    record = client.get(f"/incidents/{corridor['id']}").json()
    assert {d["field"] for d in record["disputes"]} >= {"occurred"}
    assert record["claims"] and {c["polarity"] for c in record["claims"]} == {"asserts", "denies"}
    assert client.get("/incidents/i999999").status_code == 404
    assert client.get("/incidents/banana").status_code == 422


def test_document_text_with_spans(client):
    corridor = corridor_incident(client)
    doc = client.get(f"/documents/{corridor['documents'][0]}").json()
    for claim in doc["claims"]:
        s, e = claim["span"]
        assert doc["text"][s:e]
    assert client.get("/documents/nope").status_code == 404


def test_disputes_and_sources(client):
    disputes = client.get("/disputes").json()
    assert any(d["field"] == "occurred" for d in disputes["items"])
    sources = client.get("/sources").json()
    names = {s["name"] for s in sources["speakers"]}
    assert "Syrian Observatory for Human Rights" in names
    assert client.get("/disputes", params={"limit": 0}).status_code == 422


def test_streamed_exports(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv").text)))
    assert rows and "event_date" in rows[0] and "sub_event_type" in rows[0]
    geo = client.get("/export.geojson").json()
    assert geo["type"] == "FeatureCollection"
    lines = client.get("/export.jsonl").text.splitlines()
    assert json.loads(lines[0])["id"].startswith("i")
    assert client.get("/export.xlsx").status_code == 422


def test_post_a_report_runs_the_pipeline(client):
    text = "Russian jets bombed Binnish in Idlib on 9 March 2021."
    created = client.post("/documents", content=text, headers={"content-type": "text/plain", **client.editor})
    assert created.status_code == 201 and created.json()["stored"]
    again = client.post("/documents", content=text, headers={"content-type": "text/plain", **client.editor})
    assert again.json()["already_stored"]
    body = json.dumps({"id": "posted-1", "text": "Clashes took place in Saraqib on 5 Feb 2020."})
    posted = client.post("/documents", content=body,
                         headers={"content-type": "application/json", **client.editor})
    assert posted.status_code == 201 and posted.json()["id"] == "posted-1"


@pytest.mark.parametrize("body,kind,status", [
    (b"x" * (MAX_BODY_BYTES + 1), "text/plain", 413),
    (b"", "text/plain", 422),
    (b"{not json", "application/json", 422),
    (b"\x00\x01\x02", "application/octet-stream", 415),
])
def test_bad_bodies(client, body, kind, status):
    response = client.post("/documents", content=body,
                           headers={"content-type": kind, **client.editor})
    assert response.status_code == status


def test_openapi_schema_is_served(client):
    schema = client.get("/openapi.json").json()
    assert {"/incidents", "/incidents/{incident_id}", "/documents", "/disputes", "/sources",
            "/export.{fmt}"} <= set(schema["paths"])


def test_web_map_timeline_and_filters(client):
    page = client.get("/app").text
    assert 'id="map"' in page and "/static/leaflet/leaflet.js" in page
    points = client.get("/app/map.json").json()["points"]
    assert points and all(len(p) == 8 for p in points)
    assert 'class="tl"' in page and "/app?since=" in page
    narrowed = client.get("/app/map.json", params={"since": "2019-08-21", "until": "2019-08-21"})
    assert 0 < len(narrowed.json()["points"]) < len(points)
    outlines = client.get("/app/boundaries.json").json()
    assert len(outlines["admin1"]) == 14 and len(outlines["admin2"]) > 50
    assert client.get("/").url.path == "/app"


def test_web_incident_page_links_fields_to_highlighted_spans(client):
    corridor = corridor_incident(client)
    page = client.get(f"/app/incidents/{corridor['id']}").text
    assert "contested" in page and "Disputes" in page and "it" in page
    import re
    links = re.findall(r'href="/app/documents/([^"#]+)#(s\d+-\d+)"', page)
    assert links
    doc, anchor = links[0]
    assert f'id={anchor} ' in client.get(f"/app/documents/{doc}").text


def test_web_disputes_and_document_pages(client):
    page = client.get("/app/disputes").text
    assert "Syrian Observatory for Human Rights" in page and "Syrian state media" in page
    memo = corridor_incident(client)
    doc_page = client.get(f"/app/documents/{memo['documents'][0]}").text
    assert 'class="claim"' in doc_page
    assert client.get("/app/documents/none").status_code == 404
    assert client.get("/app/incidents/i0").status_code == 404


def test_web_map_has_the_api_filters(client):
    disputed = client.get("/app", params={"has_dispute": "yes"}).text
    assert "contested" in disputed.split("<tbody>")[1]
    by_actor = client.get("/app", params={"actor": "Protesters (Syria)"}).text
    assert "Military Forces of Syria" not in by_actor.split("<tbody>")[1]
    bad = client.get("/app", params={"bbox": "1,2"})
    assert bad.status_code == 400 and "bbox" in bad.text and "<html" in bad.text
    ordered = client.get("/app", params={"sort": "-fatalities"}).text
    assert '<option value="-fatalities" selected>' in ordered
    boxed = client.get("/app/map.json", params={"bbox": "36.0,35.5,37.0,36.5"}).json()["points"]
    assert all(35.5 <= p[1] <= 36.5 and 36.0 <= p[2] <= 37.0 for p in boxed)


def test_web_disputes_show_outlets_and_dates(client):
    page = client.get("/app/disputes").text
    assert "(2019-08-23)" in page or "(2019-08-22)" in page
