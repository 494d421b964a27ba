"""``read_document`` and ``expand_paths``: formats by suffix, limits, folders."""
from __future__ import annotations

import pytest

import minsheng_nlp
from minsheng_nlp.errors import InputError
from minsheng_nlp.io.readers import Document, expand_paths, read_document

SENTENCE = "2025年，区城管局计划改造提升城市公厕40座。"


def test_text_files_utf8_bom_and_gbk(tmp_path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"))
    (tmp_path / "b.TXT").write_bytes(SENTENCE.encode("gbk"))
    assert read_document(tmp_path / "a.txt") == Document(str(tmp_path / "a.txt"), SENTENCE, "utf-8", "text")
    assert read_document(tmp_path / "b.TXT") == Document(str(tmp_path / "b.TXT"), SENTENCE, "gb18030", "text")


def test_suffix_picks_the_format_case_insensitively(tmp_path) -> None:
    (tmp_path / "page.HTML").write_text(f"<p>{SENTENCE}</p><script>x=1</script>", encoding="utf-8")
    (tmp_path / "notes").write_text(f"<p>{SENTENCE}</p>", encoding="utf-8")  # no suffix: text
    assert read_document(tmp_path / "page.HTML").text == SENTENCE
    assert read_document(tmp_path / "notes").text == f"<p>{SENTENCE}</p>"


def test_unsupported_office_formats_are_named(tmp_path) -> None:
    path = tmp_path / "2025年计划.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert str(err.value) == f"{path}: old Word .doc files are not read: save it as .docx"


def test_size_limit_applies_to_every_format(tmp_path) -> None:
    for name in ("big.txt", "big.html", "big.docx", "big.pdf"):
        (tmp_path / name).write_bytes(b"x" * 2_000)
        with pytest.raises(InputError) as err:
            read_document(tmp_path / name, max_bytes=1_000)
        assert str(err.value) == (f"{tmp_path / name}: file is 2,000 bytes, above the limit of 1,000 bytes "
                                  "(raise it with --max-bytes)")


def test_extracted_text_limit(tmp_path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(SENTENCE * 4_000)  # 96,000 characters, a small file once zipped
    path = tmp_path / "long.docx"
    document.save(path)
    assert path.stat().st_size < 90_000
    with pytest.raises(InputError) as err:
        read_document(path, max_bytes=90_000)
    assert str(err.value) == (f"{path}: extracted text is longer than the limit of 90,000 characters "
                              "(at least 96,000; raise it with --max-bytes)")


def test_missing_file_and_directory(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.pdf")
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


def test_folders_recurse_sorted_with_every_format(tmp_path) -> None:
    for name in ("b/plan.PDF", "b/a.docx", "a.html", "c.txt", "x.doc", "notes.md", "img.png",
                 ".hidden/d.txt", "~$a.docx", "b/data.csv"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    single = tmp_path / "img.png"
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path, single])]
    assert found == ["a.html", "b/a.docx", "b/plan.PDF", "c.txt", "notes.md", "x.doc", "img.png"]


def test_public_api_reads_documents(tmp_path) -> None:
    (tmp_path / "a.htm").write_text(f"<nav>首页</nav><p>{SENTENCE}</p>", encoding="utf-8")
    document = minsheng_nlp.read_document(tmp_path / "a.htm")
    assert (document.text, document.format, document.encoding) == (SENTENCE, "html", "utf-8")
