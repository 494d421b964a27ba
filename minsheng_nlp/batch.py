"""Extracting the commitments of many files: read lazily, run ``nlp.pipe``, collect records.

Used by ``minsheng extract`` and available as :func:`minsheng_nlp.extract_files`.
"""
from __future__ import annotations

import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

from .errors import MinshengError
from .io.readers import DEFAULT_MAX_BYTES, expand_paths, read_document

DEFAULT_BATCH_SIZE = 2  # documents are whole reports: small batches spread them over processes


@dataclass
class BatchResult:
    """What :func:`extract_files` produced.

    ``records``: commitment dicts (``Commitment.to_dict``) each with its ``source``;
    ``failures``: ``(source, reason)`` for each file that could not be read or processed;
    ``warnings``: ``(source, message)`` for files read with gaps (e.g. scanned PDF pages);
    ``files_read`` / ``chars_read``: files processed and their characters;
    ``docs``: ``(source, Doc)`` when ``keep_docs`` was set.
    """

    records: list[dict[str, Any]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    files_read: int = 0
    chars_read: int = 0
    docs: list[tuple[str, Doc]] = field(default_factory=list)


def _failure_reason(err: Exception, doing: str) -> str:
    """One line for an error: the library's own message, or the exception's type and text."""
    if isinstance(err, MinshengError):
        return str(err)
    return f"{doing} failed ({type(err).__name__}: {err})"


def read_texts(files: Iterable[Path], max_bytes: int, result: BatchResult,
               on_failure: Callable[[], None]) -> Iterator[tuple[str, str]]:
    """``(source, text)`` of each readable file, one at a time; unreadable ones go to ``result.failures``."""
    for path in files:
        try:
            document = read_document(path, max_bytes)
        except Exception as err:  # one bad file must not stop the batch (parsers raise many kinds)
            reason = _failure_reason(err, "reading")
            result.failures.append((str(path), reason if str(path) in reason else f"{path}: {reason}"))
            on_failure()
            continue
        result.warnings += [(document.source, w) for w in document.warnings]
        yield document.source, document.text


def process_texts(nlp: Language, texts: Iterator[tuple[str, str]], year: int | None,
                  n_process: int = 1, batch_size: int = DEFAULT_BATCH_SIZE
                  ) -> Iterator[tuple[str, str, Doc | None, str | None]]:
    """``(source, text, doc, None)`` per document, or ``(source, text, None, reason)`` if processing raised.

    Documents go through ``nlp.pipe(n_process=...)``. When it raises, the documents in
    flight are processed again one by one in this process, so the one that fails is named
    and the others are kept; then the pipe goes on with the rest.
    """
    from . import make_doc

    in_flight: deque[tuple[str, str]] = deque()

    def feed() -> Iterator[tuple[Doc, str]]:
        for source, text in texts:
            in_flight.append((source, text))
            yield make_doc(nlp, text, year), source

    while True:
        try:
            for doc, source in nlp.pipe(feed(), as_tuples=True, n_process=n_process, batch_size=batch_size):
                _, text = in_flight.popleft()
                yield source, text, doc, None
            return
        except Exception:
            if not in_flight:
                raise  # nothing was being processed: not a document's fault
        retry = list(in_flight)
        in_flight.clear()
        for source, text in retry:
            try:
                doc = nlp(make_doc(nlp, text, year))
            except Exception as err:  # report the document by name, go on with the others
                yield source, text, None, _failure_reason(err, "processing")
            else:
                yield source, text, doc, None


def extract_files(paths: Iterable[str | Path], model: str | Path | Language | None = None,
                  year: int | None = None, n_process: int = 1, batch_size: int = DEFAULT_BATCH_SIZE,
                  max_bytes: int | None = DEFAULT_MAX_BYTES, progress: bool = False,
                  keep_docs: bool = False) -> BatchResult:
    """Commitments of every file in ``paths`` (files, or folders read recursively).

    ``model``: a pipeline name or directory for :func:`minsheng_nlp.load`, or a loaded
    ``Language``; ``year``: the document year for every file (inferred per text when
    None); ``n_process``: processes for ``nlp.pipe``; ``max_bytes``: per-file size limit
    (also on the extracted text); ``progress``: a tqdm bar on stderr (files, characters);
    ``keep_docs``: keep ``(source, Doc)`` pairs in the result. Files are read one at a time.
    A file that cannot be read or processed is a failure; the batch goes on.
    """
    from . import _check_year, load

    if isinstance(n_process, bool) or not isinstance(n_process, int) or n_process < 1:
        raise ValueError(f"n_process must be a positive int, got {n_process!r}")
    year = _check_year(year)
    nlp = model if isinstance(model, Language) else load(model)
    files = list(expand_paths(paths))
    result = BatchResult()
    with tqdm(total=len(files), desc="extract", unit="file", file=sys.stderr, disable=not progress,
              dynamic_ncols=True) as bar:
        texts = read_texts(files, max_bytes or DEFAULT_MAX_BYTES, result, on_failure=lambda: bar.update(1))
        for source, text, doc, failure in process_texts(nlp, texts, year, n_process, batch_size):
            bar.update(1)
            if doc is None:
                result.failures.append((source, f"{source}: {failure}"))
                continue
            result.files_read += 1
            result.chars_read += len(text)
            bar.set_postfix_str(f"{result.chars_read:,} chars", refresh=False)
            result.records += [{"source": source, **c.to_dict()} for c in doc._.commitments]
            if keep_docs:
                result.docs.append((source, doc))
    return result
