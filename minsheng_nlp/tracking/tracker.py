"""``track()``: planned commitments of some documents against the results of others.

Plans are the ``planned`` commitments of the plan documents; results are the ``achieved``
commitments of the result documents, and a result answers a plan only when it reports
the plan's year (a 2024 press conference reporting 2023 results answers the 2023 plan).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Sequence, Union

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import COMMITMENTS_KEY
from ..io.readers import SUPPORTED_SUFFIXES, read_document
from .items import Item, document_items
from .match import MatchSettings, match
from .records import TrackedPlan

__all__ = ["track", "track_documents", "Input"]

Input = Union[str, os.PathLike, Doc]
"""A file path (``Path``, or a one-line ``str`` naming an existing file or ending in a
readable suffix: ``.txt``, ``.md``, …), a text (any other ``str``), or a ``Doc``
(processed or not)."""


def _is_path(item: str) -> bool:
    """A one-line string naming an existing file, or one that can only be a file name."""
    if "\n" in item or len(item) > 1024:
        return False
    return Path(item).is_file() or item.strip().lower().endswith(SUPPORTED_SUFFIXES)


def _as_list(items: Input | Iterable[Input]) -> list[Input]:
    if isinstance(items, (str, os.PathLike, Doc)):
        return [items]
    return list(items)


def _processed(nlp: Language, item: Input, year: int | None, name: str) -> tuple[str, Doc]:
    """``(source name, processed Doc)`` of one input; files are read with ``read_document``."""
    from .. import make_doc

    if isinstance(item, Doc):
        if COMMITMENTS_KEY in item.user_data:
            return name, item
        if year is not None and item._.year is None:
            item._.year = year
        return name, nlp(item)
    if isinstance(item, os.PathLike) or (isinstance(item, str) and _is_path(item)):
        document = read_document(item)
        return document.source, nlp(make_doc(nlp, document.text, year))
    if isinstance(item, str):
        return name, nlp(make_doc(nlp, item, year))
    raise TypeError(f"expected a file path, a text or a Doc, not {type(item).__name__}")


def track_documents(plans: Sequence[tuple[str, Doc]], results: Sequence[tuple[str, Doc]],
                    min_score: float = MatchSettings.min_score,
                    near_tie: float = MatchSettings.near_tie) -> list[TrackedPlan]:
    """Track processed documents, each given as ``(source name, Doc)``."""
    plan_items: list[Item] = [i for name, doc in plans for i in document_items(name, doc, "planned")]
    result_items: list[Item] = [i for name, doc in results for i in document_items(name, doc, "achieved")]
    return match(plan_items, result_items, MatchSettings(min_score, near_tie))


def track(plans: Input | Iterable[Input], results: Input | Iterable[Input],
          model: str | Path | Language | None = None, *, plans_year: int | None = None,
          results_year: int | None = None, min_score: float = MatchSettings.min_score,
          near_tie: float = MatchSettings.near_tie) -> list[TrackedPlan]:
    """Did the government do what it promised? One :class:`TrackedPlan` per planned commitment.

    ``plans``/``results``: one input or a list of them — file paths, texts or Docs.
    ``model``: a pipeline name or directory for :func:`minsheng_nlp.load`, or a loaded
    ``Language``. ``plans_year``/``results_year``: the documents' years when the text does
    not say it first (otherwise inferred, as in ``extract``). ``min_score``: the lowest
    match score (0–1) accepted; ``near_tie``: the score gap within which other reports are
    listed as alternatives. A file that cannot be read raises
    :class:`~minsheng_nlp.errors.InputError` naming it.
    """
    from .. import _check_year, load

    nlp = model if isinstance(model, Language) else load(model)
    plan_docs = [_processed(nlp, item, _check_year(plans_year), f"<plan {n}>")
                 for n, item in enumerate(_as_list(plans), 1)]
    result_docs = [_processed(nlp, item, _check_year(results_year), f"<result {n}>")
                   for n, item in enumerate(_as_list(results), 1)]
    return track_documents(plan_docs, result_docs, min_score, near_tie)
