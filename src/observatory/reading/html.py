"""HTML reader: reads page bytes, writes one Document whose <figcaption>s are caption segments."""
from __future__ import annotations

import html as entities
import re
from datetime import datetime

import lxml.html
import trafilatura
from lxml import etree

from observatory.coding.dates import parse_timestamp
from observatory.errors import UnsupportedInput
from observatory.records import Document, SegmentKind
from observatory.reading.base import build_document, check_bytes, decode, is_chrome, paragraphs


def _parser() -> lxml.html.HTMLParser:
    # Never fetch or expand what a page points to.
    return lxml.html.HTMLParser(no_network=True, remove_comments=True, recover=True,
                                remove_pis=True, huge_tree=True)


_HIDDEN = re.compile(r"<(script|style|noscript|template|head)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")


def _all_text(html: str) -> str:
    """Every text of a page trafilatura finds nothing in: libxml2 stops parsing 2,048 elements
    deep, and trafilatura gives up on a few hundred unclosed tags; better the whole page's
    text than 'empty document'."""
    return entities.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", html)))


def read_html(raw: bytes, *, source: str, limit: int, doc_id: str | None = None,
              outlet: str | None = None, url: str | None = None,
              published: datetime | None = None) -> Document:
    check_bytes(raw, source, limit=limit)
    html = decode(raw, source)
    try:
        tree = lxml.html.fromstring(html.encode("utf-8"), parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        raise UnsupportedInput(source, f"not parseable as HTML ({exc})") from None
    captions = []
    for node in tree.iter("figcaption"):
        text = " ".join(node.text_content().split())
        if text and text not in captions:
            captions.append(text)
    meta = trafilatura.extract_metadata(tree)
    body = trafilatura.extract(tree, include_comments=False, include_tables=False,
                               include_images=False, deduplicate=True, url=url) or _all_text(html)
    blocks: list[tuple[SegmentKind, str]] = [("caption", c) for c in captions]
    for block in paragraphs(body.replace("\n", "\n\n")):
        # trafilatura may keep a caption in the body, alone or run into the heading and the
        # first paragraph: it is already a caption segment.
        for caption in captions:
            block = " ".join(block.replace(caption, " ").split())
        if not block or is_chrome(block):
            continue
        blocks.append(("paragraph", block))
    title = meta.title if meta else None
    if published is None and meta and meta.date:
        published = parse_timestamp(meta.date)
    return build_document(blocks=blocks, raw=raw, source=source, doc_id=doc_id, title=title,
                          outlet=outlet or (meta.sitename if meta else None),
                          url=url or (meta.url if meta else None), published=published)
