"""Fetcher: reads URLs over HTTP(S) with the project's limits, writes Fetched bodies (or a
FetchError naming the URL); conditional GET, bounded redirects to allowed hosts only."""
from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from observatory.errors import FetchError
from observatory.settings import Settings

__all__ = ["Fetched", "Fetcher", "host_of"]

_REDIRECTS = {301, 302, 303, 307, 308}


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when the validators still hold
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


class Fetcher:
    """One HTTP client with a per-host delay; every request bounded in time, size and hops."""

    def __init__(self, settings: Settings, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self._settings = settings
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._client = httpx.Client(
            timeout=httpx.Timeout(settings.fetch_timeout), follow_redirects=False,
            headers={"User-Agent": settings.user_agent}, trust_env=False)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self._settings.fetch_host_delay - (time.monotonic() - last)
            if pause > 0:
                self._sleep(pause)
        self._last[host] = time.monotonic()

    def get(self, url: str, *, allowed_hosts: Collection[str], etag: str | None = None,
            last_modified: str | None = None) -> Fetched:
        """GET ``url``; a redirect to a host outside ``allowed_hosts`` is refused."""
        limit = self._settings.fetch_max_bytes
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        allowed = {h.lower() for h in allowed_hosts}
        for _hop in range(self._settings.fetch_max_redirects + 1):
            host = host_of(url)
            if urlsplit(url).scheme not in ("http", "https"):
                raise FetchError(url, "only http and https URLs are fetched")
            if host not in allowed:
                raise FetchError(url, f"host '{host}' is not among the source's hosts "
                                      f"({', '.join(sorted(allowed))}); add it with --allow-host")
            self._wait(host)
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code == 304:
                        return Fetched(url, 304, b"", "", etag, last_modified)
                    if response.status_code != 200:
                        raise FetchError(url, f"HTTP {response.status_code}")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise FetchError(url, f"body of {int(declared):,} bytes is over "
                                              f"fetch_max_bytes ({limit:,})")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > limit:
                            raise FetchError(url, f"body over fetch_max_bytes ({limit:,})")
                    return Fetched(url, 200, bytes(body),
                                   response.headers.get("content-type", ""),
                                   response.headers.get("etag"),
                                   response.headers.get("last-modified"))
            except httpx.HTTPError as exc:
                raise FetchError(url, f"{type(exc).__name__}: {exc}") from None
        raise FetchError(url, f"more than {self._settings.fetch_max_redirects} redirects")
