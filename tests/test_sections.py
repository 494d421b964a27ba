"""Long texts in sections (minsheng_nlp.sections): same records as one Doc, bounded memory."""
from __future__ import annotations

import pytest

import minsheng_nlp

from .conftest import SEEDS
from minsheng_nlp.rules.linker import PRESENTER_CHARS
from minsheng_nlp import sections
from minsheng_nlp.sections import (CONTEXT_BEFORE, SEARCH, SECTION_CHARS, Section, paragraph_cut, plan_sections, preamble_end, section_records,
                                   shift_record)
from minsheng_nlp.text.layout import clean_view

# A county's list of livelihood projects, in a layout unlike the seeds: numbered items,
# responsible units in brackets, a results paragraph, hard wraps inside words and numbers.
ITEM = ("（{i}）新建城市社区嵌入式养老服务站点{a}个，新增养老床位{b}张。"
        "（责任单位：县民政局、县财政局）\n")
RESULT = ("截至{year}年底，全县累计改造城镇老旧小区{c}个，惠及居民1.2万户；新增城镇就业{d}\n"
          "人，完成年度目标的108%。\n\n")
HEADING = "{n}、{year}年重点民生实事\n\n"


def county_report(paragraphs: int, year: int = 2025, results: bool = True) -> str:
    """A long synthetic report with headings, list items and (with ``results``) results of the year before."""
    parts = [f"某县{year}年政府工作报告\n\n"]
    for k in range(paragraphs):
        if k % 25 == 0 and results:
            parts.append(HEADING.format(n="一二三四五六七八九十"[(k // 25) % 10], year=year))
        if k % 3 == 2 and results:
            parts.append(RESULT.format(year=year - 1, c=100 + k, d=3000 + k))
        else:
            parts.append(ITEM.format(i=k % 12 + 1, a=10 + k % 90, b=200 + k))
    return "".join(parts)


@pytest.fixture(scope="module")
def rules():
    return minsheng_nlp.load("rules")


def test_short_text_is_one_section():
    assert plan_sections("2024年新增就业1万人。", size=100) == [Section(0, 13, 0, 13)]


def test_sections_tile_the_text_and_cut_at_paragraph_starts():
    text = county_report(400)
    sections = plan_sections(text, size=3000, before=1000, after=500)
    assert len(sections) > 5
    assert sections[0].start == 0 and sections[-1].end == len(text)
    for a, b in zip(sections, sections[1:]):
        assert a.end == b.start
        assert text[b.start - 1] == "\n" and text[b.start] != "\n"  # a new paragraph starts there
    for s in sections:
        assert s.context_start <= s.start < s.end <= s.context_end
        assert s.context_start == 0 or text[s.context_start - 1] == "\n"


def test_a_hard_wrap_inside_a_number_is_never_a_cut():
    # "3000\n人" is a hard wrap (a line cannot start with 人): the cut takes the paragraph break after it
    text = "新增城镇就业3000\n人，完成年度目标。\n\n下一段" + "。" * 10
    cut = paragraph_cut(text, text.index("\n") + 1, search=20)
    assert text[cut:].startswith("下一段")


def test_without_paragraphs_the_cut_is_a_sentence_end_or_the_position():
    assert paragraph_cut("甲" * 50 + "。" + "乙" * 50, 48, search=10) == 51
    assert paragraph_cut("甲" * 100, 48, search=10) == 48


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="size"):
        plan_sections("abc", size=0)


def test_shift_record_moves_every_span():
    record = {"quantity": {"start": 3, "end": 6, "text": "9800"},
              "departments": [{"start": 0, "end": 2, "text": "省住建厅"}], "value": 9800}
    moved = shift_record(record, 100)
    assert moved["quantity"] == {"start": 103, "end": 106, "text": "9800"}
    assert moved["departments"] == [{"start": 100, "end": 102, "text": "省住建厅"}]
    assert moved["value"] == 9800 and record["quantity"]["start"] == 3


def whole(nlp, text, year=None):
    return [c.to_dict() for c in nlp(minsheng_nlp.make_doc(nlp, text, year, max_chars=None))._.commitments]


def test_sectioned_records_equal_one_doc(rules):
    text = county_report(600)
    records = section_records(rules, text, size=3000, before=2500, after=600)
    assert len(plan_sections(text, 3000, 2500, 600)) > 10
    assert records == whole(rules, text)
    for r in records:
        assert text[r["quantity"]["start"]:r["quantity"]["end"]] == r["quantity"]["text"]
        for d in r["departments"]:
            assert text[d["start"]:d["end"]] == d["text"]


def test_the_year_is_inferred_once_from_the_whole_text(rules):
    # only the title names a year: items far below it get 2025, as in one Doc
    text = county_report(300, year=2025, results=False)
    sections = plan_sections(text, size=3000, before=1000, after=600)
    assert "2025" not in text[sections[-1].context_start:]  # the last section alone could not know
    records = section_records(rules, text, size=3000, before=1000, after=600)
    assert records[-1]["quantity"]["start"] >= sections[-1].start
    assert {r["year"] for r in records} == {2025}
    assert records == whole(rules, text)


def test_sectioned_records_equal_one_doc_on_the_seeds(rules):
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    assert section_records(rules, text, size=20_000, before=8_000, after=2_000) == whole(rules, text)


def test_extract_runs_long_texts_in_sections(rules, monkeypatch):
    real, calls = sections.section_records, []

    def small_sections(nlp, text, year=None):
        calls.append(len(text))
        return real(nlp, text, year, size=3000, before=2500, after=600)

    monkeypatch.setattr(sections, "section_records", small_sections)
    text = county_report(600)
    assert minsheng_nlp.extract(text, model=rules) == whole(rules, text)
    assert calls == [len(text)]


def test_default_sections_of_a_long_report():
    text = county_report(25_000)  # ~1.4 M characters
    planned = plan_sections(text)
    assert len(text) // (SECTION_CHARS + SEARCH) <= len(planned) <= len(text) // (SECTION_CHARS - SEARCH) + 1
    assert all(s.end - s.start <= SECTION_CHARS + SEARCH for s in planned)
    assert all(s.start - s.context_start >= CONTEXT_BEFORE - SEARCH for s in planned[1:])


def test_the_preamble_ends_at_a_paragraph_after_the_presenters_reach():
    text = "受县政府委托，向大会报告工作。\n\n" + "（1）新增养老床位200张。\n" * 300
    end = preamble_end(text)
    assert text[end - 1] == "\n" and len(clean_view(text[:end]).text) >= PRESENTER_CHARS
    assert end < PRESENTER_CHARS + 200
    one_paragraph = "甲" * 10_000
    assert preamble_end(one_paragraph) <= PRESENTER_CHARS + SEARCH


def test_the_presenter_of_the_report_reaches_every_section(rules):
    # no item names its body: one Doc falls back on the presenter, and so does every section
    text = "各位代表：\n\n现在，我代表县政府向大会报告工作，请予审议。\n\n" + "".join(
        f"第{k}项，新建农村公路{10 + k}公里。\n\n" for k in range(1, 400))
    records = section_records(rules, text, size=2000, before=600, after=200)
    assert len(records) == 399
    assert {tuple(d["text"] for d in r["departments"]) for r in records} == {("县政府",)}
    assert records == whole(rules, text)


def test_shift_record_keeps_preamble_spans():
    record = {"quantity": {"start": 50, "end": 52, "text": "12"},
              "departments": [{"start": 13, "end": 16, "text": "县政府"}]}
    moved = shift_record(record, 1000, head=40)
    assert moved["quantity"]["start"] == 1050 and moved["departments"][0]["start"] == 13
