"""PDF files: the text layer, read with pdfminer.six.

Why pdfminer.six rather than pypdf: government reports are often typeset with CJK fonts
that carry no ToUnicode map (CID-keyed fonts such as STSong-Light with a ``UniGB-UCS2-H``
encoding); pdfminer.six ships Adobe's CJK CMaps (GB1, CNS1, Japan1, Korea1) and decodes
them, its layout analysis groups characters into lines and text boxes in reading order
(columns, table cells), and it names what went wrong (``PDFPasswordIncorrect``,
``PDFSyntaxError``). Both are pure Python; pdfminer is slower, which is small next to the
pipeline's own cost.

Lines of a text box are kept as lines (the layout view joins hard wraps), text boxes are
separated by a blank line, pages by a blank line. A page number alone in the first or last
box of a page (``- 3 -``, ``第3页``, or the bare page number) is page furniture and dropped.
A PDF without any text is a scanned image: an InputError says to run OCR first.
"""
from __future__ import annotations

import io
import re
from typing import Iterator

from ...errors import InputError
from .base import Document, parser_error, sniff, text_too_long

NO_TEXT_LAYER = "no text layer (scanned PDF? run OCR first)"
# Chinese official documents set lines 1.5-2x the font size apart (28-30 pt for 16-pt type);
# pdfminer's default line margin (0.5) makes one box per line there, 1.0 keeps a paragraph together.
LINE_MARGIN = 1.0
_CID = re.compile(r"\(cid:\d+\)")
_PAGE_NUMBER = re.compile(
    r"\s*(?:[-—–－~]\s*\d{1,4}\s*[-—–－~]|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*")


def _check_file(data: bytes, source: str) -> None:
    """Refuse what is not a whole PDF before parsing (pdfminer would silently read a part)."""
    if b"%PDF-" not in data[:1024]:
        looks = sniff(data)
        raise InputError(f"not a PDF file (no %PDF header{f'; it looks like {looks}' if looks else ''})",
                         source=source)
    if b"%%EOF" not in data[-2048:]:
        raise InputError("truncated PDF (no %%EOF marker at its end; download it again)", source=source)


def _boxes(container) -> Iterator[str]:
    """Texts of the text boxes of a page or figure, in pdfminer's reading order."""
    from pdfminer.layout import LTFigure, LTTextBox

    for element in container:
        if isinstance(element, LTTextBox):
            yield element.get_text()
        elif isinstance(element, LTFigure):
            yield from _boxes(element)


def _has_image(container) -> bool:
    from pdfminer.layout import LTFigure, LTImage

    return any(isinstance(e, LTImage) or (isinstance(e, LTFigure) and _has_image(e)) for e in container)


def is_page_number(box: str, page_no: int) -> bool:
    """Whether a text box holds only a page number (decorated, or the bare page number)."""
    stripped = box.strip()
    return bool(_PAGE_NUMBER.fullmatch(stripped)) or stripped == str(page_no)


def page_text(boxes: list[str], page_no: int) -> str:
    """One page: its boxes separated by blank lines, a page-number box at either end dropped."""
    boxes = [b.strip("\n") for b in boxes if b.strip()]
    if boxes and is_page_number(boxes[-1], page_no):
        boxes.pop()
    if boxes and is_page_number(boxes[0], page_no):
        boxes.pop(0)
    return "\n\n".join(boxes)


def _pages(data: bytes) -> Iterator[tuple[str, bool]]:
    """(text, has images) of each page, lazily."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams(all_texts=True, line_margin=LINE_MARGIN)), 1):
        yield page_text(list(_boxes(page)), number), _has_image(page)


def pdf_to_text(data: bytes, source: str, max_chars: int) -> tuple[str, tuple[str, ...]]:
    """Text and warnings of a PDF; raises InputError for encrypted, damaged or scanned files."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    pages: list[str] = []
    image_only: list[int] = []
    size = 0
    try:
        for number, (text, has_image) in enumerate(_pages(data), 1):
            if not text.strip() and has_image:
                image_only.append(number)
            pages.append(text)
            size += len(text)
            if size > max_chars:
                raise text_too_long(size, source, max_chars)
    except InputError:
        raise
    except PDFPasswordIncorrect:
        raise InputError("encrypted PDF: it needs a password to open (remove the protection first)",
                         source=source) from None
    except PDFEncryptionError as err:
        raise InputError(f"encrypted PDF that cannot be decrypted ({err})", source=source) from None
    except Exception as err:  # pdfminer raises many kinds (PSEOF, PDFSyntaxError, KeyError …)
        raise parser_error("PDF", err, source) from None
    text, unmapped = _decoded("\n\n".join(p for p in pages if p.strip()), source)
    return text, unmapped + _page_warnings(image_only, len(pages))


def _decoded(text: str, source: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with glyphs pdfminer could not map, ``(cid:N)``, as U+FFFD (and a warning);
    refused when there is no text or it is mostly such glyphs."""
    unmapped = len(_CID.findall(text))
    if not text.strip() or unmapped > len(re.sub(r"\s", "", _CID.sub("", text))):
        raise InputError(NO_TEXT_LAYER if not unmapped else
                         "the PDF's fonts have no Unicode mapping (text comes out as (cid:N) codes); "
                         "run OCR on it", source=source)
    if not unmapped:
        return text, ()
    return _CID.sub("\ufffd", text), (f"{unmapped} glyph(s) without a Unicode mapping read as U+FFFD",)


def _page_warnings(image_only: list[int], n_pages: int) -> tuple[str, ...]:
    if not image_only:
        return ()
    listed = ", ".join(map(str, image_only[:20])) + (" …" if len(image_only) > 20 else "")
    return (f"{len(image_only)} of {n_pages} page(s) have images but no text (scanned pages? "
            f"their content is missing): {listed}",)


def read(data: bytes, source: str, max_chars: int) -> Document:
    """A PDF's text layer; pages joined with a blank line."""
    _check_file(data, source)
    text, warnings = pdf_to_text(data, source, max_chars)
    return Document(source, text, None, "pdf", warnings)
