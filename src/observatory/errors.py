"""Errors: reads nothing, writes nothing; the one exception tree of the project.

    ObservatoryError
    ├── ConfigError            a settings file or dictionary that cannot be used
    ├── ModelError             the spaCy pipeline named in the settings cannot be loaded
    ├── StoreError             the database cannot be opened or migrated
    └── InputError             one document is unusable; the batch goes on
        ├── EmptyDocument
        ├── BinaryDocument
        ├── EncodingError
        ├── MalformedLine
        ├── DocumentTooLarge
        └── UnsupportedInput

Every ``InputError`` names the document (a path, ``path:line`` or ``<stdin>:line``) so the
one-line message printed by the CLI tells the user which input to look at.
"""
from __future__ import annotations


class ObservatoryError(Exception):
    """Base class: a user-facing error with a one-line message."""


class ConfigError(ObservatoryError):
    pass


class ModelError(ObservatoryError):
    pass


class StoreError(ObservatoryError):
    pass


class InputError(ObservatoryError):
    """A document that cannot be read; ``source`` names it."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.reason = message
        super().__init__(f"{source}: {message}")


class EmptyDocument(InputError):
    def __init__(self, source: str) -> None:
        super().__init__(source, "empty document (no text to read)")


class BinaryDocument(InputError):
    def __init__(self, source: str) -> None:
        super().__init__(source, "binary content, not a text, HTML, feed or JSON Lines document")


class EncodingError(InputError):
    def __init__(self, source: str, detail: str) -> None:
        super().__init__(source, f"not valid UTF-8 ({detail})")


class MalformedLine(InputError):
    def __init__(self, source: str, detail: str) -> None:
        super().__init__(source, f"malformed JSON line: {detail}")


class DocumentTooLarge(InputError):
    def __init__(self, source: str, size: int, limit: int) -> None:
        super().__init__(source, f"document of {size:,} bytes is over the limit of {limit:,} bytes "
                                 "(raise max_document_bytes to read it)")


class UnsupportedInput(InputError):
    pass


class FetchError(InputError):
    """A URL that could not be fetched: network failure, refused redirect, over the size limit."""


class WatchError(ObservatoryError):
    """A watch command that cannot do what it was asked (unknown source, bad interval)."""
