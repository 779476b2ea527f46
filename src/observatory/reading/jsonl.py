"""JSON Lines reader: reads one object per line, writes one Document per line."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from observatory.errors import InputError, MalformedLine
from observatory.records import Document, ReadFailure
from observatory.reading.base import check_key, published_date
from observatory.reading.text import read_text


def _field(obj: dict, key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, (str, int, float)):
        raise MalformedLine(where, f'"{key}" must be a string')
    return str(value)


def read_jsonl(lines: Iterable[bytes], *, source: str, limit: int,
               outlet: str | None = None,
               published: datetime | None = None) -> Iterator[Document | ReadFailure]:
    """Each line: {"id", "text", "title", "published", "outlet", "url"}; only text is required."""
    for n, line in enumerate(lines, 1):
        where = f"{source}:{n}"
        if not line.strip():
            continue
        try:
            if len(line) > limit:
                raise MalformedLine(where, f"line of {len(line):,} bytes is over the limit")
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise MalformedLine(where, str(exc)) from None
            except RecursionError:
                raise MalformedLine(where, "nested too deeply") from None
            if not isinstance(obj, dict):
                raise MalformedLine(where, "expected a JSON object")
            text = obj.get("text")
            if not isinstance(text, str):
                raise MalformedLine(where, 'missing "text" string')
            doc_id = _field(obj, "id", where)
            check_key(doc_id, where)
            where = f"{source}:{doc_id or n}"
            stamp = _field(obj, "published", where)
            yield read_text(text.encode("utf-8"), source=where, limit=limit,
                            doc_id=doc_id, title=_field(obj, "title", where),
                            outlet=_field(obj, "outlet", where) or outlet,
                            url=_field(obj, "url", where),
                            published=published_date(stamp, where) if stamp else published,
                            record=line.strip())
        except InputError as exc:
            yield ReadFailure(exc.source, exc.reason)
