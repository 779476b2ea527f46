"""Accounts, reviews and the audit trail in the store, on SQLite and PostgreSQL: a person's
value survives a new report, a merge and a re-ingest; the audit chain catches an edited, a
deleted and a truncated entry; the migration keeps the data it finds."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, select, text

from observatory.errors import AccountError, ReviewError
from observatory.record import accounts, audit, review
from observatory.record.store import open_store
from observatory.record.store.ingest import ingest
from observatory.record.store.models import ApiToken, Document, Incident, User
from observatory.record.store.queries import csv_chunks, incident_record
from test_store import EXAMPLES, db_url, docs  # noqa: F401 - db_url is a fixture

STATE = EXAMPLES / "state-media-corridor-2019-08-22.txt"
MEMO = EXAMPLES / "memo-2019-08-23-sohr-corridor.txt"


def corridor(session) -> Incident:
    return session.scalars(select(Incident).where(Incident.sub_event_type == "Agreement")).one()


def test_accounts_keep_only_hashes_and_revoke_stops_a_token(db_url):
    store = open_store(db_url)
    with store.session() as s, s.begin():
        token = accounts.add_user(s, "rana", role="reviewer", by="test",
                                  password="a long passphrase")
        with pytest.raises(AccountError):
            accounts.add_user(s, "rana", role="viewer", by="test")
        with pytest.raises(AccountError):
            accounts.add_user(s, "omar", role="owner", by="test")
    with store.session() as s, s.begin():
        user = s.scalar(select(User).where(User.name == "rana"))
        assert user.password_hash.startswith("$argon2id$")
        assert "a long passphrase" not in user.password_hash
        stored = s.scalars(select(ApiToken.token_hash)).all()
        assert token not in stored and len(stored) == 1
        assert accounts.by_token(s, token).role == "reviewer"
        assert accounts.login(s, "rana", "a wrong passphrase", hours=1) is None
        assert accounts.login(s, "rana", "a long passphrase", hours=1) is not None
        accounts.set_role(s, "rana", "editor", by="test")
        assert accounts.by_token(s, token).role == "editor"
        accounts.revoke(s, "rana", by="test")
        assert accounts.by_token(s, token) is None
        assert accounts.login(s, "rana", "a long passphrase", hours=1) is None
    store.close()


def test_names_with_control_characters_are_refused_not_queried(db_url):
    # PostgreSQL refuses NUL in a query's text: a 500 from the API before this check.
    store = open_store(db_url)
    with store.session() as s, s.begin():
        with pytest.raises(AccountError, match="control characters"):
            accounts.add_user(s, "ra\x00na", role="viewer", by="test")
        with pytest.raises(AccountError, match="no user"):
            accounts.set_role(s, "ra\x00na", "editor", by="test")
        assert accounts.login(s, "ra\x00na", "a long passphrase", hours=1) is None
    store.close()


def test_the_last_open_admin_is_never_demoted_or_closed(db_url):
    # Without an admin no one could manage the accounts from the API or the web.
    store = open_store(db_url)
    with store.session() as s, s.begin():
        accounts.add_user(s, "hala", role="admin", by="test")
        for change in (lambda: accounts.set_role(s, "hala", "editor", by="hala"),
                       lambda: accounts.revoke(s, "hala", by="hala")):
            with pytest.raises(AccountError, match="last admin"):
                change()
        accounts.add_user(s, "sami", role="admin", by="hala")
        accounts.set_role(s, "hala", "editor", by="sami")
        with pytest.raises(AccountError, match="last admin"):
            accounts.revoke(s, "sami", by="sami")
        accounts.set_role(s, "sami", "admin", by="sami")  # staying admin is no demotion
        assert {u.name: (u.role, u.revoked_at) for u in accounts.users(s)} == {
            "hala": ("editor", None), "sami": ("admin", None)}
    store.close()


def test_a_correction_survives_a_new_report_and_a_reingest(db_url, extractor):
    store = open_store(db_url)
    ingest(docs(STATE), store=store, extractor=extractor)
    with store.session() as s, s.begin():
        inc = corridor(s)
        machine_type = inc.event_type
        review.review_field(s, inc.id, "fatalities", reviewer="rana", reason="no one died",
                            value={"low": 0, "high": 0})
        review.review_field(s, inc.id, "location", reviewer="rana", reason="the crossing",
                            value={"name": "Abu al-Duhur crossing", "admin1": "Idleb",
                                   "lat": 35.74, "lon": 37.10, "geo_precision": 1})
        review.review_field(s, inc.id, "event_type", reviewer="rana", reason="as coded",
                            confirm=True)
        with pytest.raises(ReviewError):
            review.review_field(s, inc.id, "notes", reviewer="rana", reason="x", value="y")
        with pytest.raises(ReviewError):
            review.review_field(s, inc.id, "fatalities", reviewer="rana", reason="x",
                                value={"low": 5, "high": 2})
    # A second report joins the incident (the machine recomputes it), then the same reports
    # are ingested again.
    ingest(docs(MEMO), store=store, extractor=extractor)
    again = ingest(docs(STATE, MEMO), store=store, extractor=extractor)
    assert again.already == 2
    with store.session() as s:
        inc = corridor(s)
        rec = incident_record(s, inc)
        assert len(rec["documents"]) == 2  # the new report did join it
        assert rec["fatalities"] == {"low": 0, "high": 0}
        assert rec["location"]["name"] == "Abu al-Duhur crossing"
        assert rec["event_type"] == machine_type
        coded = rec["coded"]
        assert coded["fatalities"]["by"] == "rana" and coded["fatalities"]["verdict"] == "corrected"
        assert coded["fatalities"]["machine"] != {"low": 0, "high": 0}
        assert coded["event_type"]["verdict"] == "confirmed"
        assert coded["date"] == {"by": "machine", "stage": "incidents.v1"}
        rows = "".join(csv_chunks(s)).splitlines()
        assert rows[0].endswith(",reviewed")
        assert any("fatalities: corrected by rana" in row for row in rows[1:])
    store.close()


def test_dispute_and_document_marks(db_url, extractor):
    store = open_store(db_url)
    ingest(docs(STATE, MEMO), store=store, extractor=extractor)
    with store.session() as s, s.begin():
        inc = corridor(s)
        review.review_dispute(s, inc.id, "occurred", reviewer="rana",
                              note="the crossing stayed shut", favours="it did not happen")
        with pytest.raises(ReviewError):
            review.review_dispute(s, inc.id, "weather", reviewer="rana", note="x")
        state_key = s.scalar(select(Document.key).where(Document.source.like("%state-media%")))
        review.mark_document(s, state_key, "irrelevant", reviewer="rana", reason="an op-ed")
        # Without the state media report the dispute stands on the memo alone, which tells
        # both sides itself: the marked report no longer backs either side.
        rec = incident_record(s, corridor(s))
        occurred = [d for d in rec["disputes"] if d["field"] == "occurred"]
        assert occurred and all(state_key not in side["documents"]
                                for d in occurred for side in d["sides"])
        review.mark_document(s, state_key, "relevant", reviewer="rana", reason="it is news")
        rec = incident_record(s, corridor(s))
        dispute = next(d for d in rec["disputes"] if d["field"] == "occurred")
        assert dispute["review"]["by"] == "rana"
        assert dispute["review"]["favours"] == "it did not happen"
    store.close()


def test_split_move_and_merge_keep_reviews(db_url, extractor):
    store = open_store(db_url)
    ingest(docs(STATE, MEMO), store=store, extractor=extractor)
    with store.session() as s, s.begin():
        inc = corridor(s)
        original = inc.id
        review.review_field(s, original, "actor1", reviewer="rana", reason="named in both",
                            value="Military Forces of Syria")
        events = [(e["document"], e["event"]) for e in incident_record(s, inc)["events"]]
        new = review.split(s, original, events[:1], reviewer="ed", reason="two announcements")
        assert len(incident_record(s, s.get(Incident, new))["events"]) == 1
        with pytest.raises(ReviewError):
            review.split(s, original, events[1:], reviewer="ed", reason="all of them")
        review.merge(s, new, original, reviewer="ed", reason="one corridor after all")
        assert s.get(Incident, original) is None
        merged = incident_record(s, s.get(Incident, new))
        assert merged["actor1"] == "Military Forces of Syria"
        assert merged["coded"]["actor1"]["by"] == "rana"
        assert {e["why"].get("by") for e in merged["events"]} == {"ed"}
        assert review.pinned(s, [new])
        other = review.split(s, new, events[1:], reviewer="ed", reason="apart again")
        review.move_event(s, *events[1], new, reviewer="ed", reason="back")
        assert s.get(Incident, other) is None  # the incident left empty is gone
        with pytest.raises(ReviewError):
            review.merge(s, new, new, reviewer="ed", reason="self")
    store.close()


def test_a_machine_merge_keeps_a_persons_review(db_url, extractor):
    from observatory.record.store.merge import _Merger, refresh_incident

    store = open_store(db_url)
    ingest(docs(STATE, MEMO), store=store, extractor=extractor)
    with store.session() as s, s.begin():
        inc = corridor(s)
        events = [(e["document"], e["event"]) for e in incident_record(s, inc)["events"]]
        first = inc.id
        second = review.split(s, first, events[:1], reviewer="ed", reason="apart")
        review.review_field(s, second, "fatalities", reviewer="rana", reason="none died",
                            value={"low": 0, "high": 0})
        # What ingest does when a new report shows two incidents to be one.
        merger = _Merger(s)
        merger._load([first, second])
        merger._absorb(first, second)
        refresh_incident(s, first)
        rec = incident_record(s, s.get(Incident, first))
        assert rec["fatalities"] == {"low": 0, "high": 0}
        assert rec["coded"]["fatalities"]["by"] == "rana"
        _, _, problems = audit.verify(s)
        assert problems == []
        assert any(e["action"] == "merge" and e["actor"] == "machine"
                   for e in audit.custody(s) if e["type"] == "entry")
    store.close()


def _tamper(db_url: str, statement: str) -> None:
    store = open_store(db_url, migrate=False)
    with store.engine.begin() as conn:
        conn.execute(text(statement))
    store.close()


def _problems(db_url: str) -> list[str]:
    store = open_store(db_url)
    with store.session() as s:
        _, _, problems = audit.verify(s)
    store.close()
    return [str(p) for p in problems]


def test_audit_verify_catches_an_edited_a_deleted_and_a_truncated_entry(db_url, extractor):
    store = open_store(db_url)
    ingest(docs(STATE, MEMO), store=store, extractor=extractor)
    with store.session() as s, s.begin():
        accounts.add_user(s, "rana", role="reviewer", by="admin")
        review.review_field(s, corridor(s).id, "fatalities", reviewer="rana", reason="none",
                            value={"low": 0, "high": 0})
    with store.session() as s:
        count, head, problems = audit.verify(s)
        actions = [e["action"] for e in audit.custody(s) if e["type"] == "entry"]
        custody = [e for e in audit.custody(s) if e["type"] == "document"]
    store.close()
    assert problems == [] and count == len(actions) >= 5
    assert actions[:2] == ["ingest", "ingest"] and "review corrected" in actions
    assert {len(d["sha256"]) for d in custody} == {64} and all(d["entries"] for d in custody)

    _tamper(db_url, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 2")
    assert any(p.startswith("entry 2: changed") for p in _problems(db_url))
    _tamper(db_url, "UPDATE audit_log SET actor = 'machine' WHERE seq = 2")
    assert _problems(db_url) == []  # put back as it was, the chain holds again
    _tamper(db_url, "DELETE FROM audit_log WHERE seq = 3")
    found = _problems(db_url)
    assert any(p.startswith("entry 3: missing") for p in found)
    # Removing the newest entry leaves a clean-looking chain; the head names it.
    last = count
    _tamper(db_url, f"DELETE FROM audit_log WHERE seq = {last}")
    assert any(f"ends at entry {last - 1}" in p for p in _problems(db_url))


def test_audit_commands(tmp_path, extractor):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(url)
    ingest(docs(STATE), store=store, extractor=extractor)
    store.close()
    run = [sys.executable, "-m", "observatory"]
    added = subprocess.run([*run, "user", "add", "rana", "--role", "reviewer", "--db", url],
                           capture_output=True, text=True)
    assert added.returncode == 0 and added.stdout.startswith("obs_")
    listed = subprocess.run([*run, "user", "list", "--db", url], capture_output=True, text=True)
    assert "rana\treviewer\tactive" in listed.stdout
    ok = subprocess.run([*run, "audit", "verify", "--db", url], capture_output=True, text=True)
    assert ok.returncode == 0 and "entries verified" in ok.stdout
    out = tmp_path / "custody.jsonl"
    exported = subprocess.run([*run, "audit", "export", "--output", str(out), "--signed-by",
                               "Rana", "--db", url], capture_output=True, text=True)
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0]["type"] == "document" and lines[-1]["type"] == "sign-off"
    assert lines[-1]["signed_by"] == "Rana"
    _tamper(url, "UPDATE audit_log SET after = '{}' WHERE seq = 1")
    bad = subprocess.run([*run, "audit", "verify", "--db", url], capture_output=True, text=True)
    assert bad.returncode == 1 and "entry 1" in bad.stderr


def test_migration_keeps_the_data_it_finds(db_url, extractor):
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    store = open_store(db_url)
    ingest(docs(STATE), store=store, extractor=extractor)
    store.close()
    config = Config()
    config.set_main_option("script_location",
                           str(resources.files("observatory.record.store") / "migrations"))
    # Back to the schema before this change (without the store's SQLite foreign-key pragma:
    # SQLite drops a column by copying the table, which the pragma forbids).
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documents")).scalar() == 1
        assert "audit_log" not in engine.dialect.get_table_names(conn)
    engine.dispose()
    store = open_store(db_url)  # upgrades a store of the schema before this change
    with store.session() as s, s.begin():
        assert s.scalar(select(Document.key)) is not None
        review.review_field(s, corridor(s).id, "date", reviewer="rana", reason="as told",
                            value={"start": "2019-08-22"})
        assert incident_record(s, corridor(s))["date"]["start"] == "2019-08-22"
    store.close()


def test_concurrent_writers_chain_one_after_the_other(db_url):
    import threading

    if db_url.startswith("sqlite"):
        pytest.skip("SQLite takes one writer at a time by itself; the head lock matters on "
                    "PostgreSQL")
    store = open_store(db_url)
    errors = []

    def write(who: str) -> None:
        try:
            for n in range(15):
                with store.session() as s, s.begin():
                    audit.append(s, actor=who, action="test", target=f"t:{who}:{n}")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with store.session() as s:
        count, _, problems = audit.verify(s)
    store.close()
    assert errors == [] and problems == [] and count == 60
