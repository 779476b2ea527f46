"""The record: reads extractions and writes the store (documents, claims, events, incidents
merged across reports, cross-source disputes), and the queries the desk reads it with."""
from observatory.record.store import Store, open_store

__all__ = ["Store", "open_store"]
