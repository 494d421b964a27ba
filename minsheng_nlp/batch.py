"""Extracting the commitments of many files: read lazily, run the pipeline, collect records.

Used by ``minsheng extract`` and available as :func:`minsheng_nlp.extract_files`.

Files are read one at a time in this process. When only records are needed, each document
is extracted section by section (:mod:`minsheng_nlp.sections`), so a huge file needs no
more memory than a 500,000-character one. With ``n_process > 1`` the pipeline runs on one
of two paths:

* **worker processes** (:func:`process_in_workers`), when only the records are needed
  (``keep_docs=False``): ``n_process`` workers, forked from this process so that they
  share the loaded pipeline (nothing of it is pickled, nothing re-loaded). Where fork is
  unavailable they are spawned and each loads the pipeline by name or path once. This
  process sends chunks of ``(source, text)`` and receives, per document, plain data:
  ``(source, n_chars, commitment dicts, failure reason or None)`` as JSON, in input
  order; a bounded number of documents is read ahead. A document that raises is reported
  and the others kept; a worker that dies is replaced and its documents retried one by
  one, so only the one that kills a worker is reported.
* **``nlp.pipe(n_process=...)``** (:func:`process_texts`), when the Docs are kept (the
  HTML report), or for a ``Language`` object where fork is unavailable: spaCy tokenizes
  every text here and sends each Doc to a worker and back as bytes.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
from collections import deque
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Union

from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

from .errors import MinshengError
from .io.readers import DEFAULT_MAX_BYTES, expand_paths, read_document
from .sections import section_records

DEFAULT_BATCH_SIZE = 2  # documents are whole reports: small batches spread them over processes
READ_AHEAD = 4  # worker path: documents read ahead of the oldest unfinished one, per worker and batch
STOP_SECONDS = 10.0  # how long an idle worker may take to exit before it is terminated

Outcome = tuple[str, int, list[dict[str, Any]], Union[str, None]]
"""One processed document: ``(source, n_chars, commitment dicts, failure reason or None)``."""
Item = tuple[int, str, str]
"""A document sent to a worker: ``(sequence number, source, text)``."""
ModelSpec = Union[str, Path, Language, None]


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


def outcome(source: str, text: str, doc: Doc | None, failure: str | None) -> Outcome:
    """The plain-data result of one document (no Doc): its commitment dicts, or the failure."""
    commitments = [] if doc is None else [c.to_dict() for c in doc._.commitments]
    return source, len(text), commitments, failure


# ---------------------------------------------------------------- worker processes


def _encode(data: Any) -> bytes:
    """Plain data as UTF-8 JSON (lone surrogates kept), the only thing that crosses processes."""
    return json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _decode(data: bytes) -> Any:
    return json.loads(data.decode("utf-8", "surrogatepass"))


def records_outcome(nlp: Language, source: str, text: str, year: int | None) -> Outcome:
    """The :data:`Outcome` of one document, extracted section by section so that memory stays
    bounded (:func:`minsheng_nlp.sections.section_records`); if it raises, the failure."""
    try:
        return source, len(text), section_records(nlp, text, year), None
    except Exception as err:  # report the document by name, go on with the others
        return source, len(text), [], _failure_reason(err, "processing")


def run_chunk(nlp: Language, chunk: list[Item], year: int | None) -> list[tuple[int, Outcome]]:
    """``(sequence number, outcome)`` of each document of ``chunk`` (:func:`records_outcome`)."""
    return [(seq, records_outcome(nlp, source, text, year)) for seq, source, text in chunk]


def _one_thread_each() -> None:
    """One BLAS/OpenMP (and torch) thread in this worker: the workers are the parallelism."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - installed with scikit-learn
        pass
    else:
        threadpool_limits(limits=1)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)


def _receive(conn: Connection, parent: int) -> bytes | None:
    """The next message from the parent, or None once the parent is gone (no orphan workers)."""
    while not conn.poll(1.0):
        if os.getppid() != parent:
            return None
    try:
        return conn.recv_bytes()
    except EOFError:
        return None


