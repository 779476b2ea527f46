"""The web app in real headless Chromium (Debian's package, driven by Playwright), at 1280x800
and on a phone (390x844): clustered markers clicked to an incident, a governorate alone,
searches, a facet and its export, coded fields followed to their words, the keyboard path to
the first row, disputes, offline API docs; no request leaves 127.0.0.1. Screenshots go to
test-artifacts/."""
from __future__ import annotations

import csv
import io
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("browser tests need Debian's chromium package (apt-get install chromium)",
                allow_module_level=True)

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
EXAMPLES = Path(__file__).resolve().parents[1] / "src/observatory/data/examples"
PASSWORD = "correct horse battery"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def live(app) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free local port, in a thread; yields its URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory, settings, extractor):
    from observatory.desk.api import create_app
    from observatory.reading import read_inputs
    from observatory.record.store import open_store
    from observatory.record.store.ingest import ingest

    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}")
    ingest(read_inputs([str(EXAMPLES)], limit=10_000_000), store=store, extractor=extractor)
    from observatory.record import accounts
    with store.session() as session, session.begin():
        accounts.add_user(session, "rana", role="reviewer", by="test", password=PASSWORD)
    with live(create_app(store, settings)) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture()
def open_page(server, browser):
    """A new page that records every request that does not go to the test server."""
    pages, outside = [], []

    def make(viewport=DESK):
        page = browser.new_page(viewport=viewport, accept_downloads=True)
        page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:"))
                else outside.append(r.url))
        pages.append(page)
        return page
    yield make
    for page in pages:
        page.close()
    assert outside == [], f"requests left 127.0.0.1: {outside[:5]}"


def _rows(page):
    return page.locator("#results tbody tr")


def click_down_to_an_incident(page) -> None:
    """Click clusters until single markers show, then a marker, then its popup's link."""
    page.wait_for_selector("#map[data-markers]")
    for _ in range(10):
        pins = page.locator(".leaflet-marker-icon.pin")
        if pins.count():
            pins.first.click()
            break
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(700)
    link = page.locator(".leaflet-popup-content a")
    link.wait_for()
    # The popup pans the map into view first (an animation): a click during it can miss.
    page.wait_for_timeout(600)
    link.click()
    page.wait_for_url("**/app/incidents/i*")


@pytest.mark.parametrize("viewport,name", [(DESK, "desk"), (PHONE, "phone")])
def test_map_outlines_labels_clusters_and_a_marker_to_its_incident(open_page, server, viewport,
                                                                 name):
    page = open_page(viewport)
    page.goto(f"{server}/app")
    page.wait_for_selector("#map[data-markers]")
    page.wait_for_selector(".lbl1")
    assert page.locator(".leaflet-overlay-pane path").count() >= 14
    assert page.locator(".lbl1").count() == 14
    assert int(page.get_attribute("#map", "data-markers")) > 0
    assert page.locator(".marker-cluster").count() + page.locator(".pin").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.locator(".tl").bounding_box()["height"] >= 80
    page.screenshot(path=str(ARTIFACTS / f"app-{name}.png"), full_page=True)
    click_down_to_an_incident(page)
    assert "Reports" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / f"incident-{name}.png"), full_page=True)


def test_governorate_alone_then_searches(open_page, server):
    page = open_page()
    page.goto(f"{server}/app")
    page.select_option("select[name=admin1]", "Idleb")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "admin1=Idleb" in page.url and "<html" in page.content()
    rows = _rows(page)
    assert rows.count() > 0
    assert all("Idleb" in rows.nth(i).inner_text() for i in range(rows.count()))
    for words, expect in (("idlib", "Idleb"), ("airstrike", "Air/drone strike")):
        page.goto(f"{server}/app")
        page.fill("input[name=q]", words)
        page.press("input[name=q]", "Enter")
        page.wait_for_load_state()
        assert f"q={words}" in page.url
        assert _rows(page).count() > 0 and expect in page.inner_text("#results")
    page.screenshot(path=str(ARTIFACTS / "search-airstrike.png"), full_page=True)


