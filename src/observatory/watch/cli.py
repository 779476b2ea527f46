"""Watch commands: reads command-line arguments, writes watched sources and rules to the store
and each poll's outcome to stderr (`observatory watch ...`)."""
from __future__ import annotations

import signal
import time
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from observatory.errors import ObservatoryError

app = typer.Typer(help="Follow feeds, JSON Lines endpoints and folders; alert on what changes.",
                  no_args_is_help=True)
rules_app = typer.Typer(help="Alert rules (global for now; an owner column waits for accounts).",
                        no_args_is_help=True)
app.add_typer(rules_app, name="rules")


def _common():
    # Imported late: cli.py imports this module, and its helpers are the project's one way
    # to read settings and open the store.
    from observatory import cli

    return cli


def _store(db: str | None, settings_file):
    cli = _common()
    settings = cli._settings(settings_file, db=db)
    return settings, cli._open_store(settings)


def _run(action):
    try:
        return action()
    except ObservatoryError as exc:
        _common()._fail(str(exc))


Db = Annotated[Optional[str], typer.Option("--db", help="Database URL (setting 'db').")]
SettingsFile = Annotated[Optional[str], typer.Option("--settings", help="A TOML settings file.")]


def _path(value: str | None):
    from pathlib import Path

    return Path(value) if value else None


@app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="RSS/Atom feed URL, JSON Lines URL (.jsonl, "
                   ".ndjson) or a local folder.")],
    outlet: Annotated[Optional[str], typer.Option(help="Outlet of its reports.")] = None,
    every: Annotated[str, typer.Option(help="Polling interval: 90s, 15m, 2h, 1d.")] = "15m",
    kind: Annotated[Optional[str], typer.Option(help="feed, jsonl or folder (guessed from "
                    "the URL by default).")] = None,
    allow_host: Annotated[Optional[list[str]], typer.Option("--allow-host", help="Another host "
                          "its links and redirects may lead to (repeatable).")] = None,
    disabled: Annotated[bool, typer.Option("--disabled", help="Keep it, but do not poll "
                        "it yet.")] = False,
    db: Db = None,
    settings_file: SettingsFile = None,
) -> None:
    """Keep a source to watch."""
    from observatory.watch.sources import add_source, parse_every

    _, store = _store(db, _path(settings_file))
    source_id = _run(lambda: add_source(store, url, outlet=outlet, every_seconds=parse_every(every),
                                        kind=kind, allow_hosts=tuple(allow_host or ()),
                                        enabled=not disabled))
    typer.echo(f"watching {url} as source {source_id}")
    store.close()


@app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="One source per line.")] = False,
          db: Db = None, settings_file: SettingsFile = None) -> None:
    """The watched sources with their state: last success, next poll, last error."""
    import dataclasses
    import json

    from observatory.watch.sources import list_sources

    _, store = _store(db, _path(settings_file))
    if as_json:
        for s in list_sources(store):
            typer.echo(json.dumps(dataclasses.asdict(s), default=str, ensure_ascii=False))
        store.close()
        return
    table = Table("id", "url", "kind", "outlet", "every", "on", "seen", "last ok", "next poll",
                  "error", title="Watched sources", expand=True)
    for s in list_sources(store):
        table.add_row(str(s.id), s.url, s.kind, s.outlet or "-", f"{s.every_seconds}s",
                      "yes" if s.enabled else "no", str(s.seen),
                      s.last_ok_at.isoformat(timespec="seconds") if s.last_ok_at else "-",
                      s.next_poll_at.isoformat(timespec="seconds") if s.next_poll_at else "now",
                      (f"[{s.failures} in a row] " if s.failures else "") + (s.last_error or ""))
    Console(soft_wrap=True).print(table)
    store.close()


def _on_source(verb: str, action, db: str | None, settings_file: str | None) -> None:
    """Open the store, apply ``action`` to it, and say ``verb`` and the source it named."""
    _, store = _store(db, _path(settings_file))
    try:
        typer.echo(f"{verb} {_run(lambda: action(store))}")
    finally:
        store.close()


@app.command("remove")
def remove(ref: Annotated[str, typer.Argument(help="Source id or URL.")], db: Db = None,
           settings_file: SettingsFile = None) -> None:
    """Stop watching a source (its stored reports stay)."""
    from observatory.watch.sources import remove_source

    _on_source("removed", lambda store: remove_source(store, ref), db, settings_file)


@app.command("enable")
def enable(ref: Annotated[str, typer.Argument(help="Source id or URL.")], db: Db = None,
           settings_file: SettingsFile = None) -> None:
    """Switch a source on."""
    from observatory.watch.sources import set_enabled

    _on_source("enabled", lambda store: set_enabled(store, ref, True), db, settings_file)


