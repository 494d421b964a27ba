"""Web pages (.html, .htm, .shtml): the readable text, tables as ``| cell | cell |`` rows.

Parsed with BeautifulSoup on the lxml backend (lxml is already needed by python-docx and
copes with the broken markup of real sites). Scripts, styles, navigation, page
headers/footers, forms, ``noscript``, ``aside`` and hidden elements are dropped; block
elements become paragraphs (a blank line between them, which the layout view reads as a
paragraph break), ``<br>`` a line break. A ``<header>``/``<footer>`` inside ``<article>``,
``<main>`` or ``<section>`` belongs to the text (its title carries the year) and is kept.

Data tables become ``| a | b |`` rows (row and column spans padded with empty cells, so
columns stay under their header); tables used for page layout (holding another table or
a single column or long text cells) are read as paragraphs instead.
"""
from __future__ import annotations

import codecs
import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.dammit import EncodingDetector

from ...errors import InputError
from .base import Document, check_length
from .text import reject_binary

DROPPED_TAGS = frozenset({
    "script", "style", "nav", "form", "noscript", "aside", "template", "iframe", "svg",
    "canvas", "button", "select", "textarea", "input", "object", "embed", "map", "head",
})
PAGE_FRAME_TAGS = frozenset({"header", "footer"})
DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu", "menubar"})
# Whole class or id values that name page furniture on most sites.
DROPPED_NAMES = frozenset({
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "header", "footer",
    "sidebar", "site-header", "site-footer", "topbar", "copyright",
})
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
    "li", "dl", "dt", "dd", "blockquote", "pre", "address", "figure", "figcaption", "center",
    "hr", "header", "footer", "details", "summary", "fieldset", "table", "caption",
})
LAYOUT_CELL_CHARS = 300  # a table cell longer than this is page layout, not data
MAX_SPAN = 200
_PARA, _LINE = "\ufdd0", "\ufdd1"  # Unicode noncharacters: never in real text
_HTML_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_BREAKS = re.compile(f"[ {_PARA}{_LINE}]*[{_PARA}{_LINE}][ {_PARA}{_LINE}]*")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "euc-cn", "x-gbk", "cp936"}


def _codec(name: str | None) -> str | None:
    """The Python codec for a declared charset; GB2312/GBK are read as GB18030 (a superset)."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return "gb18030" if codec in _GB_FAMILY or name.lower() in _GB_FAMILY else codec


def decode_html(data: bytes, source: str) -> tuple[str, str, tuple[str, ...]]:
    """Text, encoding and warnings: BOM, else ``<meta charset>``/http-equiv, else UTF-8, else GB18030."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec.replace("-sig", ""), ()
            except UnicodeDecodeError as err:
                raise InputError(f"not valid {codec} after its byte-order mark", source=source,
                                 offset=err.start) from None
    reject_binary(data, source)
    declared_name = EncodingDetector.find_declared_encoding(data, is_html=True)
    declared = _codec(declared_name)
    candidates = list(dict.fromkeys(c for c in (declared, "utf-8", "gb18030") if c))
    first_error: UnicodeDecodeError | None = None
    for codec in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as err:
            first_error = first_error or err
            continue
        warnings = ()
        if declared and codec != declared:
            warnings = (f"the page declares charset {declared_name!r} but is not valid in it; "
                        f"read as {codec}",)
        return text, codec, warnings
    assert first_error is not None
    raise InputError(f"not valid {' nor '.join(candidates)} text "
                     f"(invalid byte 0x{data[first_error.start]:02x})",
                     source=source, offset=first_error.start)


def _is_dropped(tag: Tag) -> bool:
    """Page furniture and hidden elements, which are no part of the report's text."""
    if tag.name in DROPPED_TAGS:
        return True
    if tag.name in PAGE_FRAME_TAGS and tag.find_parent(["article", "main", "section"]) is None:
        return True
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(tag.get("style") or ""):
        return True
    if (tag.get("role") or "").lower() in DROPPED_ROLES:
        return True
    names = [*(tag.get("class") or []), tag.get("id") or ""]
    return any(n.lower() in DROPPED_NAMES for n in names)