def test_a_facet_then_the_export_button_gives_exactly_those_rows(open_page, server):
    page = open_page()
    page.goto(f"{server}/app")
    page.locator(".facets a", has_text="Aleppo").first.click()
    page.wait_for_load_state()
    assert "admin1=Aleppo" in page.url
    shown = int(re.search(r"of ([\d,]+) incidents", page.inner_text("#results h2"))
                .group(1).replace(",", ""))
    with page.expect_download() as info:
        page.click("text=Export CSV")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))
    assert len(rows) == shown and all(r["admin1"] == "Aleppo" for r in rows)
    assert all(r["notes"] for r in rows)


def test_each_coded_field_leads_to_its_words(open_page, server):
    page = open_page()
    page.goto(f"{server}/app/disputes")
    page.locator("section", has_text="corridor").first.locator("h2 a[href*='/app/incidents/']").click()
    page.wait_for_load_state()
    incident = page.url
    links = page.locator("table a[href*='#s']")
    assert links.count() >= 3
    expected = [(links.nth(i).get_attribute("href"),
                 page.locator("table td").nth(i).locator(".muted").inner_text())
                for i in range(links.count())]
    for href, quote in expected:
        page.goto(f"{server}{href}")
        target = page.locator("mark:target")
        assert target.count() == 1 and target.is_visible()
        words = target.inner_text().strip()
        assert words and words[:40] in quote, (href, words, quote)
    page.goto(incident)
    page.screenshot(path=str(ARTIFACTS / "incident-corridor.png"), full_page=True)


def test_keyboard_reaches_the_first_row_in_few_presses(open_page, server):
    page = open_page()
    page.goto(f"{server}/app")
    presses = 0
    for key in ("Tab", "Enter", "Tab"):
        page.keyboard.press(key)
        presses += 1
    href = page.evaluate("document.activeElement.getAttribute('href')") or ""
    assert href.startswith("/app/incidents/") and presses < 10


def test_disputes_paged_with_quotes_and_one_dispute_page(open_page, server):
    page = open_page()
    page.goto(f"{server}/app/disputes")
    section = page.locator("section", has_text="corridor").first
    text = section.inner_text()
    assert "Syrian state media" in text and "Syrian Observatory for Human Rights" in text
    assert section.locator("blockquote").count() >= 2
    page.screenshot(path=str(ARTIFACTS / "disputes.png"), full_page=True)
    section.locator("h2 a").first.click()
    page.wait_for_url("**/app/disputes/*")
    assert page.locator("blockquote").count() >= 2


def test_api_docs_render_from_bundled_files(open_page, server):
    page = open_page()
    page.goto(f"{server}/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 5
    page.goto(f"{server}/app/incidents/i999999")
    assert "Not found" in page.inner_text("main")


def test_review_from_the_queue_and_the_incident_page(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/app/login?next=/app/review")
    page.fill("input[name=name]", "rana")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button")
    page.wait_for_url(f"{server}/app/review")
    rows = page.locator("tr[data-id]")
    before = rows.count()
    assert before > 2
    second = rows.nth(1).get_attribute("data-id")
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("c")  # confirm the selected incident and come back to the queue
    page.wait_for_selector("tr[data-id]")
    assert page.locator("tr[data-id]").count() == before - 1
    assert page.locator(f"tr[data-id={second}]").count() == 0
    page.screenshot(path=str(ARTIFACTS / "review-queue.png"), full_page=True)

    page.goto(f"{server}/app/disputes")
    page.locator("section", has_text="corridor").first.locator(
        "h2 a[href*='/app/incidents/']").click()
    page.wait_for_load_state()
    incident_url = page.url
    form = page.locator("form.review[data-field=fatalities]")
    form.locator("input[name=low]").fill("0")
    form.locator("input[name=high]").fill("0")
    form.locator("input[name=reason]").fill("the crossing saw no violence")
    with page.expect_navigation():
        form.locator("button[value=correct]").click()
    row = page.locator("tr[data-field=fatalities] td.state")
    assert "corrected by rana" in row.inner_text() and "machine:" in row.inner_text()
    assert "(corrected by rana)" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "incident-reviewed.png"), full_page=True)
    export = page.request.get(f"{server}/export.csv").text()
    assert "fatalities: corrected by rana" in export

    # An anonymous reader on this loopback server sees the correction, and no forms.
    reader = browser.new_page()
    reader.goto(incident_url)
    assert "corrected by rana" in reader.inner_text("main")
    assert reader.locator("form.review").count() == 0
    reader.close()
    context.close()
