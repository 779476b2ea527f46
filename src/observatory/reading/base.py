"""Reader helpers: read raw bytes, write checked text and Documents with their segments."""
from __future__ import annotations

import hashlib
import re
from datetime import datetime

from observatory.coding.dates import parse_timestamp
from observatory.errors import (BinaryDocument, DocumentTooLarge, EmptyDocument, EncodingError,
                                InvalidDate, InvalidField)
from observatory.records import Document, Segment, SegmentKind
from observatory.reading.opening import split_lead

# Lines a web page's chrome leaves in copied text: buttons and widgets, never body text.
_UI_WORDS = frozenset("""clear close menu search share tweet print email comments comment
advertisement advertising subscribe login logout home skip next previous more""".split())
_RELATED = re.compile(r"^(read|read more|see also|related|more|also read|watch|listen)\s*:", re.I)
# A trailing photo credit in brackets or parentheses marks a caption: "[Name – Agency]".
_CREDIT = re.compile(r"[\[(][^\[\]()]{2,80}?(?:[–—/|-]|photo|agency|afp|reuters|getty|images|"
                     r"ap\b|anadolu|epa)[^\[\]()]{0,80}[\])]\s*$", re.I)
_CAPTION_LEAD = re.compile(r"^(photo|image|picture|file photo)\s*:", re.I)


# UTF-16 is told from binary only by its byte order mark (Windows' "Unicode" text files).
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# The longest id the store holds (documents.key); outlets are unbounded text (migration 0004).
MAX_KEY_CHARS = 300


def check_bytes(raw: bytes, source: str, *, limit: int) -> None:
    if len(raw) > limit:
        raise DocumentTooLarge(source, len(raw), limit)
    if not raw.strip():
        raise EmptyDocument(source)
    if b"\x00" in raw[:65536] and not raw.startswith(_UTF16_BOMS):
        raise BinaryDocument(source)


def decode(raw: bytes, source: str) -> str:
    if raw.startswith(_UTF16_BOMS):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingError(source, f"at offset {exc.start}", encoding="UTF-16") from None
        if not text.strip():
            raise EmptyDocument(source)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise EncodingError(source, f"byte 0x{raw[exc.start]:02x} at offset {exc.start}"
                                ) from None
    control = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\t\n\r\f")
    if control > 8:
        raise BinaryDocument(source)
    return text


def published_date(value: str, source: str) -> datetime:
    """A given publication date (JSON field, feed stamp, --published), or InvalidDate: the one
    check every way in shares."""
    stamp = parse_timestamp(value)
    if stamp is None:
        raise InvalidDate(source, value)
    return stamp


def check_key(value: str | None, source: str, name: str = "id") -> None:
    """An id the store holds as given on SQLite and PostgreSQL alike."""
    if value is None:
        return
    if len(value) > MAX_KEY_CHARS:
        raise InvalidField(source, name, f"of {len(value):,} characters is longer than "
                                         f"{MAX_KEY_CHARS}")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise InvalidField(source, name, "holds a control character (NUL, line break, tab)")


