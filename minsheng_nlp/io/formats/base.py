"""What every format reader returns, and the checks they share."""
from __future__ import annotations

from dataclasses import dataclass

from ...errors import InputError

DEFAULT_MAX_BYTES = 50_000_000

_MAGIC = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (.docx, .xlsx, .zip …)"),
    (b"\xd0\xcf\x11\xe0", "an old binary Office file (.doc, .xls, .wps)"),
    (b"{\\rtf", "an RTF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)


@dataclass(frozen=True)
class Document:
    """The text of one input file.

    ``encoding`` is the character encoding of text and HTML files (None for .docx/.pdf);
    ``format`` is ``text``, ``html``, ``docx`` or ``pdf``; ``warnings`` lists what was
    read but may be incomplete (e.g. PDF pages without a text layer).
    """

    source: str
    text: str
    encoding: str | None
    format: str = "text"
    warnings: tuple[str, ...] = ()


def sniff(data: bytes) -> str | None:
    """What ``data`` looks like from its first bytes (for error messages), or None."""
    head = data[:1024].lstrip()
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "an HTML page"
    return None


def text_too_long(n_chars: int, source: str, max_chars: int) -> InputError:
    """The error for a file whose extracted text is absurdly large."""
    return InputError(f"extracted text is longer than the limit of {max_chars:,} characters "
                      f"(at least {n_chars:,}; raise it with --max-bytes)", source=source)


def check_length(text: str, source: str, max_chars: int) -> str:
    """``text`` itself, or an InputError when extraction produced more than ``max_chars``."""
    if len(text) > max_chars:
        raise text_too_long(len(text), source, max_chars)
    return text


def parser_error(kind: str, err: Exception, source: str) -> InputError:
    """One clear InputError for any exception a third-party parser raised on ``source``."""
    detail = str(err).strip() or type(err).__name__
    return InputError(f"not a readable {kind} file ({type(err).__name__}: {detail})", source=source)
