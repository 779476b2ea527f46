"""The motivating report alone in real headless Chromium: /app/disputes shows the corridor
dispute between state media and SOHR, and a speaker's name leads to its source page."""
from __future__ import annotations


import pytest

from test_browser import ARTIFACTS, EXAMPLES, browser, live  # noqa: F401  (skips without Chromium)


@pytest.fixture(scope="module")
def memo_server(tmp_path_factory, settings, extractor):
    from observatory.desk.api import create_app
    from observatory.reading import read_inputs
    from observatory.record.store import open_store
    from observatory.record.store.ingest import ingest

    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('memo') / 'memo.db'}")
    ingest(read_inputs([str(EXAMPLES / "memo-2019-08-23-sohr-corridor.txt")], limit=10_000_000),
           store=store, extractor=extractor)
    with live(create_app(store, settings)) as url:
        yield url
    store.close()


def test_one_report_shows_the_corridor_dispute_and_its_speakers(memo_server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{memo_server}/app/disputes")
    section = page.locator("section", has_text="corridor")
    assert section.count() == 1
    assert "occurred" in section.inner_text()
    sides = section.locator(".side")
    assert sides.count() == 2
    text = section.inner_text()
    assert "Syrian state media" in text and "Syrian Observatory for Human Rights" in text
    page.screenshot(path=str(ARTIFACTS / "memo-disputes.png"), full_page=True)
    section.get_by_role("link", name="Syrian state media").click()
    page.wait_for_load_state()
    assert page.url.endswith("/app/sources/syrian-state-media")
    body = page.locator("main").inner_text()
    assert "announced" in body and "contradicted" in body
    page.screenshot(path=str(ARTIFACTS / "source.png"), full_page=True)
    page.close()
