"""The web app in real headless Chromium (Debian's package, driven by Playwright): the map,
a date filter, the corridor dispute, and a coded field followed to its highlighted span.
Screenshots go to test-artifacts/."""
from __future__ import annotations

import shutil
import socket
import threading
import time
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


@pytest.fixture(scope="module")
def server(tmp_path_factory, settings, extractor):
    import uvicorn

    from observatory.desk.api import create_app
    from observatory.reading import read_inputs
    from observatory.record.store import open_store
    from observatory.record.store.ingest import ingest

    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}")
    ingest(read_inputs([str(EXAMPLES)], limit=10_000_000), store=store, extractor=extractor)
    from observatory.record import accounts
    with store.session() as session, session.begin():
        accounts.add_user(session, "rana", role="reviewer", by="test", password=PASSWORD)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(store, settings), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def test_map_filter_dispute_and_evidence(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{server}/app")
    assert page.locator("#map polygon").count() >= 14
    markers = page.locator("#map circle").count()
    assert markers > 0 and page.locator("#timeline rect").count() > 0
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)

    page.fill("input[name=since]", "2019-08-21")
    page.fill("input[name=until]", "2019-08-21")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert 0 < page.locator("#map circle").count() < markers
    page.screenshot(path=str(ARTIFACTS / "map-filtered.png"), full_page=True)

    page.goto(f"{server}/app/disputes")
    section = page.locator("section", has_text="corridor")
    assert section.count() >= 1
    text = section.first.inner_text()
    assert "Syrian state media" in text and "Syrian Observatory for Human Rights" in text
    page.screenshot(path=str(ARTIFACTS / "disputes.png"), full_page=True)

    section.first.locator("h2 a").click()
    page.wait_for_load_state()
    assert "contested" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "incident.png"), full_page=True)

    page.locator("table a[href*='#s']").first.click()
    page.wait_for_load_state()
    target = page.locator("mark:target")
    assert target.count() == 1 and target.is_visible()
    page.screenshot(path=str(ARTIFACTS / "document-evidence.png"), full_page=True)
    page.close()


def test_keyboard_and_phone_width(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/app")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 420  # no sideways scrolling at phone width
    page.screenshot(path=str(ARTIFACTS / "phone.png"), full_page=True)
    page.close()


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
    page.locator("section", has_text="corridor").first.locator("h2 a").click()
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
