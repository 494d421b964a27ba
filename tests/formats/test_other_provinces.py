"""Generalization beyond the Jilin seeds: formats of other provinces, cities and counties.

Every expectation below comes from ``annotations/GUIDELINE.md`` (and, where it is silent,
``annotations/GUIDELINE-NOTES.md``), never from the library's current output. Offsets are
computed with ``str.index`` on the input text; each case is short and focused on one rule
family, with a comment naming the rule.

A case is a dict:
    text, year      the input and the document year passed to ``make_doc``
    exact           {label: [Loc, ...]}: the entities of that label are exactly these
    ents            [(label, Loc)]: entities that must be present with exactly this span
    rels            [(Loc quantity, relation, Loc target)]: relations that must be present
    rel_exact       [(Loc quantity, relation, [Loc, ...])]: the targets of that relation
                    from that quantity are exactly these
    commits         [(Loc quantity, {field: expected})]: that quantity is a commitment with
                    these fields (departments given as Locs)
    not_commits     [Loc]: these QUANTITY mentions are not commitments
    n_commits       exact number of commitments of the document
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

import minsheng_nlp


# --------------------------------------------------------------------------- helpers
@dataclass(frozen=True)
class Loc:
    """``sub`` inside the ``n``-th occurrence of ``ctx`` (default: ``sub`` itself)."""

    sub: str
    ctx: str | None = None
    n: int = 0

    def resolve(self, text: str) -> tuple[int, int]:
        ctx = self.ctx if self.ctx is not None else self.sub
        start = -1
        for _ in range(self.n + 1):
            start = text.index(ctx, start + 1)
        start += ctx.index(self.sub)
        return start, start + len(self.sub)

    def span(self, text: str) -> tuple[int, int, str]:
        s, e = self.resolve(text)
        assert text[s:e] == self.sub
        return s, e, self.sub


def L(sub: str, ctx: str | None = None, n: int = 0) -> Loc:
    return Loc(sub, ctx, n)


def case(id_, text, year, **kw):
    kw.setdefault("exact", {})
    kw.setdefault("ents", [])
    kw.setdefault("rels", [])
    kw.setdefault("rel_exact", [])
    kw.setdefault("commits", [])
    kw.setdefault("not_commits", [])
    kw.setdefault("n_commits", None)
    return pytest.param(dict(text=text, year=year, **kw), id=id_)


Q, U, D, T = "QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE"
HU, HD, HT = "HAS_UNIT", "HAS_DEPARTMENT", "HAS_DEADLINE"


# --------------------------------------------------------------------------- cases
CASES = [
    # ===================================================== numbered plan lists + notes
    # §3 a 牵头单位/责任单位 note applies to every quantity of its item, lead and
    # co-responsible alike; generic 各县区 is not an entity; list marker "3." is no QUANTITY;
    # §4 task strips the leading list marker; N16 planned without date → end of year.
    case("planlist-note-lead-and-co-units",
         "3. 新建公办幼儿园12所，新增学位3600个。（牵头单位：市教育局；责任单位：市财政局、市住建局，各县区）",
         2024,
         exact={Q: [L("12"), L("3600")], D: [L("市教育局"), L("市财政局"), L("市住建局")], T: []},
         rels=[(L("12"), HU, L("所")), (L("3600"), HU, L("个", "3600个"))],
         rel_exact=[(L("12"), HD, [L("市教育局"), L("市财政局"), L("市住建局")]),
                    (L("3600"), HD, [L("市教育局"), L("市财政局"), L("市住建局")]),
                    (L("12"), HT, [])],
         commits=[(L("12"), dict(value=12, value_max=None, unit="所", comparator="=",
                                 status="planned", year=2024, deadline="2024-12-31",
                                 departments=[L("市教育局"), L("市财政局"), L("市住建局")],
                                 task="新建公办幼儿园12所")),
                  (L("3600"), dict(value=3600, unit="个", status="planned",
                                   deadline="2024-12-31", task="新增学位3600个",
                                   departments=[L("市教育局"), L("市财政局"), L("市住建局")]))],
         n_commits=2),
    # §3 notes per item: 配合单位 are co-responsible bodies; each item's note binds only its
    # own quantities; list markers 一、 1. 2. are not QUANTITY.
    case("planlist-two-items-own-notes",
         "一、教育\n1.新建中小学3所，新增学位5400个（牵头单位：县教育局，配合单位：县自然资源局、县住建局）\n"
         "2.培训乡村教师600人次（责任单位：县教育局）",
         2024,
         exact={Q: [L("3", "中小学3所"), L("5400"), L("600")],
                D: [L("县教育局"), L("县自然资源局"), L("县住建局"), L("县教育局", n=1)]},
         rels=[(L("600"), HU, L("人次"))],
         rel_exact=[(L("3", "中小学3所"), HD, [L("县教育局"), L("县自然资源局"), L("县住建局")]),
                    (L("5400"), HD, [L("县教育局"), L("县自然资源局"), L("县住建局")]),
                    (L("600"), HD, [L("县教育局", n=1)])]),
    # §3/§6 item heading with （一）; a year heading the sentence governs; coverage (惠及) is a
    # commitment; 1.2万 → 12000.
    case("planlist-paren-marker-year-and-note",
         "（一）实施城镇老旧小区改造。2025年改造老旧小区45个，惠及居民1.2万户。（责任单位：区住建局）",
         2025,
         exact={Q: [L("45"), L("1.2万")], D: [L("区住建局")], T: [L("2025年")]},
         rels=[(L("45"), HT, L("2025年")), (L("1.2万"), HT, L("2025年")),
               (L("1.2万"), HU, L("户"))],
         rel_exact=[(L("45"), HD, [L("区住建局")]), (L("1.2万"), HD, [L("区住建局")])],
         commits=[(L("45"), dict(value=45, unit="个", status="planned", year=2025,
                                 deadline="2025-12-31", departments=[L("区住建局")])),
                  (L("1.2万"), dict(value=12000, unit="户", status="planned", year=2025,
                                    deadline="2025-12-31", task="惠及居民1.2万户"))]),
    # §6 a body framing the list is the department of items naming no body of their own;
    # an item with its own 责任单位 gets only that one; the lead's year governs every item.
    case("county-notice-framing-body-vs-item-note",
         "2024年县人民政府将办好以下民生实事：\n1.新改建农村公路85公里（责任单位：县交通运输局）\n2.改造农村危房150户",
         2024,
         exact={Q: [L("85"), L("150")], D: [L("县人民政府"), L("县交通运输局")], T: [L("2024年")]},
         rels=[(L("85"), HT, L("2024年")), (L("150"), HT, L("2024年")),
               (L("85"), HU, L("公里")), (L("150"), HU, L("户"))],
         rel_exact=[(L("85"), HD, [L("县交通运输局")]), (L("150"), HD, [L("县人民政府")])],
         commits=[(L("150"), dict(value=150, unit="户", status="planned", year=2024,
                                  deadline="2024-12-31", departments=[L("县人民政府")],
                                  task="改造农村危房150户"))]),
    # §2 DEPARTMENT: generic/collective addressees (各乡镇人民政府, 县直各部门) are not entities;
    # the list marker 一、 is no QUANTITY.
    case("county-notice-generic-addressees",
         "各乡镇人民政府，县直各部门：\n经县政府同意，现将2024年民生实事项目印发给你们，请认真抓好落实。\n一、新建村级养老服务站20个。",
         2024,
         exact={Q: [L("20", "站20个")], D: [L("县政府")]},
         commits=[(L("20", "站20个"), dict(value=20, unit="个", status="planned", year=2024,
                                 deadline="2024-12-31", task="新建村级养老服务站20个"))]),

    # ===================================================== | tables
    # §2/§3 a unit in the column header (万元) is a UNIT apart from any number and links to
    # the row's quantity; row time cell and 责任单位 cell link too; §4 magnitude in the unit
    # applies to the value; task is cut at |; 序号 cell "1" is no QUANTITY.
    case("table-header-unit-time-and-dept-cells",
         "序号 | 项目 | 年度投资（万元） | 完成时间 | 责任单位\n1 | 城区供水管网改造 | 3200 | 2025年10月底前 | 县水利局",
         2025,
         exact={Q: [L("3200")], U: [L("万元")], T: [L("2025年10月底前")], D: [L("县水利局")]},
         rels=[(L("3200"), HU, L("万元")), (L("3200"), HT, L("2025年10月底前"))],
         rel_exact=[(L("3200"), HD, [L("县水利局")])],
         commits=[(L("3200"), dict(value=32000000, value_max=None, unit="元", comparator="=",
                                   status="planned", year=2025, deadline="2025-10-31",
                                   departments=[L("县水利局")], task="3200"))],
         n_commits=1),
    # §2/§5 traditional characters: header （萬元） is the UNIT of each row's 總投資 figure;
    # counts with their own unit (8個) keep it; each row's 責任單位 cell binds that row only.
    case("table-traditional-wanyuan-header-two-rows",
         "序號 | 項目名稱 | 建設規模 | 總投資（萬元） | 責任單位\n"
         "1 | 社區養老服務中心 | 8個 | 1500 | 區民政局\n"
         "2 | 城區公廁改造 | 30座 | 600 | 區城管局",
         2024,
         exact={Q: [L("8"), L("1500"), L("30"), L("600")], D: [L("區民政局"), L("區城管局")]},
         ents=[(U, L("萬元")), (U, L("個")), (U, L("座"))],
         rels=[(L("1500"), HU, L("萬元")), (L("600"), HU, L("萬元")),
               (L("8"), HU, L("個")), (L("30"), HU, L("座"))],
         rel_exact=[(L("8"), HD, [L("區民政局")]), (L("1500"), HD, [L("區民政局")]),
                    (L("30"), HD, [L("區城管局")]), (L("600"), HD, [L("區城管局")])],
         commits=[(L("1500"), dict(value=15000000, unit="元", status="planned",
                                   departments=[L("區民政局")])),
                  (L("600"), dict(value=6000000, unit="元", departments=[L("區城管局")])),
                  (L("8"), dict(value=8, unit="個", departments=[L("區民政局")]))]),
    # §6 a table time cell (2024) is a DEADLINE and gives the year; 2024 is no QUANTITY.
    case("table-year-time-cell",
         "项目名称 | 建设内容 | 建设时间 | 责任单位\n农村公路提升工程 | 改造提升农村公路120公里 | 2024 | 县交通运输局",
         None,
         exact={Q: [L("120")], T: [L("2024", "| 2024 |")], D: [L("县交通运输局")]},
         rels=[(L("120"), HU, L("公里")), (L("120"), HT, L("2024", "| 2024 |"))],
         rel_exact=[(L("120"), HD, [L("县交通运输局")])],
         commits=[(L("120"), dict(value=120, unit="公里", status="planned", year=2024,
                                  deadline="2024-12-31", task="改造提升农村公路120公里"))]),
    # §5 markdown table with outer pipes and a --- row; 目标任务 cells; 牵头单位 column.
    case("table-markdown-pipes",
         "| 序号 | 民生实事 | 目标任务 | 牵头单位 |\n| --- | --- | --- | --- |\n"
         "| 1 | 新增城镇就业 | 1.1万人 | 市人社局 |\n| 2 | 新建城市书房 | 15个 | 市文旅局 |",
         2024,
         exact={Q: [L("1.1万"), L("15")], D: [L("市人社局"), L("市文旅局")]},
         rels=[(L("1.1万"), HU, L("人", "1.1万人")), (L("15"), HU, L("个", "15个"))],
         rel_exact=[(L("1.1万"), HD, [L("市人社局")]), (L("15"), HD, [L("市文旅局")])],
         commits=[(L("1.1万"), dict(value=11000, unit="人", status="planned", year=2024,
                                    deadline="2024-12-31", departments=[L("市人社局")],
                                    task="1.1万人"))]),

    # ===================================================== completion reports
    # §4/§6 completion ratio (完成年度目标的86%) is a QUANTITY but not a commitment; 截至9月底
    # is a DEADLINE (without 截至) linked to the result; achieved → deadline null.
    case("completion-report-rate-not-commitment",
         "截至9月底，全区已新建充电桩860个，完成年度目标的86%。",
         2024,
         exact={Q: [L("860"), L("86", "86%")], T: [L("9月底")], D: []},
         rels=[(L("860"), HT, L("9月底")), (L("860"), HU, L("个")),
               (L("86", "86%"), HU, L("%"))],
         commits=[(L("860"), dict(value=860, unit="个", comparator="=", status="achieved",
                                  year=2024, deadline=None, departments=[],
                                  task="全区已新建充电桩860个"))],
         not_commits=[L("86", "86%")], n_commits=1),
    # §6 完成率 is not a commitment; 今年以来 is not a DEADLINE; 累计完成 → achieved.
    case("completion-cumulative-with-rate",
         "今年以来，全县累计完成农村户厕改造3200户，完成率106.7%。",
         2024,
         exact={Q: [L("3200"), L("106.7")], T: [], D: []},
         commits=[(L("3200"), dict(value=3200, unit="户", status="achieved", year=2024,
                                   deadline=None))],
         not_commits=[L("106.7")], n_commits=1),
    # §6 progress report: the stated annual target is planned, the reported figure achieved.
    case("completion-target-planned-result-achieved",
         "截至11月底，全市已建成普惠托育园48所，超额完成40所的年度目标。",
         2024,
         exact={Q: [L("48"), L("40")], T: [L("11月底")]},
         rels=[(L("48"), HT, L("11月底"))],
         commits=[(L("48"), dict(value=48, unit="所", status="achieved", deadline=None)),
                  (L("40"), dict(value=40, unit="所", status="planned", year=2024,
                                 deadline="2024-12-31"))],
         n_commits=2),
    # §6 in-progress snapshots and counts of 民生实事 items are not commitments; counts of
    # physical works projects are; 目前 is not a DEADLINE.
    case("completion-snapshot-items-vs-projects",
         "截至目前，全市在建项目16个，已完成民生实事19项，已实施交通项目11个。",
         2024,
         exact={Q: [L("16"), L("19"), L("11")], T: []},
         commits=[(L("11"), dict(value=11, unit="个", status="achieved", deadline=None))],
         not_commits=[L("16"), L("19")], n_commits=1),
    # §2 5G is no QUANTITY; 计划 → planned; 已建成 → achieved.
    case("completion-5g-target-and-actual",
         "全年计划新建5G基站1500个，目前已建成1620个。",
         2024,
         exact={Q: [L("1500"), L("1620")]},
         commits=[(L("1500"), dict(value=1500, unit="个", status="planned",
                                   deadline="2024-12-31")),
                  (L("1620"), dict(value=1620, unit="个", status="achieved", deadline=None))],
         n_commits=2),

    # ===================================================== press conferences
    # N14 the speaker's department frames the speaker's paragraph; a body before a title
    # is tagged, the person is not; §4 由640元提高到670元: 640 is a baseline, 670 a result.
    case("press-qa-speaker-body-before-title",
         "记者：城乡居民医保财政补助标准有何变化？\n"
         "市医保局局长王伟：今年，居民医保人均财政补助标准由640元提高到670元。全市参保人数达到320万人。",
         2024,
         exact={D: [L("市医保局")], Q: [L("640"), L("670"), L("320万")]},
         rel_exact=[(L("670"), HD, [L("市医保局")]), (L("320万"), HD, [L("市医保局")])],
         commits=[(L("670"), dict(value=670, unit="元", departments=[L("市医保局")])),
                  (L("320万"), dict(value=3200000, unit="人", departments=[L("市医保局")]))],
         not_commits=[L("640")]),
    # N14 据…相关负责人介绍 frames later sentences of the speaker; N11 明年 is a DEADLINE →
    # year 2025 for a 2024 document.
    case("press-release-speaker-frames-following-sentences",
         "据区民政局相关负责人介绍，今年全区新建社区老年食堂26个。\n该负责人表示，明年将再建成20个。",
         2024,
         exact={D: [L("区民政局")], Q: [L("26"), L("20")]},
         rels=[(L("20"), HT, L("明年")), (L("26"), HT, L("今年"))],
         rel_exact=[(L("26"), HD, [L("区民政局")]), (L("20"), HD, [L("区民政局")])],
         commits=[(L("20"), dict(value=20, unit="个", status="planned", year=2025,
                                 deadline="2025-12-31", departments=[L("区民政局")]))]),
    # N14 another speaker takes over: each quantity gets its own speaker's body only.
    case("press-qa-two-speakers",
         "问：今年城市更新有哪些安排？\n市住建局副局长李明：今年将改造城镇老旧小区86个。\n"
         "市城管局局长赵刚：我们将新建口袋公园30个。",
         2024,
         exact={D: [L("市住建局"), L("市城管局")], Q: [L("86"), L("30")]},
         rel_exact=[(L("86"), HD, [L("市住建局")]), (L("30"), HD, [L("市城管局")])],
         commits=[(L("86"), dict(status="planned", departments=[L("市住建局")])),
                  (L("30"), dict(status="planned", departments=[L("市城管局")]))]),

    # ===================================================== traditional characters
    # §5 traditional characters: 個 and 1.2億元 (QUANTITY 1.2億 + UNIT 元), units as written.
    case("traditional-plan-sentence",
         "2024年，計劃新建養老服務中心12個，總投資1.2億元。",
         2024,
         exact={Q: [L("12"), L("1.2億")], U: [L("個"), L("元")], T: [L("2024年")]},
         rels=[(L("12"), HU, L("個")), (L("1.2億"), HU, L("元")),
               (L("12"), HT, L("2024年")), (L("1.2億"), HT, L("2024年"))],
         commits=[(L("12"), dict(value=12, unit="個", status="planned", year=2024,
                                 deadline="2024-12-31", task="計劃新建養老服務中心12個")),
                  (L("1.2億"), dict(value=120000000, unit="元", status="planned",
                                    task="總投資1.2億元"))]),
    # §5 traditional 責任單位 note.
    case("traditional-responsibility-note",
         "新建公辦幼兒園6所。（責任單位：縣教育局、縣財政局）",
         2024,
         exact={Q: [L("6")], D: [L("縣教育局"), L("縣財政局")]},
         rel_exact=[(L("6"), HD, [L("縣教育局"), L("縣財政局")])],
         commits=[(L("6"), dict(value=6, unit="所", departments=[L("縣教育局"), L("縣財政局")]))]),

    # ===================================================== full-width, line breaks, spaces
    # §5 full-width digits: spans on the stored characters, values normalized.
    case("fullwidth-digits",
         "2024年，将新增学位１２００个，新建食堂５所。",
         2024,
         exact={Q: [L("１２００"), L("５")]},
         rels=[(L("１２００"), HU, L("个")), (L("５"), HU, L("所"))],
         commits=[(L("１２００"), dict(value=1200, unit="个", status="planned",
                                      deadline="2024-12-31")),
                  (L("５"), dict(value=5, unit="所", status="planned"))]),
    # §5 full-width decimal point and percent sign.
    case("fullwidth-decimal-percent",
         "2024年，力争农村自来水普及率达到９６．５％。",
         2024,
         exact={Q: [L("９６．５")], U: [L("％")]},
         rels=[(L("９６．５"), HU, L("％"))],
         commits=[(L("９６．５"), dict(value=96.5, status="planned"))]),
    # N5 a hard line break inside a number: span runs across it; N15 task joins the break.
    case("linebreak-inside-number",
         "2024年，力争城镇新增就业2.3\n万人。",
         2024,
         exact={Q: [L("2.3\n万")], U: [L("人")]},
         rels=[(L("2.3\n万"), HU, L("人"))],
         commits=[(L("2.3\n万"), dict(value=23000, unit="人", status="planned",
                                       deadline="2024-12-31", task="力争城镇新增就业2.3万人"))]),
    # N5/N15 line breaks inside a word and inside a unit (公\n里).
    case("linebreak-inside-word-and-unit",
         "2024年，计划改造城镇老旧小\n区120个，新建绿道35公\n里。",
         2024,
         exact={Q: [L("120"), L("35")], U: [L("个"), L("公\n里")]},
         rels=[(L("120"), HU, L("个")), (L("35"), HU, L("公\n里"))],
         commits=[(L("120"), dict(value=120, task="计划改造城镇老旧小区120个")),
                  (L("35"), dict(value=35, task="新建绿道35公里"))]),
    # N5 a break inside a year ("2023\n\n年"): one DEADLINE, no QUANTITY; past year → achieved.
    case("linebreak-inside-year",
         "2023\n\n年，全县已新增城镇就业3100人。",
         2024,
         exact={Q: [L("3100")], T: [L("2023\n\n年")]},
         rels=[(L("3100"), HT, L("2023\n\n年"))],
         commits=[(L("3100"), dict(value=3100, unit="人", status="achieved", year=2023,
                                   deadline=None))]),
    # N5 layout spaces inside a number (1.5 万).
    case("layout-spaces-in-number",
         "2024年，计划新增学位 1.5 万个。",
         2024,
         exact={Q: [L("1.5 万")], U: [L("个")]},
         commits=[(L("1.5 万"), dict(value=15000, unit="个", status="planned"))]),
    # §2/§5 session number broken across a line ("二\n次会议") is no QUANTITY; bodies inside
    # meeting names are not tagged.
    case("linebreak-session-number",
         "在市十五届人大二\n次会议上，市长作政府工作报告。",
         2024,
         exact={Q: [], D: [], T: []}, n_commits=0),

    # ===================================================== number styles
    # §4 value: 1.99万 → 19900.
    case("num-decimal-wan",
         "2024年，计划筹集保障性租赁住房1.99万套。",
         2024,
         exact={Q: [L("1.99万")], U: [L("套")]},
         commits=[(L("1.99万"), dict(value=19900, unit="套", comparator="="))]),
    # §2 300万元 → QUANTITY with magnitude + UNIT 元; 47.1亿 → 4710000000.
    case("num-decimal-yi-yuan",
         "2025年，计划筹措城乡低保资金47.1亿元。",
         2025,
         exact={Q: [L("47.1亿")], U: [L("元")]},
         commits=[(L("47.1亿"), dict(value=4710000000, unit="元", year=2025))]),
    # §4 一千二百 → 1200; N11 年内 is a DEADLINE.
    case("num-chinese-numerals-and-nianne",
         "计划年内招聘特岗教师一千二百名。",
         2024,
         exact={Q: [L("一千二百")], U: [L("名")], T: [L("年内")]},
         rels=[(L("一千二百"), HT, L("年内"))],
         commits=[(L("一千二百"), dict(value=1200, unit="名", status="planned", year=2024,
                                       deadline="2024-12-31"))]),
    # §4 range 3-5个 → value 3, value_max 5.
    case("num-range",
         "2024年，计划在每个乡镇建设3-5个示范村。",
         2024,
         exact={Q: [L("3-5")]},
         rels=[(L("3-5"), HU, L("个", "3-5个"))],
         commits=[(L("3-5"), dict(value=3, value_max=5, unit="个"))]),
    # N4 百分之九十五: one QUANTITY, no UNIT entity, unit "%".
    case("num-percent-in-words",
         "2024年，力争农村自来水普及率达到百分之九十五。",
         2024,
         exact={Q: [L("百分之九十五")], U: []},
         commits=[(L("百分之九十五"), dict(value=95, unit="%", status="planned"))]),
    # §6 magnitude after a modifier: 800余万元 → QUANTITY 800 + UNIT 万元, value 8000000,
    # unit 元, comparator ">"; past year + 累计 → achieved.
    case("num-magnitude-after-modifier",
         "2024年，全县累计投入资金800余万元，改造农村危房150户。",
         2025,
         exact={Q: [L("800"), L("150")], U: [L("万元"), L("户")]},
         rels=[(L("800"), HU, L("万元"))],
         commits=[(L("800"), dict(value=8000000, unit="元", comparator=">", status="achieved",
                                  year=2024, deadline=None)),
                  (L("150"), dict(value=150, unit="户", comparator="=", status="achieved"))]),
    # §4 以上 / 不少于 → ">="; comparators are outside the QUANTITY span.
    case("comparator-yishang-bushaoyu",
         "2024年，确保城镇新增就业1.2万人以上，每个社区配备网格员不少于2名。",
         2024,
         exact={Q: [L("1.2万"), L("2", "于2名")]},
         commits=[(L("1.2万"), dict(value=12000, unit="人", comparator=">=")),
                  (L("2", "于2名"), dict(value=2, unit="名", comparator=">="))]),
    # §4 约 / 左右 → "~".
    case("comparator-yue-zuoyou",
         "2024年，计划新增停车位2000个左右，惠及群众约3万人。",
         2024,
         exact={Q: [L("2000"), L("3万")]},
         commits=[(L("2000"), dict(value=2000, unit="个", comparator="~")),
                  (L("3万"), dict(value=30000, unit="人", comparator="~"))]),
    # §4 控制在…以内 → "<="; §2 PM2.5 is an abbreviation (no QUANTITY); compound unit.
    case("comparator-kongzhi-yinei-pm25",
         "2024年，确保PM2.5年均浓度控制在35微克/立方米以内。",
         2024,
         exact={Q: [L("35")], U: [L("微克/立方米")]},
         commits=[(L("35"), dict(value=35, unit="微克/立方米", comparator="<=",
                                 status="planned"))]),
    # §6 in "学位3000个、园位600个以上" 以上 binds only 600.
    case("comparator-yishang-binds-last-only",
         "2024年，新增学位3000个、园位600个以上。",
         2024,
         exact={Q: [L("3000"), L("600")]},
         commits=[(L("3000"), dict(comparator="=")), (L("600"), dict(comparator=">="))]),
    # N7 近万名: the numeral alone is the QUANTITY (万); 近 → "~".
    case("comparator-jin-wan",
         "2023年，全市已为近万名老人提供上门服务。",
         2024,
         exact={Q: [L("万", "近万名")]},
         rels=[(L("万", "近万名"), HU, L("名"))],
         commits=[(L("万", "近万名"), dict(value=10000, unit="名", comparator="~",
                                          status="achieved", year=2023))]),
    # §6 突破 → ">".
    case("comparator-tupo",
         "2024年，力争全市充电桩保有量突破5万个。",
         2024,
         exact={Q: [L("5万")]},
         commits=[(L("5万"), dict(value=50000, unit="个", comparator=">", status="planned"))]),
    # N9 两 counts (建成两座): value 2.
    case("num-liang-counts",
         "2024年，计划建成两座污水处理厂。",
         2024,
         exact={Q: [L("两")], U: [L("座")]},
         commits=[(L("两"), dict(value=2, unit="座"))]),
    # N8 bracketed unit 人(次) is one UNIT; 40万 → 400000.
    case("num-bracketed-unit",
         "2024年，计划提供居家养老上门服务40万人(次)。",
         2024,
         exact={Q: [L("40万")], U: [L("人(次)")]},
         commits=[(L("40万"), dict(value=400000, unit="人(次)"))]),

    # ===================================================== deadlines
    # §4 2025年底前 → 2025-12-31; DEADLINE without 到; N2 year from the linked deadline.
    case("deadline-year-end-before",
         "到2025年底前，全市建成城市书房50个。",
         2024,
         exact={T: [L("2025年底前")], Q: [L("50")]},
         rels=[(L("50"), HT, L("2025年底前"))],
         commits=[(L("50"), dict(status="planned", year=2025, deadline="2025-12-31"))]),
    # §4 6月底前 → YEAR-06-30; DEADLINE without 于.
    case("deadline-month-end-doc-year",
         "全市将于6月底前完成200户困难老年人家庭适老化改造。",
         2024,
         exact={T: [L("6月底前")], Q: [L("200")]},
         rels=[(L("200"), HT, L("6月底前"))],
         commits=[(L("200"), dict(value=200, unit="户", status="planned", year=2024,
                                  deadline="2024-06-30"))]),
    # N11 一季度-style periods: 三季度 is a DEADLINE (quarter end), 三 is no QUANTITY.
    case("deadline-quarter",
         "力争三季度建成投用标准化农贸市场3个。",
         2024,
         exact={T: [L("三季度")], Q: [L("3")]},
         rels=[(L("3"), HT, L("三季度"))],
         commits=[(L("3"), dict(status="planned", year=2024, deadline="2024-09-30"))]),
    # §2/§4 “十四五”期末 → 2025-12-31; 十四五 is no QUANTITY.
    case("deadline-fyp-period-end",
         "到“十四五”期末，全市养老机构护理型床位占比达到55%。",
         2023,
         exact={T: [L("“十四五”期末")], Q: [L("55")]},
         rels=[(L("55"), HT, L("“十四五”期末"))],
         commits=[(L("55"), dict(value=55, unit="%", status="planned", year=2025,
                                 deadline="2025-12-31"))]),
    # §4 到2027年 → 2027-12-31 (DEADLINE 2027年 without 到).
    case("deadline-dao-year",
         "到2027年，全县义务教育学校标准化达标率达到100%。",
         2024,
         exact={T: [L("2027年")], Q: [L("100")]},
         commits=[(L("100"), dict(value=100, unit="%", status="planned", year=2027,
                                  deadline="2027-12-31"))]),
    # §3 a year heading a paragraph governs its quantities across sentences; 三件实事 is a
    # QUANTITY (counts tasks) but not a commitment; year comes from the heading.
    case("deadline-paragraph-year-heading",
         "2024年，全区将重点办好三件实事。新建城市公园5个；改造背街小巷30条。",
         None,
         exact={T: [L("2024年")], Q: [L("三"), L("5"), L("30")]},
         rels=[(L("5"), HT, L("2024年")), (L("30"), HT, L("2024年"))],
         commits=[(L("5"), dict(status="planned", year=2024, deadline="2024-12-31",
                                task="新建城市公园5个")),
                  (L("30"), dict(status="planned", year=2024, deadline="2024-12-31",
                                 task="改造背街小巷30条"))],
         not_commits=[L("三")], n_commits=2),
    # §3 "until another time expression takes over": each paragraph's year governs its own.
    case("deadline-two-paragraph-years",
         "2023年，全区已新建城市公园3个。\n2024年，全区计划新建城市公园5个。",
         2024,
         exact={T: [L("2023年"), L("2024年")], Q: [L("3", "公园3个"), L("5", "公园5个")]},
         rel_exact=[(L("3", "公园3个"), HT, [L("2023年")]), (L("5", "公园5个"), HT, [L("2024年")])],
         commits=[(L("3", "公园3个"), dict(status="achieved", year=2023, deadline=None)),
                  (L("5", "公园5个"), dict(status="planned", year=2024, deadline="2024-12-31"))]),
    # §6 multi-year span: the commitment's year is the end year.
    case("deadline-multi-year-span",
         "2023年至2025年，全市计划新建改建农村公路1200公里。",
         2023,
         exact={T: [L("2023年至2025年")], Q: [L("1200")]},
         commits=[(L("1200"), dict(status="planned", year=2025, deadline="2025-12-31"))]),
    # §2/§6 a meeting/publication date is not a DEADLINE (nor QUANTITY); 今年 is.
    case("deadline-not-meeting-date",
         "2024年1月20日，市卫健委召开新闻发布会介绍，今年将新建社区卫生服务站12个。",
         2024,
         exact={T: [L("今年")], Q: [L("12")], D: [L("市卫健委")]},
         rels=[(L("12"), HT, L("今年"))],
         rel_exact=[(L("12"), HD, [L("市卫健委")])],
         commits=[(L("12"), dict(status="planned", year=2024, deadline="2024-12-31",
                                 departments=[L("市卫健委")]))]),
    # §2 open periods with 以来 are not DEADLINEs; 累计 → achieved.
    case("deadline-yilai-not-deadline",
         "2019年以来，全市累计改造老旧小区320个。",
         2024,
         exact={T: [], Q: [L("320")]},
         commits=[(L("320"), dict(status="achieved", deadline=None))]),

    # ===================================================== QUANTITY exclusions
    # §2 dates are not QUANTITY; publication dates are not DEADLINE.
    case("excl-date-only",
         "2024年3月15日，市政府召开新闻发布会。",
         2024,
         exact={Q: [], T: [], D: [L("市政府")]}, n_commits=0),
    # §2 list markers 一、 （三） 一是 第三 are not QUANTITY.
    case("excl-list-markers",
         "一、稳就业\n（三）促增收\n一是新增就业岗位800个。\n第三，新建社区卫生服务站6个。",
         2024,
         exact={Q: [L("800"), L("6")]},
         commits=[(L("800"), dict(value=800, unit="个")), (L("6"), dict(value=6, unit="个"))]),
    # §2 十四五, 5G, 12345热线 are names/codes.
    case("excl-fyp-5g-hotline",
         "编制“十四五”养老服务规划，推进5G网络覆盖，优化12345热线服务。",
         2024,
         exact={Q: []}, n_commits=0),
    # §2 12345 is a code; the count of handled requests is a QUANTITY (services delivered).
    case("excl-hotline-code-with-count",
         "2023年，12345热线受理群众诉求8.6万件。",
         2024,
         exact={Q: [L("8.6万")]},
         commits=[(L("8.6万"), dict(value=86000, unit="件", status="achieved", year=2023))]),
    # §2 session numbers (十三届 二次 第十四届 第三次) are not QUANTITY; bodies inside
    # meeting names are not DEPARTMENT.
    case("excl-session-numbers",
         "市十三届人大二次会议召开期间，政协第十四届委员会第三次会议同期举行。",
         2024,
         exact={Q: [], D: []}, n_commits=0),
    # §2/§6 slogans (一老一小, 15分钟…生活圈) and 一批 are not QUANTITY.
    case("excl-slogans-and-yipi",
         "聚焦“一老一小”，打造“15分钟便民生活圈”12个，建成一批口袋公园。",
         2024,
         exact={Q: [L("12")]},
         commits=[(L("12"), dict(value=12, unit="个"))], n_commits=1),
    # §2/§6 ordinals in names (第一人民医院, 第二中学) are not QUANTITY; hospitals and schools
    # are not DEPARTMENT.
    case("excl-ordinals-in-names-hospital-school",
         "市第一人民医院新增床位200张，县第二中学新建教学楼1栋。",
         2024,
         exact={Q: [L("200"), L("1", "楼1栋")], D: []},
         commits=[(L("200"), dict(unit="张", departments=[])),
                  (L("1", "楼1栋"), dict(value=1, unit="栋", departments=[]))]),
    # §6 technical specifications (10千伏线路) are QUANTITY but not commitments.
    case("excl-technical-spec",
         "2024年，计划改造10千伏线路56公里。",
         2024,
         exact={Q: [L("10"), L("56")]},
         commits=[(L("56"), dict(value=56, unit="公里", status="planned"))],
         not_commits=[L("10")], n_commits=1),

    # ===================================================== DEPARTMENT exclusions / splits
    # §2 generic references (各部门, 有关部门) are not DEPARTMENT.
    case("dept-excl-generic",
         "各部门要加强协调配合，有关部门按照职责分工，确保年内新增城镇就业1.5万人。",
         2024,
         exact={D: [], Q: [L("1.5万")], T: [L("年内")]},
         commits=[(L("1.5万"), dict(value=15000, status="planned", deadline="2024-12-31",
                                    departments=[]))]),
    # §2/§6 companies (…集团有限公司) are not DEPARTMENT.
    case("dept-excl-company",
         "2024年，由市城投集团有限公司负责建设保障性租赁住房500套。",
         2024,
         exact={D: [], Q: [L("500")]},
         commits=[(L("500"), dict(value=500, unit="套", departments=[]))]),
    # §6 places used as actors (成都市提出) are not DEPARTMENT.
    case("dept-excl-place-as-actor",
         "成都市提出，2024年新建社区嵌入式服务设施100个。",
         2024,
         exact={D: [], Q: [L("100")]},
         commits=[(L("100"), dict(status="planned", year=2024, deadline="2024-12-31",
                                  departments=[]))]),
    # §6 a place before a title (菏泽市代市长) is not a department; the person is not.
    case("dept-excl-place-before-title",
         "菏泽市代市长张伟在报告中提出，今年将新增城镇就业4万人。",
         2024,
         exact={D: [], Q: [L("4万")]},
         commits=[(L("4万"), dict(value=40000, unit="人", status="planned", departments=[]))]),
    # §6/N10 fiscal levels (各级财政) and pronouns (我委) are not DEPARTMENT.
    case("dept-excl-fiscal-level-pronoun",
         "各级财政投入资金2.3亿元，我委将加强资金监管。",
         2024,
         exact={D: [], Q: [L("2.3亿")]}),
    # §6 joint names are split (县委县政府 → 县委 + 县政府); N13 both are departments of the
    # quantity; a hospital (县人民医院) is not.
    case("dept-joint-name-split",
         "2024年，县委县政府将投资1.5亿元新建县人民医院住院楼。",
         2024,
         exact={D: [L("县委"), L("县政府")], Q: [L("1.5亿")]},
         rel_exact=[(L("1.5亿"), HD, [L("县委"), L("县政府")])],
         commits=[(L("1.5亿"), dict(value=150000000, unit="元", status="planned",
                                    departments=[L("县委"), L("县政府")]))]),
    # §6 a body before a title is tagged (县政协委员 → 县政协); the person is not.
    case("dept-body-before-title",
         "县政协委员李华建议，新建乡镇综合文化站8个。",
         2024,
         exact={D: [L("县政协")], Q: [L("8")]}),
    # §6 a standalone body (市人大常委会) is tagged; §4 50项民生实事 is not a commitment.
    case("dept-standalone-body-task-count",
         "市人大常委会对全市50项民生实事开展专题询问。",
         2024,
         exact={D: [L("市人大常委会")], Q: [L("50")]},
         rels=[(L("50"), HU, L("项"))],
         not_commits=[L("50")], n_commits=0),

    # ===================================================== status
    # §4 将 + a future year → planned, deadline end of that year.
    case("status-future-year-plan",
         "2025年，全市将新建农村寄宿制学校6所。",
         2024,
         exact={Q: [L("6")]},
         commits=[(L("6"), dict(status="planned", year=2025, deadline="2025-12-31"))]),
    # §4 已/累计完成 in a past year → achieved, deadline null.
    case("status-past-year-results",
         "2023年，全市已建成农村寄宿制学校6所，累计完成投资2.1亿元。",
         2024,
         exact={Q: [L("6"), L("2.1亿")]},
         commits=[(L("6"), dict(status="achieved", year=2023, deadline=None)),
                  (L("2.1亿"), dict(value=210000000, unit="元", status="achieved",
                                    year=2023, deadline=None))]),
    # §6 funding arranged for next year is planned even when worded 已安排; 省级 is a fiscal
    # level, not a DEPARTMENT.
    case("status-funding-arranged-next-year",
         "目前，已安排2025年省级补助资金3000万元。",
         2024,
         exact={Q: [L("3000万")], U: [L("元")], D: []},
         commits=[(L("3000万"), dict(value=30000000, unit="元", status="planned",
                                     year=2025, deadline="2025-12-31"))]),
    # §4 力争 → planned; 零 in 动态清零 is no QUANTITY.
    case("status-lizheng-plan",
         "力争新增城镇就业3万人，确保零就业家庭动态清零。",
         2024,
         exact={Q: [L("3万")]},
         commits=[(L("3万"), dict(value=30000, unit="人", status="planned",
                                  deadline="2024-12-31"))], n_commits=1),

    # ===================================================== not commitments
    # §4 counts of tasks (50项民生实事) are QUANTITY but not commitments.
    case("notc-task-count",
         "市政府确定今年实施50项民生实事。",
         2024,
         exact={Q: [L("50")]}, not_commits=[L("50")], n_commits=0),
    # §4 eligibility qualifiers (65岁以上) are not commitments; the service count is.
    case("notc-age-qualifier",
         "2024年，为65岁以上老年人免费健康体检3.2万人次。",
         2024,
         exact={Q: [L("65"), L("3.2万")]},
         rels=[(L("65"), HU, L("岁"))],
         commits=[(L("3.2万"), dict(value=32000, unit="人次", comparator="="))],
         not_commits=[L("65")], n_commits=1),
    # §6 year-on-year change in a results review is not a commitment.
    case("notc-yoy-growth-in-review",
         "2023年，全市城镇新增就业4.2万人，同比增长12%。",
         2024,
         exact={Q: [L("4.2万"), L("12")]},
         commits=[(L("4.2万"), dict(value=42000, unit="人", status="achieved", year=2023))],
         not_commits=[L("12")], n_commits=1),
    # §4 由80元提高到100元: the baseline 80 is not a commitment, 100 is.
    case("notc-baseline-raised-to",
         "2024年，城乡居民基础养老金最低标准由每人每月80元提高到100元。",
         2024,
         exact={Q: [L("80"), L("100")]},
         commits=[(L("100"), dict(value=100, unit="元"))],
         not_commits=[L("80")], n_commits=1),
    # §6 satisfaction rates are not commitments.
    case("notc-satisfaction-rate",
         "2023年，全市已建成社区食堂120个，群众满意度达到98%。",
         2024,
         exact={Q: [L("120"), L("98")]},
         commits=[(L("120"), dict(status="achieved", year=2023))],
         not_commits=[L("98")], n_commits=1),
    # §4 multiples of a baseline (是2022年的3倍) and speaker counts (10位委员) are not
    # commitments; 2022年 is no QUANTITY.
    case("notc-multiple-and-speakers",
         "全市新建充电桩数量是2022年的3倍。10位委员围绕民生实事提出建议。",
         2024,
         exact={Q: [L("3"), L("10")]},
         not_commits=[L("3"), L("10")], n_commits=0),
    # §4 fulfilment ratios (完成年度计划的112%) are not commitments.
    case("notc-fulfilment-ratio",
         "全年完成年度计划的112%。",
         2024,
         exact={Q: [L("112")]}, not_commits=[L("112")], n_commits=0),
]


# --------------------------------------------------------------------------- checker
def _dump(doc) -> str:
    ents = [(e.label_, e.text, e.start_char, e.end_char) for e in doc.ents]
    rels = [(r.head.text, r.head.start_char, r.label, r.tail.text, r.tail.start_char)
            for r in doc._.relations]
    comms = [c.to_dict() for c in doc._.commitments]
    return f"\n  ents={ents}\n  rels={rels}\n  commitments={comms}"


def _check(c, doc) -> list[str]:
    text = c["text"]
    errs: list[str] = []
    ent_spans = {(e.label_, e.start_char, e.end_char) for e in doc.ents}
    for e in doc.ents:  # offsets refer to the input text
        if text[e.start_char:e.end_char] != e.text:
            errs.append(f"entity {e.text!r} offsets {e.start_char}-{e.end_char} do not match input")

    for label, locs in c["exact"].items():
        want = {loc.span(text) for loc in locs}
        got = {(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == label}
        if want != got:
            errs.append(f"{label} entities: expected {sorted(want)}, got {sorted(got)}")
    for label, loc in c["ents"]:
        s, e, sub = loc.span(text)
        if (label, s, e) not in ent_spans:
            errs.append(f"missing {label} {sub!r}@{s}-{e}")

    rels = {(r.head.start_char, r.head.end_char, r.label, r.tail.start_char, r.tail.end_char)
            for r in doc._.relations}
    for q, label, t in c["rels"]:
        qs, qe, qsub = q.span(text)
        ts, te, tsub = t.span(text)
        if (qs, qe, label, ts, te) not in rels:
            errs.append(f"missing relation {qsub!r}@{qs} -{label}-> {tsub!r}@{ts}")
    for q, label, targets in c["rel_exact"]:
        qs, qe, qsub = q.span(text)
        want = {t.span(text)[:2] for t in targets}
        got = {(ts, te) for hs, he, lab, ts, te in rels if (hs, he, lab) == (qs, qe, label)}
        if want != got:
            errs.append(f"{label} of {qsub!r}@{qs}: expected "
                        f"{sorted(text[s:e] + '@' + str(s) for s, e in want)}, got "
                        f"{sorted(text[s:e] + '@' + str(s) for s, e in got)}")

    comms = [x.to_dict() for x in doc._.commitments]
    by_q = {(d["quantity"]["start"], d["quantity"]["end"]): d for d in comms}
    for q, fields in c["commits"]:
        qs, qe, qsub = q.span(text)
        d = by_q.get((qs, qe))
        if d is None:
            errs.append(f"no commitment for {qsub!r}@{qs}")
            continue
        if d["quantity"]["text"] != qsub:
            errs.append(f"commitment quantity text {d['quantity']['text']!r} != {qsub!r}")
        for key, want in fields.items():
            got = d[key]
            if key == "departments":
                want = sorted((s, e, t) for s, e, t in (loc.span(text) for loc in want))
                got = sorted((x["start"], x["end"], x["text"]) for x in got)
            if got != want:
                errs.append(f"commitment {qsub!r}@{qs} {key}: expected {want!r}, got {got!r}")
    for q in c["not_commits"]:
        qs, qe, qsub = q.span(text)
        if (Q, qs, qe) not in ent_spans:
            errs.append(f"{qsub!r}@{qs} should still be a QUANTITY entity")
        if (qs, qe) in by_q:
            errs.append(f"{qsub!r}@{qs} must not be a commitment (got {by_q[(qs, qe)]['task']!r})")
    if c["n_commits"] is not None and len(comms) != c["n_commits"]:
        errs.append(f"expected {c['n_commits']} commitments, got {len(comms)}: "
                    f"{[d['quantity']['text'] for d in comms]}")
    return errs


@pytest.mark.parametrize("c", CASES)
def test_other_province_formats(run, c):
    doc = run(c["text"], c["year"])
    errs = _check(c, doc)
    assert not errs, "\n".join(errs) + _dump(doc)


def test_case_count():
    assert len(CASES) >= 40


# The convenience API gives the same records as the pipeline.
@pytest.mark.parametrize("c", [p for p in CASES if p.id in (
    "table-header-unit-time-and-dept-cells", "planlist-note-lead-and-co-units",
    "num-magnitude-after-modifier")])
def test_extract_matches_pipeline(run, c):
    doc = run(c["text"], c["year"])
    assert minsheng_nlp.extract(c["text"], year=c["year"], model="rules") == \
        [x.to_dict() for x in doc._.commitments]
