"""Alert delivery: reads undelivered alerts from the store, writes them as signed JSON POSTs to
the configured webhook (retried with backoff) and records each outcome."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import select

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


def deliver_pending(store: Store, settings: Settings, *,
                    sleep: Callable[[float], None] = time.sleep) -> tuple[int, int]:
    """POST every undelivered alert; returns (delivered, still failing). Without a webhook
    URL nothing is sent."""
    if not settings.alert_webhook_url:
        return 0, 0
    delivered = failing = 0
    with store.session() as session:
        ids = list(session.scalars(select(Alert.id).where(Alert.delivered_at.is_(None))
                                   .order_by(Alert.id)))
    with httpx.Client(timeout=settings.fetch_timeout, follow_redirects=False,
                      headers={"User-Agent": settings.user_agent}, trust_env=False) as client:
        for alert_id in ids:
            with store.session() as session, session.begin():
                alert = session.get(Alert, alert_id)
                body = json.dumps(alert_payload(alert), ensure_ascii=False).encode("utf-8")
                headers = {"Content-Type": "application/json"}
                if settings.alert_webhook_secret:
                    headers[SIGNATURE_HEADER] = sign(body, settings.alert_webhook_secret)
                error = None
                for attempt in range(settings.alert_webhook_attempts):
                    if attempt:
                        sleep(2 ** (attempt - 1))
                    alert.delivery_attempts += 1
                    try:
                        response = client.post(settings.alert_webhook_url, content=body,
                                               headers=headers)
                    except httpx.HTTPError as exc:
                        error = f"{type(exc).__name__}: {exc}"
                        continue
                    if 200 <= response.status_code < 300:
                        alert.delivered_at, error = now(), None
                        break
                    error = f"HTTP {response.status_code}"
                alert.delivery_error = error
                if error:
                    failing += 1
                else:
                    delivered += 1
    return delivered, failing
