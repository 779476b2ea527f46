"""Record commands: reads command-line arguments, writes accounts (`observatory user`) and
checks or exports the audit trail (`observatory audit`)."""
from __future__ import annotations

import getpass
import hashlib
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from observatory.errors import ObservatoryError
from observatory.settings import load_settings

user_app = typer.Typer(help="Manage accounts: viewer, reviewer, editor, admin.",
                       no_args_is_help=True)
audit_app = typer.Typer(help="Check and export the hash-chained audit trail.",
                        no_args_is_help=True)

SettingsFile = Annotated[Optional[Path], typer.Option("--settings", help="A TOML settings file "
                         "read instead of ~/.config/observatory/settings.toml.")]
Db = Annotated[Optional[str], typer.Option("--db", help="Database URL (setting 'db').")]


def _fail(message: str, code: int = 2) -> None:
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _store(db: str | None, settings_file: Path | None):
    from observatory.record.store import open_store

    try:
        return open_store(load_settings(user_path=settings_file, overrides={"db": db}).db)
    except ObservatoryError as exc:
        _fail(str(exc))
        raise


def _me() -> str:
    """Who runs a command: the account changes it makes are logged under this name."""
    return f"cli:{getpass.getuser()}"


def _write(db: str | None, settings_file: Path | None, action):
    store = _store(db, settings_file)
    try:
        with store.session() as session, session.begin():
            return action(session)
    except ObservatoryError as exc:
        _fail(str(exc))
    finally:
        store.close()


def _password(stdin: bool) -> str | None:
    if not stdin:
        return None
    return sys.stdin.readline().rstrip("\n")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The person's user name.")],
    role: Annotated[str, typer.Option(help="viewer, reviewer, editor or admin.")] = "viewer",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read a web "
                              "password (10 characters or more) from the first line of "
                              "standard input.")] = False,
    db: Db = None,
    settings_file: SettingsFile = None,
) -> None:
    """Create an account and print its API token (shown this once; only its hash is kept)."""
    from observatory.record import accounts

    password = _password(password_stdin)
    if password is not None and len(password) < 10:
        _fail("a password has at least 10 characters")
    token = _write(db, settings_file, lambda s: accounts.add_user(
        s, name, role=role, by=_me(), password=password))
    typer.echo(token)


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="The user name.")],
    db: Db = None,
    settings_file: SettingsFile = None,
) -> None:
    """Set a web password, read from the first line of standard input."""
    from observatory.record import accounts

    password = sys.stdin.readline().rstrip("\n")
    _write(db, settings_file, lambda s: accounts.set_password(s, name, password, by=_me()))
    typer.echo(f"password set for {name}")


@user_app.command("token")
def user_token(
    name: Annotated[str, typer.Argument(help="The user name.")],
    db: Db = None,
    settings_file: SettingsFile = None,
) -> None:
    """Print a new API token for an account (earlier tokens keep working until revoked)."""
    from observatory.record import accounts

    typer.echo(_write(db, settings_file, lambda s: accounts.new_token(s, name, by=_me())))


@user_app.command("list")
def user_list(db: Db = None, settings_file: SettingsFile = None) -> None:
    """Every account with its role; revoked ones say so."""
    from observatory.record import accounts

    store = _store(db, settings_file)
    with store.session() as session:
        for u in accounts.users(session):
            typer.echo(f"{u.name}\t{u.role}\t{'revoked' if u.revoked_at else 'active'}")
    store.close()


@user_app.command("role")
def user_role(
    name: Annotated[str, typer.Argument(help="The user name.")],
    role: Annotated[str, typer.Argument(help="viewer, reviewer, editor or admin.")],
    db: Db = None,
    settings_file: SettingsFile = None,
) -> None:
    """Change an account's role."""
    from observatory.record import accounts

    _write(db, settings_file, lambda s: accounts.set_role(s, name, role, by=_me()))
    typer.echo(f"{name} is now {role}")


@user_app.command("revoke")
def user_revoke(
    name: Annotated[str, typer.Argument(help="The user name.")],
    db: Db = None,
    settings_file: SettingsFile = None,
) -> None:
    """Close an account: its tokens and web sessions stop working at once."""
    from observatory.record import accounts

    _write(db, settings_file, lambda s: accounts.revoke(s, name, by=_me()))
    typer.echo(f"{name} revoked")


@audit_app.command("verify")
def audit_verify(db: Db = None, settings_file: SettingsFile = None) -> None:
    """Re-check the whole chain; exit 1 naming each entry changed or removed."""
    from observatory.record import audit

    store = _store(db, settings_file)
    with store.session() as session:
        count, head, problems = audit.verify(session)
    store.close()
    for problem in problems:
        Console(stderr=True).print(f"[bold red]tampered:[/] {problem}", highlight=False)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"{count} entries verified; head {head}")


@audit_app.command("export")
def audit_export(
    output: Annotated[Optional[Path], typer.Option(help="Where to write (standard output by "
                      "default).")] = None,
    signed_by: Annotated[Optional[str], typer.Option("--signed-by", help="Name of the person "
                         "signing the log off (default: the user running the command).")] = None,
    db: Db = None,
    settings_file: SettingsFile = None,
) -> None:
    """Write the chain of custody as JSON Lines: each document (sha256, when and from where it
    was acquired), every log entry with its hashes, and a closing sign-off line."""
    from observatory.record import audit

    store = _store(db, settings_file)
    digest = hashlib.sha256()
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        with store.session() as session:
            count, head, problems = audit.verify(session)
            if problems:
                _fail(f"the audit trail does not verify ({problems[0]}); run observatory "
                      "audit verify", 1)
            for line in audit.custody(session):
                text = json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"
                digest.update(text.encode("utf-8"))
                out.write(text)
        out.write(json.dumps({"type": "sign-off", "signed_by": signed_by or _me(),
                              "at": audit.now().isoformat() + "Z", "entries": count,
                              "head": head, "sha256_of_lines_above": digest.hexdigest()},
                             sort_keys=True) + "\n")
    finally:
        if output:
            out.close()
        store.close()
