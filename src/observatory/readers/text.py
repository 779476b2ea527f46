"""Plain-text reader: reads .txt bytes, writes one Document with boilerplate removed."""
from __future__ import annotations

from datetime import datetime

from ..records import Document
from .base import build_document, check_bytes, clean_plain, decode


def read_text(raw: bytes, *, source: str, limit: int, doc_id: str | None = None,
              title: str | None = None, outlet: str | None = None, url: str | None = None,
              published: datetime | None = None) -> Document:
    check_bytes(raw, source, limit=limit)
    text = decode(raw, source)
    found_title, dateline, blocks = clean_plain(text)
    return build_document(blocks=blocks, raw=raw, source=source, doc_id=doc_id,
                          title=title or found_title, outlet=outlet, url=url,
                          published=published or dateline)
