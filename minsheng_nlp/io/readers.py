"""Reading input documents: files and folders of text, with clear errors."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError

TEXT_SUFFIXES = (".txt", ".md", ".text")
DEFAULT_MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class Document:
    """A document read from ``source``."""

    source: str
    text: str
    encoding: str


def decode_text(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` as UTF-8 (BOM allowed) or GB18030; anything else is an InputError."""
    if b"\x00" in data[:8192]:
        raise InputError("binary data, not a text file (NUL byte found)", source=source,
                         offset=data.index(b"\x00"))
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_err:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise InputError(
                f"not valid UTF-8 (invalid byte 0x{data[utf8_err.start]:02x}) nor GB18030/GBK text",
                source=source, offset=utf8_err.start) from None


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one text file; raise :class:`InputError` naming the file on any problem."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", source=str(path))
    if path.is_dir():
        raise InputError("is a directory, not a file", source=str(path))
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"file is {size:,} bytes, above the limit of {max_bytes:,} bytes "
                         "(raise it with --max-bytes)", source=str(path))
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror})", source=str(path)) from None
    text, encoding = decode_text(data, str(path))
    return Document(str(path), text, encoding)


def expand_paths(paths: Iterable[str | Path], suffixes: tuple[str, ...] = TEXT_SUFFIXES) -> Iterator[Path]:
    """Files as given, and the text files inside folders (recursively, sorted)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in suffixes)
        else:
            yield p
