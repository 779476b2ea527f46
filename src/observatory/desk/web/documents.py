"""Document page: reads a stored report, writes its text with every extracted span highlighted."""
from __future__ import annotations

from html import escape

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from observatory.desk.web.layout import HIGHLIGHTS, highlight, page
from observatory.desk.web.sources import speaker_link
from observatory.record.store import Store
from observatory.record.store.models import Document


def router(store: Store) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/app/documents/{key}", response_class=HTMLResponse)
    def document_page(key: str) -> HTMLResponse:
        with store.session() as session:
            doc = session.scalar(select(Document).where(Document.key == key))
            if doc is None:
                raise HTTPException(404, f"no document {key}")
            spans: list[tuple[int, int, str]] = [(c.span_start, c.span_end, "claim")
                                                 for c in doc.claims]
            kinds = {"event_type": "event", "location": "place", "date": "date",
                     "actor1": "actor", "actor2": "actor", "fatalities": "casualties",
                     "injured": "casualties"}
            for e in doc.events:
                for field, span in e.evidence.items():
                    if field in kinds:
                        spans.append((span[0], span[1], kinds[field]))
            text, title = doc.text, doc.title or doc.key
            said = "".join(f'<li><a href="#s{c.span_start}-{c.span_end}">{escape(c.cue)}</a> by '
                           f'{speaker_link(c.speaker)}: “{escape(c.content)}”</li>'
                           for c in doc.claims)
        body = highlight(text, spans)
        legend = "".join(f'<span><mark style="background:{c}">{k}</mark></span>'
                         for k, c in HIGHLIGHTS.items())
        return page(title, f'<p class="legend">{legend}</p><div class="doc">{body}</div>'
                    + (f'<h2>Claims</h2><ul>{said}</ul>' if said else ""))

    return r
