"""CLI: reads command-line arguments, writes records to stdout and one-line errors to stderr."""
from __future__ import annotations

import getpass
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from observatory.coding.dates import parse_timestamp
from observatory.errors import ObservatoryError
from observatory.records import Extraction, ReadFailure
from observatory.record.store.queries import count_text
from observatory.settings import Settings, load_settings

app = typer.Typer(help="Conflict Observatory: a sourced, checkable record of armed conflict.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
gazetteer_app = typer.Typer(help="Manage the gazetteer of places.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")
from observatory.record.sources_cli import sources as _sources  # noqa: E402

app.command("sources")(_sources)
from observatory.record.commands import audit_app, user_app  # noqa: E402
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
from observatory.watch.cli import app as watch_app  # noqa: E402  (a sub-app of its own)
app.add_typer(watch_app, name="watch")

SettingsFile = Annotated[Optional[Path], typer.Option("--settings", help="A TOML settings file "
                         "read instead of ~/.config/observatory/settings.toml.")]
Model = Annotated[Optional[str], typer.Option("--model", help="spaCy pipeline to load "
                  "(setting 'model').")]
Processes = Annotated[Optional[int], typer.Option("--processes", min=1, help="Worker processes "
                      "for parsing (setting 'processes').")]
Db = Annotated[Optional[str], typer.Option("--db", help="Database URL (setting 'db'; SQLite "
               "file observatory.db in this folder by default).")]


def _fail(message: str, code: int = 2) -> None:
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _settings(settings_file: Path | None, **flags: object) -> Settings:
    try:
        return load_settings(user_path=settings_file, overrides=flags)
    except ObservatoryError as exc:
        _fail(str(exc))
        raise


def _published(value: str | None) -> datetime | None:
    if value is None:
        return None
    from observatory.reading.base import published_date

    try:
        return published_date(value, "--published")
    except ObservatoryError as exc:
        _fail(str(exc))
        raise


def _count_inputs(paths: list[str]) -> int | None:
    """How many files a batch holds, for the progress bar (None for standard input)."""
    from observatory.reading import SUFFIXES

    total = 0
    for name in paths:
        path = Path(name)
        if name == "-":
            return None
        if path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
        else:
            total += 1
    return total


def _batch(paths: list[str], settings: Settings, err: Console, label: str, *,
           outlet: str | None, published: datetime | None, load: bool = True):
    """The extractor (None unless ``load``), the stream of inputs, and a progress bar on
    stderr for batches over ``progress_threshold`` inputs (drawn only on a terminal)."""
    from observatory.coding.pipeline import Extractor
    from observatory.reading import read_inputs

    try:
        extractor = Extractor.from_settings(settings) if load else None
    except ObservatoryError as exc:
        _fail(str(exc))
        raise
    total = _count_inputs(paths)
    show = err.is_terminal and (total is None or total > settings.progress_threshold)
    progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=err, transient=True, disable=not show)
    items = read_inputs(paths, limit=settings.max_document_bytes, outlet=outlet,
                        published=published)
    return extractor, items, progress, total