def _no_nul(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; SQLite can. Dropped here so both stores hold the same.
    return value.replace("\x00", "") if value else value


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, inner line breaks folded into spaces."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    # Line by line, not re.sub(r"\s*\n\s*"): that backtracks quadratically on long runs of
    # spaces (a page's markup stripped away).
    return [" ".join(line.strip() for line in b.split("\n")).strip()
            for b in blocks if b.strip()]


def is_caption(block: str) -> bool:
    return bool(_CREDIT.search(block) or _CAPTION_LEAD.match(block))


# A photo's credit inside text flattened from a page: '... air base in Syria June 18 2016
# (TRT World and Agencies) The death toll ...'. The caption runs from the sentence before it.
_INLINE_CREDIT = re.compile(r"\((?:[^()]{0,30}?\b(?:photo|agencies|archive|getty|images)\b"
                            r"[^()]{0,20})\)\s+(?=[A-Z])", re.I)
MAX_CAPTION_CHARS = 300


def _inline_captions(block: str) -> list[tuple[SegmentKind, str]]:
    """A paragraph with the captions run into it split out: their photos, often file photos,
    are not what the paragraph reports."""
    out: list[tuple[SegmentKind, str]] = []
    start = 0
    for m in _INLINE_CREDIT.finditer(block):
        # 'Syria July 1 2016. (Reuters Photo)': the stop before the credit ends the caption.
        head = block[start:m.start()].rstrip()
        head_end = start + len(head) - (1 if head.endswith(".") else 0)
        stop = block.rfind(". ", start, head_end)
        begin = start if stop < 0 else stop + 2
        if m.start() - begin > MAX_CAPTION_CHARS:
            continue
        if block[start:begin].strip():
            out.append(("paragraph", block[start:begin].strip()))
        out.append(("caption", block[begin:m.end()].strip()))
        start = m.end()
    if block[start:].strip():
        out.append(("paragraph", block[start:].strip()))
    return out


def is_chrome(block: str) -> bool:
    """Widget words and related-article links copied along with a page."""
    return block.lower().strip(" .:|") in _UI_WORDS or bool(_RELATED.match(block))


def clean_plain(text: str, *, title: str | None = None
                ) -> tuple[str | None, datetime | None, list[tuple[SegmentKind | None, str]]]:
    """Split copied web text into (title, dateline, body blocks).

    Pages copied as text read: masthead lines, the headline, a dateline, then the body. When a
    line holding only a date stands among the first blocks, the block before it is the
    headline and everything above it is masthead. Text flattened to one block may open with
    the dateline and the headline run into the lead: both are split off. Either way the
    headline is a segment of its own, never parsed as part of the lead's first sentence; a
    wire's credit between them stays in the text, in no segment.
    """
    blocks = [b for b in paragraphs(text) if not is_chrome(b)]
    dateline = None
    headline = None
    for i, block in enumerate(blocks[:8]):
        if len(block) > 60:
            continue
        stamp = parse_timestamp(block)
        if stamp is not None:
            dateline = stamp
            if i > 0 and not blocks[i - 1].endswith("."):
                headline = blocks[i - 1]
                title = title or headline
            blocks = blocks[i + 1:]
            break
    kinds: list[tuple[SegmentKind | None, str]] = [
        ("caption" if is_caption(b) else "paragraph", b) for b in blocks]
    if kinds and kinds[0][0] == "paragraph":
        # (Under a headline on its own line, which is the title, the lead may repeat it.)
        opening = split_lead(kinds[0][1], title)
        dateline = dateline or opening.dateline
        headline = headline or opening.headline
        kinds[:1] = [(None, opening.credit), ("paragraph", opening.lead)]
    if headline:
        kinds.insert(0, ("headline", headline))
    return title, dateline, [part for kind, b in kinds for part in (
        _inline_captions(b) if kind == "paragraph" else [(kind, b)])]


def build_document(*, blocks: list[tuple[SegmentKind | None, str]], raw: bytes, source: str,
                   doc_id: str | None = None, title: str | None = None, outlet: str | None = None,
                   url: str | None = None, published: datetime | None = None) -> Document:
    """Join blocks with blank lines; each block becomes a segment indexing into the text,
    but a block of no kind (a wire's credit), which is kept in the text and parsed by no
    stage."""
    check_key(doc_id, source)
    outlet = _no_nul(outlet)
    parts: list[str] = []
    segments: list[Segment] = []
    offset = 0
    for kind, block in blocks:
        block = _no_nul(block)
        if not block.strip():
            continue
        if parts:
            offset += 2
        if kind is not None:
            segments.append(Segment(kind, offset, offset + len(block)))
        parts.append(block)
        offset += len(block)
    text = "\n\n".join(parts)
    if not text.strip():
        raise EmptyDocument(source)
    digest = sha256(raw)
    return Document(id=doc_id or digest, text=text, sha256=digest, source=source,
                    segments=tuple(segments), title=_no_nul(title), outlet=outlet,
                    url=_no_nul(url),
                    published=published, raw=raw)