def worker_main(model: ModelSpec, year: int | None, conn: Connection, parent: int) -> None:
    """A worker's loop: receive a chunk of :data:`Item` (JSON), send back its outcomes; ``null`` stops it.

    ``model`` is the parent's loaded ``Language`` when forked, a name or path when spawned.
    Ctrl-C is left to the parent, which stops the workers.
    """
    from . import load

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    nlp = model if isinstance(model, Language) else load(model)
    _one_thread_each()
    while (message := _receive(conn, parent)) is not None and (chunk := _decode(message)) is not None:
        conn.send_bytes(_encode(run_chunk(nlp, [tuple(item) for item in chunk], year)))


@dataclass
class Worker:
    """A worker process, its end of the pipe and the documents it is processing (none: idle)."""

    process: BaseProcess
    conn: Connection
    chunk: list[Item] = field(default_factory=list)


def start_method(model: ModelSpec) -> str | None:
    """``"fork"`` where available, else ``"spawn"`` for a pipeline name or path; None: use ``nlp.pipe``."""
    if "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return None if isinstance(model, Language) else "spawn"


def start_worker(context: BaseContext, model: ModelSpec, year: int | None) -> Worker:
    """A new worker running :func:`worker_main`."""
    here, there = context.Pipe()
    process = context.Process(target=worker_main, args=(model, year, there, os.getpid()),
                              daemon=True, name="minsheng-extract")
    process.start()
    there.close()
    return Worker(process, here)


def stop_worker(worker: Worker) -> None:
    """Ask an idle worker to exit (terminate it if it is busy or does not), then release it."""
    if not worker.chunk:
        try:
            worker.conn.send_bytes(_encode(None))
        except OSError:
            pass
        worker.process.join(STOP_SECONDS)
    if worker.process.is_alive():
        worker.process.terminate()
        worker.process.join()
    worker.conn.close()


def death_reason(exitcode: int | None) -> str:
    """Why a worker is gone, from its exit code."""
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by signal {-exitcode} ({signal.Signals(-exitcode).name})"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"


def collect(worker: Worker, done: dict[int, Outcome], pending: deque[list[Item]], retried: set[int]) -> bool:
    """Take the results of a worker that has something to say; False when it has died instead.

    A dead worker's documents go back to the front of ``pending`` one per chunk; a document
    that was already alone in a dead worker is the culprit and is reported as failed.
    """
    try:
        if worker.conn.poll():
            done.update((seq, tuple(result)) for seq, result in _decode(worker.conn.recv_bytes()))
            worker.chunk = []
            return True
    except (EOFError, OSError):
        pass
    if worker.process.is_alive():
        return True
    worker.process.join()
    for seq, source, text in reversed(worker.chunk):
        if seq in retried:
            reason = f"processing failed (the worker process died: {death_reason(worker.process.exitcode)})"
            done[seq] = (source, len(text), [], reason)
        else:
            retried.add(seq)
            pending.appendleft([(seq, source, text)])
    return False


def chunks_of(texts: Iterator[tuple[str, str]], size: int) -> Iterator[list[Item]]:
    """Consecutive chunks of ``size`` numbered documents (the last may be shorter), read on demand."""
    items = ((seq, source, text) for seq, (source, text) in enumerate(texts))
    while chunk := list(islice(items, size)):
        yield chunk


def give(worker: Worker, chunk: list[Item]) -> None:
    """Send ``chunk`` to an idle worker (if it has died, :func:`collect` finds out)."""
    worker.chunk = chunk
    try:
        worker.conn.send_bytes(_encode(chunk))
    except OSError:
        pass