@app.command("disable")
def disable(ref: Annotated[str, typer.Argument(help="Source id or URL.")], db: Db = None,
            settings_file: SettingsFile = None) -> None:
    """Switch a source off without forgetting it."""
    from observatory.watch.sources import set_enabled

    _on_source("disabled", lambda store: set_enabled(store, ref, False), db, settings_file)


@app.command("run")
def run(
    once: Annotated[bool, typer.Option("--once", help="Poll every enabled source one time, "
                    "due or not, and exit (for cron).")] = False,
    db: Db = None,
    settings_file: SettingsFile = None,
) -> None:
    """Poll each source on its interval, ingest what is new and raise alerts; Ctrl-C stops."""
    from observatory.coding.pipeline import Extractor
    from observatory.reading.fetch import Fetcher
    from observatory.watch.poll import next_due, run_once
    from observatory.watch.sources import now

    settings, store = _store(db, _path(settings_file))
    err = Console(stderr=True)
    extractor = _run(lambda: Extractor.from_settings(settings))

    def show(result) -> None:
        if result.status == "error":
            err.print(f"[bold red]error:[/] {result.source}: {result.error} (retry at "
                      f"{result.retry_at.isoformat(timespec='seconds')})", highlight=False,
                      soft_wrap=True)
            return
        err.print(f"{result.source}: {result.status}, {result.new} new, {result.already} "
                  f"already stored, {result.failed} failed, {result.alerts} alerts"
                  + (f"; {result.error}" if result.error else ""), highlight=False,
                  soft_wrap=True)

    def bad(source: str, message: str) -> None:
        err.print(f"[bold red]error:[/] {source}: {message}", highlight=False, soft_wrap=True)

    stop = False

    def on_term(*_args) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    failed = False
    with Fetcher(settings) as fetcher:
        try:
            while not stop:
                # Cron decides when a --once run comes: every source is due then.
                results = run_once(store, settings=settings, extractor=extractor,
                                   fetcher=fetcher, force=once, on_result=show, on_error=bad)
                failed = any(r.status == "error" for r in results)
                if once:
                    break
                due = next_due(store)
                # Wake at the next due poll, at least every minute (sources added meanwhile).
                wait = 60.0 if due is None else min(60.0, (due - now()).total_seconds())
                end = time.monotonic() + max(wait, 1.0)
                while not stop and time.monotonic() < end:
                    time.sleep(min(1.0, end - time.monotonic()))
        except KeyboardInterrupt:
            pass
    store.close()
    if once and failed:
        raise typer.Exit(1)


@rules_app.command("list")
def rules_list(db: Db = None, settings_file: SettingsFile = None) -> None:
    """The alert rules."""
    from observatory.watch.rules import list_rules

    _, store = _store(db, _path(settings_file))
    for r in list_rules(store):
        params = ", ".join(f"{k}={v}" for k, v in r.params.items())
        typer.echo(f"{r.id}\t{r.owner or 'global'}\t{r.kind}\t{params}")
    store.close()


@rules_app.command("add")
def rules_add(
    kind: Annotated[str, typer.Argument(help="dispute, contested, denied, fatalities, status, "
                    "area or type.")],
    admin1: Annotated[Optional[str], typer.Option(help="Area rule: a governorate.")] = None,
    bbox: Annotated[Optional[str], typer.Option(help="Area rule: west,south,east,north.")] = None,
    event_type: Annotated[Optional[str], typer.Option("--type", help="Type rule: an ACLED event "
                          "or sub-event type.")] = None,
    db: Db = None,
    settings_file: SettingsFile = None,
) -> None:
    """Add a global alert rule."""
    from fastapi import HTTPException

    from observatory.desk.api.common import parse_bbox
    from observatory.watch.rules import add_rule

    box = None
    if bbox:
        try:
            box = parse_bbox(bbox)
        except HTTPException as exc:  # the API's one parser, with its error type
            _common()._fail(f"--bbox: {exc.detail}")
    _, store = _store(db, _path(settings_file))
    rule_id = _run(lambda: add_rule(store, kind, admin1=admin1, bbox=box, event_type=event_type))
    typer.echo(f"rule {rule_id} added")
    store.close()


@rules_app.command("remove")
def rules_remove(rule_id: Annotated[int, typer.Argument(help="Rule id.")], db: Db = None,
                 settings_file: SettingsFile = None) -> None:
    """Remove an alert rule."""
    from observatory.watch.rules import remove_rule

    _, store = _store(db, _path(settings_file))
    _run(lambda: remove_rule(store, rule_id))
    typer.echo(f"rule {rule_id} removed")
    store.close()
