#!/usr/bin/env python3
"""Latency of paged incident requests on a large store.

    python benchmarks/bench_api.py [--incidents 100000] [--requests 300]

Fills a fresh SQLite store with synthetic incidents (each with one report and one event, in
bulk, bypassing the pipeline), then times `GET /incidents` pages through the HTTP app:
random cursors, with and without filters. Prints p50 and p95 in milliseconds.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert

from observatory.desk.api import create_app
from observatory.settings import load_settings
from observatory.record.store import open_store
from observatory.record.store.models import Document, Event, Incident, IncidentEvent

GOVERNORATES = ["Idleb", "Aleppo", "Hama", "Homs", "Dar'a", "Ar-Raqqa", "Al-Hasakeh",
                "Deir-ez-Zor", "Rural Damascus", "Lattakia"]
TYPES = [("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack")]


def fill(store, n: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    now = datetime(2026, 1, 1)
    start = date(2019, 1, 1)
    batch = 5000
    with store.engine.begin() as conn:
        for first in range(0, n, batch):
            ids = range(first + 1, min(n, first + batch) + 1)
            docs, events, incidents, links = [], [], [], []
            for i in ids:
                day = start + timedelta(days=rng.randrange(2000))
                admin1 = rng.choice(GOVERNORATES)
                etype, sub = rng.choice(TYPES)
                text = f"Report {i}: strikes on a town in {admin1} on {day}."
                docs.append(dict(id=i, key=f"d{i}", sha256=f"{i:064x}", source="synthetic",
                                 title=None, outlet="synthetic", url=None, published=None,
                                 acquired_at=now, raw=text.encode(), text=text,
                                 origin=f"o{i % 50}", fingerprint=f"{i:064x}", stage="bench"))
                events.append(dict(id=i, document_id=i, key="e1", event_type=etype,
                                   sub_event_type=sub, trigger="strikes", date_start=day,
                                   date_end=day, date_precision="day", actor1=None, actor2=None,
                                   assoc_actor_1=[], gazetteer_id=None, place_name="Town",
                                   admin1=admin1, admin2=None, lat=35 + rng.random(),
                                   lon=36 + rng.random(), geo_precision=1, fatalities_low=1,
                                   fatalities_high=1, injured_low=None, injured_high=None,
                                   targets=[], claim_keys=[], span_start=0, span_end=len(text),
                                   evidence={}, origin=f"o{i % 50}", stance="asserts",
                                   speakers=[], terms=[], stage="bench"))
                incidents.append(dict(id=i, event_type=etype, sub_event_type=sub, topic=None,
                                      date_start=day, date_end=day, date_precision="day",
                                      gazetteer_id=None, place_name="Town", admin1=admin1,
                                      admin2=None, lat=35 + rng.random(), lon=36 + rng.random(),
                                      geo_precision=1, actor1=None, fatalities_low=1,
                                      fatalities_high=1, origins=1,
                                      confidence="single-source", status=[], updated_at=now))
                links.append(dict(event_id=i, incident_id=i, reason={"matched": ["bench"]},
                                  stage="bench"))
            conn.execute(insert(Document), docs)
            conn.execute(insert(Event), events)
            conn.execute(insert(Incident), incidents)
            conn.execute(insert(IncidentEvent), links)


def page_params(rng: random.Random, n: int, incidents: int) -> dict:
    """The n-th page request: a random cursor; a third with a governorate, a third with
    dates."""
    params: dict = {"limit": 50, "cursor": rng.randrange(incidents)}
    if n % 3 == 1:
        params["admin1"] = rng.choice(GOVERNORATES)
    if n % 3 == 2:
        params.update(since="2020-01-01", until="2021-06-30")
    return params


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'api.db'}")
        began = time.perf_counter()
        fill(store, args.incidents)
        print(f"filled {args.incidents} incidents in {time.perf_counter() - began:.1f}s")
        client = TestClient(create_app(store, load_settings(env={})), base_url="http://127.0.0.1")
        rng = random.Random(5)
        timings = []
        for n in range(args.requests):
            params = page_params(rng, n, args.incidents)
            t = time.perf_counter()
            response = client.get("/incidents", params=params)
            timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        timings.sort()
        p95 = timings[int(0.95 * len(timings)) - 1]
        print(f"requests: {len(timings)}  p50_ms: {statistics.median(timings):.1f}  "
              f"p95_ms: {p95:.1f}  max_ms: {timings[-1]:.1f}")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
