"""Plain text (.txt, .md, .text): UTF-8 (BOM allowed), else GB18030/GBK."""
from __future__ import annotations

from ...errors import InputError
from .base import Document, sniff


def reject_binary(data: bytes, source: str) -> None:
    """An InputError when ``data`` holds a NUL byte near its start (not a text file)."""
    nul = data.find(b"\x00", 0, 8192)
    if nul != -1:
        looks = sniff(data)
        raise InputError("binary data, not a text file (NUL byte found"
                         + (f"; it looks like {looks})" if looks else ")"), source=source, offset=nul)


def decode_text(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` as UTF-8 (BOM allowed) or GB18030; anything else is an InputError."""
    reject_binary(data, source)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_err:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise InputError(
                f"not valid UTF-8 (invalid byte 0x{data[utf8_err.start]:02x}) nor GB18030/GBK text",
                source=source, offset=utf8_err.start) from None


def read(data: bytes, source: str, max_chars: int) -> Document:
    """A text file's content; its length is bounded by the byte limit already checked."""
    text, encoding = decode_text(data, source)
    return Document(source, text, encoding, "text")
