"""Coding: reads parsed reports and writes claims, events (actors, places, dates, casualties)
and one report's disputes, each with its span and stage@version."""
from observatory.coding.pipeline import Extractor

__all__ = ["Extractor"]
