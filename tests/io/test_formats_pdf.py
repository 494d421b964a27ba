"""PDF files written with reportlab (Chinese CID font STSong-Light) and read back with pdfminer."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from minsheng_nlp.errors import InputError
from minsheng_nlp.io.formats.pdf import is_page_number, page_text
from minsheng_nlp.io.readers import read_document

FONT = "STSong-Light"  # a standard CID font: PDF readers supply it, no font file needed
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGES = [
    ["2025年市卫生健康委员会民生实事安排",
     "2025年，市卫健委将为全市65岁以上老年人免费开展健康体检18万人次。"],
    ["过去一年，全市完成老旧小区改造126个，惠及居民3.2万户。"],
]


def write_pdf(path: Path, pages: list[list[str]], encrypt: str | None = None) -> Path:
    """Each page: its paragraphs 40 pt apart (one text box each) and a ``— n —`` footer."""
    pdf = canvas.Canvas(str(path), encrypt=encrypt)
    for number, paragraphs in enumerate(pages, 1):
        pdf.setFont(FONT, 12)
        for i, paragraph in enumerate(paragraphs):
            pdf.drawString(60, 760 - 40 * i, paragraph)
        pdf.setFont(FONT, 9)
        pdf.drawCentredString(297, 30, f"— {number} —")
        pdf.showPage()
    pdf.save()
    return path


def test_chinese_text_comes_back_exactly(tmp_path) -> None:
    document = read_document(write_pdf(tmp_path / "plan.pdf", PAGES))
    assert (document.format, document.encoding, document.warnings) == ("pdf", None, ())
    assert document.text == (
        "2025年市卫生健康委员会民生实事安排\n\n"
        "2025年，市卫健委将为全市65岁以上老年人免费开展健康体检18万人次。\n\n"
        "过去一年，全市完成老旧小区改造126个，惠及居民3.2万户。"
    )


def test_page_numbers_at_the_ends_of_a_page_are_dropped() -> None:
    assert [is_page_number(b, 7) for b in ("— 7 —", "-7-", "第7页", "第 7 页 共 30 页", "7", "7/30")] == [True] * 6
    assert [is_page_number(b, 7) for b in ("12", "新增学位3600个", "2025年")] == [False] * 3
    assert page_text(["- 3 -\n", "新增学位3600个\n", "3600\n", "3\n"], 3) == "新增学位3600个\n\n3600"


def test_scanned_pdf_has_no_text_layer(tmp_path) -> None:
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawImage(ImageReader(Image.new("L", (200, 280), 255)), 0, 0, 595, 842)
    pdf.showPage()
    pdf.save()
    with pytest.raises(InputError) as err:
        read_document(path)
    assert str(err.value) == f"{path}: no text layer (scanned PDF? run OCR first)"


def test_a_scanned_page_among_text_pages_is_a_warning(tmp_path) -> None:
    path = tmp_path / "mixed.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont(FONT, 12)
    pdf.drawString(60, 760, PAGES[1][0])
    pdf.showPage()
    pdf.drawImage(ImageReader(Image.new("L", (200, 280), 255)), 0, 0, 595, 842)
    pdf.showPage()
    pdf.save()
    document = read_document(path)
    assert document.text == PAGES[1][0]
    assert document.warnings == (
        "1 of 2 page(s) have images but no text (scanned pages? their content is missing): 2",)


def test_truncated_encrypted_and_fake_pdfs_name_the_file(tmp_path) -> None:
    data = write_pdf(tmp_path / "whole.pdf", PAGES).read_bytes()
    cut = tmp_path / "cut.PDF"
    cut.write_bytes(data[: len(data) // 2])
    locked = write_pdf(tmp_path / "locked.pdf", PAGES, encrypt="mima")
    fake = tmp_path / "fake.pdf"
    fake.write_text("<!DOCTYPE html><html><body>404 页面不存在</body></html>", encoding="utf-8")
    messages = []
    for path in (cut, locked, fake):
        with pytest.raises(InputError) as err:
            read_document(path)
        messages.append(str(err.value))
    assert messages == [
        f"{cut}: truncated PDF (no %%EOF marker at its end; download it again)",
        f"{locked}: encrypted PDF: it needs a password to open (remove the protection first)",
        f"{fake}: not a PDF file (no %PDF header; it looks like an HTML page)",
    ]


def test_damaged_inside_is_an_input_error(tmp_path) -> None:
    data = write_pdf(tmp_path / "whole.pdf", PAGES).read_bytes()
    start = data.index(b"xref")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[:200] + b"\x00garbage" * 40 + data[start:])
    with pytest.raises(InputError) as err:
        read_document(broken)
    assert str(err.value) == (f"{broken}: not a readable PDF file "
                              "(PDFSyntaxError: No /Root object! - Is this really a PDF?)")
