"""Errors: reads nothing, writes nothing; the one exception tree of the project.

    ObservatoryError
    ├── ConfigError            a settings file or dictionary that cannot be used
    ├── ModelError             the spaCy pipeline named in the settings cannot be loaded
    ├── StoreError             the database cannot be opened or migrated
    ├── QueryError             a filter or id no stored value can match (NUL, over-long)
    ├── AccountError           an account change that cannot be made (unknown user or role)
    ├── ReviewError            a review that does not fit the record (unknown field, incident)
    └── InputError             one document is unusable; the batch goes on
        ├── EmptyDocument
        ├── BinaryDocument
        ├── EncodingError
        ├── MalformedLine
        ├── DocumentTooLarge
        ├── InvalidDate        a published date that is not a date ('42', 'v2')
        ├── InvalidField       an id or outlet the store cannot hold
        ├── DuplicateId        an id already used by another stored document
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


class QueryError(ObservatoryError):
    pass


class AccountError(ObservatoryError):
    pass


class ReviewError(ObservatoryError):
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
    def __init__(self, source: str, detail: str, *, encoding: str = "UTF-8") -> None:
        super().__init__(source, f"not valid {encoding} ({detail})")


class MalformedLine(InputError):
    def __init__(self, source: str, detail: str) -> None:
        super().__init__(source, f"malformed JSON line: {detail}")


class DocumentTooLarge(InputError):
    def __init__(self, source: str, size: int, limit: int) -> None:
        super().__init__(source, f"document of {size:,} bytes is over the limit of {limit:,} bytes "
                                 "(raise max_document_bytes to read it)")


class UnsupportedInput(InputError):
    pass


class InvalidDate(InputError):
    def __init__(self, source: str, value: str) -> None:
        super().__init__(source, f"published date {_short(value)} is not a date "
                                 "(use YYYY-MM-DD or an RFC 822 date)")


class InvalidField(InputError):
    def __init__(self, source: str, name: str, detail: str) -> None:
        super().__init__(source, f'"{name}" {detail}')


class DuplicateId(InputError):
    def __init__(self, source: str, key: str) -> None:
        super().__init__(source, f"id {_short(key)} is already used by another stored document "
                                 "(give this one its own id)")


def _short(value: str, width: int = 40) -> str:
    """A value quoted on one line for a message: control characters escaped, long ones cut."""
    text = repr(value)
    return text if len(text) <= width else text[:width - 4] + "...'"


class FetchError(InputError):
    """A URL that could not be fetched: network failure, refused redirect, over the size limit."""


class WatchError(ObservatoryError):
    """A watch command that cannot do what it was asked (unknown source, bad interval)."""
