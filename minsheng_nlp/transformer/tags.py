"""BIO tags over characters: gold spans → tag ids, predicted tag ids → spans."""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

OUTSIDE = "O"
Span = tuple[int, int, str]


def tag_names(labels: Sequence[str]) -> list[str]:
    """``O`` then ``B-X``, ``I-X`` for each label, in order (tag id = list index)."""
    return [OUTSIDE] + [f"{prefix}-{label}" for label in labels for prefix in ("B", "I")]


def labels_of(tags: Sequence[str]) -> list[str]:
    """The entity labels of a tag list made by :func:`tag_names`."""
    return [tag[2:] for tag in tags if tag.startswith("B-")]


def spans_to_tags(length: int, spans: Iterable[Span], tags: Sequence[str]) -> np.ndarray:
    """One tag id per character: ``B-X`` on a span's first character, ``I-X`` on the rest."""
    index = {tag: i for i, tag in enumerate(tags)}
    out = np.zeros(length, dtype=np.int64)
    for start, end, label in spans:
        out[start] = index[f"B-{label}"]
        out[start + 1:end] = index[f"I-{label}"]
    return out


def allowed_transitions(tags: Sequence[str]) -> np.ndarray:
    """``allowed[a, b]``: tag ``b`` may follow tag ``a`` (``I-X`` only after ``B-X`` or ``I-X``)."""
    allowed = np.ones((len(tags), len(tags)), dtype=bool)
    for b, tag in enumerate(tags):
        if tag.startswith("I-"):
            allowed[:, b] = [prev in (f"B-{tag[2:]}", tag) for prev in tags]
    return allowed


def best_path(scores: np.ndarray, tags: Sequence[str]) -> np.ndarray:
    """The tag sequence with the highest total log-probability among valid BIO sequences
    (Viterbi; the first tag may not be ``I-``). Per-character argmax can leave fragments
    such as ``O I I`` or ``B-X I-Y``; this decoding cannot."""
    n = len(scores)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    penalty = np.where(allowed_transitions(tags), 0.0, -np.inf)
    start = np.array([0.0 if not t.startswith("I-") else -np.inf for t in tags])
    best = scores[0] + start
    back = np.zeros((n, len(tags)), dtype=np.int64)
    for i in range(1, n):
        total = best[:, None] + penalty            # [previous, current]
        back[i] = total.argmax(axis=0)
        best = total.max(axis=0) + scores[i]
    path = np.zeros(n, dtype=np.int64)
    path[-1] = int(best.argmax())
    for i in range(n - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path


def tags_to_spans(ids: Sequence[int], tags: Sequence[str], text: str | None = None) -> list[Span]:
    """Spans of a tag sequence. ``I-X`` after ``O`` or another label opens a span (lenient
    BIO); with ``text``, whitespace at a span's edges is left out."""
    spans: list[Span] = []
    start, label = None, None
    for i, tag_id in enumerate([*ids, 0]):
        tag = tags[tag_id]
        inside = tag.startswith("I-") and tag[2:] == label
        if start is not None and not inside:
            spans.append((start, i, label))
            start, label = None, None
        if tag != OUTSIDE and not inside:
            start, label = i, tag[2:]
    return [s for s in (_strip(span, text) for span in spans) if s is not None] if text else spans


def _strip(span: Span, text: str) -> Span | None:
    start, end, label = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end, label) if start < end else None
