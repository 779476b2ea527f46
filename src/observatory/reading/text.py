"""Plain-text reader: reads .txt bytes, writes one Document with boilerplate removed."""
from __future__ import annotations

from datetime import datetime

from observatory.records import Document
from observatory.reading.base import build_document, check_bytes, clean_plain, decode


def read_text(raw: bytes, *, source: str, limit: int, doc_id: str | None = None,
              title: str | None = None, outlet: str | None = None, url: str | None = None,
              published: datetime | None = None, record: bytes | None = None) -> Document:
    """``record``: the bytes the text came from when they hold more than it (a JSON line with
    its id and outlet); they are hashed and kept instead, so one text under two outlets is two
    documents."""
    check_bytes(raw, source, limit=limit)
    text = decode(raw, source)
    # The report's own dateline wins over metadata, which is often when a page was indexed.
    found_title, dateline, blocks = clean_plain(text, title=title)
    return build_document(blocks=blocks, raw=record or raw, source=source, doc_id=doc_id,
                          title=found_title, outlet=outlet, url=url,
                          published=dateline or published)
