"""Long inputs in overlapping windows, and the windows' scores merged back per character.

A BERT sees at most 512 positions (510 characters between ``<s>`` and ``</s>``). A document
is cut into windows of ``size`` characters every ``stride`` characters (the last one ends
at the document's end); each character's scores are the average of the windows that hold
it, weighted by its distance to the window's edge, so the window where it sits most
centrally (with the most context on both sides) counts most.
"""
from __future__ import annotations

import numpy as np

MAX_WINDOW = 510


def window_starts(length: int, size: int, stride: int) -> list[int]:
    """Start offsets of windows of ``size`` covering ``[0, length)``, ``stride`` apart."""
    if not 0 < stride <= size <= MAX_WINDOW:
        raise ValueError(f"need 0 < stride ({stride}) <= size ({size}) <= {MAX_WINDOW}")
    if length <= size:
        return [0]
    starts = list(range(0, length - size + 1, stride))
    if starts[-1] + size < length:
        starts.append(length - size)
    return starts


def edge_weights(n: int) -> np.ndarray:
    """Weights of a window's ``n`` positions: 1 at the edges, growing toward the middle."""
    i = np.arange(n, dtype=np.float32)
    return np.minimum(i + 1, n - i)


def merge(length: int, starts: list[int], scores: list[np.ndarray]) -> np.ndarray:
    """Per-character scores ``(length, n_tags)`` from each window's ``(n_i, n_tags)`` scores."""
    n_tags = scores[0].shape[1] if scores else 1
    total = np.zeros((length, n_tags), dtype=np.float32)
    weight = np.zeros(length, dtype=np.float32)
    for start, window in zip(starts, scores):
        w = edge_weights(len(window))
        total[start:start + len(window)] += window * w[:, None]
        weight[start:start + len(window)] += w
    return total / np.maximum(weight, 1e-6)[:, None]
