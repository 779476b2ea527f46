"""Sources as records (issue 13): speakers and outlets with their claims, denials,
contradictions and relaying outlets, through the library, the CLI, the API and the web page;
on SQLite and PostgreSQL. The relief committee below is made up for the test."""
from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from observatory.cli import app
from observatory.coding.nlp import load_sources
from observatory.desk.api import create_app
from observatory.record.sources import list_sources, source_record
from observatory.record.store import open_store
from observatory.record.store.ingest import ingest
from observatory.settings import load_settings
from test_store import EXAMPLES, db_url, docs  # noqa: F401  (the fixture runs both databases)

runner = CliRunner()
LOCAL = {"id": "local-1", "outlet": "Local Paper", "published": "2019-03-05T10:00:00",
         "text": "Shelling hit the market in Maarat al-Numan on Monday, killing four people, "
                 "the Maarat Relief Committee said in a statement."}


def _fill(db_url, extractor, tmp_path):
    local = tmp_path / "local.jsonl"
    local.write_text(json.dumps(LOCAL) + "\n", encoding="utf-8")
    store = open_store(db_url)
    ingest(docs(EXAMPLES / "memo-2019-08-23-sohr-corridor.txt", local), store=store,
           extractor=extractor)
    return store


def test_source_records_count_claims_denials_and_contradictions(db_url, extractor, tmp_path):
    store = _fill(db_url, extractor, tmp_path)
    dictionary = load_sources()[0]
    with store.session() as session:
        by_name = {s["name"]: s for s in list_sources(session, dictionary)}
        sohr = by_name["Syrian Observatory for Human Rights"]
        # Its headline ('SOHR: ... does not exist'), 'are false' and 'non-existent'.
        assert (sohr["type"], sohr["known"], sohr["denials"]) == ("monitor", True, 3)
        assert sohr["contradicted"] >= 1 and "SOHR" in sohr["aliases"]
        assert [r["name"] for r in sohr["relayed_by"]] == ["Voice of America"]
        state = by_name["Syrian state media"]
        assert (state["claims"], state["denials"], state["contradicted"]) == (1, 0, 1)
        # State media announced the corridor a day before SOHR denied it: first to report.
        assert state["first_to_report"] == 1
        assert by_name["Local Paper"]["type"] == "outlet"
        unknown = [s["name"] for s in list_sources(session, dictionary, unknown=True)]
        assert unknown == ["the Maarat Relief Committee"]
        record = source_record(session, dictionary, "syrian-state-media")
        [claim] = record["claim_list"]
        assert claim["cue"] == "announced" and claim["contradicted"] and claim["incidents"]
        assert source_record(session, dictionary, "nobody") is None
    store.close()


def test_a_users_dictionary_entry_makes_a_speaker_known(db_url, extractor, tmp_path):
    store = _fill(db_url, extractor, tmp_path)
    extra = tmp_path / "sources.toml"
    extra.write_text('[[source]]\nname = "Maarat Relief Committee"\ntype = "ngo"\n'
                     'aliases = ["the Maarat Relief Committee"]\n', encoding="utf-8")
    with store.session() as session:
        assert not list_sources(session, load_sources(str(extra))[0], unknown=True)
    store.close()


def test_cli_disputes_and_sources(db_url, extractor, tmp_path):
    _fill(db_url, extractor, tmp_path).close()
    result = runner.invoke(app, ["disputes", "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    disputes = [json.loads(line) for line in result.output.splitlines()]
    [corridor] = [d for d in disputes if d["field"] == "occurred"]
    assert "corridor" in corridor["about"]
    assert {s for side in corridor["sides"] for s in side["speakers"]} == {
        "Syrian state media", "Syrian Observatory for Human Rights"}
    result = runner.invoke(app, ["sources", "--json", "--unknown", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["name"] for line in result.output.splitlines()] == [
        "the Maarat Relief Committee"]
    assert runner.invoke(app, ["sources", "--db", db_url]).exit_code == 0


def test_api_and_pages_link_every_speaker_to_its_source(db_url, extractor, tmp_path):
    store = _fill(db_url, extractor, tmp_path)
    client = TestClient(create_app(store, load_settings(env={}, overrides={"db": db_url})), base_url="http://127.0.0.1")
    listing = client.get("/sources").json()
    assert {"speakers", "outlets", "sources"} <= listing.keys()  # the old keys stay
    assert client.get("/sources/syrian-state-media").json()["claims"] == 1
    assert client.get("/sources/nobody").status_code == 404
    disputes = client.get("/app/disputes").text
    assert 'href="/app/sources/syrian-state-media"' in disputes
    assert 'href="/app/sources/syrian-observatory-for-human-rights"' in disputes
    page = client.get("/app/sources").text
    assert "the Maarat Relief Committee" in page and "(no entry)" in page
    sohr = client.get("/app/sources/syrian-observatory-for-human-rights").text
    assert "Voice of America" in sohr and "contradicted" in sohr
    incident = disputes.split('href="/app/incidents/')[1].split('"')[0]
    assert 'href="/app/sources/syrian-state-media"' in client.get(
        f"/app/incidents/{incident}").text
    store.close()


def test_kept_tallies_answer_as_fresh_ones_until_the_store_changes(db_url, extractor, tmp_path):
    from observatory.record.sources import KeptTallies

    local = tmp_path / "local.jsonl"
    local.write_text(json.dumps(LOCAL) + "\n", encoding="utf-8")
    store = open_store(db_url)
    ingest(docs(EXAMPLES / "memo-2019-08-23-sohr-corridor.txt"), store=store, extractor=extractor)
    dictionary = load_sources()[0]
    kept = KeptTallies(dictionary)
    with store.session() as session:
        before = list_sources(session, dictionary, kept=kept)
        assert before == list_sources(session, dictionary)
        assert kept.of(session) is kept.of(session)  # unchanged store: read once
    ingest(docs(local), store=store, extractor=extractor)
    with store.session() as session:
        after = list_sources(session, dictionary, kept=kept)
        assert after == list_sources(session, dictionary) != before
        assert "Local Paper" in {s["name"] for s in after} - {s["name"] for s in before}
        assert (source_record(session, dictionary, "local-paper", kept=kept)
                == source_record(session, dictionary, "local-paper"))
    store.close()
