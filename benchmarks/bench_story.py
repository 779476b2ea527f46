#!/usr/bin/env python3
"""One story told by a whole feed: does merging slow as its incident grows?

    python benchmarks/bench_story.py [--entries 5000] [--poll 250] [--db URL]

Writes an RSS feed of ENTRIES reports of one shelling (made here from templates: outlets,
speakers, tolls and wordings vary, the town and the day do not), reads it with the feed
reader and ingests it POLL entries at a time through the watcher's ingest with alerts, as
successive polls would. Prints each poll's documents per CPU second, and the
ratio of the last poll's throughput to the first's: near 1 when a report's cost does not
grow with the size of the incident it joins.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

from observatory.coding.pipeline import Extractor
from observatory.reading.feeds import read_feed
from observatory.record.store import open_store
from observatory.record.store.ingest import counts
from observatory.records import Document
from observatory.settings import load_settings
from observatory.watch.alerting import ingest_with_alerts

OUTLETS = ["North Wire", "Valley Radio", "Coast Daily", "Plains Post", "Border Monitor",
           "Evening Herald", "Morning Courier", "River Times"]
SPEAKERS = ["the Syrian Observatory for Human Rights said", "activists said",
            "the Syrian Civil Defence said", "a local council member said",
            "rescuers said", "state media said", "medics at the town's hospital said"]
OPENINGS = ["{n} civilians were killed on Tuesday when government artillery shelled the town "
            "of Maarat al-Numan in southern Idlib, {who}.",
            "Government shelling killed {n} people in Maarat al-Numan in Idlib province on "
            "Tuesday, {who}.",
            "At least {n} civilians died on Tuesday as artillery hit Maarat al-Numan, {who}."]
FOLLOW = ["Rescuers were still searching the rubble of houses on the eastern edge of the town.",
          "Several of the dead were children, according to the same source.",
          "The shelling followed a week of air strikes on the countryside around the town.",
          "Residents said shells fell near the market and a bakery."]


def feed(entries: int, seed: int = 11) -> bytes:
    rng = random.Random(seed)
    start = datetime(2019, 12, 17, 8, tzinfo=timezone.utc)
    items = []
    for i in range(entries):
        text = (rng.choice(OPENINGS).format(n=rng.randint(4, 14), who=rng.choice(SPEAKERS))
                + " " + " ".join(rng.sample(FOLLOW, 2)) + f" (Report {i + 1}.)")
        when = start + timedelta(minutes=i % 2000)
        items.append(f"<item><guid>story-{i}</guid><title>Shelling in Maarat al-Numan "
                     f"({i + 1})</title><pubDate>{format_datetime(when)}</pubDate>"
                     f"<author>{escape(rng.choice(OUTLETS))}</author>"
                     f"<description>{escape(text)}</description></item>")
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>One story</title>'
            + "".join(items) + "</channel></rss>").encode("utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=5000)
    ap.add_argument("--poll", type=int, default=250)
    ap.add_argument("--db", help="database URL (a fresh SQLite file by default)")
    args = ap.parse_args()
    docs = [d for d in read_feed(feed(args.entries), source="story.xml", limit=10_000_000)
            if isinstance(d, Document)]
    extractor = Extractor.from_settings(load_settings(env={}))
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(args.db or f"sqlite:///{Path(tmp) / 'story.db'}")
        rates = []
        for first in range(0, len(docs), args.poll):
            # CPU seconds of this process (SQLite runs in it): a shared machine's load does
            # not move them as it moves the wall clock.
            began = time.process_time()
            done = ingest_with_alerts(docs[first:first + args.poll], store=store,
                                      extractor=extractor)
            took = time.process_time() - began
            rates.append(done.summary.new / took)
            totals = counts(store)
            print(f"entries {first + 1}-{first + done.summary.new}: {rates[-1]:.2f} docs/CPU s, "
                  f"{len(done.alerts)} alerts; store {totals['incidents']} incidents",
                  flush=True)
        print(f"first poll {rates[0]:.2f} docs/CPU s, last {rates[-1]:.2f} docs/CPU s, "
              f"ratio last/first {rates[-1] / rates[0]:.2f}")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
