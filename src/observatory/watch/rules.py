"""Alert rules: reads incident Changes and the rules kept in the store, writes Alerts (one per
incident and owner per batch, naming every rule that fired)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from observatory.errors import WatchError
from observatory.record.changes import Change, Facts
from observatory.record.store import Store
from observatory.record.store.models import Alert, AlertRule
from observatory.watch.sources import now

__all__ = ["KINDS", "RuleInfo", "add_rule", "list_rules", "remove_rule", "raise_alerts",
           "matches"]

# Rule kinds: the first five fire on a change of that name, area and type on a new incident.
KINDS = ("dispute", "contested", "denied", "fatalities", "status", "area", "type")
_LABEL = {"dispute": "new dispute", "contested": "now contested", "denied": "now denied",
          "fatalities": "toll range widened", "status": "announcement status changed",
          "area": "in a watched area", "type": "of a watched type"}


@dataclass(frozen=True)
class RuleInfo:
    id: int
    owner: str | None
    kind: str
    params: dict[str, Any]
    enabled: bool


def add_rule(store: Store, kind: str, *, owner: str | None = None, admin1: str | None = None,
             bbox: tuple[float, float, float, float] | None = None,
             event_type: str | None = None) -> int:
    if kind not in KINDS:
        raise WatchError(f"rule kind: expected one of {', '.join(KINDS)}, got '{kind}'")
    params: dict[str, Any] = {}
    if kind == "area":
        if (admin1 is None) == (bbox is None):
            raise WatchError("an area rule needs exactly one of --admin1 or --bbox")
        params = {"admin1": admin1} if admin1 else {"bbox": list(bbox)}
    elif kind == "type":
        if not event_type:
            raise WatchError("a type rule needs --type (an ACLED event or sub-event type)")
        params = {"type": event_type}
    elif admin1 or bbox or event_type:
        raise WatchError(f"a {kind} rule takes no --admin1, --bbox or --type")
    with store.session() as session, session.begin():
        row = AlertRule(owner=owner, kind=kind, params=params, enabled=True, created_at=now())
        session.add(row)
        session.flush()
        return row.id


def remove_rule(store: Store, rule_id: int) -> None:
    with store.session() as session, session.begin():
        if not session.execute(delete(AlertRule).where(AlertRule.id == rule_id)).rowcount:
            raise WatchError(f"rule {rule_id}: no such rule (see `observatory watch rules list`)")


def list_rules(store: Store) -> list[RuleInfo]:
    with store.session() as session:
        return [RuleInfo(r.id, r.owner, r.kind, dict(r.params), r.enabled)
                for r in session.scalars(select(AlertRule).order_by(AlertRule.id))]


def _in_area(facts: Facts, params: dict[str, Any]) -> bool:
    if "admin1" in params:
        return (facts.admin1 or "").casefold() == str(params["admin1"]).casefold()
    west, south, east, north = params["bbox"]
    return (facts.lat is not None and facts.lon is not None
            and west <= facts.lon <= east and south <= facts.lat <= north)


def matches(rule: RuleInfo, change: Change) -> bool:
    if rule.kind == "area":
        return change.kind == "new" and _in_area(change.incident, rule.params)
    if rule.kind == "type":
        wanted = str(rule.params["type"]).casefold()
        return change.kind == "new" and wanted in (change.incident.event_type.casefold(),
                                                   change.incident.sub_event_type.casefold())
    return rule.kind == change.kind


def _describe(change: Change) -> str:
    if change.kind == "dispute":
        return f"new dispute on {change.after}"
    if change.kind == "fatalities":
        return f"toll range widened from {change.before} to {change.after}"
    if change.kind == "status":
        return f"announcement status {change.before or 'none'} -> {change.after}"
    if change.kind in ("contested", "denied"):
        return f"confidence {change.before or 'none'} -> {change.after}"
    return "new incident"


def raise_alerts(store: Store, changes: Sequence[Change]) -> list[int]:
    """One alert per incident and rule owner: several changes one report brings to an incident
    are one thing to read, not several."""
    rules = [r for r in list_rules(store) if r.enabled]
    grouped: dict[tuple[str | None, int], tuple[Facts, list[str], list[dict[str, Any]]]] = {}
    for change in changes:
        for rule in rules:
            if not matches(rule, change):
                continue
            facts, kinds, detail = grouped.setdefault((rule.owner, change.incident.id),
                                                      (change.incident, [], []))
            if rule.kind not in kinds:
                kinds.append(rule.kind)
            entry = {"change": change.kind, "text": _describe(change),
                     "before": change.before, "after": change.after}
            if entry not in detail:
                detail.append(entry)
    ids = []
    with store.session() as session, session.begin():
        for (owner, incident_id), (facts, kinds, detail) in grouped.items():
            title = f"{facts.title}: " + ", ".join(_LABEL[k] for k in kinds)
            row = Alert(owner=owner, incident_id=incident_id, kinds=kinds, title=title,
                        detail={"changes": detail, "confidence": facts.confidence,
                                "admin1": facts.admin1, "place": facts.place,
                                "date": facts.date},
                        created_at=now(), delivery_attempts=0)
            session.add(row)
            session.flush()
            ids.append(row.id)
    return ids