def process_in_workers(model: ModelSpec, texts: Iterator[tuple[str, str]], year: int | None,
                       n_process: int, batch_size: int = DEFAULT_BATCH_SIZE,
                       method: str = "fork") -> Iterator[Outcome]:
    """:data:`Outcome` of each document, in input order, computed by ``n_process`` worker processes.

    ``model``: the loaded pipeline (``method="fork"``) or its name or path (``"spawn"``).
    Chunks of ``batch_size`` documents go to idle workers; at most ``READ_AHEAD *
    n_process * batch_size`` documents are read beyond the oldest unfinished one.
    """
    context = multiprocessing.get_context(method)
    chunks = chunks_of(texts, batch_size)
    window = READ_AHEAD * n_process * batch_size
    pending: deque[list[Item]] = deque()  # read, or back from a dead worker, waiting for a worker
    done: dict[int, Outcome] = {}
    retried: set[int] = set()
    workers = [start_worker(context, model, year) for _ in range(n_process)]
    next_seq, read, exhausted = 0, 0, False
    try:
        while True:
            while next_seq in done:
                yield done.pop(next_seq)
                next_seq += 1
            for worker in (w for w in workers if not w.chunk):
                if not pending and not exhausted and read - next_seq < window:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                    else:
                        pending.append(chunk)
                        read += len(chunk)
                if pending:
                    give(worker, pending.popleft())
            busy = [w for w in workers if w.chunk]
            if not busy:  # every document read was sent back and yielded
                if exhausted:
                    return
                continue
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for i, worker in enumerate(workers):
                if worker.chunk and not collect(worker, done, pending, retried):
                    worker.conn.close()
                    workers[i] = start_worker(context, model, year)
    finally:
        for worker in workers:
            stop_worker(worker)


# ---------------------------------------------------------------- the batch


def run_documents(nlp: Language, model: ModelSpec, texts: Iterator[tuple[str, str]], year: int | None,
                  n_process: int, batch_size: int, keep_docs: bool) -> Iterator[tuple[Outcome, Doc | None]]:
    """Each document's :data:`Outcome` and, on the ``nlp.pipe`` path, its Doc (else None).

    Worker processes when ``n_process > 1`` and no Doc is kept, ``nlp.pipe`` when Docs are
    kept (see the module docstring); otherwise one document after another in this process.
    Without Docs, long documents run in sections (bounded memory, same records).
    """
    method = start_method(model) if n_process > 1 and not keep_docs else None
    if method is not None:
        spec = nlp if method == "fork" else model
        for result in process_in_workers(spec, texts, year, n_process, batch_size, method):
            yield result, None
        return
    if keep_docs or n_process > 1:
        for source, text, doc, failure in process_texts(nlp, texts, year, n_process, batch_size):
            yield outcome(source, text, doc, failure), doc
        return
    for source, text in texts:
        yield records_outcome(nlp, source, text, year), None


def extract_files(paths: Iterable[str | Path], model: str | Path | Language | None = None,
                  year: int | None = None, n_process: int = 1, batch_size: int = DEFAULT_BATCH_SIZE,
                  max_bytes: int | None = DEFAULT_MAX_BYTES, progress: bool = False,
                  keep_docs: bool = False) -> BatchResult:
    """Commitments of every file in ``paths`` (files, or folders read recursively).

    ``model``: a pipeline name or directory for :func:`minsheng_nlp.load`, or a loaded
    ``Language``; ``year``: the document year for every file (inferred per text when
    None); ``n_process``: processes running the pipeline; ``batch_size``: documents per
    batch (and per chunk sent to a worker); ``max_bytes``: per-file size limit (also on
    the extracted text); ``progress``: a tqdm bar on stderr (files, characters);
    ``keep_docs``: keep ``(source, Doc)`` pairs in the result. Files are read one at a time.
    A file that cannot be read or processed is a failure; the batch goes on.

    With ``n_process > 1`` and ``keep_docs=False`` the documents run in worker processes
    forked from this one (sharing the loaded pipeline; spawned, each loading ``model``,
    where fork is unavailable) that send back only the records; with ``keep_docs=True``
    (or a ``Language`` where fork is unavailable) they go through ``nlp.pipe(n_process=...)``,
    which is slower: each Doc is made here and crosses the process boundary twice. Records
    are the same, in the same order, on every path.
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
        for (source, n_chars, commitments, failure), doc in run_documents(
                nlp, model, texts, year, n_process, batch_size, keep_docs):
            bar.update(1)
            if failure is not None:
                result.failures.append((source, f"{source}: {failure}"))
                continue
            result.files_read += 1
            result.chars_read += n_chars
            bar.set_postfix_str(f"{result.chars_read:,} chars", refresh=False)
            result.records += [{"source": source, **c} for c in commitments]
            if keep_docs and doc is not None:
                result.docs.append((source, doc))
    return result
