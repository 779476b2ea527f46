"""Store models: reads nothing, writes the SQLAlchemy tables of documents, claims, events,
places, actors, incidents, their links and disputes."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Index,
                        Integer, LargeBinary, String, Text, UniqueConstraint, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


# Row ids of tables that grow with every report: 64-bit on PostgreSQL (migration 0004), as the
# API's cursors and incident ids promise; SQLite's INTEGER PRIMARY KEY is 64-bit already.
RowId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(RowId, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)  # the caller's id, or sha256
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)  # path or stream it was read from
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(DateTime)
    acquired_at: Mapped[datetime] = mapped_column(DateTime)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(Text)  # independent origin of its reporting
    # sha256 of the normalised text: the same story under two outlets is one origin
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    stage: Mapped[str] = mapped_column(String(40))
    claims: Mapped[list["Claim"]] = relationship(back_populates="document",
                                                 cascade="all, delete-orphan")
    events: Mapped[list["Event"]] = relationship(back_populates="document",
                                                 cascade="all, delete-orphan")


class Claim(Base):
    __tablename__ = "claims"
    id: Mapped[int] = mapped_column(RowId, primary_key=True)
    document_id: Mapped[int] = mapped_column(RowId, ForeignKey("documents.id"), index=True)
    key: Mapped[str] = mapped_column(String(20))
    speaker: Mapped[str] = mapped_column(String(300), index=True)
    speaker_mention: Mapped[str] = mapped_column(String(300))
    speaker_type: Mapped[str] = mapped_column(String(40))
    affiliation: Mapped[str | None] = mapped_column(String(300))
    via: Mapped[list[Any]] = mapped_column(JSON)
    cue: Mapped[str] = mapped_column(String(60))
    content: Mapped[str] = mapped_column(Text)
    polarity: Mapped[str] = mapped_column(String(10))
    quote: Mapped[bool] = mapped_column(Boolean)
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(10))
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    topics: Mapped[list[Any]] = mapped_column(JSON)
    stage: Mapped[str] = mapped_column(String(40))
    document: Mapped[Document] = relationship(back_populates="claims")
    __table_args__ = (UniqueConstraint("document_id", "key"),)


class Place(Base):
    __tablename__ = "places"
    gazetteer_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    admin1: Mapped[str | None] = mapped_column(String(120))
    admin2: Mapped[str | None] = mapped_column(String(120))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)


class Actor(Base):
    __tablename__ = "actors"
    name: Mapped[str] = mapped_column(String(300), primary_key=True)
    known: Mapped[bool] = mapped_column(Boolean)  # in the actors dictionary, or a surface name


class Located:
    """Where an event, or an incident, took place: a gazetteer entry and its coordinates."""

    place_name: Mapped[str | None] = mapped_column(String(300))
    admin1: Mapped[str | None] = mapped_column(String(120))
    admin2: Mapped[str | None] = mapped_column(String(120))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geo_precision: Mapped[int | None] = mapped_column(Integer)


class Event(Located, Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(RowId, primary_key=True)
    document_id: Mapped[int] = mapped_column(RowId, ForeignKey("documents.id"), index=True)
    key: Mapped[str] = mapped_column(String(20))
    event_type: Mapped[str] = mapped_column(String(80))
    sub_event_type: Mapped[str] = mapped_column(String(80))
    trigger: Mapped[str] = mapped_column(String(120))
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(10))
    actor1: Mapped[str | None] = mapped_column(ForeignKey("actors.name"))
    actor2: Mapped[str | None] = mapped_column(ForeignKey("actors.name"))
    assoc_actor_1: Mapped[list[Any]] = mapped_column(JSON)
    gazetteer_id: Mapped[str | None] = mapped_column(ForeignKey("places.gazetteer_id"))
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    injured_low: Mapped[int | None] = mapped_column(Integer)
    injured_high: Mapped[int | None] = mapped_column(Integer)
    targets: Mapped[list[Any]] = mapped_column(JSON)
    claim_keys: Mapped[list[Any]] = mapped_column(JSON)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(Text)  # who the event's report comes from
    stance: Mapped[str] = mapped_column(String(10))  # asserts, or denies when its claims deny
    speakers: Mapped[list[Any]] = mapped_column(JSON)
    terms: Mapped[list[Any]] = mapped_column(JSON)  # distinctive words of its report
    # Who speaks about it: speaker, origin, relaying outlets, polarity (record/origins.py)
    voices: Mapped[list[Any] | None] = mapped_column(JSON)
    stage: Mapped[str] = mapped_column(String(40))
    document: Mapped[Document] = relationship(back_populates="events")
    link: Mapped["IncidentEvent | None"] = relationship(back_populates="event",
                                                       cascade="all, delete-orphan")
    __table_args__ = (UniqueConstraint("document_id", "key"),)


class Incident(Located, Base):
    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(RowId, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(80))
    sub_event_type: Mapped[str] = mapped_column(String(80))
    topic: Mapped[str | None] = mapped_column(String(120))
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(10))
    gazetteer_id: Mapped[str | None] = mapped_column(String(80))
    actor1: Mapped[str | None] = mapped_column(String(300))
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    # Grid cell of a precisely placed incident (~20 km square): the merge step's spatial block.
    cell: Mapped[str | None] = mapped_column(String(24))
    origins: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[str] = mapped_column(String(20))
    status: Mapped[list[Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # The machine's values of the fields a person reviewed (theirs are in the columns above).
    machine: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    links: Mapped[list["IncidentEvent"]] = relationship(back_populates="incident")
    disputes: Mapped[list["IncidentDispute"]] = relationship(back_populates="incident",
                                                            cascade="all, delete-orphan")
    # The merge step's blocking: candidates share a governorate and an overlapping date. A
    # governorate's incidents in id order (the API's cursor pages) read from ix_incidents_admin1_id.
    __table_args__ = (Index("ix_incidents_block", "admin1", "date_start"),
                      Index("ix_incidents_cell", "cell", "date_start"),
                      Index("ix_incidents_date", "date_start"),
                      Index("ix_incidents_admin1_id", "admin1", "id"))


class IncidentEvent(Base):
    """Why an event belongs to its incident: the score and the fields that matched."""

    __tablename__ = "incident_events"
    event_id: Mapped[int] = mapped_column(RowId, ForeignKey("events.id"), primary_key=True)
    incident_id: Mapped[int] = mapped_column(RowId, ForeignKey("incidents.id"), index=True)
    reason: Mapped[dict[str, Any]] = mapped_column(JSON)
    stage: Mapped[str] = mapped_column(String(40))
    event: Mapped[Event] = relationship(back_populates="link")
    incident: Mapped[Incident] = relationship(back_populates="links")


class IncidentDispute(Base):
    __tablename__ = "disputes"
    id: Mapped[int] = mapped_column(RowId, primary_key=True)
    incident_id: Mapped[int] = mapped_column(RowId, ForeignKey("incidents.id"), index=True)
    field: Mapped[str] = mapped_column(String(20))
    sides: Mapped[list[Any]] = mapped_column(JSON)
    stage: Mapped[str] = mapped_column(String(40))
    incident: Mapped[Incident] = relationship(back_populates="disputes")


# --- review: accounts, reviews, audit trail ---


class User(Base):
    """A person with a role; the password (web) and tokens (API) are stored only as hashes."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # sha256 of a 256-bit random token: a slow hash adds nothing at that entropy.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class WebSession(Base):
    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class Review(Base):
    """A person's decision: a field confirmed or corrected, a dispute or document marked, events
    moved, incidents split or merged. Never updated: the newest review of a target wins."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # field, dispute, document, move, split, merge
    incident_id: Mapped[int | None] = mapped_column(RowId, index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    field: Mapped[str | None] = mapped_column(String(40))
    verdict: Mapped[str] = mapped_column(String(20))  # confirmed, corrected, irrelevant, ...
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    machine: Mapped[Any] = mapped_column(JSON, nullable=True)  # the machine's value when the person decided
    reason: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """One write, hash-chained to the entry before it; no code path updates or deletes it."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200), index=True)
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's newest entry (one row), locked by each append so writers take turns, and
    compared with the log by verify so a removed newest entry shows."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