def _print_pretty(console: Console, ex: Extraction) -> None:
    from rich.table import Table

    doc = ex.document
    console.rule(f"[bold]{doc.title or doc.id}[/]")
    console.print(f"outlet: {doc.outlet or '-'}   published: "
                  f"{doc.published.date().isoformat() if doc.published else '-'}   "
                  f"sha256: {doc.sha256[:12]}", highlight=False)
    if ex.claims:
        t = Table("id", "speaker", "type", "cue", "polarity", "date", "content", title="Claims",
                  show_lines=False, expand=True)
        for c in ex.claims:
            t.add_row(c.id, c.speaker + (f" (via {', '.join(c.via)})" if c.via else ""),
                      c.speaker_type, c.cue, c.polarity,
                      c.date.start.isoformat() if c.date else "-", c.content[:160])
        console.print(t)
    if ex.events:
        t = Table("id", "type", "actor1", "place", "date", "killed", "injured", title="Events",
                  expand=True)
        for e in ex.events:
            loc = e.location
            t.add_row(e.id, e.sub_event_type, e.actor1.name if e.actor1 else "-",
                      f"{loc.name} ({loc.admin1}, p{loc.geo_precision})" if loc else "-",
                      f"{e.date.start.isoformat()} ({e.date.precision})" if e.date else "-",
                      count_text(e.fatalities.low, e.fatalities.high),
                      count_text(e.injured.low, e.injured.high))
        console.print(t)
    for d in ex.disputes:
        console.print(f"[bold yellow]dispute[/] on {d.field} of '{d.about}': "
                      f"{', '.join(d.supporting)} against {', '.join(d.opposing)}", highlight=False)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for JSON Lines on stdin.")],
    published: Annotated[Optional[str], typer.Option(help="Publication date for inputs that "
                         "carry none (YYYY-MM-DD); relative dates resolve against it.")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="Outlet for inputs that name none.")] = None,
    pretty: Annotated[bool, typer.Option("--pretty", help="A readable summary instead of JSON "
                      "Lines.")] = False,
    model: Model = None,
    processes: Processes = None,
    settings_file: SettingsFile = None,
) -> None:
    """Extract claims, events and disputes from reports; print one JSON record per document."""
    settings = _settings(settings_file, model=model, processes=processes)
    stamp = _published(published)
    err = Console(stderr=True)
    out = Console(soft_wrap=True) if pretty else None
    extractor, items, progress, total = _batch(paths, settings, err, "extracting", outlet=outlet,
                                               published=stamp)
    failures = 0
    with progress:
        task = progress.add_task("extract", total=total)
        for result in extractor.run(items):
            if isinstance(result, ReadFailure):
                failures += 1
                progress.console.print(f"[bold red]error:[/] {result.source}: {result.message}",
                                       highlight=False, soft_wrap=True)
                continue
            if out is not None:
                _print_pretty(out, result)
            else:
                sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            progress.advance(task)
    if failures:
        err.print(f"{failures} input(s) failed", highlight=False)
        raise typer.Exit(1)


def _open_store(settings: Settings):
    from observatory.record.store import open_store

    try:
        return open_store(settings.db)
    except ObservatoryError as exc:
        _fail(str(exc))
        raise


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for JSON Lines on stdin.")],
    db: Db = None,
    published: Annotated[Optional[str], typer.Option(help="Publication date for inputs that "
                         "carry none (YYYY-MM-DD).")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="Outlet for inputs that name none.")] = None,
    model: Model = None,
    processes: Processes = None,
    settings_file: SettingsFile = None,
    scheduler: Annotated[Optional[str], typer.Option(help="Extract on the Dask cluster of this "
                         "scheduler (tcp://host:8786); needs the 'dask' extra.")] = None,
    workers: Annotated[Optional[int], typer.Option(min=1, help="Extract on a local Dask cluster "
                       "of N worker processes; needs the 'dask' extra.")] = None,
) -> None:
    """Read reports into the store: each is extracted, stored and merged into incidents."""
    from observatory.record.store.ingest import counts
    from observatory.watch.alerting import ingest_with_alerts
    from observatory.watch.deliver import deliver_pending

    settings = _settings(settings_file, db=db, model=model, processes=processes)
    stamp = _published(published)
    err = Console(stderr=True)
    store = _open_store(settings)
    on_cluster = scheduler is not None or workers is not None
    extractor, items, progress, total = _batch(paths, settings, err, "ingesting", outlet=outlet,
                                               published=stamp, load=not on_cluster)
    with progress:
        task = progress.add_task("ingest", total=total)
        merging = progress.add_task("merging", total=None, visible=False)

        def on_item(state: str, item) -> None:
            if state == "failed":
                progress.console.print(f"[bold red]error:[/] {item.source}: {item.message}",
                                       highlight=False, soft_wrap=True)
            progress.advance(task)

        def on_merged(n: int) -> None:
            progress.update(merging, visible=True, advance=n)

        # An ingest by hand raises alerts like the watcher's.
        if on_cluster:
            done = _ingest_on_cluster(items, store=store, settings=settings, err=err,
                                      scheduler=scheduler, workers=workers, on_item=on_item,
                                      on_merged=on_merged, by=f"cli:{getpass.getuser()}")
        else:
            done = ingest_with_alerts(items, store=store, extractor=extractor, on_item=on_item,
                                      on_merged=on_merged, by=f"cli:{getpass.getuser()}")
    summary = done.summary
    deliver_pending(store, settings)
    totals = counts(store)
    err.print(f"documents: {summary.new} new, {summary.already} already stored, "
              f"{summary.failed} failed; store: {totals['documents']} documents, "
              f"{totals['incidents']} incidents, {totals['disputes']} disputes; "
              f"{len(done.alerts)} alerts", highlight=False)
    store.close()
    if summary.failed:
        raise typer.Exit(1)


