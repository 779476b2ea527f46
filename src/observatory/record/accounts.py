"""Accounts: reads names, roles, passwords and tokens; writes users with argon2 password hashes
and sha256 token hashes, web sessions, and an audit entry for every account change."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observatory.errors import AccountError
from observatory.record import audit
from observatory.record.store.models import ApiToken, User, WebSession

ROLES = ("viewer", "reviewer", "editor", "admin")
_HASHER = PasswordHasher()
# Verified when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY = _HASHER.hash("not a password anyone has")

__all__ = ["ROLES", "Principal", "add_user", "set_role", "revoke", "set_password", "new_token",
           "users", "by_token", "login", "session_user", "end_session", "rank"]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: a user's name and role (anonymous readers are role viewer, no name)."""

    name: str | None
    role: str
    csrf: str | None = None  # the web session's CSRF token


def rank(role: str) -> int:
    return ROLES.index(role)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}' (one of {', '.join(ROLES)})")


def _control(name: str) -> bool:
    """Whether a name holds a control character (PostgreSQL refuses NUL in text even in a
    query, and no one types the others into a name)."""
    return any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in name)


def _user(session: Session, name: str) -> User:
    user = None if _control(name) else session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AccountError(f"no user '{name}'")
    return user


def new_token(session: Session, name: str, *, by: str) -> str:
    """A new API token for a user; only its hash is kept, so this is the one time it is seen."""
    user = _user(session, name)
    token = "obs_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_hash(token), created_at=audit.now()))
    audit.append(session, actor=by, action="token", target=f"user:{name}",
                 after={"token": _hash(token)[:12]})
    return token


def add_user(session: Session, name: str, *, role: str, by: str, password: str | None = None
             ) -> str:
    """Create an account; returns its first API token."""
    _check_role(role)
    name = name.strip()
    if not name or len(name) > 120:
        raise AccountError("a user name is 1 to 120 characters")
    if _control(name):
        raise AccountError("a user name holds no control characters")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise AccountError(f"user '{name}' already exists")
    session.add(User(name=name, role=role, created_at=audit.now(),
                     password_hash=_HASHER.hash(password) if password else None))
    session.flush()
    audit.append(session, actor=by, action="user add", target=f"user:{name}",
                 after={"role": role, "password": bool(password)})
    return new_token(session, name, by=by)


def set_role(session: Session, name: str, role: str, *, by: str) -> None:
    _check_role(role)
    user = _user(session, name)
    if role != "admin":
        _keep_an_admin(session, user)
    before, user.role = user.role, role
    audit.append(session, actor=by, action="user role", target=f"user:{name}",
                 before={"role": before}, after={"role": role})


def set_password(session: Session, name: str, password: str, *, by: str) -> None:
    if len(password) < 10:
        raise AccountError("a password has at least 10 characters")
    user = _user(session, name)
    user.password_hash = _HASHER.hash(password)
    audit.append(session, actor=by, action="user password", target=f"user:{name}")


def revoke(session: Session, name: str, *, by: str) -> None:
    """Close an account: its tokens and sessions stop working; the row stays for the log."""
    user = _user(session, name)
    _keep_an_admin(session, user)
    stamp = audit.now()
    user.revoked_at = stamp
    for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                        ApiToken.revoked_at.is_(None))):
        token.revoked_at = stamp
    for web in session.scalars(select(WebSession).where(WebSession.user_id == user.id)):
        session.delete(web)
    audit.append(session, actor=by, action="user revoke", target=f"user:{name}",
                 before={"role": user.role}, after={"revoked": True})


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse to demote or close the last open admin account: no one could then manage the
    accounts, from the API or the web (the command line could still add one)."""
    if user.role != "admin" or user.revoked_at is not None:
        return
    others = session.scalar(select(func.count(User.id)).where(
        User.role == "admin", User.revoked_at.is_(None), User.id != user.id))
    if not others:
        raise AccountError(f"'{user.name}' is the last admin: make another admin first")


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def by_token(session: Session, token: str) -> Principal | None:
    row = session.execute(select(User, ApiToken).join(ApiToken, ApiToken.user_id == User.id)
                          .where(ApiToken.token_hash == _hash(token))).first()
    if row is None or row[0].revoked_at is not None or row[1].revoked_at is not None:
        return None
    return Principal(row[0].name, row[0].role)


def login(session: Session, name: str, password: str, *, hours: int) -> tuple[str, str] | None:
    """Check a password; on success open a web session and return its cookie and CSRF token."""
    user = None if _control(name) else session.scalar(select(User).where(User.name == name))
    stored = user.password_hash if user is not None and user.revoked_at is None else None
    try:
        _HASHER.verify(stored or _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    if stored is None:
        return None
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    stamp = audit.now()
    for old in session.scalars(select(WebSession).where(WebSession.user_id == user.id,
                                                        WebSession.expires_at < stamp)):
        session.delete(old)
    session.add(WebSession(user_id=user.id, token_hash=_hash(cookie), csrf=csrf,
                           created_at=stamp, expires_at=stamp + timedelta(hours=hours)))
    audit.append(session, actor=name, action="login", target=f"user:{name}")
    return cookie, csrf


def session_user(session: Session, cookie: str) -> Principal | None:
    row = session.execute(select(User, WebSession)
                          .join(WebSession, WebSession.user_id == User.id)
                          .where(WebSession.token_hash == _hash(cookie))).first()
    if row is None or row[0].revoked_at is not None or row[1].expires_at < audit.now():
        return None
    return Principal(row[0].name, row[0].role, csrf=row[1].csrf)


def end_session(session: Session, cookie: str) -> None:
    for web in session.scalars(select(WebSession).where(WebSession.token_hash == _hash(cookie))):
        session.delete(web)
