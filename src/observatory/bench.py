"""Benchmark: reads a corpus and Settings, writes throughput of extraction vs bare spaCy."""
from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import spacy

from observatory.coding.pipeline import Extractor
from observatory.reading import read_inputs
from observatory.records import Document, Extraction
from observatory.settings import Settings


def _corpus(paths: list[str], settings: Settings, repeat: int) -> Iterator[Document]:
    if not paths:
        paths = [str(Path(str(resources.files("observatory.data").joinpath("examples"))))]
    for _ in range(repeat):
        for item in read_inputs(paths, limit=settings.max_document_bytes):
            if isinstance(item, Document):
                yield item


def _cpu_seconds() -> float:
    """CPU time of this process and of parsing workers that have ended: unlike wall time,
    not stretched by other work sharing the machine while one of the two runs is timed."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_bench(paths: list[str], *, settings: Settings, repeat: int) -> dict[str, object]:
    """Same texts, same process count: bare ``nlp.pipe`` first, then the whole extraction."""
    bare = spacy.load(settings.model)
    docs = 0
    start, cpu = time.perf_counter(), _cpu_seconds()
    texts = (doc.text[s.start:s.end] for doc in _corpus(paths, settings, repeat)
             for s in doc.segments)
    for _ in bare.pipe(texts, batch_size=settings.batch_size, n_process=settings.processes):
        pass
    bare_seconds, bare_cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    docs = sum(1 for _ in _corpus(paths, settings, repeat))
    extractor = Extractor.from_settings(settings)
    rss_half = None
    start, cpu = time.perf_counter(), _cpu_seconds()
    done = 0
    for result in extractor.run(_corpus(paths, settings, repeat)):
        if isinstance(result, Extraction):
            done += 1
            if done == docs // 2:
                rss_half = _rss_mb()
    seconds, cpu_seconds = time.perf_counter() - start, _cpu_seconds() - cpu
    bare_rate = docs / bare_seconds if bare_seconds else 0.0
    rate = done / seconds if seconds else 0.0
    return {"documents": done, "processes": settings.processes,
            "spacy_docs_per_second": round(bare_rate, 2),
            "extract_docs_per_second": round(rate, 2),
            "ratio": round(rate / bare_rate, 3) if bare_rate else 0.0,
            # Same documents both runs: the ratio of CPU seconds is the ratio of speeds.
            "cpu_ratio": round(bare_cpu / cpu_seconds, 3) if cpu_seconds and done == docs else 0.0,
            "peak_rss_mb_at_half": round(rss_half or 0.0, 1),
            "peak_rss_mb_at_end": round(_rss_mb(), 1)}