def _ingest_on_cluster(items, *, store, settings: Settings, err: Console, scheduler: str | None,
                       workers: int | None, on_item, on_merged, by: str):
    from observatory.watch.alerting import ingest_with_alerts

    try:
        from observatory.scale import connect
    except ImportError:
        _fail("--scheduler and --workers need Dask distributed: "
              "pip install 'conflict-observatory[dask]'")
        raise
    try:
        with connect(scheduler=scheduler, workers=workers) as client:
            err.print(f"Dask dashboard: {client.dashboard_link}", highlight=False)
            return ingest_with_alerts(items, store=store, settings=settings, client=client,
                                      on_item=on_item, on_merged=on_merged, by=by)
    except ObservatoryError as exc:
        _fail(str(exc))
        raise


def _date_option(value: str | None, name: str):
    if value is None:
        return None
    stamp = parse_timestamp(value)
    if stamp is None:
        _fail(f"{name}: cannot read '{value}' as a date (use YYYY-MM-DD)")
    return stamp.date()


# The incident filters shared by `incidents` and `export`, read as the API reads its own.
Search = Annotated[Optional[str], typer.Option("--q", help="Full-text search, as the API's q=: "
                   "every word must match (spelling- and accent-tolerant for names).")]
Since = Annotated[Optional[str], typer.Option(help="Only incidents on or after this date.")]
Until = Annotated[Optional[str], typer.Option(help="Only incidents on or before this date.")]
Admin1 = Annotated[Optional[str], typer.Option(help="Only this governorate (OCHA name, or a "
                   "spelling of it: Idlib is Idleb).")]
EventType = Annotated[Optional[str], typer.Option("--type", help="Only this ACLED event or "
                      "sub-event type.")]


def _incident_filters(*, q: str | None, since: str | None, until: str | None,
                      admin1: str | None, event_type: str | None) -> dict:
    from observatory.desk.api.common import read_filters

    chosen = read_filters({"q": q, "admin1": admin1, "type": event_type})
    return {**chosen, "since": _date_option(since, "--since"),
            "until": _date_option(until, "--until")}


@app.command()
def incidents(
    db: Db = None,
    as_json: Annotated[bool, typer.Option("--json", help="One incident record per line.")] = False,
    q: Search = None,
    since: Since = None,
    until: Until = None,
    admin1: Admin1 = None,
    event_type: EventType = None,
    settings_file: SettingsFile = None,
) -> None:
    """Print the merged incidents of the store, with origins, confidence and disputes."""
    from observatory.record.store.queries import iter_incidents

    settings = _settings(settings_file, db=db)
    filters = _incident_filters(q=q, since=since, until=until, admin1=admin1,
                                event_type=event_type)
    store = _open_store(settings)
    with store.session() as session:
        records = iter_incidents(session, **filters)
        if as_json:
            for record in records:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            _print_incidents(Console(soft_wrap=True), records)
    store.close()


def _print_incidents(console: Console, records) -> None:
    from rich.table import Table

    table = Table("id", "date", "type", "place", "actor1", "killed", "origins", "confidence",
                  "disputes", title="Incidents", expand=True)
    for r in records:
        loc = r["location"] or {}
        table.add_row(r["id"], (r["date"] or {}).get("start", "-"), r["sub_event_type"],
                      f"{loc.get('name') or '-'} ({loc.get('admin1') or '-'})", r["actor1"] or "-",
                      count_text(r["fatalities"]["low"], r["fatalities"]["high"]), str(r["origins"]),
                      r["confidence"], ", ".join(d["field"] for d in r["disputes"]) or "-")
    console.print(table)


