"""Readers: read paths, folders and standard input; write a stream of Documents or ReadFailures."""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from observatory.errors import DocumentTooLarge, InputError, UnsupportedInput
from observatory.records import Document, ReadFailure
from observatory.reading.feeds import read_feed
from observatory.reading.html import read_html
from observatory.reading.jsonl import read_jsonl
from observatory.reading.text import read_text

__all__ = ["read_inputs", "read_path", "read_feed", "read_html", "read_jsonl", "read_text",
           "SUFFIXES"]

SUFFIXES = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html",
            ".xml": "feed", ".rss": "feed", ".atom": "feed", ".jsonl": "jsonl",
            ".ndjson": "jsonl"}

Item = Document | ReadFailure


def _walk(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith("."):
            yield path


def read_path(path: Path, *, limit: int, outlet: str | None = None,
              published: datetime | None = None) -> Iterator[Item]:
    """Documents of one file, by its suffix; errors become ReadFailures naming the file."""
    source = str(path)
    kind = SUFFIXES.get(path.suffix.lower())
    try:
        if kind is None:
            raise UnsupportedInput(source, f"unsupported file type '{path.suffix}' "
                                           f"(expected one of {', '.join(sorted(SUFFIXES))})")
        if kind == "jsonl":
            with path.open("rb") as fh:
                yield from read_jsonl(fh, source=source, limit=limit, outlet=outlet,
                                      published=published)
            return
        size = path.stat().st_size
        if size > limit:
            raise DocumentTooLarge(source, size, limit)
        raw = path.read_bytes()
        if kind == "feed":
            yield from read_feed(raw, source=source, limit=limit, outlet=outlet,
                                 published=published)
        elif kind == "html":
            yield read_html(raw, source=source, limit=limit, outlet=outlet, published=published)
        else:
            yield read_text(raw, source=source, limit=limit, outlet=outlet, published=published)
    except InputError as exc:
        yield ReadFailure(exc.source, exc.reason)
    except OSError as exc:
        yield ReadFailure(source, exc.strerror or str(exc))


def read_inputs(paths: Iterable[str], *, limit: int, outlet: str | None = None,
                published: datetime | None = None,
                stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Stream every document of the given paths; ``-`` reads JSON Lines from standard input."""
    for name in paths:
        if name == "-":
            yield from read_jsonl(stdin or sys.stdin.buffer, source="<stdin>", limit=limit,
                                  outlet=outlet, published=published)
            continue
        path = Path(name)
        if path.is_dir():
            for file in _walk(path):
                yield from read_path(file, limit=limit, outlet=outlet, published=published)
        elif not path.exists():
            yield ReadFailure(name, "no such file or folder")
        else:
            yield from read_path(path, limit=limit, outlet=outlet, published=published)
