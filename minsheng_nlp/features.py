"""Character features for the trained tagger (``minsheng_char_features``).

With one token per character, a CNN that only embeds the raw character cannot tell that
``２`` is ``2``, that ``萬`` is ``万``, or that the line break in ``2023\\n\\n年`` is layout.
This component writes two token attributes the tagger's embedding reads:

* ``token.norm_``: the character as the cleaned view sees it (:mod:`minsheng_nlp.text.layout`):
  full-width → ASCII, traditional → simplified, layout whitespace (hard wraps, layout
  spaces) → ``" "``; a paragraph break the view keeps stays ``"\\n"``;
* ``token.lemma_``: a small class string joining flags (``"DIGIT"``, ``"CNUM"``,
  ``"MAG+UNIT"``, ``"PUNCT"``, ``"OTHER"``, …): digit, Chinese numeral, magnitude
  (万亿千百), punctuation/symbol, latin letter, start of a unit-lexicon word, inside a
  department suffix (厅局委办, 委员会, 办公室), date word (年月日季旬底末); ``SPACE`` and
  ``BREAK`` for layout and kept line breaks.

Flags are computed on the view, so ``1.5\\n万`` and ``千\\n瓦`` get the same classes as
``1.5万`` and ``千瓦``. The component has no state of its own: it is rebuilt from the
shipped lexicons, and ``to_disk``/``from_disk`` do nothing.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable

import numpy
from spacy.attrs import LEMMA, NORM
from spacy.language import Language
from spacy.tokens import Doc

from .rules.patterns import Lexicons, load_lexicons
from .text.layout import clean_view
from .tokenizer import source_text

CN_NUMERALS = frozenset("零〇一二两三四五六七八九十")
MAGNITUDES = frozenset("万亿千百")
DATE_CHARS = frozenset("年月日季旬底末")
DEPARTMENT_SUFFIX = r"委员会|办公室|[厅局委办]"
SPACE_CLASS = "SPACE"
BREAK_CLASS = "BREAK"
OTHER_CLASS = "OTHER"


def compile_feature_patterns(lexicons: Lexicons) -> tuple[re.Pattern, re.Pattern]:
    """(unit-word starts, department suffixes): regexes whose matches mark view positions.

    The first is a zero-width lookahead, so ``finditer`` yields *every* position where a
    unit word of the lexicon starts, overlapping ones included.
    """
    unit_starts = re.compile(rf"(?=(?:{lexicons.unit_re.pattern}))")
    return unit_starts, re.compile(DEPARTMENT_SUFFIX)


def char_class(ch: str, unit_start: bool, in_department_suffix: bool) -> str:
    """The class string of one *view* character (non-whitespace)."""
    flags = []
    if "0" <= ch <= "9":
        flags.append("DIGIT")
    if ch in CN_NUMERALS:
        flags.append("CNUM")
    if ch in MAGNITUDES:
        flags.append("MAG")
    if unicodedata.category(ch)[0] in "PS":
        flags.append("PUNCT")
    if ("a" <= ch <= "z") or ("A" <= ch <= "Z"):
        flags.append("LATIN")
    if unit_start:
        flags.append("UNIT")
    if in_department_suffix:
        flags.append("DEPT")
    if ch in DATE_CHARS:
        flags.append("DATE")
    return "+".join(flags) if flags else OTHER_CLASS


def char_features(text: str, unit_starts: re.Pattern,
                  department_suffix: re.Pattern) -> tuple[list[str], list[str]]:
    """``(norms, classes)``: one string each per character of ``text`` (see module doc).

    Characters the view deletes (layout whitespace) are ``(" ", "SPACE")``.
    """
    view = clean_view(text)
    vtext = view.text
    units = {m.start() for m in unit_starts.finditer(vtext)}
    depts: set[int] = set()
    for m in department_suffix.finditer(vtext):
        depts.update(range(m.start(), m.end()))
    norms = [" "] * len(text)
    classes = [SPACE_CLASS] * len(text)
    for j, ch in enumerate(vtext):
        i = view.index[j]
        if ch == "\n":
            norms[i], classes[i] = "\n", BREAK_CLASS
        elif ch.isspace():
            continue  # a space the view keeps (between latin words): " ", SPACE
        else:
            norms[i] = ch
            classes[i] = char_class(ch, j in units, j in depts)
    return norms, classes


def set_char_features(doc: Doc, norms: list[str], classes: list[str]) -> Doc:
    """Write ``norms`` to ``token.norm_`` and ``classes`` to ``token.lemma_`` (one per token)."""
    if len(norms) != len(doc) or len(classes) != len(doc):
        raise ValueError(f"{len(norms)} features for a Doc of {len(doc)} tokens")
    strings = doc.vocab.strings
    array = numpy.empty((len(doc), 2), dtype="uint64")
    for i, (norm, cls) in enumerate(zip(norms, classes)):
        array[i, 0] = strings.add(norm)
        array[i, 1] = strings.add(cls)
    if len(doc):
        doc.from_array([NORM, LEMMA], array)
    return doc


class CharFeatures:
    """Sets ``token.norm_`` (view character) and ``token.lemma_`` (class flags).

    Needs one token per character (the ``minsheng.char_tokenizer.v1`` tokenizer); on any
    other tokenization it leaves the Doc unchanged.
    """

    def __init__(self, name: str = "minsheng_char_features", lexicon_dir: str | None = None) -> None:
        self.name = name
        self.unit_starts, self.department_suffix = compile_feature_patterns(load_lexicons(lexicon_dir))

    def __call__(self, doc: Doc) -> Doc:
        text = source_text(doc)
        if len(text) != len(doc):
            return doc
        norms, classes = char_features(text, self.unit_starts, self.department_suffix)
        return set_char_features(doc, norms, classes)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        """Nothing to learn."""

    # serialization: no state of its own (the lexicons ship with the package)
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "CharFeatures":
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """No-op: the component has nothing to save."""

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "CharFeatures":
        return self


@Language.factory("minsheng_char_features", default_config={"lexicon_dir": None})
def make_char_features(nlp: Language, name: str, lexicon_dir: str | None) -> CharFeatures:
    """Factory of the character-feature component (``nlp.add_pipe("minsheng_char_features")``)."""
    return CharFeatures(name, lexicon_dir)
