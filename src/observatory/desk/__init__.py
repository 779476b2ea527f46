"""The desk: reads the record and serves it to people (HTTP API, web pages, exports)."""
from observatory.desk.api import create_app

__all__ = ["create_app"]