@app.command()
def disputes(
    db: Db = None,
    as_json: Annotated[bool, typer.Option("--json", help="One dispute per line.")] = False,
    settings_file: SettingsFile = None,
) -> None:
    """Print every disagreement between sources, newest first, with both sides."""
    from observatory.record.store.queries import iter_disputes, side_text

    settings = _settings(settings_file, db=db)
    store = _open_store(settings)
    console = Console(soft_wrap=True)
    with store.session() as session:
        for d in iter_disputes(session):
            if as_json:
                sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
                continue
            when = (d["date"] or {}).get("start", "-")
            console.print(f"[bold]{d['incident']}[/] {when} {d['about']} at {d['place'] or '-'}: "
                          f"[yellow]{d['field']}[/]", highlight=False)
            for side in d["sides"]:
                console.print(f"   {side_text(d['field'], side['value'])}  said by "
                              f"{', '.join(side['speakers']) or '-'} in "
                              f"{', '.join(side['documents'])}", highlight=False)
    store.close()


@app.command()
def export(
    export_format: Annotated[str, typer.Option("--format", help="csv (ACLED columns), geojson "
                             "or jsonl.")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option(help="File to write (standard output by "
                      "default).")] = None,
    q: Search = None,
    since: Since = None,
    until: Until = None,
    admin1: Admin1 = None,
    event_type: EventType = None,
    db: Db = None,
    settings_file: SettingsFile = None,
) -> None:
    """Export the incidents (those the filters select, as `incidents` does), streamed: CSV
    with ACLED's column names, GeoJSON or JSON Lines."""
    from observatory.record.store.queries import EXPORTS, write_export

    if export_format not in EXPORTS:
        _fail(f"--format: expected one of {', '.join(EXPORTS)}, got '{export_format}'")
    settings = _settings(settings_file, db=db)
    filters = _incident_filters(q=q, since=since, until=until, admin1=admin1,
                                event_type=event_type)
    store = _open_store(settings)
    with store.session() as session:
        if output is None:
            write_export(export_format, session, sys.stdout, **filters)
        else:
            with output.open("w", encoding="utf-8", newline="") as fh:
                write_export(export_format, session, fh, **filters)
            Console(stderr=True).print(f"incidents written to {output}", highlight=False)
    store.close()


@app.command()
def serve(
    db: Db = None,
    host: Annotated[str, typer.Option(help="Address to bind; 127.0.0.1 keeps it to this "
                    "machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    settings_file: SettingsFile = None,
) -> None:
    """Serve the store over HTTP: the JSON API (schema at /openapi.json, docs at /docs)."""
    import uvicorn

    from observatory.desk.api import create_app

    settings = _settings(settings_file, db=db)
    store = _open_store(settings)
    uvicorn.run(create_app(store, settings, bind=host), host=host, port=port, log_level="info")


@app.command()
def bench(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Corpus to time (files, folders "
                     "or JSON Lines); the bundled examples by default.")] = None,
    repeat: Annotated[int, typer.Option(min=1, help="Read the corpus this many times.")] = 3,
    processes: Processes = None,
    model: Model = None,
    settings_file: SettingsFile = None,
) -> None:
    """Time extraction against bare spaCy nlp.pipe on the same texts; print the ratio."""
    from observatory.bench import run_bench

    settings = _settings(settings_file, model=model, processes=processes)
    try:
        report = run_bench(paths or [], settings=settings, repeat=repeat)
    except ObservatoryError as exc:
        _fail(str(exc))
    for key, value in report.items():
        typer.echo(f"{key}: {value}")


@gazetteer_app.command("import")
def gazetteer_import(
    dump: Annotated[Path, typer.Argument(help="A GeoNames dump (allCountries.txt, XX.txt or "
                    "cities500.txt format).", exists=True, dir_okay=False)],
    output: Annotated[Optional[Path], typer.Option(help="Where to write the places "
                      "(default: the 'gazetteer_file' setting, else ./gazetteer-extra.tsv).")] = None,
    country: Annotated[Optional[str], typer.Option(help="Keep only this ISO country code.")] = None,
    settings_file: SettingsFile = None,
) -> None:
    """Add places from a GeoNames dump, so reports about any country can be located."""
    from observatory.coding.gazetteer import import_geonames

    settings = _settings(settings_file)
    target = output or Path(settings.gazetteer_file or "gazetteer-extra.tsv")
    try:
        count = import_geonames(dump, target, country=country)
    except ObservatoryError as exc:
        _fail(str(exc))
    typer.echo(f"{count} places written to {target}; set gazetteer_file = \"{target}\" "
               f"(or OBSERVATORY_GAZETTEER_FILE) to use them")


def main() -> None:
    try:
        app()
    except ObservatoryError as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(2)
