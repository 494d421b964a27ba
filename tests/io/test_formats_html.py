"""HTML pages: page furniture dropped, blocks as paragraphs, tables as ``|`` rows, encodings."""
from __future__ import annotations

import pytest

from minsheng_nlp.errors import InputError
from minsheng_nlp.io.formats.html import decode_html, html_to_text, table_rows
from minsheng_nlp.io.readers import read_document

# A city's plan page as such sites publish it: a site header, navigation, a script that
# holds numbers, the article with its own header, a plan table, a side box and a footer.
PLAN_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>市政府门户网站</title>
<style>.t{color:red}</style>
<script>var banner = "计划新建停车位9999个";</script></head>
<body>
<div class="header"><a href="/">首页</a><a href="/zwgk">政务公开</a></div>
<nav><ul><li>机构概况</li><li>新增学位8888个</li></ul></nav>
<article>
<header><h1>2025年XX市十件民生实事项目</h1></header>
<p>　　2025年，市政府将集中力量
办好十件民生实事。<br>具体如下：</p>
<table>
<tr><th>序号</th><th>项目名称</th><th>目标任务</th><th>牵头单位</th></tr>
<tr><td>1</td><td>城镇新增就业</td><td><p>新增城镇就业2.5万人</p></td><td>市人社局</td></tr>
<tr><td>2</td><td>老旧小区改造</td><td>改造老旧小区86个</td><td>市住建局</td></tr>
</table>
<footer>责任编辑：李明</footer>
</article>
<aside>相关阅读：新建公园7777个</aside>
<form><input name="q"><button>搜索</button></form>
<noscript>请开启脚本</noscript>
<div id="footer">主办单位：XX市人民政府办公室 网站标识码 1234567890</div>
</body></html>
"""

PLAN_TEXT = (
    "2025年XX市十件民生实事项目\n\n"
    "2025年，市政府将集中力量 办好十件民生实事。\n具体如下：\n\n"
    "| 序号 | 项目名称 | 目标任务 | 牵头单位 |\n"
    "| 1 | 城镇新增就业 | 新增城镇就业2.5万人 | 市人社局 |\n"
    "| 2 | 老旧小区改造 | 改造老旧小区86个 | 市住建局 |\n\n"
    "责任编辑：李明"
)


def test_plan_page_keeps_the_article_and_drops_the_furniture() -> None:
    assert html_to_text(PLAN_PAGE) == PLAN_TEXT


def test_spanned_cells_leave_their_positions_empty() -> None:
    from bs4 import BeautifulSoup

    table = BeautifulSoup(
        "<table><tr><th>类别</th><th>项目</th><th>规模</th></tr>"
        "<tr><td rowspan='2'>教育</td><td>新建幼儿园</td><td>12所</td></tr>"
        "<tr><td>新增学位</td><td>3600个</td></tr>"
        "<tr><td colspan='3'>二、医疗卫生</td></tr>"
        "<tr><td>卫生</td><td>健康体检</td><td>18万人次</td></tr></table>", "lxml").table
    assert table_rows(table) == [
        ["类别", "项目", "规模"],
        ["教育", "新建幼儿园", "12所"],
        ["", "新增学位", "3600个"],
        ["二、医疗卫生", "", ""],
        ["卫生", "健康体检", "18万人次"],
    ]


def test_layout_table_is_read_as_paragraphs() -> None:
    body = "　　" + "2025年，区政府将实施城乡供水一体化工程，新建改造供水管网120公里，" * 8
    page = (f"<table><tr><td>网站导读</td><td><table><tr><td>{body}</td></tr></table>"
            "<p>改造农村公路150公里。</p></td></tr></table>")
    text = html_to_text(page)
    assert "|" not in text
    assert text.split("\n\n") == ["网站导读", body.strip("　"), "改造农村公路150公里。"]


def test_gbk_page_with_meta_charset(tmp_path) -> None:
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            "</head><body><p>2025年，区城管局计划改造提升城市公厕40座。</p></body></html>")
    path = tmp_path / "gonggao.HTM"
    path.write_bytes(page.encode("gbk"))
    document = read_document(path)
    assert (document.format, document.encoding) == ("html", "gb18030")
    assert document.text == "2025年，区城管局计划改造提升城市公厕40座。"


def test_encoding_order_bom_then_declared_then_utf8_then_gb18030() -> None:
    sentence = "新增停车位3000个"
    assert decode_html("\ufeff<p>新增停车位3000个</p>".encode("utf-8"), "a.html")[:2] == (
        f"<p>{sentence}</p>", "utf-8")
    assert decode_html(f"<p>{sentence}</p>".encode("gb18030"), "b.html")[:2] == (
        f"<p>{sentence}</p>", "gb18030")
    text, encoding, warnings = decode_html(
        f'<meta charset="utf-8"><p>{sentence}</p>'.encode("gbk"), "c.html")
    assert (encoding, sentence in text) == ("gb18030", True)
    assert warnings == ("the page declares charset 'utf-8' but is not valid in it; read as gb18030",)


def test_binary_junk_named_html_is_an_input_error(tmp_path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError) as err:
        read_document(path)
    assert str(err.value) == f"{path} (offset 8): binary data, not a text file (NUL byte found; it looks like a PNG image)"
