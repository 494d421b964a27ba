"""Overlapping windows over long documents and the merge of their scores."""
from __future__ import annotations

import numpy as np
import pytest

from minsheng_nlp.transformer.windows import edge_weights, merge, window_starts


def test_window_starts_cover_the_document_and_end_at_its_end():
    assert window_starts(100, 254, 192) == [0]
    assert window_starts(254, 254, 192) == [0]
    assert window_starts(600, 254, 192) == [0, 192, 346]
    assert window_starts(638, 254, 192) == [0, 192, 384]
    assert window_starts(0, 254, 192) == [0]


@pytest.mark.parametrize("size,stride", [(511, 100), (100, 0), (100, 101)])
def test_impossible_windows_are_refused(size, stride):
    with pytest.raises(ValueError):
        window_starts(1000, size, stride)


def test_edge_weights_favour_the_middle():
    assert edge_weights(5).tolist() == [1, 2, 3, 2, 1]
    assert edge_weights(4).tolist() == [1, 2, 2, 1]


def test_merge_weights_each_window_by_the_distance_to_its_edge():
    a = np.array([[0.0], [0.0], [0.0], [0.0]])   # window at 0: weights 1 2 2 1
    b = np.array([[1.0], [1.0], [1.0], [1.0]])   # window at 2: weights 1 2 2 1
    merged = merge(6, [0, 2], [a, b])[:, 0]
    # position 2: a (weight 2) and b (weight 1) → 1/3; position 3: a (1), b (2) → 2/3
    np.testing.assert_allclose(merged, [0.0, 0.0, 1 / 3, 2 / 3, 1.0, 1.0])
