"""minsheng-nlp: livelihood commitments (民生实事) from Chinese government texts.

>>> import minsheng_nlp
>>> nlp = minsheng_nlp.load()
>>> doc = nlp("2024年，省住建厅计划发展保障性租赁住房9800套。")
>>> [c.to_dict()["value"] for c in doc._.commitments]
[9800]
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .batch import BatchResult, extract_files
from .commitments.record import Commitment, SpanRef
from .errors import AnnotationError, InputError, MinshengError, ModelLoadError
from .io.readers import Document, read_document
from .pipelines import load_pipeline

__version__ = "0.1.0"
__all__ = ["load", "extract", "make_doc", "MAX_CHARS", "track", "to_dataframe", "read_document", "extract_files",
           "Document", "BatchResult", "Commitment", "SpanRef", "MinshengError",
           "InputError", "AnnotationError", "ModelLoadError", "__version__"]


MAX_CHARS = 5_000_000
"""Default size limit of :func:`make_doc` and :func:`extract`, in characters.

About 15 MB of Chinese text. One Doc holds one spaCy token per character (≈ 200 bytes
with the pipeline's working data), so :func:`make_doc` bounds memory near 1 GB with it;
:func:`extract` runs long texts in sections (:mod:`minsheng_nlp.sections`) and needs far
less, but keeps the limit as a guard against runaway input. Longer input is refused with
an :class:`InputError` instead of exhausting memory. Pass ``max_chars=`` to change it for a
call (None: no limit).
"""


def load(name: str | Path | None = None) -> Language:
    """The pipeline ``name``: None → best shipped; ``"rules"``; a shipped name; a directory."""
    return load_pipeline(name)


def _check_text(text: Any, argument: str = "text") -> str:
    if not isinstance(text, str):
        raise TypeError(f"{argument} must be str, not {type(text).__name__}"
                        + (" (decode bytes first, e.g. data.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""))
    return text


def _check_year(year: Any) -> int | None:
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"year must be int or None, not {type(year).__name__}")
    if not 1900 <= year <= 2100:
        raise ValueError(f"year must be between 1900 and 2100, got {year}")
    return year


def _check_size(text: str, max_chars: int | None) -> str:
    if max_chars is not None and len(text) > max_chars:
        raise InputError(f"text is {len(text):,} characters, above the limit of {max_chars:,} "
                         "(pass max_chars= to raise it; memory grows by about 200 bytes per character)",
                         offset=max_chars)
    return text


def make_doc(nlp: Language, text: str, year: int | None = None, max_chars: int | None = MAX_CHARS) -> Doc:
    """A tokenized ``Doc`` carrying the document year, ready for ``nlp(doc)`` / ``nlp.pipe``.

    Text longer than ``max_chars`` (default :data:`MAX_CHARS`; None: no limit) is refused
    with an :class:`InputError`; this limit replaces spaCy's ``nlp.max_length``.
    """
    text = _check_size(_check_text(text), max_chars)
    doc = nlp.tokenizer(text)  # nlp.make_doc minus its max_length check: the limit is max_chars
    doc._.year = _check_year(year)
    return doc


def extract(text: str, year: int | None = None, model: str | Path | Language | None = None,
            max_chars: int | None = MAX_CHARS) -> list[dict]:
    """Commitments of ``text`` as dicts (``Commitment.to_dict``).

    ``year``: the document year (inferred from the text when None); ``model``: a pipeline
    name or directory for :func:`load`, or a loaded ``Language``; ``max_chars``: the size
    limit (:data:`MAX_CHARS`; None: no limit). A text over 500,000 characters runs in
    sections with the records of one Doc, so memory stays flat whatever its length
    (:func:`minsheng_nlp.sections.section_records`).
    """
    from .sections import section_records

    text = _check_size(_check_text(text), max_chars)  # refuse before loading a pipeline
    year = _check_year(year)
    nlp = model if isinstance(model, Language) else load(model)
    return section_records(nlp, text, year)


def track(plans: Any, results: Any, model: str | Path | Language | None = None, **options: Any) -> list:
    """Planned commitments of ``plans`` against the results reported in ``results``.

    One :class:`~minsheng_nlp.tracking.TrackedPlan` per planned commitment (verdict, matched
    report, alternatives); inputs are file paths, texts or Docs. Options: ``plans_year``,
    ``results_year``, ``min_score``, ``near_tie`` — see :func:`minsheng_nlp.tracking.track`.
    """
    from .tracking import track as run

    return run(plans, results, model, **options)


def to_dataframe(items: Any) -> "pandas.DataFrame":  # noqa: F821 (pandas is imported on use)
    """Commitments of Docs, ``(source, Doc)`` pairs, Commitments or dicts as a pandas DataFrame.

    The spreadsheet columns, typed (see :func:`minsheng_nlp.io.writers.to_dataframe`);
    pandas is imported only when this is called.
    """
    from .io.writers import to_dataframe as frame

    return frame(items)
