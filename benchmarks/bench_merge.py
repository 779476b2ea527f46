#!/usr/bin/env python3
"""Merge-step scaling: store N synthetic event reports and time the incident merging.

    python benchmarks/bench_merge.py 10000 100000 [--db-dir DIR]

Records are made here, not read from any dataset: real gazetteer places, dates at a steady
rate of about thirty new incidents a day,
ACLED types and actors, tolls, and about a third of the reports re-telling an earlier incident
from another outlet a day later (so merges happen at a realistic rate). Each record goes
through `store_results` and `merge_pending`, the code `observatory ingest` runs after NLP. Time per record
that stays flat from 10,000 to 100,000 records means the blocked candidate search grows
linearly with the store, not with its square.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from observatory.coding.places import load_gazetteer
from observatory.records import (ActorMention, Count, DateRange, Document, Event, Extraction,
                                 Location, Segment)
from observatory.record.store import open_store
from observatory.record.store.ingest import IngestSummary, counts, store_results
from observatory.record.store.merge import merge_pending

TYPES = [("Explosions/Remote violence", "Air/drone strike"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Battles", "Armed clash"), ("Violence against civilians", "Attack"),
         ("Explosions/Remote violence", "Remote explosive/landmine/IED")]
ACTORS = ["Military Forces of Syria (2000-)", "Military Forces of Russia (2000-)",
          "Opposition Rebels (Syria)", "Military Forces of Turkey (2016-)",
          "Unidentified Armed Group (Syria)", "Islamic State (Syria)"]
WORDS = "market bakery hospital school mosque convoy checkpoint farm bridge road camp".split()


def records(n: int, seed: int = 7):
    rng = random.Random(seed)
    gaz = load_gazetteer()
    places = [e for e in gaz.entries if e.kind == "community"]
    start = date(2020, 1, 1)
    # A steady ~30 new incidents a day: a larger corpus covers a longer period, as real
    # archives do, instead of packing ever more incidents into the same days.
    days = max(30, n // 30)
    made: list[tuple] = []
    for i in range(n):
        if made and rng.random() < 0.33:
            place, day, kind, actor, killed, word = made[rng.randrange(max(0, len(made) - 500),
                                                                       len(made))]
            day = day + timedelta(days=rng.choice((0, 1)))
            killed = max(0, killed + rng.choice((-2, 0, 0, 3)))
        else:
            place = rng.choice(places)
            day = start + timedelta(days=rng.randrange(days))
            kind, actor = rng.choice(TYPES), rng.choice(ACTORS)
            killed, word = rng.choice((0, 0, 1, 2, 5, 12)), rng.choice(WORDS)
            made.append((place, day, kind, actor, killed, word))
        text = (f"On {day:%d %B %Y} forces struck the {word} in {place.name} in {place.admin1}, "
                f"killing {killed} people. Report {i}.")
        sha = hashlib.sha256(text.encode()).hexdigest()
        doc = Document(id=f"syn{i}", text=text, sha256=sha, source="synthetic",
                       segments=(Segment("paragraph", 0, len(text)),), outlet=f"outlet{i % 9}",
                       published=datetime.combine(day, datetime.min.time()))
        event = Event(id="e1", event_type=kind[0], sub_event_type=kind[1], trigger="struck",
                      span=(0, len(text)), date=DateRange(day, day, "day", (3, 20)),
                      actor1=ActorMention(actor, "forces", (21, 27), True), actor2=None,
                      assoc_actor_1=(),
                      location=Location(place.name, place.admin1, place.admin2, place.lat,
                                        place.lon, 1, place.id, place.name, (40, 50)),
                      fatalities=Count(killed, killed, (60, 70)), injured=Count(),
                      targets=(), trigger_span=(28, 34))
        yield Extraction(document=doc, events=(event,))


def run(n: int, folder: Path) -> float:
    db = folder / f"merge-{n}.db"
    db.unlink(missing_ok=True)
    store = open_store(f"sqlite:///{db}")
    begin = time.perf_counter()
    store_results(records(n), store=store, summary=IngestSummary())
    merge_pending(store)
    seconds = time.perf_counter() - begin
    totals = counts(store)
    store.close()
    print(f"records: {n}  seconds: {seconds:.1f}  ms_per_record: {1000 * seconds / n:.3f}  "
          f"incidents: {totals['incidents']}  disputes: {totals['disputes']}", flush=True)
    return seconds / n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    ap.add_argument("--db-dir", type=Path, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.db_dir or Path(tmp)
        per_record = [run(n, folder) for n in args.sizes]
    if len(per_record) > 1:
        print(f"time per record, largest over smallest: {per_record[-1] / per_record[0]:.2f} "
              f"(1.0 is linear growth of the whole run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
