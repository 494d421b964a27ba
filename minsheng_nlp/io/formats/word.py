"""Word documents (.docx) with python-docx: paragraphs and tables in body order.

Each paragraph (headings included) becomes a paragraph of the text, with a blank line
between paragraphs; a table becomes ``| a | b |`` rows, one per line, with a blank line
around the table. Merged cells keep their text in the first grid position and leave the
positions they cover empty, so columns stay under their header. Content controls
(``w:sdt``) are read through; page headers, footers and text boxes are not body text.
"""
from __future__ import annotations

import io
import zipfile
from typing import Iterator

from ...errors import InputError
from .base import Document, check_length, parser_error, sniff

BODY_PART = "word/document.xml"
XML_PER_TEXT_BYTE = 4  # the body XML may be this many times the byte limit before it is refused
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_package(data: bytes, source: str, max_bytes: int) -> None:
    """Refuse what is not a .docx before parsing: old .doc, truncated ZIP, ZIP bombs."""
    if not data.startswith(b"PK\x03\x04"):
        looks = sniff(data)
        hint = " (save it as .docx in Word or WPS)" if looks and "old binary Office" in looks else ""
        raise InputError(f"not a .docx file{f': it looks like {looks}' if looks else ''}{hint}",
                         source=source)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            body = package.getinfo(BODY_PART)
    except zipfile.BadZipFile as err:
        raise InputError(f"not a readable .docx file (truncated or damaged ZIP archive: {err})",
                         source=source) from None
    except KeyError:
        raise InputError(f"not a .docx file (the ZIP archive has no {BODY_PART})", source=source) from None
    if body.file_size > XML_PER_TEXT_BYTE * max_bytes:
        raise InputError(f"the document body unpacks to {body.file_size:,} bytes, above the limit of "
                         f"{XML_PER_TEXT_BYTE * max_bytes:,} (raise it with --max-bytes)", source=source)


def _blocks(container) -> Iterator:
    """Paragraphs and tables of a body or cell in document order, through content controls."""
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(element) -> Iterator:
        for child in element.iterchildren():
            if child.tag == f"{_W}p":
                yield Paragraph(child, container)
            elif child.tag == f"{_W}tbl":
                yield Table(child, container)
            elif child.tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    yield from walk(content)

    return walk(container.element.body if isinstance(container, DocxDocument) else container._element)


def _flat_text(container) -> str:
    """All text of a cell on one line (nested tables included); ``|`` becomes ``/``."""
    from docx.table import Table

    parts: list[str] = []
    for block in _blocks(container):
        if isinstance(block, Table):
            parts += [" ".join(row) for row in table_rows(block)]
        else:
            parts.append(block.text)
    joined = " ".join(" ".join(p.split()) for p in parts if p.strip())
    return joined.replace("|", "/").replace("｜", "/")


def table_rows(table) -> list[list[str]]:
    """The table as a grid of cell texts; positions covered by a merged cell are empty."""
    rows: list[list[str]] = []
    above: tuple = ()
    for row in table.rows:
        cells = row.cells
        texts = [""] * row.grid_cols_before
        for j, cell in enumerate(cells):
            spanned = j > 0 and cells[j - 1]._tc is cell._tc
            merged_down = j < len(above) and above[j]._tc is cell._tc
            texts.append("" if spanned or merged_down else _flat_text(cell))
        above = cells
        if any(texts):
            rows.append(texts)
    return rows


def docx_to_text(document) -> str:
    """The body of a python-docx ``Document`` as text (see the module docstring)."""
    from docx.table import Table

    blocks: list[str] = []
    for block in _blocks(document):
        if isinstance(block, Table):
            rows = ["| " + " | ".join(row) + " |" for row in table_rows(block)]
            if rows:
                blocks.append("\n".join(rows))
        elif block.text.strip():
            blocks.append(block.text.strip())
    return "\n\n".join(blocks)


def read(data: bytes, source: str, max_chars: int) -> Document:
    """A .docx file's body text; any damage is an InputError naming the file."""
    import docx

    _check_package(data, source, max_chars)
    try:
        text = docx_to_text(docx.Document(io.BytesIO(data)))
    except Exception as err:  # python-docx, zipfile and lxml raise many kinds on damaged files
        raise parser_error(".docx", err, source) from None
    return Document(source, check_length(text, source, max_chars), None, "docx")
