"""Feed reader: reads RSS/Atom bytes, writes one Document per entry (nothing is fetched)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import feedparser

from observatory.coding.dates import parse_timestamp
from observatory.errors import InputError, UnsupportedInput
from observatory.records import Document, ReadFailure
from observatory.reading.base import build_document, check_bytes, decode, paragraphs

# A DOCTYPE can declare external entities; feeds never need one, so it is dropped unread.
_DOCTYPE = re.compile(r"<!DOCTYPE[^>\[]*(\[[^\]]*\])?\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")


def parse_feed(raw: bytes, *, source: str, limit: int) -> feedparser.FeedParserDict:
    """The parsed feed, its entries in order; raises an InputError for what is not a feed."""
    check_bytes(raw, source, limit=limit)
    xml = _DOCTYPE.sub("", decode(raw, source))
    parsed = feedparser.parse(xml.encode("utf-8"), resolve_relative_uris=False,
                              sanitize_html=True)
    if not parsed.entries:
        raise UnsupportedInput(source, "no feed entries found (not an RSS or Atom feed?)")
    return parsed


def has_body(entry: feedparser.FeedParserDict) -> bool:
    """Whether an entry carries its article (content), not only a summary."""
    return bool(entry.get("content") and entry.content[0].get("value", "").strip())


def read_feed(raw: bytes, *, source: str, limit: int, outlet: str | None = None,
              published: datetime | None = None) -> Iterator[Document | ReadFailure]:
    parsed = parse_feed(raw, source=source, limit=limit)
    feed_title = parsed.feed.get("title")
    for n, entry in enumerate(parsed.entries, 1):
        name = f"{source}#{n}"
        html = ""
        if entry.get("content"):
            html = entry.content[0].get("value", "")
        html = html or entry.get("summary", "")
        text = _TAGS.sub("\n\n", html)
        blocks = [("paragraph", b) for b in paragraphs(text)]
        stamp = entry.get("published") or entry.get("updated")
        try:
            yield build_document(
                blocks=blocks, raw=(entry.get("id", "") + text).encode("utf-8"), source=name,
                doc_id=entry.get("id") or None, title=entry.get("title"),
                outlet=outlet or feed_title, url=entry.get("link"),
                published=(parse_timestamp(stamp) if stamp else None) or published)
        except InputError as exc:
            yield ReadFailure(exc.source, exc.reason)
