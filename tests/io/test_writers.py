"""Tables of commitments: to_dataframe on every kind of input, XLSX files, and the html format."""
from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

import minsheng_nlp
from minsheng_nlp.errors import InputError
from minsheng_nlp.io.writers import COLUMNS, FORMATS, to_dataframe, write_table

HOUSING = "2024年，在住房保障方面，省住建厅计划发展保障性租赁住房9800套，发放住房租赁补贴5万户。"
HOSPITAL = "2023年，全省新建乡镇卫生院12个，改造村卫生室1.5万个，每个补助30-50万元。"

DTYPES = {"source": "string", "year": "Int64", "status": "string", "task": "string",
          "value": "Float64", "value_max": "Float64", "unit": "string", "comparator": "string",
          "deadline": "string", "deadline_text": "string", "departments": "string",
          "quantity": "string", "start": "Int64", "end": "Int64"}


def first_row(frame: pd.DataFrame) -> dict:
    return {k: (None if pd.isna(v) else v) for k, v in frame.iloc[0].items()}


def test_dataframe_of_a_doc(run) -> None:
    frame = to_dataframe([run(HOUSING)])
    assert list(frame.columns) == list(COLUMNS)
    assert {c: str(t) for c, t in frame.dtypes.items()} == DTYPES
    assert first_row(frame) == {
        "source": None, "year": 2024, "status": "planned", "task": "省住建厅计划发展保障性租赁住房9800套",
        "value": 9800.0, "value_max": None, "unit": "套", "comparator": "=", "deadline": "2024-12-31",
        "deadline_text": "2024年", "departments": "省住建厅", "quantity": "9800", "start": 29, "end": 33}
    assert frame["value"].tolist() == [9800.0, 50000.0]
    assert frame["value"].sum() == 59800.0


def test_dataframe_of_source_doc_pairs_with_ranges(run) -> None:
    frame = to_dataframe([("jilin/2023.txt", run(HOSPITAL))])
    assert frame["source"].tolist() == ["jilin/2023.txt"] * 3
    assert frame["quantity"].tolist() == ["12", "1.5万", "30-50万"]
    assert frame["value"].tolist() == [12.0, 15000.0, 300000.0]
    assert frame["value_max"].isna().tolist() == [True, True, False]
    assert frame["value_max"].iloc[2] == 500000.0
    assert frame["unit"].tolist() == ["个", "个", "元"]
    assert frame["departments"].tolist() == ["", "", ""]


def test_dataframe_of_commitments_and_dicts_mixed(run) -> None:
    doc = run(HOUSING)
    commitment = doc._.commitments[1]
    record = {"source": "plan.txt", **doc._.commitments[0].to_dict()}
    frame = minsheng_nlp.to_dataframe([commitment, record, ("b.txt", doc)])
    assert frame["source"].tolist()[1:] == ["plan.txt", "b.txt", "b.txt"]
    assert frame["source"].isna().tolist() == [True, False, False, False]
    assert frame["task"].tolist() == ["发放住房租赁补贴5万户", "省住建厅计划发展保障性租赁住房9800套",
                                      "省住建厅计划发展保障性租赁住房9800套", "发放住房租赁补贴5万户"]
    assert frame["start"].tolist() == [43, 29, 29, 43]
    assert {c: str(t) for c, t in frame.dtypes.items()} == DTYPES


def test_empty_input_gives_the_columns_and_types() -> None:
    frame = to_dataframe([])
    assert frame.empty and list(frame.columns) == list(COLUMNS)
    assert {c: str(t) for c, t in frame.dtypes.items()} == DTYPES


def test_bad_items_are_named(run) -> None:
    good = {"source": "a.txt", **run(HOUSING)._.commitments[0].to_dict()}
    with pytest.raises(InputError, match="item 1 is not a commitment record: no 'quantity'"):
        to_dataframe([good, {"task": "新建学校3所", "value": 3, "unit": "所", "status": "planned"}])
    with pytest.raises(TypeError, match="item 0: expected a Doc, .* got str"):
        to_dataframe(["2024年新建学校3所"])


def test_html_is_a_format_but_needs_documents(tmp_path) -> None:
    assert "html" in FORMATS
    with pytest.raises(InputError, match="HTML report needs the processed documents.*write_report"):
        write_table([], "html", tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()


def test_xlsx_reopens_with_header_rows_and_widths(run, tmp_path) -> None:
    records = [{"source": "hospital.txt", **c.to_dict()} for c in run(HOSPITAL)._.commitments]
    records += [{"source": "housing.txt", **c.to_dict()} for c in run(HOUSING)._.commitments]
    path = tmp_path / "c.xlsx"
    write_table(records, "xlsx", path)
    sheet = load_workbook(path)["commitments"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1 + 5
    assert [c.value for c in sheet[2]] == ["hospital.txt", 2023, "planned", "全省新建乡镇卫生院12个", 12, None,
                                           "个", "=", "2023-12-31", "2023年", None, "12", 15, 17]
    assert sheet["E4"].value == 300000 and sheet["F4"].value == 500000
    widths = {name: sheet.column_dimensions[chr(ord("A") + i)].width for i, name in enumerate(COLUMNS)}
    assert all(8 <= w <= 60 for w in widths.values())
    assert widths["task"] == 2 * 16 + 4 + 2  # 省住建厅计划发展保障性租赁住房9800套: 16 CJK, 4 digits, padding
    assert widths["deadline"] == len("2023-12-31") + 2
    assert widths["comparator"] == len("comparator") + 2
