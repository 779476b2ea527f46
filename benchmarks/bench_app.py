#!/usr/bin/env python3
"""Server time and size of the web app's incidents page on a large store.

    python benchmarks/bench_app.py [--incidents 100000] [--repeat 5] [--store URL]

Fills a fresh SQLite store with bench_api.py's synthetic incidents, builds the search index
(timed: what a store filled before migration 0006 pays once), starts the HTTP app in process
and, as soon as it is ready (its startup done: when `observatory serve` starts listening),
requests views: the app unfiltered, one governorate, searches, sorted deep pages; the API's
searches and facets; the map's points, disputes and sources. The server's startup builds its
routes and fills its costliest caches (the unfiltered view's counts, the sources' tallies) in
a thread, waiting for it at most desk.web.WARM_WAIT_SECONDS (then the thread goes on while
views are requested, and a view needing a cache still being filled waits for it, as a user's
request would): "ready in" includes that wait, and the run says when the thread ended.
Prints per view the server time of the first request and the median of the repeats (a view's
facets and timeline, and the source records, are kept while the store is unchanged), in
milliseconds, and the bytes sent (the first request also loads the boundaries the form and
map read, as a user's would). ``--first VIEW`` requests that view first (a user going
straight to it). With ``--store`` it uses that database instead (filled only if it has no
incidents), so repeated runs skip the filling and the indexing.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent))
from bench_api import fill  # noqa: E402

from observatory.desk.api import create_app  # noqa: E402
from observatory.record.store import open_store  # noqa: E402
from observatory.record.store.models import Incident  # noqa: E402
from observatory.settings import load_settings  # noqa: E402

VIEWS = ["/app", "/app?admin1=Idleb", "/app?q=idlib", "/app?q=airstrike",
         "/app?q=airstrike&sort=-fatalities", "/app?q=idlib&admin1=Idleb&page=50",
         "/app?sort=-origins&page=1000", "/app?since=2020-01-01&until=2020-03-31",
         "/incidents?q=idlib", "/incidents?q=airstrike&sort=-fatalities",
         "/incidents/facets?q=idlib", "/incidents/facets?admin1=Aleppo",
         "/search?q=idlib", "/app/map.json?admin1=Idleb", "/app/disputes", "/app/sources"]


def watch_warming():
    """Start noting when the server's warming thread ends; returns a function giving that
    time (perf_counter), True if it had ended before, or None while it runs."""
    thread = next((t for t in threading.enumerate() if t.name == "observatory-warm"), None)
    ended: list[float | bool] = [] if thread is not None else [True]

    def watch() -> None:
        if thread is not None:
            thread.join()
            ended.append(time.perf_counter())

    threading.Thread(target=watch, daemon=True).start()
    return lambda: ended[0] if ended else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--store", help="a database URL to use (and fill when it has no incidents)")
    ap.add_argument("--first", choices=VIEWS, help="the view to request first")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(args.store or f"sqlite:///{Path(tmp) / 'app.db'}")
        with store.session() as session:
            filled = session.scalar(select(func.count(Incident.id)))
        if filled:
            print(f"using the {filled} incidents stored")
        else:
            began = time.perf_counter()
            fill(store, args.incidents)
            print(f"filled {args.incidents} incidents in {time.perf_counter() - began:.1f}s")
        began = time.perf_counter()
        app = create_app(store, load_settings(env={}))
        print(f"indexed for search in {time.perf_counter() - began:.1f}s")
        began = time.perf_counter()
        with TestClient(app, base_url="http://127.0.0.1") as client:
            ready = time.perf_counter()
            print(f"ready in {ready - began:.2f}s")
            warmed = watch_warming()
            for view in sorted(VIEWS, key=lambda v: v != args.first):
                timings, size = [], 0
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    response = client.get(view)
                    timings.append((time.perf_counter() - t) * 1000)
                    assert response.status_code == 200, (view, response.status_code)
                    size = len(response.content)
                print(f"{view:44} first_ms: {timings[0]:7.1f}  median_ms: "
                      f"{statistics.median(timings[1:] or timings):7.1f}  bytes: {size:,}")
            ended = warmed()
            print("caches warmed at start: " + ("done before ready" if ended is True else
                                                f"done {ended - ready:.2f}s after ready"
                                                if ended else "still warming"))
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
