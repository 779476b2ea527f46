"""Access through the HTTP API and the web forms: roles (401/403), tokens, sessions with CSRF
tokens, the Host check, public_read, and the sign-in rate limit."""
from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from observatory.desk.api import create_app
from observatory.reading import read_inputs
from observatory.record import accounts
from observatory.record.store import open_store
from observatory.record.store.ingest import ingest
from observatory.settings import load_settings

EXAMPLES = Path(__file__).resolve().parents[1] / "src/observatory/data/examples"
PASSWORD = "correct horse battery"
BASE = "http://127.0.0.1"


@pytest.fixture(scope="module")
def site(tmp_path_factory, extractor):
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('auth') / 'auth.db'}")
    ingest(read_inputs([str(EXAMPLES)], limit=10_000_000), store=store, extractor=extractor)
    tokens = {}
    with store.session() as s, s.begin():
        for role in accounts.ROLES:
            tokens[role] = accounts.add_user(s, role, role=role, by="test", password=PASSWORD)
    yield store, tokens
    store.close()


def client(store, **settings) -> TestClient:
    bind = settings.pop("bind", "127.0.0.1")
    app = create_app(store, load_settings(env={}, overrides=settings), bind=bind)
    return TestClient(app, base_url=BASE)


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def incident_id(c: TestClient) -> str:
    items = c.get("/incidents", params={"type": "Agreement"}).json()["items"]
    return max(items, key=lambda i: len(i["documents"]))["id"]


def test_posting_a_document_needs_an_editor(tmp_path, extractor):
    store = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    with store.session() as s, s.begin():
        reviewer = accounts.add_user(s, "r", role="reviewer", by="test")
        editor = accounts.add_user(s, "e", role="editor", by="test")
    c = client(store)
    body = {"content": "Russian jets bombed Binnish in Idlib on 9 March 2021.",
            "headers": {"content-type": "text/plain"}}
    assert c.post("/documents", **body).status_code == 401
    assert c.post("/documents", content=body["content"],
                  headers={**body["headers"], **bearer(reviewer)}).status_code == 403
    assert c.post("/documents", content=body["content"],
                  headers={**body["headers"], "authorization": "Bearer obs_forged"}
                  ).status_code == 401
    created = c.post("/documents", content=body["content"],
                     headers={**body["headers"], **bearer(editor)})
    assert created.status_code == 201
    with store.session() as s:
        from observatory.record import audit
        entries = [e for e in audit.custody(s) if e["type"] == "entry"]
    assert entries[-1]["action"] == "ingest" and entries[-1]["actor"] == "e"
    store.close()


def test_each_role_writes_only_what_it_may(site):
    store, tokens = site
    c = client(store)
    iid = incident_id(c)
    fix = {"field": "fatalities", "action": "correct", "value": {"low": 1, "high": 1},
           "reason": "hospital register"}
    assert c.post(f"/incidents/{iid}/reviews", json=fix).status_code == 401
    assert c.post(f"/incidents/{iid}/reviews", json=fix,
                  headers=bearer(tokens["viewer"])).status_code == 403
    done = c.post(f"/incidents/{iid}/reviews", json=fix, headers=bearer(tokens["reviewer"]))
    assert done.status_code == 201
    assert done.json()["fatalities"] == {"low": 1, "high": 1}
    assert done.json()["coded"]["fatalities"]["by"] == "reviewer"
    bad = c.post(f"/incidents/{iid}/reviews", headers=bearer(tokens["reviewer"]),
                 json={**fix, "value": {"low": "many"}})
    assert bad.status_code == 422
    new_user = {"name": "newcomer", "role": "viewer"}
    assert c.post("/users", json=new_user, headers=bearer(tokens["reviewer"])).status_code == 403
    assert c.post("/users", json=new_user, headers=bearer(tokens["editor"])).status_code == 403
    made = c.post("/users", json=new_user, headers=bearer(tokens["admin"]))
    assert made.status_code == 201 and made.json()["token"].startswith("obs_")
    assert c.get("/users", headers=bearer(made.json()["token"])).status_code == 403
    split = {"events": [], "reason": "x"}
    assert c.post(f"/incidents/{iid}/split", json=split,
                  headers=bearer(tokens["reviewer"])).status_code == 403
    assert c.get("/audit/verify", headers=bearer(tokens["admin"])).json()["ok"]
    rows = list(csv.DictReader(io.StringIO(c.get("/export.csv").text)))
    assert any(r["reviewed"] == "fatalities: corrected by reviewer" for r in rows)
    assert c.post("/users/newcomer/revoke", headers=bearer(tokens["admin"])).status_code == 200
    assert c.get("/incidents", headers=bearer(made.json()["token"])).status_code == 401


