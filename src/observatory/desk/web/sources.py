"""Source pages: read source records, write the list of speakers and outlets (marking those
with no dictionary entry) and one source's page with every claim it made; and the speaker link
the incident, dispute and document pages use."""
from __future__ import annotations

from html import escape

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from observatory.desk.kept import Kept
from observatory.desk.web.layout import page
from observatory.record.sources import list_sources, source_id, source_record
from observatory.record.store import Store

_NO_ENTRY = ' <small class="unknown" title="not in the sources dictionary">(no entry)</small>'


def speaker_link(name: str) -> str:
    return f'<a class="speaker" href="/app/sources/{escape(source_id(name))}">{escape(name)}</a>'


def speaker_links(names: list[str]) -> str:
    return ", ".join(speaker_link(n) for n in names)


def router(store: Store, *, kept: Kept) -> APIRouter:
    """The pages' routes, answering from the app's kept tallies."""
    r = APIRouter(include_in_schema=False)
    dictionary, tallies = kept.dictionary, kept.tallies

    @r.get("/app/sources", response_class=HTMLResponse)
    def sources_page() -> HTMLResponse:
        with store.session() as session:
            records = list_sources(session, dictionary, kept=tallies)
        rows = "".join(
            f'<tr><td>{speaker_link(s["name"])}{"" if s["known"] else _NO_ENTRY}</td>'
            f'<td>{escape(s["type"])}</td><td>{s["claims"]}</td><td>{s["denials"]}</td>'
            f'<td>{s["incidents"]}</td><td>{s["contradicted"]}</td><td>{s["first_to_report"]}'
            f'</td><td>{escape(", ".join(x["name"] for x in s["relayed_by"]))}</td></tr>'
            for s in records)
        return page("Sources", '<div class="scroll"><table><tr><th>Source</th><th>Type</th>'
                    '<th>Claims</th><th>Denials</th><th>Incidents</th><th>Contradicted</th>'
                    '<th>First to report</th><th>Relayed by</th></tr>' + rows
                    + '</table></div>' if records else "<p>No sources yet.</p>")

    @r.get("/app/sources/{sid}", response_class=HTMLResponse)
    def source_page(sid: str) -> HTMLResponse:
        with store.session() as session:
            s = source_record(session, dictionary, sid, kept=tallies)
        if s is None:
            raise HTTPException(404, f"no source {sid}")
        facts = [("Type", escape(s["type"])),
                 ("Dictionary", "entry" if s["known"] else
                  '<b class="unknown">no entry yet</b>: add it to the file named by the '
                  '<code>sources_file</code> setting'),
                 ("Speaks for", speaker_link(s["affiliation"]) if s["affiliation"] else "-"),
                 ("Also called", escape(", ".join(s["aliases"])) or "-"),
                 ("Claims", f'{s["claims"]} ({s["denials"]} denials)'),
                 ("Incidents touched", str(s["incidents"])),
                 ("Claims contradicted by another origin", str(s["contradicted"])),
                 ("First to report", f'{s["first_to_report"]} incident(s)'),
                 ("Relayed by", ", ".join(f'{speaker_link(x["name"])} ({x["times"]})'
                                          for x in s["relayed_by"]) or "-")]
        table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)
        claims = "".join(
            f'<li>{escape(c["date"] or "undated")}: <i>{escape(c["cue"])}</i> '
            f'“{escape(c["content"])}” ({c["polarity"]}'
            f'{", contradicted" if c["contradicted"] else ""}) in '
            f'<a href="/app/documents/{escape(c["document"])}#s{c["span"][0]}-{c["span"][1]}">'
            f'{escape(c["document"][:16])}</a>'
            + (" via " + escape(", ".join(c["via"])) if c["via"] else "")
            + "".join(f' <a href="/app/incidents/{i}">{i}</a>' for i in c["incidents"])
            + "</li>" for c in s["claim_list"])
        return page(f'Source: {s["name"]}', f'<table>{table}</table><h2>Claims</h2>'
                    + (f"<ul>{claims}</ul>" if claims else "<p>No claims of its own.</p>"))

    return r
