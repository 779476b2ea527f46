"""Conflict Observatory: turns reports about armed conflict into a sourced, checkable record."""
from __future__ import annotations

from observatory.errors import InputError, ObservatoryError
from observatory.coding.pipeline import Extractor
from observatory.records import Claim, Dispute, Document, Event, Extraction, ReadFailure
from observatory.settings import Settings, load_settings

__version__ = "0.1.0"
__all__ = ["Claim", "Dispute", "Document", "Event", "Extraction", "Extractor", "InputError",
           "ObservatoryError", "ReadFailure", "Settings", "load_settings", "__version__"]
