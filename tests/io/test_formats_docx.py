"""Word documents written with python-docx and read back: body order, tables, damage."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from minsheng_nlp.errors import InputError
from minsheng_nlp.io.readers import read_document

PLAN_ROWS = [
    ["序号", "项目", "目标", "责任单位"],
    ["1", "农村公路提升", "改造农村公路150公里", "县交通运输局"],
    ["2", "城乡供水", "新建改造供水管网120公里", "县水利局"],
]
PLAN_TEXT = (
    "2025年民生实事项目\n\n"
    "2025年，县政府承诺办好以下民生实事：\n\n"
    "| 序号 | 项目 | 目标 | 责任单位 |\n"
    "| 1 | 农村公路提升 | 改造农村公路150公里 | 县交通运输局 |\n"
    "| 2 | 城乡供水 | 新建改造供水管网120公里 | 县水利局 |\n\n"
    "县医保局将城乡居民医保财政补助标准提高到每人每年700元。"
)


def write_plan_docx(path: Path) -> Path:
    """A county's plan as a .docx: heading, lead paragraph, table, paragraph after the table."""
    document = docx.Document()
    document.add_heading("2025年民生实事项目", level=1)
    document.add_paragraph("2025年，县政府承诺办好以下民生实事：")
    table = document.add_table(rows=len(PLAN_ROWS), cols=len(PLAN_ROWS[0]))
    for i, row in enumerate(PLAN_ROWS):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    document.add_paragraph("")
    document.add_paragraph("县医保局将城乡居民医保财政补助标准提高到每人每年700元。")
    document.save(path)
    return path


def test_paragraphs_and_tables_in_body_order(tmp_path) -> None:
    document = read_document(write_plan_docx(tmp_path / "plan.docx"))
    assert (document.format, document.encoding, document.warnings) == ("docx", None, ())
    assert document.text == PLAN_TEXT


def test_merged_cells_keep_the_columns(tmp_path) -> None:
    doc = docx.Document()
    table = doc.add_table(rows=3, cols=3)
    for i, row in enumerate([["类别", "项目", "规模"], ["教育", "新建幼儿园", "12所"], ["", "新增学位", "3600个"]]):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    table.cell(1, 0).merge(table.cell(2, 0))  # 教育 spans two rows
    heading = table.rows[0].cells
    heading[1].merge(heading[2]).text = "项目与规模"  # the header spans two columns
    doc.save(tmp_path / "merged.docx")
    assert read_document(tmp_path / "merged.docx").text == (
        "| 类别 | 项目与规模 |  |\n| 教育 | 新建幼儿园 | 12所 |\n|  | 新增学位 | 3600个 |")


def test_truncated_docx_names_the_file(tmp_path) -> None:
    data = (write_plan_docx(tmp_path / "whole.docx")).read_bytes()
    cut = tmp_path / "cut.DOCX"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as err:
        read_document(cut)
    assert str(err.value) == (f"{cut}: not a readable .docx file (truncated or damaged ZIP archive: "
                              "File is not a zip file)")


def test_damaged_body_xml_is_an_input_error(tmp_path) -> None:
    whole = write_plan_docx(tmp_path / "whole.docx")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[:200] if item.filename == "word/document.xml" else data)
    with pytest.raises(InputError) as err:
        read_document(broken)
    assert str(err.value).startswith(f"{broken}: not a readable .docx file (XMLSyntaxError: ")


def test_old_doc_and_other_zips_are_named(tmp_path) -> None:
    old = tmp_path / "baogao.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(InputError) as err:
        read_document(old)
    assert str(err.value) == (f"{old}: not a .docx file: it looks like an old binary Office file "
                              "(.doc, .xls, .wps) (save it as .docx in Word or WPS)")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    sheet = tmp_path / "sheet.docx"
    sheet.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match="the ZIP archive has no word/document.xml"):
        read_document(sheet)


def test_body_unpacking_far_beyond_the_limit_is_refused_before_parsing(tmp_path) -> None:
    document = docx.Document()
    for _ in range(6000):
        document.add_paragraph("改造农村公路150公里。")
    path = tmp_path / "long.docx"
    document.save(path)
    size = path.stat().st_size
    with zipfile.ZipFile(path) as package:
        body = package.getinfo("word/document.xml").file_size
    assert body > 4 * size  # compressed well: the file passes the byte limit, its body does not
    with pytest.raises(InputError) as err:
        read_document(path, max_bytes=size)
    assert str(err.value) == (f"{path}: the document body unpacks to {body:,} bytes, above the limit "
                              f"of {4 * size:,} (raise it with --max-bytes)")
