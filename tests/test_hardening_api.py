"""The API against hostile and odd requests, on SQLite and PostgreSQL: never a 500, bodies
bounded while they stream, errors in the documented shapes, reads answered while posts run."""
from __future__ import annotations

import asyncio
import threading

import pytest
from fastapi.testclient import TestClient

from observatory.desk.api import MAX_BODY_BYTES, create_app
from observatory.record.store import open_store
from test_store import db_url  # noqa: F401 - the SQLite/PostgreSQL fixture

GOOD = "Two civilians were killed when shelling hit a market in Aleppo on Monday, activists said."


@pytest.fixture(scope="module")
def extraction_worker(settings):
    # Held across the module: one spaCy worker for every test's app, not one each.
    from observatory.desk.api.extraction import pool_for

    pool = pool_for(settings)
    pool.hold()
    yield pool
    pool.release()


@pytest.fixture
def client(db_url, settings, extraction_worker):
    store = open_store(db_url)
    from observatory.record import accounts
    with store.session() as session, session.begin():
        token = accounts.add_user(session, "ed", role="editor", by="test")
    with TestClient(create_app(store, settings), base_url="http://127.0.0.1",
                    headers={"authorization": f"Bearer {token}"}) as c:
        yield c
    store.close()


def _is_validation_body(body: dict) -> bool:
    return isinstance(body["detail"], list) and all(
        set(d) >= {"loc", "msg", "type"} and isinstance(d["loc"], list) for d in body["detail"])


def test_a_paragraph_over_spacys_limit_is_stored(client):
    text = GOOD + " " + "Aleppo" * 170_000 + " " + GOOD
    r = client.post("/documents", content=text.encode(), headers={"content-type": "text/plain"})
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("body", [b"   \n\t ", b"[" * 200_000, b"42", b'{"text": 5}',
                                  b'{"text": "Shelling.", "published": "v2"}',
                                  b'{"text": "Shelling.", "id": "a\\u0000b"}'])
def test_bad_json_bodies_are_422_in_the_documented_shape(client, body):
    r = client.post("/documents", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and _is_validation_body(r.json()), r.text


def test_one_id_for_two_texts_is_refused_and_pages_still_answer(client):
    first = client.post("/documents", json={"id": "same", "text": GOOD})
    again = client.post("/documents", json={"id": "same", "text": GOOD})
    other = client.post("/documents", json={"id": "same", "text": GOOD + " Revised later."})
    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 409)
    assert again.json()["already_stored"] and "already used" in other.json()["detail"]
    for item in client.get("/incidents").json()["items"]:
        assert client.get(f"/incidents/{item['id']}").status_code == 200


def test_ids_with_a_slash_can_be_fetched(client):
    assert client.post("/documents", json={"id": "wire/2016/06/06", "text": GOOD}).status_code == 201
    r = client.get("/documents/wire/2016/06/06")
    assert r.status_code == 200 and r.json()["id"] == "wire/2016/06/06"


@pytest.mark.parametrize("path,status", [
    ("/documents/a%00b", 404), ("/documents/" + "x" * 400, 404),
    ("/incidents?admin1=Idl%00eb", 422), ("/incidents?actor=%00", 422),
    ("/incidents?type=%00", 422), ("/incidents?cursor=2147483648", 200),
    ("/incidents?cursor=9223372036854775807", 200), ("/incidents?cursor=9223372036854775808", 422),
    ("/incidents/i2147483648", 404), ("/incidents/i999999999999999999", 404),
    ("/disputes?cursor=2147483648", 200), ("/export.xml", 422), ("/incidents?bbox=1,2", 422),
])
def test_odd_requests_answer_without_a_server_error(client, path, status):
    r = client.get(path)
    assert r.status_code == status, r.text
    if status == 422:
        assert _is_validation_body(r.json())
    elif status == 404:
        assert isinstance(r.json()["detail"], str)


def test_unsupported_media_type_is_415_with_a_detail(client):
    r = client.post("/documents", content=b"\x89PNG", headers={"content-type": "image/png"})
    assert r.status_code == 415 and isinstance(r.json()["detail"], str)


def test_the_schema_documents_bodies_and_error_answers(client):
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/documents"]["post"]
    assert set(post["requestBody"]["content"]) >= {"text/plain", "text/html", "application/json"}
    assert {"409", "413", "415", "422"} <= set(post["responses"])
    for path in ("/incidents", "/incidents/{incident_id}", "/documents/{key}"):
        for responses in [op["responses"] for op in spec["paths"][path].values()]:
            assert {"404", "413", "422"} <= set(responses)


def test_a_chunked_body_is_cut_off_at_the_limit_while_it_streams(settings):
    """An endless chunked upload at the ASGI level: the app stops reading it past the limit."""
    store = open_store("sqlite://")
    from observatory.record import accounts
    with store.session() as session, session.begin():
        token = accounts.add_user(session, "ed", role="editor", by="test")
    app = create_app(store, settings)
    chunk = b"x" * 65536
    pulled = 0
    sent: list[dict] = []

    async def receive():
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/documents", "raw_path": b"/documents",
             "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
             "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"text/plain"),
                         (b"authorization", f"Bearer {token}".encode()),
                         (b"transfer-encoding", b"chunked")],
             "client": ("127.0.0.1", 1), "server": ("test", 80)}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert pulled * len(chunk) <= MAX_BODY_BYTES + len(chunk)
    store.close()


def test_a_read_answers_while_a_post_is_being_extracted(client, monkeypatch):
    """By order, not time: the post is held inside the store step until the read has answered;
    with the pipeline on the event loop the read could only answer after the post."""
    from observatory.watch import alerting

    real = alerting.ingest_with_alerts
    entered, released = threading.Event(), threading.Event()
    order: list[str] = []

    def held(*args, **kwargs):
        entered.set()
        released.wait(30)
        order.append("post")
        return real(*args, **kwargs)

    monkeypatch.setattr(alerting, "ingest_with_alerts", held)
    posts = [threading.Thread(target=client.post, args=("/documents",),
                              kwargs={"json": {"id": f"held-{n}", "text": GOOD}})
             for n in range(3)]
    for t in posts:
        t.start()
    assert entered.wait(120)
    assert client.get("/incidents").status_code == 200
    assert client.get("/sources").status_code == 200
    order.append("get")
    released.set()
    for t in posts:
        t.join(120)
    assert order[0] == "get" and order.count("post") == 3


def test_nul_in_a_review_or_a_document_key_is_422_not_a_server_error(client):
    # PostgreSQL refuses NUL in text even as a query parameter.
    mark = client.post("/documents/a%00b/mark", json={"mark": "irrelevant", "reason": "spam"})
    review = client.post("/incidents/1/reviews",
                         json={"field": "fatalities", "action": "confirm", "reason": "a\x00b"})
    for answer in (mark, review):
        assert answer.status_code == 422 and _is_validation_body(answer.json())
        assert "NUL" in answer.text
