#!/usr/bin/env python3
"""Reads under writes: 8 clients page `GET /incidents` on a large store while reports are posted.

    python benchmarks/bench_load.py [--incidents 100000] [--clients 8] [--posts 50]

Fills a fresh SQLite store with synthetic incidents (bench_api's bulk fill), serves it with
`observatory serve` on a free local port in a process of its own, and runs CLIENTS reader
threads paging `/incidents`
(random cursors, a third with a governorate, a third with dates) while one writer posts
POSTS reports (the FA-KES sample of `tests/data/`) to `POST /documents` with an editor's
token. Prints the readers' p50/p95/max in milliseconds, the errors of each side, whether
the store's counts equal those of a serial ingest of the same reports into a copy of the
store filled the same way, and the machine's load average at the end (on a shared machine
the figures move with it: compare runs made side by side).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench_api import fill, page_params
from observatory.coding.pipeline import Extractor
from observatory.reading import read_inputs
from observatory.record import accounts
from observatory.record.store import open_store
from observatory.record.store.ingest import counts, ingest
from observatory.settings import load_settings

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "fakes-sample.jsonl"
WARM_UP = {"text": "Shelling hit Saraqib on Monday.", "id": "warm-up"}


def _serve(db: str) -> tuple[subprocess.Popen, str]:
    """`observatory serve` in a process of its own, as deployed: the clients' threads here
    must not share the server's interpreter."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "observatory", "serve", "--db", db,
                               "--port", str(port)], stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/incidents", params={"limit": 1}).status_code == 200:
                return server, url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--posts", type=int, default=50)
    args = ap.parse_args()
    reports = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()
               if line.strip()][:args.posts]
    settings = load_settings(env={})
    with tempfile.TemporaryDirectory() as tmp:
        live_db, serial_db = Path(tmp) / "live.db", Path(tmp) / "serial.db"
        store = open_store(f"sqlite:///{live_db}")
        fill(store, args.incidents)
        store.close()
        shutil.copy(live_db, serial_db)
        store = open_store(f"sqlite:///{live_db}")
        with store.session() as session, session.begin():
            token = accounts.add_user(session, "bench", role="editor", by="bench")
        server, url = _serve(f"sqlite:///{live_db}")
        # The pipeline loads on the first POST: load it before the clock starts.
        httpx.post(f"{url}/documents", json=WARM_UP,
                   headers={"authorization": f"Bearer {token}"}, timeout=600)
        timings: list[float] = []
        errors = {"reads": 0, "posts": 0}
        writing = threading.Event()
        writing.set()

        def reader(seed: int) -> None:
            rng = random.Random(seed)
            with httpx.Client(base_url=url, timeout=60) as client:
                n = 0
                while writing.is_set():
                    began = time.perf_counter()
                    response = client.get("/incidents",
                                          params=page_params(rng, n, args.incidents))
                    timings.append((time.perf_counter() - began) * 1000)
                    errors["reads"] += response.status_code != 200
                    n += 1

        readers = [threading.Thread(target=reader, args=(i,)) for i in range(args.clients)]
        began = time.perf_counter()
        for r in readers:
            r.start()
        with httpx.Client(base_url=url, timeout=600,
                          headers={"authorization": f"Bearer {token}"}) as client:
            for report in reports:
                errors["posts"] += client.post("/documents", json=report).status_code != 201
        writing.clear()
        for r in readers:
            r.join()
        seconds = time.perf_counter() - began
        server.terminate()
        server.wait(timeout=60)
        live = counts(store)
        store.close()
        serial = open_store(f"sqlite:///{serial_db}")
        with serial.session() as session, session.begin():
            accounts.add_user(session, "bench", role="editor", by="bench")
        posted = Path(tmp) / "posted.jsonl"
        posted.write_text("".join(json.dumps(r) + "\n" for r in [WARM_UP, *reports]), "utf-8")
        ingest(read_inputs([str(posted)], limit=10_000_000), store=serial,
               extractor=Extractor.from_settings(settings))
        same = counts(serial) == live
        serial.close()
    timings.sort()
    print(json.dumps({
        "incidents": args.incidents, "clients": args.clients, "posts": len(reports),
        "seconds": round(seconds, 1), "reads": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 1),
        "max_ms": round(timings[-1], 1), "read_errors": errors["reads"],
        "post_errors": errors["posts"], "counts_equal_serial": same,
        "load_average": round(os.getloadavg()[0], 1)}))
    return 0 if not any(errors.values()) and same else 1


if __name__ == "__main__":
    sys.exit(main())