def test_public_read_follows_the_bound_address(site):
    store, tokens = site
    assert client(store).get("/incidents").status_code == 200
    closed = client(store, bind="0.0.0.0", allowed_hosts="127.0.0.1")
    assert closed.get("/incidents").status_code == 401
    assert closed.get("/incidents", headers=bearer(tokens["viewer"])).status_code == 200
    page = closed.get("/app", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/app/login")
    assert client(store, public_read="off").get("/export.csv").status_code == 401


def test_hosts_outside_the_configured_names_are_refused(site):
    store, _ = site
    c = client(store)
    assert c.get("/incidents", headers={"host": "attacker.example"}).status_code == 400
    assert c.get("/incidents", headers={"host": "attacker.example:8000"}).status_code == 400
    assert c.get("/incidents", headers={"host": "localhost:8000"}).status_code == 200
    assert c.get("/incidents", headers={"host": "[::1]:8000"}).status_code == 200
    named = client(store, allowed_hosts="observatory.example.org")
    assert named.get("/incidents", headers={"host": "observatory.example.org"}).status_code == 200


def sign_in(c: TestClient, name: str, password: str = PASSWORD):
    form = c.get("/app/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    return c.post("/app/login", data={"csrf": csrf, "name": name, "password": password,
                                      "next": "/app/review"}, follow_redirects=False)


def test_web_session_cookie_and_csrf(site):
    store, _ = site
    c = client(store)
    signed = sign_in(c, "reviewer")
    assert signed.status_code == 303 and signed.headers["location"] == "/app/review"
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    iid = incident_id(c)
    page = c.get(f"/app/incidents/{iid}").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    fix = {"field": "actor1", "value": "Military Forces of Syria", "reason": "as announced",
           "action": "correct"}
    assert c.post(f"/app/incidents/{iid}/review", data=fix).status_code == 403
    assert c.post(f"/app/incidents/{iid}/review", data={**fix, "csrf": "guess"}
                  ).status_code == 403
    done = c.post(f"/app/incidents/{iid}/review", data={**fix, "csrf": csrf},
                  follow_redirects=False)
    assert done.status_code == 303
    shown = c.get(f"/app/incidents/{iid}").text
    assert "corrected by <b>reviewer</b>" in shown and "Military Forces of Syria" in shown
    # The login form itself needs its CSRF token.
    fresh = client(store)
    assert fresh.post("/app/login", data={"name": "reviewer", "password": PASSWORD}
                      ).status_code == 403
    queue = c.get("/app/review").text
    assert "Review queue" in queue and f"i{iid[1:]}" not in re.findall(r'data-id="(i\d+)"',
                                                                        queue)
    c.post("/app/logout", data={"csrf": csrf})
    assert c.post(f"/app/incidents/{iid}/review", data={**fix, "csrf": csrf}).status_code == 401


def test_failed_sign_ins_are_rate_limited(site):
    store, _ = site
    c = client(store, login_attempts=3)
    for _ in range(3):
        assert sign_in(c, "editor", "wrong password!").headers["location"].startswith(
            "/app/login?error")
    blocked = sign_in(c, "editor")  # even the right password waits now
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


def test_web_forms_split_merge_and_mark(site):
    store, _ = site
    reviewer, editor = client(store), client(store)
    sign_in(reviewer, "reviewer")
    sign_in(editor, "editor")
    iid = incident_id(editor)
    page = editor.get(f"/app/incidents/{iid}").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    boxes = re.findall(r'name="events" value="([^"]+)"', page)
    assert len(boxes) >= 2 and 'class="arrange"' in page
    assert 'class="arrange"' not in reviewer.get(f"/app/incidents/{iid}").text
    reviewer_csrf = re.search(r'name="csrf" value="([^"]+)"',
                              reviewer.get(f"/app/incidents/{iid}").text).group(1)
    split = {"csrf": reviewer_csrf, "events": html.unescape(boxes[0]),
             "reason": "two events", "action": "split"}
    assert reviewer.post(f"/app/incidents/{iid}/arrange", data=split).status_code == 403
    done = editor.post(f"/app/incidents/{iid}/arrange", data={**split, "csrf": csrf},
                       follow_redirects=False)
    assert done.status_code == 303
    new = done.headers["location"].rsplit("/", 1)[1]
    assert new != iid and len(editor.get(f"/incidents/{new}").json()["events"]) == 1
    merged = editor.post(f"/app/incidents/{iid}/arrange", follow_redirects=False,
                         data={"csrf": csrf, "to": new, "reason": "one after all",
                               "action": "merge"})
    assert merged.status_code == 303 and editor.get(f"/incidents/{new}").status_code == 404
    key = editor.get(f"/incidents/{iid}").json()["documents"][0]
    marked = reviewer.post(f"/app/documents/{key}/mark", follow_redirects=False,
                           data={"csrf": reviewer_csrf, "mark": "duplicate", "back": iid,
                                 "reason": "same wire copy"})
    assert marked.status_code == 303
    assert editor.get(f"/incidents/{iid}").json()["marks"][key]["mark"] == "duplicate"
    assert "marked duplicate</b> by reviewer" in editor.get(f"/app/incidents/{iid}").text
    bad = reviewer.post(f"/app/documents/{key}/mark",
                        data={"csrf": reviewer_csrf, "mark": "boring", "reason": "x"})
    assert bad.status_code == 422
    reviewer.post(f"/app/documents/{key}/mark", data={"csrf": reviewer_csrf, "mark": "relevant",
                                                      "reason": "not a copy after all"})