# --- desk: search and browsing (issue 16, migration 0006) ---
# Kept by record/search.py with the full-text index, so that facets, the outlet filter and the
# timeline's background test read one small table instead of joining every report.


class IncidentOutlet(Base):
    """An outlet that published a report of the incident."""

    __tablename__ = "incident_outlets"
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"),
                                             primary_key=True)
    outlet: Mapped[str] = mapped_column(Text, primary_key=True, index=True)


class IncidentBackground(Base):
    """An incident dated more than a year before its first dated report came out ("since
    2011", "in 1982"): background, not news; the timeline leaves it out."""

    __tablename__ = "incident_background"
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"),
                                             primary_key=True)


# The list's orders other than by date, and the facets' counts.
Index("ix_incidents_origins", Incident.origins, Incident.date_start)
Index("ix_incidents_fatalities", Incident.fatalities_low, Incident.date_start)
Index("ix_incidents_admin2", Incident.admin2)
Index("ix_incidents_type", Incident.sub_event_type)
Index("ix_incidents_actor", Incident.actor1)
Index("ix_incidents_confidence", Incident.confidence)
# "New since your last visit" and the store's change key (record/store/browse.py).
Index("ix_incidents_updated", Incident.updated_at)


# --- watch: sources followed, entries seen, alert rules, alerts, visits ---
class WatchSource(Base):
    """A feed, JSON Lines endpoint or folder that `observatory watch run` polls."""

    __tablename__ = "watch_sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # feed, jsonl or folder
    outlet: Mapped[str | None] = mapped_column(String(300))
    every_seconds: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean)
    # Hosts its links may be followed to; the URL's own host is always one.
    allowed_hosts: Mapped[list[Any]] = mapped_column(JSON)
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    next_poll_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_polled_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(DateTime)
    failures: Mapped[int] = mapped_column(Integer)  # in a row: the backoff's exponent
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class WatchSeen(Base):
    """An entry of a source already ingested: the next poll skips it, across restarts."""

    __tablename__ = "watch_seen"
    source_id: Mapped[int] = mapped_column(ForeignKey("watch_sources.id", ondelete="CASCADE"),
                                           primary_key=True)
    entry_key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of its id
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(DateTime)


