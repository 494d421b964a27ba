"""Entity patterns on the cleaned view: QUANTITY, UNIT, DEPARTMENT, DEADLINE.

Pure functions over a string (the view of :mod:`minsheng_nlp.text.layout`); each returns
``(start, end, label)`` triples in view offsets. The rules follow the guideline
(``annotations/GUIDELINE.md`` §2 and §6) and ``annotations/GUIDELINE-NOTES.md``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .prefilter import prefiltered

Span = tuple[int, int, str]

LEXICON_DIR = Path(__file__).parent / "lexicons"


def read_lexicon(path: Path) -> tuple[str, ...]:
    """Entries of a lexicon file: one per line, ``#`` comments and blanks skipped."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    return tuple(dict.fromkeys(entries))


def _alternation(words: tuple[str, ...]) -> str:
    """A regex matching any of ``words``, the longest first, as a prefix trie.

    It matches exactly what ``"|".join(words sorted longest first)`` matches, trying the
    same words in the same order (only words that are prefixes of one another can match
    at one position, and both forms try the longer first), but the regex engine tests one
    character class per position instead of every word: lexicons of a few hundred words
    cost nearly nothing.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    """The regex of a trie node: its continuations first, then the end of a word."""
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    ends_here = "" in node
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    return "(?:" + "|".join(branches) + (")?" if ends_here else ")")


# ---------------------------------------------------------------- numbers
CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿"
_AR = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AR_MAG = r"(?:万亿|亿|万|千(?![瓦米克伏帕])|百(?![分米万]))?"
_CN = r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+[万亿]?)?"
_NUM = rf"(?:(?:{_AR}){_AR_MAG}|{_CN})"
_RANGE_SEP = r"[-~～—–至到]"
QUANTITY_RE = re.compile(prefiltered(rf"百分之{_NUM}|{_NUM}(?:{_RANGE_SEP}{_NUM})?"))

# Chinese-numeral words and idioms that count nothing (guideline §2, §6; notes N9).
_CN_IDIOMS = re.compile(
    r"一批|一系列|一体|一线|一流|一些|一样|一致|一直|一定|一切|一起|一道|一步|一把手|一般|"
    r"一方面|一揽子|一站式|一网|一门式|一次性|一件事|一张网|一张图|一盘棋|一条龙|一号|一举|"
    r"一心|一并|一律|一贯|一带一路|一老一小|一主|一核|一年来|一年一度|千家万户|千方百计|"
    r"万无一失|万众|一刻|一时|一度|一同|一再|一旦|一向|一概|一齐|一番|一手|一环|一员|一把|"
    r"一天天|一年年|三农|两会|两岸|一张蓝图|二次供水|二次创业|二次元|一件件|一项项|一个个|一批批|一座座|一条条|"
    r"十[一二三四五]五|百姓|万象|千秋|万物|万亿级|千亿级|百亿级|十亿级|一流|一元化|"
    r"[二三]级(?:甲等|乙等|公立)?医院|[二三]级及以上|八项规定"
)
_CN_WORD_BEFORE = set("同统唯之万第单专划归如逐每任某这那其合进")
_COUNTING_VERB = re.compile(
    r"(?:建成|建设|新建|改建|扩建|改造|打造|新增|实施|开工|完成|设立|培育|创建|引进|投放|举办|开展|"
    r"增加|建|办|开通|开设|配备|新开|落地|成立|组建)$"
)
_MARKER_AFTER = re.compile(r"[.、．](?!\d)")
_LETTER = re.compile(r"[A-Za-z]")
_ISO_DATE = re.compile(r"(?:19|20)\d{2}[-/.]\d{1,2}(?:[-/.]\d{1,2})?")
_CLOCK_BEFORE = re.compile(r"\d[:：]$")
_YEAR_MAGNITUDE = re.compile(r"(?:19|20)\d{2}[万亿]")
_YEAR_WORDS = re.compile(r"年(?!龄)|级|届")
_DATE_AFTER = re.compile(r"[月日号时]|点(?!\d)|:\d")

# ---------------------------------------------------------------- deadlines
_YEAR = r"(?:(?:19|20)\d{2}|二[〇零○][一二三四五六七八九〇零○]{2})"
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_PART = r"(?:底|末|初|上半年|下半年|前三季度|第?[一二三四]季度末?)"
_TAIL = r"(?:以前|之前|以内|前|内)?"
DEADLINE_RE = re.compile(prefiltered(  # prefiltered: same matches, 8x faster scan
    rf"{_YEAR}年?[-~～—–至到]{_YEAR}年(?:度)?(?:底|末)?{_TAIL}"
    rf"|{_YEAR}年{_MONTH}月?[-~～—–至到]{_MONTH}月(?:底|末)?{_TAIL}"
    rf"|(?:今年)?(?:1[0-2]|0?[1-9])[-~～—–至到](?:1[0-2]|0?[1-9])月(?:底|末)?{_TAIL}"
    rf"|{_YEAR}年(?:度)?(?:{_MONTH}月(?:底|末|份|中旬|上旬|下旬)?(?:{_DAY}[日号])?)?{_PART}?{_TAIL}"
    rf"|(?:今年|明年)?(?:年内|年底|年末|年初|上半年|下半年|前三季度|第?[一二三四]季度末?){_TAIL}"
    r"|(?:(?<=[，,。；;：:\n])|^)(?:去年|过去的?一年|这一年|新的一年|过去五年|五年间)(?=[，,\u4e00-\u9fff])"
    r"|(?:(?<=[，,。；;：:\n—])|^)全年(?=[\u4e00-\u9fff])(?!目标|任务|工作|经济|营业|收入|生产|平均|的|民生|支出|财政|预算|地区|粮食)"
    r"|(?<=回首|展望|迈向|走进|迎来)(?:19|20)\d{2}(?=[，,\s])"
    r"|(?<=^#)(?:#{0,5}\s*)(?:19|20)\d{2}(?=\s)"
    rf"|(?:今年|明年){_TAIL}"
    rf"|(?:1[0-2]|0?[1-9])月(?:底|末|份|中旬|上旬|下旬)?(?:{_DAY}[日号])?{_TAIL}"
    rf"|(?:十[一二]?|[一二三四五六七八九])月(?:底|末){_TAIL}"
    r"|[“\"]?十[一二三四五]五[”\"]?(?:期末|末期|末|期间|时期)"
))
_DEADLINE_NOT_AFTER = re.compile(
    r"以来|来|的?(?:政府)?工作报告|的?报告|规划纲要|统计公报|[^\n]{0,4}会议|级|届|生(?:人|的)"
)
_DEADLINE_NOT_BEFORE = ("较", "比", "同比", "与", "相比", "比上年", "相较")
_AS_OF_BEFORE = ("截至", "截止", "到", "至", "于")

# ---------------------------------------------------------------- departments
_LEVEL = r"(?:自治区|自治州|自治县|街道|国家|省|市|区|县|州|盟|旗|镇|乡)"
_SPECIAL_NAMES = (
    "人大常委会", "人大", "政协", "委宣传部", "委组织部", "委统战部", "委政法委", "委办公厅", "委编办", "委办",
    "人民政府办公室", "人民政府办公厅", "人民政府新闻办公室", "人民政府新闻办", "政府新闻办公室", "政府新闻办",
    "政府办公厅", "政府办公室", "政府督查室", "政府办", "人民政府", "政府", "纪委监委", "纪委", "监委", "总工会",
    "妇联", "残联", "科协", "侨联", "文联", "工商联", "红十字会", "供销社", "人民法院", "人民检察院", "法院",
    "检察院", "编办", "党委", "党政办", "民生实事办", "民生办",
)
_SPECIAL = "|".join(sorted(_SPECIAL_NAMES, key=len, reverse=True)) + "|委(?!员|托|屈|派)"
_STANDALONE = r"国务院|中共中央|党中央|全国人大常委会|全国人大|全国政协|团省委|团市委|团县委|团区委"
_SUFFIX = (r"(?:委员会|办公室|厅|(?:管理|服务)?局(?![面势限部])|委(?!员(?!会)|托|派)|部(?![门署分位队])|署(?!名)|"
           r"办(?![理法事好成结件学公实]))")
_CENTER = r"(?:政务服务|疾病预防控制|疾控|公共资源交易|住房公积金管理)中心"
_GENERIC_SUFFIX = r"(?:领导小组办公室|领导小组|工作专班|指挥部|管理委员会|管委会)"
# A level character preceded by one of these forms a common word, not a body.
_LEVEL_COMPOUND = {
    "省": set("全本我各该外跨分节反自"),
    "市": set("城都超门股上夜早全本我各该县集菜闹街楼车黑牛熊开罢互"),
    "区": set("社城园景地山林牧灾矿街片校辖市郊县湾战禁误盲专厂营住生保功老旧小试示疫半边学"),
    "县": set("全本我各该郡州市区外属邻"),
    "镇": set("城乡村全本重集古小市坐"),
    "乡": set("城家回下故全本异老同思外他水梦县"),
    "旗": set("国红彩锦党团升队降军战护半插扛"),
    "州": set("神九全本各该"),
}
_NOT_A_BODY_AFTER = re.compile(
    r"工作报告|新闻发布会|发布会|网站|网(?![格点])|官网|公众号|常务会议|常委会会议|全体会议|第[\d一二三四五六七八九十]+次"
)
_BRANCH_AFTER = re.compile(r"[\u4e00-\u9fff]{2,4}分局")
_MEETING_AFTER = re.compile(r"第?[零〇一二三四五六七八九十\d]+届")


@dataclass(frozen=True)
class Lexicons:
    """The word lists the rules use, with the regexes compiled from them."""

    units: tuple[str, ...]
    latin_units: tuple[str, ...]
    department_cores: tuple[str, ...]
    places: tuple[str, ...]
    unit_re: re.Pattern = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    latin_unit_re: re.Pattern = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    department_re: re.Pattern = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    header_unit_re: re.Pattern = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    @classmethod
    def build(cls, units: tuple[str, ...], latin_units: tuple[str, ...],
              department_cores: tuple[str, ...], places: tuple[str, ...]) -> "Lexicons":
        base = _alternation(units)
        unit = (rf"(?:{base})(?:\((?:次|间|人次|户|个|座|处|家|所|名|人|台|套)\))?"
                rf"(?:/(?:{base}))?")
        unit_re = re.compile(unit)
        latin_re = re.compile(rf"(?:{_alternation(latin_units)})(?![A-Za-z])")
        cores = _alternation(department_cores)
        core_seq = rf"(?:{cores})(?:和|与)?(?:(?:{cores})(?:和|与)?){{0,3}}"
        dept = (
            rf"{_STANDALONE}"
            rf"|{_LEVEL}?{_CENTER}"
            rf"|{_LEVEL}?{core_seq}{_SUFFIX}"
            rf"|{_LEVEL}(?:{_SPECIAL})"
            rf"|{_LEVEL}[\u4e00-\u9fff]{{1,12}}?{_GENERIC_SUFFIX}"
        )
        header = re.compile(rf"[(（](?:单位[:：])?((?:万|亿|千|百万|千万)?(?:{base}))[)）]"
                            rf"|单位[:：]\s*((?:万|亿|千|百万|千万)?(?:{base}))")
        return cls(units, latin_units, department_cores, places, unit_re, latin_re,
                   re.compile(prefiltered(dept)), header)


@lru_cache(maxsize=8)
def load_lexicons(directory: str | None = None) -> Lexicons:
    """Read the four lexicon files from ``directory`` (default: the shipped ones)."""
    d = Path(directory) if directory else LEXICON_DIR
    return Lexicons.build(
        read_lexicon(d / "units.txt"), read_lexicon(d / "latin_units.txt"),
        read_lexicon(d / "departments.txt"), read_lexicon(d / "places.txt"),
    )


# ---------------------------------------------------------------- helpers
def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class Blocked:
    """Sorted, non-overlapping spans; answers "does [s, e) overlap any?" in O(log n)."""

    def __init__(self, spans: list[Span]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _, _ in ordered]
        self.ends = [e for _, e, _ in ordered]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.ends[i] > start


def quoted_spans(text: str) -> Blocked:
    """Short quoted names, titles and slogans: numbers inside them are not quantities."""
    spans = [(m.start(), m.end(), "Q") for m in re.finditer(
        r"“[^“”\n。，,；;]{1,20}”|‘[^‘’\n]{1,20}’|\"[^\"\n。，,]{1,20}\"|《[^《》\n]{1,60}》|「[^「」\n]{1,20}」",
        text)]
    return Blocked(spans)


class Lines:
    """Line bounds and ``|`` positions of a text, answered in O(log n) after one scan.

    Scanning a line for each match would be quadratic on a huge one-line text (a scraped
    page, a table flattened into one row); these answers never scan.
    """

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.pipes = [m.start() for m in re.finditer(r"\|", text)]

    def start(self, pos: int) -> int:
        """Where the line holding ``pos`` starts (``text.rfind("\\n", 0, pos) + 1``)."""
        i = bisect_left(self.breaks, pos)
        return self.breaks[i - 1] + 1 if i else 0

    def end(self, pos: int) -> int:
        """The first line break at or after ``pos``, else the text's length."""
        i = bisect_left(self.breaks, pos)
        return self.breaks[i] if i < len(self.breaks) else self.length

    def has_pipe(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` holds a ``|``."""
        i = bisect_left(self.pipes, start)
        return i < len(self.pipes) and self.pipes[i] < end


# ---------------------------------------------------------------- deadlines
_TABLE_YEAR_CELL = re.compile(r"(?:(?<=\|)|^)\s*((?:19|20)\d{2})(?:年)?\s*(?=\||$)", re.M)


_DOCUMENT_NAME_LINE = re.compile(
    r"^[^。！？!?\n]{0,60}(?:关于[^。\n]{0,40}(?:通知|意见|公告|决定|方案|报告|批复)|"
    r"工作报告(?:[(（][^)）\n]{0,20}[)）])?\s*$)"
)


_HEADING_MARKS = re.compile(r"[# ]*")


def _in_document_name(text: str, pos: int, lines: Lines) -> bool:
    """Whether ``pos`` lies in a title line naming a document (关于印发…的通知, …清单)."""
    end = lines.end(pos)
    start = _HEADING_MARKS.match(text, lines.start(pos), end).end()  # the line after lstrip("# ")
    return end - start <= 60 and bool(_DOCUMENT_NAME_LINE.match(text[start:end]))


def _in_title(starts: list[int], titles: list[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` lies strictly inside one of the sorted, disjoint ``titles``.

    Only the last title starting before ``pos`` can hold it: any earlier one ends before
    that one starts.
    """
    i = bisect_left(starts, pos) - 1
    return i >= 0 and pos < titles[i][1]


def find_deadlines(text: str, lines: Lines | None = None) -> list[Span]:
    """DEADLINE spans: programme years, due dates, periods, as-of dates (not meeting dates)."""
    lines = lines or Lines(text)
    out: list[Span] = []
    for m in _TABLE_YEAR_CELL.finditer(text):
        in_table = lines.has_pipe(lines.start(m.start(1)), lines.end(m.end(1)))
        if in_table and not text[m.end(1):m.end(1) + 1] == "年":
            out.append((m.start(1), m.end(1), "DEADLINE"))
    titles = [(m.start(), m.end()) for m in re.finditer(r"《[^《》\n]{1,60}》", text)]
    title_starts = [ts for ts, _ in titles]
    for m in DEADLINE_RE.finditer(text):
        s, e = m.span()
        expr = m.group()
        if _DEADLINE_NOT_AFTER.match(text, e) and not re.search(r"(前|内|底|末)$", expr):
            continue
        before = text[max(0, s - 3):s]
        if any(before.endswith(w) for w in _DEADLINE_NOT_BEFORE):
            continue
        if re.search(r"[日号]" + _TAIL.replace("?", "") + "?$", expr) and not re.search(r"(前|内)$", expr):
            if not any(before.endswith(w) for w in _AS_OF_BEFORE):
                continue  # a meeting, publication or event date
        if _in_title(title_starts, titles, s) or _in_document_name(text, s, lines):
            continue
        if expr in ("今年", "明年") and re.match(r"以来|[的]?[1-9一二三四五六七八九十]", text[e:e + 2]):
            continue
        out.append((s, e, "DEADLINE"))
    return _non_overlapping(out)


# ---------------------------------------------------------------- departments
_NOT_IN_PLACE_NAMES = set("已的了是在和与及对为把被将从向由据各全本该有等给请说我们代表委托受经至到让使报")
_NUMERALS = set("一二三四五六七八九十两几每")
_PLACE_BOUNDARY = set("从在由向据经和与及、，,。；;：:（(「“《 \n#|　") | {""}


def _extend_place(text: str, start: int, places: frozenset[str]) -> int:
    """Extend a body's start leftwards over place names (临沂市兰山区) and a leading 中共.

    A known place (gazetteer) always extends; an unknown one (a county, a district) of
    two or three characters extends when a boundary (punctuation, line start, a
    preposition such as 从/在/由) or another place stands before it.
    """
    for _ in range(3):
        if not text[start:start + 1] or text[start] not in "省市区县州盟旗镇乡":
            break
        new = start
        for size in (5, 4, 3, 2):
            if start - size >= 0 and text[start - size:start] in places:
                new = start - size
                break
        else:
            for size in ((1, 2, 3) if text[start] == "县" else (2, 3)):
                name = text[max(0, start - size):start]
                before = text[start - size - 1:start - size] if start - size >= 1 else ""
                if (len(name) == size and all(_is_cjk(c) and c not in _NOT_IN_PLACE_NAMES for c in name)
                        and not (size == 1 and name in _NUMERALS)
                        and (before in _PLACE_BOUNDARY or before in "省市州")):
                    new = start - size
                    break
        if new == start:
            break
        start = new
        if start == 0 or text[start - 1] not in "省市州区县":
            break
        start -= 1  # a higher-level place before it: 临沂市|兰山区
        if not any(text[max(0, start - n):start] in places for n in (2, 3, 4, 5)) and not (
                start >= 2 and all(_is_cjk(c) and c not in _NOT_IN_PLACE_NAMES for c in text[start - 2:start])):
            start += 1
            break
    if start >= 2 and text[start - 2:start] == "中共":
        start -= 2
    return start


def find_departments(text: str, lex: Lexicons) -> list[Span]:
    """DEPARTMENT spans: level + core + suffix, special bodies, with place prefixes."""
    places = frozenset(lex.places)
    titles = Blocked([(m.start(), m.end(), "T") for m in re.finditer(r"《[^《》\n]{1,60}》", text)])
    out: list[Span] = []
    last_end = 0
    for m in lex.department_re.finditer(text):
        s, e = m.span()
        first = text[s]
        prev = text[s - 1] if s > 0 else "\n"
        new_s = _extend_place(text, s, places) if first in "省市区县州盟旗镇乡自街国" else s
        if new_s == s and first in _LEVEL_COMPOUND and prev in _LEVEL_COMPOUND[first]:
            continue
        if new_s == s and prev in CN_NUM_CHARS + "0123456789几数多":
            continue  # collective: 六市政府, 各县区
        if text.startswith(("街道", "国家"), s) and prev in "各全本":
            continue
        if prev == "届" or _MEETING_AFTER.match(text, e):
            continue
        if text[s + 1:s + 2] == "级" or text[s:s + 2] in ("市县", "省市", "县区", "县市", "区县"):
            continue  # levels, not bodies: 县级政府, 市县级工作专班
        if prev in "各" or text[max(0, s - 2):s] in ("有关", "相关"):
            continue
        if text[new_s:new_s + 1] in ("各", "全") or text[new_s:new_s + 2] in ("有关", "相关"):
            continue  # generic: 各乡镇人民政府
        if re.search(r"各[^，,、；;。：:\n]{0,5}$", text[max(0, new_s - 6):new_s]):
            continue  # generic: 各区（市）县政府, 各省辖市政府
        if _NOT_A_BODY_AFTER.match(text, e) or titles.overlaps(s, e):
            continue  # a document or event name: 市政府工作报告, 《…》, …新闻发布会, …网
        branch = _BRANCH_AFTER.match(text, e)
        if branch:
            e = branch.end()
        if new_s < last_end:
            new_s = s
        out.append((new_s, e, "DEPARTMENT"))
        last_end = e
    return out


# ---------------------------------------------------------------- quantities and units
def _is_list_marker(text: str, s: int, e: int, num: str) -> bool:
    """``1.`` / ``一、`` / ``（三）`` / ``一是`` markers at a line or sentence start."""
    before = text[s - 1] if s > 0 else "\n"
    after = text[e] if e < len(text) else "\n"
    if num[0] in CN_NUM_CHARS and after in "、是":
        return True
    if before in "(（" and after in ")）":
        return True
    if _MARKER_AFTER.match(text, e) and (before in "\n#。；;:：!！?？ " or s == 0):
        return True
    return False


_NOT_ROW_START = re.compile(r"[^| ]")


def _skip_number(text: str, s: int, e: int, num: str, quotes: Blocked, lines: Lines) -> bool:
    """Whether the number ``text[s:e]`` is not a QUANTITY (guideline §2 "Not annotated")."""
    before = text[s - 1] if s > 0 else "\n"
    after = text[e:e + 2] or "\n"
    if before in "第几" or text[max(0, s - 2):s] == "第 ":
        return True
    if _is_list_marker(text, s, e, num):
        return True
    if quotes.overlaps(s, e):
        return True
    if re.match(r"(?:分钟|公里|小时)[\u4e00-\u9fff]{0,6}圈", text[e:e + 10]):
        return True  # 15分钟服务圈: the name of a service standard, not a count
    if after[:1] == "|" and _NOT_ROW_START.search(text, lines.start(s), s) is None:
        return True  # the row number in a table's first column
    if _DATE_AFTER.match(text, e):
        return True
    if after[:1] == "届" or (after[:1] == "次" and "届" in text[max(0, s - 8):s]):
        return True  # session numbers: 十三届二次会议, 市十五届人大二次会议
    if _LETTER.match(before) or (before in ".-·" and s >= 2 and _LETTER.match(text[s - 2])):
        return True
    if num[0] in CN_NUM_CHARS:
        if num in ("零", "〇"):
            return True  # 零部件, 零就业, 零突破: 零 alone never counts
        if num in ("万", "亿", "千", "百") and before in "(（":
            return True  # a magnitude in a header: (万元)
        if num == "一" and after[:1] == "年" and before in "去的这上":
            return True  # 过去一年, 新的一年: a period, not a count
        if _CN_IDIOMS.match(text, s):
            return True
        if re.search(r"第[一二三四五六七八九十、]*、$", text[max(0, s - 10):s]):
            return True  # 第二、五、六组: an enumeration of ordinals
        if num[0] == "一" and before in _CN_WORD_BEFORE:
            return True
        if num == "一" and not _COUNTING_VERB.search(text, max(0, s - 4), s):
            return True  # 一 + measure word as "a": 交出一份答卷, 一口热乎饭 (notes N9)
        if num == "一" and "的" in text[e + 1:e + 8].split("，")[0][:7] and after[:1] in "个座片种":
            return True  # 打造一个具有前瞻性的…: a descriptive article (notes N25)
        if len(after) >= 2 and after[0] == after[1]:
            return True  # reduplication: 一项项, 一件件
        if re.match(r"年(?:行动|攻坚|计划|规划|专项)", text[e:e + 3]):
            return True  # programme names: 三年行动
        if after[:1] in "期代":
            return True  # phase and generation ordinals: 一期项目, 二期工程
    return False


def before_char(text: str, s: int) -> str:
    return text[s - 1] if s > 0 else "\n"


def _is_year(num: str, text: str, e: int) -> bool:
    return (len(num) == 4 and num.isdigit() and 1900 <= int(num) <= 2100
            and (bool(_YEAR_WORDS.match(text, e)) or not _unit_follows(text, e)))


def _unit_follows(text: str, e: int) -> bool:
    return e < len(text) and (text[e] in "%‰" or _is_cjk(text[e]))


def find_quantities(text: str, lex: Lexicons, blocked: Blocked, lines: Lines | None = None) -> list[Span]:
    """QUANTITY and UNIT spans (a UNIT only right after its quantity, or in a header)."""
    lines = lines or Lines(text)
    quotes = quoted_spans(text)
    out: list[Span] = []
    for m in QUANTITY_RE.finditer(text):
        s, e = m.span()
        num = m.group()
        if blocked.overlaps(s, e):
            continue
        if _skip_number(text, s, e, num, quotes, lines):
            continue
        if num.startswith("百分之"):
            out.append((s, e, "QUANTITY"))
            continue
        if _is_year(num, text, e) or _ISO_DATE.fullmatch(num) or _CLOCK_BEFORE.search(text, max(0, s - 2), s):
            continue  # years, 2020-03-06, 10:00
        if _YEAR_MAGNITUDE.fullmatch(num) and not lex.unit_re.match(text, e):
            continue  # "2024 万象更新": a heading year, not 2024万
        if before_char(text, s) == "每" and num[0] in CN_NUM_CHARS:
            continue  # a rate denominator: 每千人
        # unit: after an optional 余/多 modifier; a magnitude may sit in the unit then
        pos = e
        modifier = text[pos] if pos < len(text) and text[pos] in "余多" else ""
        pos += len(modifier)
        unit_end = None
        has_mag = num[-1] in "万亿千百" and num[0] not in CN_NUM_CHARS or num[-1] in "万亿"
        mag = re.match(r"百万|千万|万|亿|千", text[pos:pos + 2]) if modifier and not has_mag else None
        upos = pos + (mag.end() if mag else 0)
        um = lex.unit_re.match(text, upos)
        if um:
            unit_end = um.end()
        elif pos < len(text) and re.match(r"[A-Za-z]", text[pos]):
            lm = lex.latin_unit_re.match(text, pos)
            if not lm or modifier:
                continue  # a code such as 5G, 3D, H5
            unit_end = lm.end()
            upos = pos
        if num[0] in CN_NUM_CHARS and unit_end is None:
            continue  # Chinese numerals count only with a measure word (notes N9)
        if unit_end is None and len(num) == 4 and num.isdigit() and 1900 <= int(num) <= 2100:
            continue  # a bare year: 2021中国最美县域
        around = text[max(0, s - 2):s] + text[e:e + 2]
        in_cell = before_char(text, s) == "|" and text[e:e + 1] in ("|", "\n", "")
        if unit_end is None and num.isdigit() and len(num) >= 5 and not in_cell:
            continue  # codes and hotlines (96110, 12345)
        if unit_end is None and "|" not in around and not any(_is_cjk(ch) for ch in around):
            continue  # a bare number outside Chinese text (English, codes, tables of figures)
        out.append((s, e, "QUANTITY"))
        if unit_end is not None:
            unit_start = pos if mag else upos
            out.append((unit_start, unit_end, "UNIT"))
    return out


def find_header_units(text: str, lex: Lexicons, blocked: Blocked, lines: Lines | None = None) -> list[Span]:
    """UNITs standing apart from numbers: table column headers ``(万元)``, ``单位：个``."""
    lines = lines or Lines(text)
    out: list[Span] = []
    for m in lex.header_unit_re.finditer(text):
        g = 1 if m.group(1) else 2
        s, e = m.span(g)
        in_table = lines.has_pipe(lines.start(s), lines.end(e))
        if m.group(1) and not in_table and not re.search(r"[:：]", text[max(0, s - 3):s]):
            continue
        if s > 0 and text[s - 2:s - 1].isdigit():
            continue
        if not blocked.overlaps(s, e):
            out.append((s, e, "UNIT"))
    return out


def find_entities(text: str, lex: Lexicons) -> list[Span]:
    """All entity spans of the view ``text``, non-overlapping, sorted."""
    lines = Lines(text)
    deadlines = find_deadlines(text, lines)
    taken = Blocked(deadlines)
    departments = [d for d in find_departments(text, lex) if not taken.overlaps(d[0], d[1])]
    headers = find_header_units(text, lex, Blocked(_non_overlapping(deadlines + departments)), lines)
    blocked = Blocked(_non_overlapping(deadlines + departments + headers))
    quantities = find_quantities(text, lex, blocked, lines)
    return _non_overlapping(deadlines + departments + headers + quantities)


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Keep spans in priority order (list order), dropping any that overlap a kept one."""
    kept: list[Span] = []
    occupied: dict[int, bool] = {}
    for s, e, label in spans:
        if s >= e or any(i in occupied for i in range(s, e)):
            continue
        for i in range(s, e):
            occupied[i] = True
        kept.append((s, e, label))
    kept.sort()
    return kept
