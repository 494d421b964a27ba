"""Reading input documents: files and folders of text, HTML, Word and PDF, with clear errors."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError
from .formats import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    UNSUPPORTED,
    Document,
    format_of,
    parse,
)
from .formats.text import decode_text

TEXT_SUFFIXES = (".txt", ".md", ".text")
FOLDER_SUFFIXES = SUPPORTED_SUFFIXES + tuple(UNSUPPORTED)

__all__ = ["Document", "read_document", "expand_paths", "decode_text", "DEFAULT_MAX_BYTES",
           "SUPPORTED_SUFFIXES", "TEXT_SUFFIXES"]


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file (format by suffix); raise :class:`InputError` naming the file on any problem.

    ``max_bytes`` bounds the file size and the number of characters extracted from it.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", source=str(path))
    if path.is_dir():
        raise InputError("is a directory, not a file", source=str(path))
    fmt = format_of(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"file is {size:,} bytes, above the limit of {max_bytes:,} bytes "
                         "(raise it with --max-bytes)", source=str(path))
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror})", source=str(path)) from None
    return parse(data, str(path), fmt, max_bytes)


def _is_hidden(path: Path, root: Path) -> bool:
    """Hidden files and folders, and the ``~$name.docx`` lock files Word leaves beside open files."""
    return any(part.startswith((".", "~$")) for part in path.relative_to(root).parts)


def expand_paths(paths: Iterable[str | Path], suffixes: tuple[str, ...] = FOLDER_SUFFIXES) -> Iterator[Path]:
    """Files as given, and the files with ``suffixes`` inside folders (recursively, sorted).

    Folders yield the readable formats and the known unreadable ones (.doc, .wps …), so
    those are reported rather than skipped silently; hidden and lock files are left out.
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in suffixes
                              and not _is_hidden(f, p))
        else:
            yield p
