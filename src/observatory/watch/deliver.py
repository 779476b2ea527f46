"""Alert delivery: reads undelivered alerts from the store, claims each one's delivery (a lease
in its row), writes it as a signed JSON POST to the configured webhook (retried with backoff)
and records each outcome."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from observatory.record.store import Store
from observatory.record.store.models import Alert
from observatory.settings import Settings
from observatory.watch.sources import now

__all__ = ["SIGNATURE_HEADER", "alert_payload", "sign", "deliver_pending"]

SIGNATURE_HEADER = "X-Observatory-Signature"


def sign(body: bytes, secret: str) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of the exact body bytes."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def alert_payload(alert: Alert) -> dict[str, Any]:
    return {"id": alert.id, "incident": f"i{alert.incident_id}", "kinds": alert.kinds,
            "title": alert.title, "detail": alert.detail, "owner": alert.owner,
            "created_at": alert.created_at.isoformat() + "Z"}


def _deliverer() -> str:
    """This delivery run's name in the lease: unique, and saying where it runs."""
    return f"{uuid.uuid4().hex[:12]} {socket.gethostname()} pid {os.getpid()}"[:120]


def _take(session: Session, alert_id: int, me: str, at: datetime, seconds: float) -> bool:
    """Claim (or renew) one alert's delivery for ``me`` and count an attempt, if it is still
    undelivered and nobody else's lease on it runs: one conditional UPDATE, so of deliverers
    racing for an alert exactly one gets it."""
    free = or_(Alert.delivery_claimed_by == me, Alert.delivery_claimed_until.is_(None),
               Alert.delivery_claimed_until < at)
    taken = session.execute(
        update(Alert).where(Alert.id == alert_id, Alert.delivered_at.is_(None), free)
        .values(delivery_claimed_by=me, delivery_claimed_until=at + timedelta(seconds=seconds),
                delivery_attempts=Alert.delivery_attempts + 1)
        .execution_options(synchronize_session=False))
    return taken.rowcount == 1


def _deliver(store: Store, client: httpx.Client, settings: Settings, alert_id: int, me: str, *,
             sleep: Callable[[float], None], clock: Callable[[], datetime]) -> bool | None:
    """POST one alert if this run gets its lease: True when delivered, False when every
    attempt failed, None when another deliverer has it (or has delivered it)."""
    body = None
    headers = {"Content-Type": "application/json"}
    error = None
    for attempt in range(settings.alert_webhook_attempts):
        if attempt:
            sleep(2 ** (attempt - 1))
        # Renewed before every attempt, so the lease need only outlast one POST: a run that
        # slept past it and was overtaken stops here instead of sending the alert again.
        with store.session() as session, session.begin():
            if not _take(session, alert_id, me, clock(), settings.alert_delivery_lease_seconds):
                return None
            if body is None:
                body = json.dumps(alert_payload(session.get(Alert, alert_id)),
                                  ensure_ascii=False).encode("utf-8")
                if settings.alert_webhook_secret:
                    headers[SIGNATURE_HEADER] = sign(body, settings.alert_webhook_secret)
        try:
            response = client.post(settings.alert_webhook_url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
            continue
        if 200 <= response.status_code < 300:
            error = None
            break
        error = f"HTTP {response.status_code}"
    with store.session() as session, session.begin():
        # Released with its outcome; a run that lost the lease leaves both to the new holder.
        session.execute(update(Alert).where(Alert.id == alert_id,
                                            Alert.delivery_claimed_by == me)
                        .values(delivered_at=None if error else clock(), delivery_error=error,
                                delivery_claimed_by=None, delivery_claimed_until=None)
                        .execution_options(synchronize_session=False))
    return error is None


def deliver_pending(store: Store, settings: Settings, *,
                    sleep: Callable[[float], None] = time.sleep,
                    clock: Callable[[], datetime] = now) -> tuple[int, int]:
    """POST every undelivered alert that no other deliverer holds; returns (delivered, still
    failing). Without a webhook URL nothing is sent."""
    if not settings.alert_webhook_url:
        return 0, 0
    me = _deliverer()
    delivered = failing = 0
    with store.session() as session:
        ids = list(session.scalars(select(Alert.id).where(Alert.delivered_at.is_(None))
                                   .order_by(Alert.id)))
    with httpx.Client(timeout=settings.fetch_timeout, follow_redirects=False,
                      headers={"User-Agent": settings.user_agent}, trust_env=False) as client:
        for alert_id in ids:
            outcome = _deliver(store, client, settings, alert_id, me, sleep=sleep, clock=clock)
            delivered += outcome is True
            failing += outcome is False
    return delivered, failing
