"""The alerts page and the 'new since the last visit' markers in real headless Chromium:
an unread alert counted and marked new, marked read with the button; a list marks nothing
new on a second visit. Screenshots go to test-artifacts/."""
from __future__ import annotations


import pytest

from test_browser import ARTIFACTS, CHROMIUM, EXAMPLES, FLAGS, live, sync_api  # noqa: F401


@pytest.fixture(scope="module")
def desk(tmp_path_factory, settings, extractor):
    from observatory.desk.api import create_app
    from observatory.reading import read_inputs
    from observatory.record.store import open_store
    from observatory.record.store.ingest import ingest

    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('alerts') / 'web.db'}")
    ingest(read_inputs([str(EXAMPLES)], limit=10_000_000), store=store, extractor=extractor)
    with live(create_app(store, settings)) as url:
        yield url, store
    store.close()


def test_alerts_page_counts_unread_and_lists_mark_what_is_new(desk):
    from sqlalchemy import select

    from observatory.record.changes import Change, snapshot
    from observatory.record.store.models import IncidentDispute
    from observatory.watch.rules import raise_alerts

    url, store = desk
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.goto(f"{url}/app/disputes")
        assert "First visit" in page.inner_text("main")
        page.goto(f"{url}/app/disputes")
        assert "0 new since" in page.inner_text("main")
        page.goto(f"{url}/app/disputes?new_since=2000-01-01T00:00")
        assert page.locator("mark.new").count() >= 1  # everything is newer than 2000
        page.goto(f"{url}/app/alerts")
        assert page.inner_text("#unread") == "0"
        with store.session() as session:
            disputed = session.scalars(select(IncidentDispute.incident_id))
            facts = next(f for f in snapshot(session, ids=disputed).values() if f.disputes)
        raise_alerts(store, [Change("dispute", facts, None, sorted(facts.disputes)[0])])
        page.click("text=Alerts")
        assert page.inner_text("#unread") == "1"
        assert page.locator("tr.unread mark.new").count() == 1
        page.screenshot(path=str(ARTIFACTS / "alerts.png"), full_page=True)
        page.click("text=Mark all read")
        assert page.inner_text("#unread") == "0"
        assert page.locator("tr.unread").count() == 0
        browser.close()