def _span(cell: Tag, attribute: str) -> int:
    try:
        return max(1, min(MAX_SPAN, int(str(cell.get(attribute, "1")).strip())))
    except ValueError:
        return 1


def _cell_text(cell: Tag) -> str:
    """A cell's text on one line; ``|`` inside it becomes ``/`` so columns stay aligned."""
    raw = cell.get_text().replace(_PARA, " ").replace(_LINE, " ")
    return _HTML_SPACE.sub(" ", raw).strip(" \xa0\u3000").replace("|", "/").replace("｜", "/")


def table_rows(table: Tag) -> list[list[str]]:
    """The table as a grid of cell texts; spanned positions are empty strings."""
    rows: list[list[str]] = []
    pending: dict[int, int] = {}  # column → rows still covered by a rowspan from above
    for tr in table.find_all("tr"):
        row: list[str] = []
        col = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while pending.get(col, 0) > 0:
                row.append("")
                pending[col] -= 1
                col += 1
            across, down = _span(cell, "colspan"), _span(cell, "rowspan")
            row += [_cell_text(cell)] + [""] * (across - 1)
            if down > 1:
                pending.update({c: down - 1 for c in range(col, col + across)})
            col += across
        last = max((c for c, n in pending.items() if n > 0 and c >= col), default=-1)
        while col <= last:
            row.append("")
            if pending.get(col, 0) > 0:
                pending[col] -= 1
            col += 1
        if any(row):
            rows.append(row)
    return rows


def _is_layout_table(table: Tag) -> bool:
    """A table that lays out the page: it holds a table, has one column, or a long text cell."""
    if table.find("table") is not None:
        return True
    if all(len(tr.find_all(["td", "th"], recursive=False)) <= 1 for tr in table.find_all("tr")):
        return True
    return any(len(c.get_text(strip=True)) > LAYOUT_CELL_CHARS for c in table.find_all(["td", "th"]))


def _render_table(table: Tag) -> str:
    caption = table.find("caption")
    head = [_cell_text(caption)] if caption is not None and _cell_text(caption) else []
    if caption is not None:
        caption.decompose()
    lines = head + ["| " + " | ".join(row) + " |" for row in table_rows(table)]
    return _PARA + _LINE.join(lines) + _PARA


def _mark_blocks(root: Tag, layout_tables: list[Tag]) -> None:
    """Put paragraph / line markers around block elements, ``<br>`` and layout-table cells."""
    for pre in root.find_all("pre"):
        for s in pre.find_all(string=True):
            s.replace_with(s.replace("\n", _LINE))
    for br in root.find_all("br"):
        br.replace_with(_LINE)
    layout_parts = [el for t in layout_tables for el in t.find_all(["tr", "td", "th"])]
    for el in [*root.find_all(BLOCK_TAGS), *layout_parts]:
        if el.parent is not None:
            el.insert_before(_PARA)
            el.insert_after(_PARA)


def _normalize(raw: str) -> str:
    """HTML whitespace collapsed; markers turned into line breaks (a blank line between paragraphs)."""
    raw = _HTML_SPACE.sub(" ", raw)
    raw = _BREAKS.sub(lambda m: "\n\n" if _PARA in m.group() else "\n", raw)
    lines = [line.strip(" \xa0\u3000") for line in raw.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def html_to_text(markup: str) -> str:
    """The readable text of an HTML page (see the module docstring)."""
    soup = BeautifulSoup(markup, "lxml")
    root = soup.body or soup
    for tag in root.find_all(_is_dropped):
        if not tag.decomposed:
            tag.decompose()
    tables = root.find_all("table")
    layout = [t for t in tables if _is_layout_table(t)]
    layout_ids = {id(t) for t in layout}
    data_tables = [t for t in tables if id(t) not in layout_ids]
    _mark_blocks(root, layout)
    for table in reversed(data_tables):  # innermost first
        table.replace_with(NavigableString(_render_table(table)))
    return _normalize(root.get_text())


def read(data: bytes, source: str, max_chars: int) -> Document:
    """A web page's text (encoding from BOM / meta charset, else UTF-8, else GB18030)."""
    markup, encoding, warnings = decode_html(data, source)
    text = check_length(html_to_text(markup), source, max_chars)
    return Document(source, text, encoding, "html", warnings)
