"""One reader per input format, chosen by file suffix (case-insensitive).

Each format module has ``read(data: bytes, source: str, max_chars: int) -> Document`` and
imports its parsing library only when used, so ``import minsheng_nlp`` stays fast.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from ...errors import InputError
from .base import DEFAULT_MAX_BYTES, Document

# suffix → format module
FORMATS: dict[str, str] = {
    ".txt": "text", ".md": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".docx": "word",
    ".pdf": "pdf",
}
# Document formats a folder of reports often holds that are not read: reported, not skipped silently.
UNSUPPORTED: dict[str, str] = {
    ".doc": "old Word .doc files are not read: save it as .docx",
    ".wps": "WPS .wps files are not read: save it as .docx",
    ".rtf": "RTF files are not read: save it as .docx",
    ".odt": "OpenDocument .odt files are not read: save it as .docx",
}
SUPPORTED_SUFFIXES = tuple(FORMATS)
MODULES = frozenset(FORMATS.values())

__all__ = ["FORMATS", "UNSUPPORTED", "SUPPORTED_SUFFIXES", "DEFAULT_MAX_BYTES", "Document", "parse"]


def format_of(path: Path) -> str:
    """The format module for ``path``; unknown suffixes are read as text."""
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise InputError(UNSUPPORTED[suffix], source=str(path))
    return FORMATS.get(suffix, "text")


def parse(data: bytes, source: str, fmt: str, max_chars: int = DEFAULT_MAX_BYTES) -> Document:
    """The Document of ``data`` read by the format module ``fmt`` (a value of FORMATS)."""
    if fmt not in MODULES:
        raise ValueError(f"unknown input format {fmt!r}; choose one of {', '.join(sorted(MODULES))}")
    module = importlib.import_module(f"{__name__}.{fmt}")
    return module.read(data, source, max_chars)
