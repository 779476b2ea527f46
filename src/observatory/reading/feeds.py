"""Feed reader: reads RSS/Atom bytes, writes one Document per entry (nothing is fetched)."""
from __future__ import annotations

import html as entities
import re
from collections.abc import Iterator
from datetime import datetime

import feedparser

from observatory.errors import InputError, UnsupportedInput
from observatory.records import Document, ReadFailure
from observatory.reading.base import (build_document, check_bytes, decode, paragraphs,
                                      published_date)

# A DOCTYPE can declare external entities; feeds never need one, so it is dropped unread.
_DOCTYPE = re.compile(r"<!DOCTYPE[^>\[]*(\[[^\]]*\])?\s*>", re.I | re.S)
# Block elements end a paragraph; inline ones (<a>, <b>, <span>) stay inside their sentence.
_BLOCK_TAGS = re.compile(r"</?(?:p|div|br|hr|li|ul|ol|h[1-6]|blockquote|table|tr|td|th|pre|"
                         r"section|article|figure|figcaption|header|footer|dl|dt|dd)\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]+>")


def entry_text(html: str) -> str:
    """An entry's HTML as text: blank lines between blocks, entities decoded."""
    return entities.unescape(_TAGS.sub("", _BLOCK_TAGS.sub("\n\n", html)))


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
        text = entry_text(html)
        blocks = [("paragraph", b) for b in paragraphs(text)]
        stamp = entry.get("published") or entry.get("updated")
        try:
            yield build_document(
                blocks=blocks, raw=(entry.get("id", "") + text).encode("utf-8"), source=name,
                doc_id=entry.get("id") or None, title=entry.get("title"),
                outlet=outlet or feed_title, url=entry.get("link"),
                published=published_date(stamp, name) if stamp else published)
        except InputError as exc:
            yield ReadFailure(exc.source, exc.reason)
