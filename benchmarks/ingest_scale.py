"""Ingest benchmark: reads a corpus (JSON Lines), writes documents per second of bare spaCy
parsing, serial ingest, and ingest on a local Dask cluster of 1 and of 2 workers, all on the
same texts in the same run, with the ratios issue 17 targets."""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import spacy

from observatory.coding.pipeline import Extractor
from observatory.reading import read_inputs
from observatory.record.store import open_store
from observatory.record.store.ingest import ingest
from observatory.records import Document
from observatory.scale import connect, ingest_on_cluster, prepare
from observatory.settings import load_settings


def _documents(path: Path, limit: int | None) -> list[Document]:
    docs = [d for d in read_inputs([str(path)], limit=10_000_000) if isinstance(d, Document)]
    return docs[:limit] if limit else docs


def _rate(count: int, start: float) -> float:
    return round(count / (time.perf_counter() - start), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path, help="made by benchmarks/make_corpus.py")
    parser.add_argument("--limit", type=int, help="only the first N reports")
    args = parser.parse_args()
    settings = load_settings(overrides={"processes": 1})
    docs = _documents(args.corpus, args.limit)
    out: dict[str, object] = {"reports": len(docs)}
    work = Path(tempfile.mkdtemp(prefix="observatory-bench-"))

    nlp = spacy.load(settings.model)
    start = time.perf_counter()
    for _ in nlp.pipe((d.text[s.start:s.end] for d in docs for s in d.segments),
                      batch_size=settings.batch_size):
        pass
    out["bare_spacy_docs_per_s"] = _rate(len(docs), start)
    del nlp

    extractor = Extractor.from_settings(settings)
    start = time.perf_counter()
    for _ in extractor.run(docs):
        pass
    out["extract_docs_per_s"] = _rate(len(docs), start)

    store = open_store(f"sqlite:///{work / 'serial.db'}")
    start = time.perf_counter()
    summary = ingest(iter(docs), store=store, extractor=extractor)
    out["serial_ingest_docs_per_s"] = _rate(summary.new, start)
    store.close()
    del extractor

    for workers in (1, 2):
        store = open_store(f"sqlite:///{work / f'workers{workers}.db'}")
        with connect(workers=workers) as client:
            # Each worker loads the pipeline once, as the serial runs load theirs untimed.
            prepare(client, settings)
            start = time.perf_counter()
            summary = ingest_on_cluster(iter(docs), store=store, settings=settings,
                                        client=client)
            out[f"workers_{workers}_docs_per_s"] = _rate(summary.new, start)
        store.close()

    out["serial_vs_bare_spacy"] = round(out["serial_ingest_docs_per_s"]
                                        / out["bare_spacy_docs_per_s"], 2)
    out["workers_2_vs_1"] = round(out["workers_2_docs_per_s"] / out["workers_1_docs_per_s"], 2)
    # What storing and merging alone allow: the one driver's limit however many workers.
    extra = 1 / out["serial_ingest_docs_per_s"] - 1 / out["extract_docs_per_s"]
    driver = 1 / extra if extra > 0 else float("inf")
    out["store_and_merge_docs_per_s"] = round(driver, 1) if extra > 0 else None
    # A day of 100,000 reports on N machines like this one (two workers each).
    out["hours_for_100k_on_1_2_4_8_machines"] = [
        round(100_000 / min(out["workers_2_docs_per_s"] * n, driver) / 3600, 1)
        for n in (1, 2, 4, 8)]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
