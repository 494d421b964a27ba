"""The HTML report: marks, numbering, escaping, writing, and the page in a real headless chromium."""
from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from minsheng_nlp.errors import InputError
from minsheng_nlp.io.html import Mark, render_badges, render_report, write_report

KINDERGARTEN = "2025年，市教育局计划新建幼儿园12所。"
HOUSING = "2024年，在住房保障方面，省住建厅计划发展保障性租赁住房9800套，发放住房租赁补贴5万户。"
INJECTED = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"


class ReportParser(HTMLParser):
    """Collects each document's marks (text, label, data-c) and its text without labels/badges."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.marks: list[list[tuple[str, str, str]]] = []
        self.scripts = 0
        self.ids: list[str] = []
        self._in_text = 0  # depth inside <div class="text">
        self._skip = 0     # depth inside a label span or a badge
        self._mark: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "script":
            self.scripts += 1
        if self._in_text:
            self._in_text += 1
            if self._skip or "label" in a.get("class", "").split() or "badge" in a.get("class", "").split():
                self._skip += 1
            elif tag == "mark":
                self._mark = ["", a["data-label"], a.get("data-c", "")]
        elif tag == "div" and a.get("class") == "text":
            self._in_text = 1
            self.texts.append("")
            self.marks.append([])

    def handle_endtag(self, tag):
        if not self._in_text:
            return
        self._in_text -= 1
        if self._skip:
            self._skip -= 1
        elif tag == "mark" and self._mark is not None:
            self.marks[-1].append(tuple(self._mark))
            self._mark = None

    def handle_data(self, data):
        if self._in_text and not self._skip:
            self.texts[-1] += data
            if self._mark is not None:
                self._mark[0] += data


def parse(report: str) -> ReportParser:
    parser = ReportParser()
    parser.feed(report)
    parser.close()
    return parser


def test_marks_of_a_commitment_sentence(run) -> None:
    doc = run(KINDERGARTEN)
    page = parse(render_report([("report.txt", doc)]))
    assert page.marks == [[("2025年", "DEADLINE", "c1"), ("市教育局", "DEPARTMENT", "c1"),
                           ("12", "QUANTITY", "c1"), ("所", "UNIT", "c1")]]
    assert page.texts == [KINDERGARTEN]  # every character kept, none added but labels and badges
    report = render_report([("report.txt", doc)])
    assert ('<mark class="entity" data-label="QUANTITY" data-start="17" data-end="19" '
            'style="background: #e4e7d2" data-c="c1" id="c1" data-key="c1">12'
            '<span class="label">QUANTITY</span>'
            '<a class="badge" href="#row-c1" title="commitment 1 in the table">1</a></mark>') in report
    assert ('<tr id="row-c1" data-key="c1" data-c="c1"><td class="num"><a href="#c1">1</a></td>'
            '<td class="nowrap" title="report.txt">report.txt</td><td class="num">2025</td>'
            '<td>planned</td><td><a href="#c1">市教育局计划新建幼儿园12所</a></td>'
            '<td class="num" data-sort="12">12</td><td>所</td><td>=</td>'
            '<td class="nowrap" data-sort="2025-12-31">2025-12-31 <span class="small">2025年</span></td>'
            '<td>市教育局</td><td class="num" data-sort="17">17–19</td></tr>') in report
    assert "<title>minsheng-nlp report: report.txt</title>" in report


def test_shared_parts_carry_every_number_across_documents(run) -> None:
    page = parse(render_report([("a.txt", run(KINDERGARTEN)), ("b.txt", run(HOUSING))]))
    assert page.marks[1] == [("2024年", "DEADLINE", "c2 c3"), ("省住建厅", "DEPARTMENT", "c2 c3"),
                             ("9800", "QUANTITY", "c2"), ("套", "UNIT", "c2"),
                             ("5万", "QUANTITY", "c3"), ("户", "UNIT", "c3")]
    assert page.texts == [KINDERGARTEN, HOUSING]
    assert [i for i in page.ids if i.startswith("row-")] == ["row-c1", "row-c2", "row-c3"]
    assert len(page.ids) == len(set(page.ids))


def test_many_commitments_on_one_mark_are_summed_up() -> None:
    badges = render_badges(Mark(0, 5, "DEADLINE", (1, 2, 3, 4, 5)))
    assert badges == ('<sup class="badge">1</sup><sup class="badge">2</sup><sup class="badge">3</sup>'
                      '<sup class="badge more" title="also commitments 4, 5">+2</sup>')


def test_everything_from_the_document_is_escaped(run) -> None:
    doc = run(KINDERGARTEN + INJECTED)
    report = render_report([(INJECTED + ".txt", doc)], title=INJECTED)
    page = parse(report)
    assert page.scripts == 1  # the report's own
    assert "<img" not in report and "<script>document" not in report
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in report
    assert page.texts == [KINDERGARTEN + INJECTED]
    assert "script-src 'sha256-" in report  # only the report's own script may run


def test_a_long_document_renders_whole_and_the_page_grows_linearly(run) -> None:
    """Every commitment of a long report gets its row; the page is proportional to the
    document (no per-commitment copy of the text). Render time is in benchmarks/, not here."""
    half = render_report([("long.txt", run("\n".join([HOUSING] * 1000)))])
    doc = run("\n".join([HOUSING] * 2000))
    report = render_report([("long.txt", doc)])
    assert report.count('<tr id="row-') == 4000
    assert len(doc.text.encode("utf-8")) > 200_000  # a few hundred KB
    assert len(report) < 2.1 * len(half)


def test_write_report_to_file_stdout_and_unwritable_path(run, tmp_path, capsys) -> None:
    items = [("a.txt", run(KINDERGARTEN))]
    write_report(items, tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == render_report(items)
    write_report(items, None)
    assert capsys.readouterr().out == render_report(items)
    target = tmp_path / "no" / "dir" / "r.html"
    with pytest.raises(InputError, match="cannot write output") as err:
        write_report(items, target)
    assert str(target) in str(err.value)


def test_items_must_be_source_doc_pairs(run) -> None:
    with pytest.raises(TypeError, match=r"item 0: expected a \(source name, processed Doc\) pair, got Doc"):
        render_report([run(KINDERGARTEN)])


# --- in a real browser --------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [  # --headless is added by playwright (headless=True)
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory, nlp):
    """The report of two documents (one with injected markup) opened in headless chromium."""
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed at /usr/bin/chromium: run scripts/setup.sh")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright missing: run scripts/setup.sh")
    import minsheng_nlp

    root = tmp_path_factory.mktemp("browser")
    docs = [("housing.txt", nlp(minsheng_nlp.make_doc(nlp, HOUSING))),
            (INJECTED + ".txt", nlp(minsheng_nlp.make_doc(nlp, KINDERGARTEN + INJECTED)))]
    target = root / "report.html"
    write_report(docs, target)
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(root / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("request", lambda req: requests.append(req.url))
            page.goto(target.as_uri())
            page.wait_for_load_state("load")
            yield page, errors, requests, target
        finally:
            context.close()
    shutil.rmtree(root, ignore_errors=True)


def test_browser_shows_marks_with_labels(browser_page) -> None:
    page, errors, requests, target = browser_page
    marks = page.eval_on_selector_all(
        "section.document mark.entity",
        "els => els.map(e => [e.firstChild.textContent, e.querySelector('.label').textContent, e.dataset.c || ''])")
    assert marks == [["2024年", "DEADLINE", "c1 c2"], ["省住建厅", "DEPARTMENT", "c1 c2"],
                     ["9800", "QUANTITY", "c1"], ["套", "UNIT", "c1"],
                     ["5万", "QUANTITY", "c2"], ["户", "UNIT", "c2"],
                     ["2025年", "DEADLINE", "c3"], ["市教育局", "DEPARTMENT", "c3"],
                     ["12", "QUANTITY", "c3"], ["所", "UNIT", "c3"]]
    style = page.eval_on_selector("#c1", "e => getComputedStyle(e).backgroundColor")
    assert style == "rgb(228, 231, 210)"  # displaCy's QUANTITY colour
    assert errors == []
    assert requests == [target.as_uri()]  # self-contained: nothing else was fetched


def test_browser_did_not_run_injected_markup(browser_page) -> None:
    page, *_ = browser_page
    assert page.title() == "minsheng-nlp report"
    assert page.locator("section.document img").count() == 0
    assert page.locator("script").count() == 1
    text = page.eval_on_selector("#doc2 .text", "e => e.textContent")
    assert "<script>document.title='pwned'</script>" in text
    assert page.eval_on_selector("#doc2 h2", "e => e.textContent") == INJECTED + ".txt"


def test_browser_table_sorts_and_links(browser_page) -> None:
    page, *_ = browser_page
    values = "() => Array.from(document.querySelectorAll('table.commitments tbody tr'), r => r.cells[5].textContent)"
    assert page.locator("table.commitments tbody tr").count() == 3
    assert page.evaluate(values) == ["9,800", "50,000", "12"]
    page.click("th:text-is('value')")
    assert page.evaluate(values) == ["12", "9,800", "50,000"]  # numeric, not "12" < "50,000" < "9,800"
    assert page.get_attribute("th:text-is('value')", "aria-sort") == "ascending"
    page.click("th:text-is('value')")
    assert page.evaluate(values) == ["50,000", "9,800", "12"]
    page.click("th:text-is('#')")
    assert page.evaluate(values) == ["9,800", "50,000", "12"]
    assert page.get_attribute("#row-c3 td:nth-child(5) a", "href") == "#c3"


def test_browser_highlights_a_commitments_parts(browser_page) -> None:
    page, *_ = browser_page
    lit = "cls => Array.from(document.querySelectorAll('.' + cls), e => e.id || e.firstChild.textContent)"
    page.click("#row-c2 td:nth-child(4)")
    assert page.evaluate(lit, "active") == ["row-c2", "2024年", "省住建厅", "c2", "户"]
    page.hover("#c3")
    assert sorted(page.evaluate(lit, "hl")) == sorted(["row-c3", "2025年", "市教育局", "c3", "所"])
    page.mouse.move(0, 0)
    assert page.evaluate(lit, "hl") == []
    page.click("#row-c2 td:nth-child(4)")
    assert page.evaluate(lit, "active") == []
