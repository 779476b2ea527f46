"""Auth: reads the Authorization header, the session cookie, CSRF tokens and the Host header;
writes who is asking (a Principal) or a refusal (400 wrong host, 401, 403, 429 too many logins).

Any router guards a route with one line: ``who: Principal = Depends(require("editor"))``."""
from __future__ import annotations

import hmac
import ipaddress
import secrets
import time
from collections import deque
from collections.abc import Callable
from urllib.parse import parse_qs

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse

from observatory.record import accounts
from observatory.record.accounts import Principal
from observatory.record.store import Store
from observatory.settings import Settings

SESSION_COOKIE = "obs_session"
LOGIN_CSRF_COOKIE = "obs_login_csrf"
_SAFE = ("GET", "HEAD", "OPTIONS")

__all__ = ["Auth", "Principal", "require", "form", "SESSION_COOKIE", "LOGIN_CSRF_COOKIE"]


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Auth:
    """The access rules of one server: who may read, which Host names it answers, and the
    failed-login counts (kept in this process: each server process limits on its own)."""

    def __init__(self, store: Store, settings: Settings, *, bind: str = "127.0.0.1") -> None:
        self.store = store
        self.settings = settings
        self.public_read = (_loopback(bind) if settings.public_read == "auto"
                            else settings.public_read == "on")
        hosts = {h.strip().strip("[]").lower() for h in settings.allowed_hosts.split(",")}
        if bind not in ("0.0.0.0", "::"):
            hosts.add(bind.strip("[]").lower())
        self.hosts = hosts - {""}
        self._failures: dict[str, deque[float]] = {}

    def host_allowed(self, header: str | None) -> bool:
        if not header:
            return False
        host = header.lower()
        host = host[1:host.index("]")] if host.startswith("[") and "]" in host else \
            host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return host in self.hosts

    def _recent(self, key: str, now: float) -> deque[float]:
        """The failures of one key within the window; a key with none is dropped, so names
        an attacker makes up do not pile up in memory."""
        times = self._failures.get(key, deque())
        while times and times[0] < now - self.settings.login_window_seconds:
            times.popleft()
        if not times:
            self._failures.pop(key, None)
        return times

    def login_blocked(self, client: str, name: str) -> int:
        """Seconds to wait before trying again, 0 if a login may be tried now."""
        now = time.monotonic()
        waits = [int(times[0] + self.settings.login_window_seconds - now) + 1
                 for times in (self._recent(f"ip:{client}", now), self._recent(f"user:{name}", now))
                 if len(times) >= self.settings.login_attempts]
        return max(waits, default=0)

    def login_failed(self, client: str, name: str) -> None:
        now = time.monotonic()
        for key in (f"ip:{client}", f"user:{name}"):
            self._failures[key] = self._recent(key, now)
            self._failures[key].append(now)

    def principal(self, request: Request) -> Principal | None:
        header = request.headers.get("authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise HTTPException(401, "send Authorization: Bearer TOKEN",
                                    headers={"WWW-Authenticate": "Bearer"})
            with self.store.session() as session:
                found = accounts.by_token(session, token.strip())
            if found is None:
                raise HTTPException(401, "unknown or revoked token",
                                    headers={"WWW-Authenticate": "Bearer"})
            return found
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            with self.store.session() as session:
                return accounts.session_user(session, cookie)
        return None


async def form(request: Request) -> dict[str, str]:
    """A URL-encoded form body as a dict (the last value of each name)."""
    body = await request.body()
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise HTTPException(422, "form body is not UTF-8") from None
    return {k: v[-1] for k, v in fields.items()}


def require(role: str) -> Callable:
    """A FastAPI dependency: the Principal if it holds ``role`` or a higher one. Anonymous
    visitors read when ``public_read`` is on; a write from a web session must carry its CSRF
    token (form field ``csrf`` or header ``X-CSRF-Token``); an API token needs none."""
    accounts.rank(role)

    async def dependency(request: Request) -> Principal:
        auth: Auth = request.app.state.auth
        who = auth.principal(request)
        if who is None:
            if role == "viewer" and auth.public_read:
                return Principal(None, "viewer")
            raise HTTPException(401, "sign in, or send Authorization: Bearer TOKEN",
                                headers={"WWW-Authenticate": "Bearer"})
        if request.method not in _SAFE and who.csrf is not None:
            sent = request.headers.get("x-csrf-token") or (await form(request)).get("csrf", "")
            if not hmac.compare_digest(sent.encode(), who.csrf.encode()):
                raise HTTPException(403, "missing or wrong CSRF token: reload the page")
        if accounts.rank(who.role) < accounts.rank(role):
            raise HTTPException(403, f"this needs the {role} role; {who.name} is {who.role}")
        return who

    return dependency


def install(app, auth: Auth) -> None:
    """Attach the rules to an app: the Host check on every request, and a sign-in page, not
    a bare 401, for people browsing the web pages."""
    app.state.auth = auth

    app.add_middleware(HostCheck, auth=auth)


class HostCheck:
    """Refuse a request whose Host is not one of the allowed names (DNS rebinding). Plain ASGI,
    so the body is never read here and the body limit's 413 passes through untouched."""

    def __init__(self, app, *, auth: Auth) -> None:
        self.app, self.auth = app, auth

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers") or ()).get(b"host")
            if not self.auth.host_allowed(host.decode("latin-1") if host else None):
                response = JSONResponse({"detail": "unknown Host: add it to allowed_hosts"}, 400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)



def login_redirect(request: Request, status: int) -> RedirectResponse | None:
    """People browsing the pages get the sign-in page instead of a bare 401 (the app's one
    error handler asks this first)."""
    if status == 401 and request.url.path.startswith("/app") and request.method in _SAFE:
        return RedirectResponse(f"/app/login?next={request.url.path}", 303)
    return None


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)
