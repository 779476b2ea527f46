"""Web layout: reads titles, bodies and spans, writes the HTML every page shares (the page
shell with its skip link, the styles, the event-type colours, links to evidence, highlighted
spans, pagers)."""
from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import HTMLResponse


COLOURS = {"Battles": "#c0392b", "Explosions/Remote violence": "#e67e22",
           "Violence against civilians": "#8e44ad", "Protests": "#2980b9", "Riots": "#16a085",
           "Strategic developments": "#7f8c8d"}
HIGHLIGHTS = {"event": "#ffe08a", "claim": "#fff3b0", "place": "#cde8ff", "date": "#d9f5d0", "actor": "#f8d7e8",
              "casualties": "#ffd6cc"}
STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1d2b36;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.3rem 1rem}header a{color:#fff}
main{padding:1rem;max-width:1200px;margin:auto}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f1c40f}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.side{background:#fff;border:1px solid #ddd;padding:.6rem}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:.6rem}
.scroll{overflow-x:auto;max-width:100%}svg{max-width:100%;height:auto;background:#fff;border:1px solid #ddd}.doc{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;padding:1rem;border:1px solid #ddd}
mark{padding:0 .1em}mark.new{background:#2ecc71;color:#fff;border-radius:3px}mark:target{outline:3px solid #c0392b}.legend span{display:inline-block;margin-right:.8rem}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.4rem;z-index:2000}.skip:focus{left:.5rem}
.pager{margin:.6rem 0}.pager a,.pager span{display:inline-block;padding:.2rem .5rem}.pager span[aria-current]{font-weight:bold}
.layout{display:grid;grid-template-columns:15rem minmax(0,1fr);gap:1rem}.facets h3{font-size:.95rem;margin:.6rem 0 .2rem}
.layout>*{min-width:0}.facets a{overflow-wrap:anywhere}.facets ul{list-style:none;margin:0;padding:0}.facets li{display:flex;justify-content:space-between;gap:.4rem}.facets .n{color:#666}
.chips a{display:inline-block;background:#e8eef3;border-radius:1rem;padding:.1rem .6rem;margin:.1rem;text-decoration:none;color:#222}
#map{height:480px;border:1px solid #ccc;background:#dfe8ee}.pin{border-radius:50%;border:2px solid #fff;box-shadow:0 0 0 1px #333;box-sizing:border-box}
.lbl{color:#334;font:600 12px system-ui,sans-serif;white-space:nowrap;text-shadow:0 0 3px #fff,0 0 3px #fff;pointer-events:none}.lbl2{font-weight:400;font-size:11px;color:#556}
.tl{position:relative;display:flex;align-items:flex-end;height:110px;gap:1px;border-bottom:1px solid #333;margin-top:.5rem}
.tl a{flex:1 1 0;background:#34495e;min-width:1px;display:block}.tl a:hover,.tl a:focus{background:#c0392b}
.tlk{display:flex;align-items:flex-start;height:36px;gap:1px}.tlk span{flex:1 1 0;background:#c0392b;min-width:1px}
.axis{position:relative;height:1.4rem;font-size:.75rem;color:#444}.axis span{position:absolute;transform:translateX(-50%);white-space:nowrap}
.axis span.edge{transform:none}.axis span.edge::before{left:0}.peak{position:absolute;left:2px;font-size:.7rem;font-weight:400;color:#444;background:#fafafae0}
.tl .peak{top:0}.tlk{position:relative}.tlk .peak{bottom:0}
.axis span::before{content:"";position:absolute;left:50%;top:-5px;height:5px;border-left:1px solid #333}
.exports a{margin-right:.6rem}.muted{color:#666}blockquote{margin:.3rem 0;padding-left:.6rem;border-left:3px solid #ccc}
@media (max-width:700px){.grid,.layout{grid-template-columns:1fr}.facets{order:2}
#list td:nth-child(5),#list th:nth-child(5),#list td:nth-child(7),#list th:nth-child(7),#list td:nth-child(9),#list th:nth-child(9){display:none}main{padding:.5rem}#map{height:60vh}.tl{height:90px}
form.filters label{flex:1 1 45%}form.filters input,form.filters select{width:100%;box-sizing:border-box}}
"""


@lru_cache(maxsize=1)
def boundaries(level: int = 1) -> list[dict[str, Any]]:
    """OCHA's governorates (1) or districts (2): name and rings of [lon, lat]."""
    text = resources.files("observatory.data").joinpath(f"boundaries_admin{level}.json").read_text()
    return json.loads(text)["features"]


def page(title: str, body: str, *, head: str = "", skip: str = "main") -> HTMLResponse:
    """The page shell. Its first link skips the navigation to ``skip`` (an element id)."""
    nav = ('<a href="/app">Incidents</a><a href="/app/disputes">Disputes</a><a href="/app/sources">Sources</a>'
           '<a href="/app/review">Review</a><a href="/app/alerts">Alerts</a>'
           '<a href="/docs">API</a>')
    return HTMLResponse(f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
                        f'<title>{escape(title)} · Conflict Observatory</title>'
                        f'<link rel="icon" href="/static/favicon.svg">'
                        f'<style>{STYLE}</style>{head}</head><body>'
                        f'<a class="skip" href="#{skip}">Skip to content</a>'
                        f'<header><nav>{nav}</nav></header>'
                        f'<main id="main" tabindex="-1"><h1>{escape(title)}</h1>{body}</main>'
                        f'</body></html>')


def pager(base: dict[str, str], page_no: int, pages: int, path: str) -> str:
    """Previous / next and nearby page links, keeping the view's other parameters."""
    if pages <= 1:
        return ""

    def link(n: int, text: str) -> str:
        if n == page_no:
            return f'<span aria-current="page">{text}</span>'
        return f'<a href="{path}?{escape(urlencode({**base, "page": n}))}">{text}</a>'
    near = sorted({1, pages, *range(max(1, page_no - 2), min(pages, page_no + 2) + 1)})
    parts = [link(page_no - 1, "‹ previous")] if page_no > 1 else []
    last = 0
    for n in near:
        if n > last + 1:
            parts.append("…")
        parts.append(link(n, str(n)))
        last = n
    if page_no < pages:
        parts.append(link(page_no + 1, "next ›"))
    return f'<nav class="pager" aria-label="pages">{" ".join(parts)}</nav>'


def span_link(doc: str, span: list[int] | None, text: str) -> str:
    if not span:
        return escape(text)
    return f'<a href="/app/documents/{escape(doc)}#s{span[0]}-{span[1]}">{escape(text)}</a>'


def highlight(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Mark every span, nested ones included: between two boundaries, each span covering the
    piece opens its mark (with its anchor id where the span starts) and closes it again."""
    spans = sorted({(a, b, k) for a, b, k in spans if 0 <= a < b <= len(text)},
                   key=lambda s: (s[0], -s[1]))
    cuts = sorted({0, len(text)} | {a for a, _, _ in spans} | {b for _, b, _ in spans})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in spans if s[0] <= a < s[1]]
        opening = "".join(
            f'<mark{f" id=s{s0}-{s1}" if s0 == a else ""} class="{k}" '
            f'style="background:{HIGHLIGHTS[k]}" title="{k}">' for s0, s1, k in active)
        out.append(opening + escape(text[a:b]) + "</mark>" * len(active))
    return "".join(out)