class AlertRule(Base):
    """What raises an alert. owner None is a global rule; a user's own rules fill owner once
    accounts exist, without another table."""

    __tablename__ = "alert_rules"
    id: Mapped[int] = mapped_column(RowId, primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(120), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # dispute, contested, denied, fatalities, status, area, type
    # area: {"admin1": NAME} or {"bbox": [w, s, e, n]}; type: {"type": EVENT_OR_SUB_TYPE}
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime)


UNDELIVERED = text("delivered_at IS NULL")


class Alert(Base):
    """One incident's changes in one ingest batch that matched a rule."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(RowId, primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(120), index=True)
    incident_id: Mapped[int] = mapped_column(RowId, index=True)  # merges may absorb it: no FK
    kinds: Mapped[list[Any]] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)  # each change, before and after
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    delivery_attempts: Mapped[int] = mapped_column(Integer)
    delivery_error: Mapped[str | None] = mapped_column(Text)
    # The delivery lease (watch/deliver.py): which deliverer is sending it, and until when; past
    # that time another takes it over (one that crashed never gives it back).
    delivery_claimed_by: Mapped[str | None] = mapped_column(String(120))
    delivery_claimed_until: Mapped[datetime | None] = mapped_column(DateTime)
    # Each delivery run reads the undelivered ones: a few, among every alert ever raised.
    __table_args__ = (Index("ix_alerts_undelivered", "id", sqlite_where=UNDELIVERED,
                            postgresql_where=UNDELIVERED),)


class Visit(Base):
    """When a list page was last shown: what is newer is marked new (global until accounts)."""

    __tablename__ = "visits"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # "owner:page", owner "" global
    seen_at: Mapped[datetime] = mapped_column(DateTime)
