"""Store models: reads nothing, writes the SQLAlchemy tables of documents, claims, events,
places, actors, incidents, their links and disputes."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer,
                        LargeBinary, String, Text, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)  # the caller's id, or sha256
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)  # path or stream it was read from
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(DateTime)
    acquired_at: Mapped[datetime] = mapped_column(DateTime)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(300))  # independent origin of its reporting
    # sha256 of the normalised text: the same story under two outlets is one origin
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    stage: Mapped[str] = mapped_column(String(40))
    claims: Mapped[list["Claim"]] = relationship(back_populates="document",
                                                 cascade="all, delete-orphan")
    events: Mapped[list["Event"]] = relationship(back_populates="document",
                                                 cascade="all, delete-orphan")


class Claim(Base):
    __tablename__ = "claims"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
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
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
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
    origin: Mapped[str] = mapped_column(String(300))  # who the event's report comes from
    stance: Mapped[str] = mapped_column(String(10))  # asserts, or denies when its claims deny
    speakers: Mapped[list[Any]] = mapped_column(JSON)
    terms: Mapped[list[Any]] = mapped_column(JSON)  # distinctive words of its report
    stage: Mapped[str] = mapped_column(String(40))
    document: Mapped[Document] = relationship(back_populates="events")
    link: Mapped["IncidentEvent | None"] = relationship(back_populates="event",
                                                       cascade="all, delete-orphan")
    __table_args__ = (UniqueConstraint("document_id", "key"),)


class Incident(Located, Base):
    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
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
    links: Mapped[list["IncidentEvent"]] = relationship(back_populates="incident")
    disputes: Mapped[list["IncidentDispute"]] = relationship(back_populates="incident",
                                                            cascade="all, delete-orphan")
    # The merge step's blocking: candidates share a governorate and an overlapping date.
    __table_args__ = (Index("ix_incidents_block", "admin1", "date_start"),
                      Index("ix_incidents_cell", "cell", "date_start"),
                      Index("ix_incidents_date", "date_start"))


class IncidentEvent(Base):
    """Why an event belongs to its incident: the score and the fields that matched."""

    __tablename__ = "incident_events"
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    reason: Mapped[dict[str, Any]] = mapped_column(JSON)
    stage: Mapped[str] = mapped_column(String(40))
    event: Mapped[Event] = relationship(back_populates="link")
    incident: Mapped[Incident] = relationship(back_populates="links")


class IncidentDispute(Base):
    __tablename__ = "disputes"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    field: Mapped[str] = mapped_column(String(20))
    sides: Mapped[list[Any]] = mapped_column(JSON)
    stage: Mapped[str] = mapped_column(String(40))
    incident: Mapped[Incident] = relationship(back_populates="disputes")


# --- desk: search and browsing (issue 16, migration 0006) ---
# Kept by record/search.py with the full-text index, so that facets, the outlet filter and the
# timeline's background test read one small table instead of joining every report.


class IncidentOutlet(Base):
    """An outlet that published a report of the incident."""

    __tablename__ = "incident_outlets"
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"),
                                             primary_key=True)
    outlet: Mapped[str] = mapped_column(String(300), primary_key=True, index=True)


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
