"""All errors the library raises on purpose, each naming where the problem is."""
from __future__ import annotations


class MinshengError(Exception):
    """Base class of the library's own errors."""


class InputError(MinshengError, ValueError):
    """Input that cannot be processed; the message names file, line or offset."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None,
                 offset: int | None = None) -> None:
        self.source = source
        self.line = line
        self.offset = offset
        self.reason = message
        where = ""
        if source is not None:
            where = str(source)
            if line is not None:
                where += f":{line}"
        elif line is not None:
            where = f"line {line}"
        if offset is not None:
            where += f"{' ' if where else ''}(offset {offset})"
        super().__init__(f"{where}: {message}" if where else message)


class AnnotationError(InputError):
    """A malformed annotation file (bad JSON, bad offsets, unknown labels, ...)."""


class ModelLoadError(MinshengError):
    """A pipeline that cannot be found or loaded; names the path or the missing file."""
