"""Sources command: reads the store and the sources dictionary, prints source records."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from observatory.coding.nlp import load_sources
from observatory.errors import ObservatoryError
from observatory.record.sources import list_sources
from observatory.record.store import open_store
from observatory.settings import load_settings


def sources(
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL (setting 'db').")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One source per line.")] = False,
    unknown: Annotated[bool, typer.Option("--unknown", help="Only speakers the sources "
                       "dictionary has no entry for yet.")] = False,
    settings_file: Annotated[Optional[Path], typer.Option("--settings", help="A TOML settings "
                             "file read instead of ~/.config/observatory/settings.toml.")] = None,
) -> None:
    """Print every speaker and outlet: claims, denials, incidents, contradictions, firsts."""
    try:
        settings = load_settings(user_path=settings_file, overrides={"db": db})
        dictionary = load_sources(settings.sources_file)[0]
        store = open_store(settings.db)
    except ObservatoryError as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    with store.session() as session:
        records = list_sources(session, dictionary, unknown=unknown)
    store.close()
    if as_json:
        for r in records:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    table = Table("source", "type", "claims", "denials", "incidents", "contradicted", "first",
                  "relayed by", title="Sources", expand=True)
    for r in records:
        table.add_row(r["name"] + ("" if r["known"] else " [yellow](no entry)[/]"), r["type"],
                      str(r["claims"]), str(r["denials"]), str(r["incidents"]),
                      str(r["contradicted"]), str(r["first_to_report"]),
                      ", ".join(x["name"] for x in r["relayed_by"]) or "-")
    Console(soft_wrap=True).print(table)
