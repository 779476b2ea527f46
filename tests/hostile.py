"""A corpus of hostile and odd inputs, generated (nothing large is committed): each entry is
(file name, bytes, how many good documents it holds, how many it must refuse)."""
from __future__ import annotations

import json
from pathlib import Path

GOOD = "Two civilians were killed when shelling hit a market in Aleppo on Monday, activists said."


def _jsonl(*objs) -> bytes:
    return b"".join((o if isinstance(o, bytes) else json.dumps(o).encode()) + b"\n" for o in objs)


def corpus() -> list[tuple[str, bytes, int, int]]:
    deep_html = "<html><body>" + "<div>" * 3000 + f"<p>{GOOD}</p>" + "</div>" * 3000 + "</body></html>"
    return [
        ("lines.jsonl", _jsonl({"id": "ok-1", "text": GOOD},
                               b"[" * 200_000,
                               {"id": "long", "text": GOOD + " " + "Aleppo" * 170_000},
                               {"id": "nul\x00id", "text": GOOD},
                               {"id": "x" * 301, "text": GOOD},
                               {"id": "date", "text": GOOD, "published": "1e400"},
                               {"id": "nul-text", "text": "Shelling\x00 hit."},
                               b"   ",
                               {"id": "ok-2", "text": GOOD + " Again."}), 3, 5),
        ("utf16.txt", b"\xff\xfe" + (GOOD + " Later.").encode("utf-16-le"), 1, 0),
        ("deep.html", deep_html.encode(), 1, 0),
        ("unclosed.html", ("<p>" + "<b><i>" * 400 + GOOD + " Still.").encode(), 1, 0),
        ("empty.txt", b"  \n ", 0, 1),
        ("binary.txt", b"\x00\x01\x02" * 100, 0, 1),
        ("latin1.txt", "Café shelled".encode("latin-1"), 0, 1),
        ("bad.xml", b"<rss><channel><item><title>t</title><description>Shelling hit Homs."
                    b"</description><pubDate>v2</pubDate></item></channel></rss>", 0, 1),
    ]


def write_corpus(folder: Path) -> tuple[int, int]:
    """Write the corpus into ``folder``; (good documents, refusals) it must give."""
    good = bad = 0
    for name, data, ok, refused in corpus():
        (folder / name).write_bytes(data)
        good, bad = good + ok, bad + refused
    return good, bad
