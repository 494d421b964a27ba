"""How alike two task descriptions are, numbers aside.

A plan says 新改建农村公路3000公里, the report says 新改建农村公路完工3175公里: the
wording is compared after numbers, their units and framing words (计划, 累计, 全省,
完成 …) are removed, as a cosine of character n-gram TF-IDF vectors (scikit-learn),
fitted on the texts of one tracking run.

When one task holds several quantities (建设20个笼式足球场、12个多功能运动场), each
quantity gets its own *focus*: the part of the task between the separators (、 ， 和 及 与)
that stand between it and its neighbours, so the two figures are not confused.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from ..rules.patterns import LEXICON_DIR, read_lexicon

__all__ = ["strip_quantities", "focus_segments", "tfidf_vectors", "cosine", "similarity_matrix", "NGRAMS"]

NGRAMS = (1, 2)  # character unigrams and bigrams: Chinese words are mostly two characters
_FRAMING = ("计划", "力争", "确保", "争取", "预计", "全年", "累计", "共计", "已经", "全省", "全市",
            "全县", "全区", "全州", "年度", "目标", "任务", "完成", "实现", "超额", "提前", "顺利")
_SEPARATORS = "、，,；;和及与"
_NUMBER = r"(?:\d+(?:[.,，]\d+)*|[零〇一二两三四五六七八九十百千万亿]+(?=[万亿]|{units}))"


@lru_cache(maxsize=1)
def _quantity_re() -> re.Pattern[str]:
    units = sorted(read_lexicon(LEXICON_DIR / "units.txt"), key=len, reverse=True)
    alternation = "|".join(re.escape(u) for u in units)
    number = _NUMBER.format(units=alternation)
    return re.compile(
        rf"(?:约|近|超过|不少于|不低于|不超过)?{number}\s*(?:[-~～至到]{number})?[万亿千百]*(?:余|多)?"
        rf"(?:{alternation})?(?:[(（][^()（）]{{1,3}}[)）])?(?:以上|以下|以内|左右)?"
    )


_FRAMING_RE = re.compile("|".join(sorted(_FRAMING, key=len, reverse=True)))
_PUNCT = re.compile(r"[\s\"“”‘’'「」『』《》()（）\[\]【】:：。！？!?，,、；;.·…—-]+")


def strip_quantities(text: str) -> str:
    """``text`` without numbers, their units, framing words and punctuation.

    ``"新改建农村公路完工3175公里"`` → ``"新改建农村公路完工"``;
    ``"全省累计为7080名6-9岁适龄儿童实施免费牙齿窝沟封闭服务"`` →
    ``"为适龄儿童实施免费牙齿窝沟封闭服务"``.
    """
    text = _quantity_re().sub("", text)
    text = _FRAMING_RE.sub("", text)
    return _PUNCT.sub("", text)


def focus_segments(task: str, quantities: list[str]) -> list[str]:
    """The part of ``task`` that belongs to each of its ``quantities`` (written in order).

    ``focus_segments("建设20个笼式足球场、12个多功能运动场", ["20", "12"])`` →
    ``["建设20个笼式足球场", "12个多功能运动场"]``. A quantity not found in the task gets
    the whole task.
    """
    positions: list[tuple[int, int] | None] = []
    pos = 0
    for q in quantities:
        i = task.find(q, pos) if q else -1
        if i < 0:
            positions.append(None)
            continue
        positions.append((i, i + len(q)))
        pos = i + len(q)
    found = [p for p in positions if p is not None]
    if len(found) < 2:
        return [task] * len(quantities)
    cuts = []  # cut points between consecutive found quantities: the last separator between them
    for (_, prev_end), (next_start, _) in pairwise(found):
        between = task[prev_end:next_start]
        last = max(between.rfind(c) for c in _SEPARATORS)
        cuts.append(prev_end + last if last >= 0 else None)
    segments: dict[tuple[int, int], str] = {}
    for k, span in enumerate(found):
        start = 0 if k == 0 or cuts[k - 1] is None else cuts[k - 1] + 1
        end = len(task) if k == len(found) - 1 or cuts[k] is None else cuts[k]
        segments[span] = task[start:end]
    return [task if p is None else segments[p] for p in positions]


def tfidf_vectors(texts: list[str]) -> csr_matrix:
    """L2-normalized character n-gram TF-IDF rows of ``texts`` (after :func:`strip_quantities`).

    The weights are fitted on ``texts`` themselves; the dot product of two rows is their
    cosine similarity. Texts that are empty after stripping get an all-zero row.
    """
    stripped = [strip_quantities(t) for t in texts]
    if not any(stripped):
        return csr_matrix((len(texts), 1))
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True)
    return vectorizer.fit_transform(stripped).tocsr()


def cosine(a: csr_matrix, b: csr_matrix) -> np.ndarray:
    """Dense cosine matrix of the L2-normalized rows of ``a`` (rows) and ``b`` (columns)."""
    return np.asarray((a @ b.T).todense())


def similarity_matrix(left: list[str], right: list[str]) -> np.ndarray:
    """Cosine similarity of every text of ``left`` with every text of ``right`` (rows × columns).

    Numbers and units are stripped first; the weights are fitted on both lists together.
    """
    if not left or not right:
        return np.zeros((len(left), len(right)))
    vectors = tfidf_vectors(left + right)
    return cosine(vectors[: len(left)], vectors[len(left):])
