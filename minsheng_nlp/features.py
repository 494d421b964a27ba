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
  ``BREAK`` for layout and kept line breaks. With ``lexicon_features`` (the default), two
  more flags from the rules' word lists: inside a place name (``PLACE``: 吉林, 长春) and
  inside a department core (``DCORE``: 民政, 住房和城乡建设).
* ``token.tag_`` (with ``rule_tags``): the rule tagger's opinion, ``B-QUANTITY`` /
  ``I-QUANTITY`` / … / ``O`` for each character (:func:`minsheng_nlp.rules.patterns.find_entities`
  on the same view). The NER embeds it, so the trained model *stacks* on the rules: it
  learns where to trust them and where to overrule them. With ``rule_dropout`` > 0, each
  rule span of a *training* document is hidden (tagged ``O``) with that probability, so
  the model also learns to find entities the rules miss; prediction never drops anything.

Flags are computed on the view, so ``1.5\\n万`` and ``千\\n瓦`` get the same classes as
``1.5万`` and ``千瓦``. The component has no state of its own: it is rebuilt from the
shipped lexicons, and ``to_disk``/``from_disk`` do nothing.
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy
from spacy.attrs import LEMMA, NORM, TAG
from spacy.language import Language
from spacy.tokens import Doc

from .rules.patterns import Lexicons, find_entities, load_lexicons
from .text.docview import layout_of
from .text.layout import View, clean_view
from .tokenizer import source_text

CN_NUMERALS = frozenset("零〇一二两三四五六七八九十")
MAGNITUDES = frozenset("万亿千百")
DATE_CHARS = frozenset("年月日季旬底末")
DEPARTMENT_SUFFIX = r"委员会|办公室|[厅局委办]"
OUTSIDE_TAG = "O"
DROPOUT_KEY = "minsheng.rule_dropout"
SPACE_CLASS = "SPACE"
BREAK_CLASS = "BREAK"
OTHER_CLASS = "OTHER"


def _words_re(words: Iterable[str]) -> re.Pattern | None:
    words = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


@dataclass(frozen=True)
class FeaturePatterns:
    """The regexes whose matches on the view set the flags.

    ``unit_starts`` is a zero-width lookahead, so ``finditer`` yields *every* position
    where a unit word starts, overlapping ones included; the others mark every
    character of their matches. ``places``/``department_cores`` are None without
    lexicon features.
    """

    unit_starts: re.Pattern
    department_suffix: re.Pattern
    places: re.Pattern | None = None
    department_cores: re.Pattern | None = None


def compile_feature_patterns(lexicons: Lexicons, lexicon_features: bool = True) -> FeaturePatterns:
    """The :class:`FeaturePatterns` of ``lexicons`` (the rules' word lists)."""
    unit_starts = re.compile(rf"(?=(?:{lexicons.unit_re.pattern}))")
    if not lexicon_features:
        return FeaturePatterns(unit_starts, re.compile(DEPARTMENT_SUFFIX))
    return FeaturePatterns(unit_starts, re.compile(DEPARTMENT_SUFFIX), _words_re(lexicons.places),
                           _words_re(lexicons.department_cores))


def _covered(pattern: re.Pattern | None, text: str) -> set[int]:
    """The offsets of ``text`` inside a match of ``pattern``."""
    out: set[int] = set()
    if pattern is not None:
        for m in pattern.finditer(text):
            out.update(range(m.start(), m.end()))
    return out


def char_class(ch: str, unit_start: bool, in_department_suffix: bool, in_place: bool = False,
               in_department_core: bool = False) -> str:
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
    if in_place:
        flags.append("PLACE")
    if in_department_core:
        flags.append("DCORE")
    return "+".join(flags) if flags else OTHER_CLASS


def char_features(text: str, patterns: FeaturePatterns, view: View | None = None) -> tuple[list[str], list[str]]:
    """``(norms, classes)``: one string each per character of ``text`` (see module doc).

    Characters the view deletes (layout whitespace) are ``(" ", "SPACE")``. ``view``:
    ``clean_view(text)`` if already built.
    """
    view = view if view is not None else clean_view(text)
    vtext = view.text
    units = {m.start() for m in patterns.unit_starts.finditer(vtext)}
    depts = _covered(patterns.department_suffix, vtext)
    places = _covered(patterns.places, vtext)
    cores = _covered(patterns.department_cores, vtext)
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
            classes[i] = char_class(ch, j in units, j in depts, j in places, j in cores)
    return norms, classes


def rule_spans(view: View, lexicons: Lexicons) -> list[tuple[int, int, str]]:
    """The rule tagger's entities as ``(start, end, label)`` offsets of the original text."""
    return [(*view.to_original(s, e), label) for s, e, label in find_entities(view.text, lexicons)]


def rule_tags(length: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """One BIO tag per character: ``B-LABEL`` on a span's first character, ``I-LABEL`` on the rest."""
    tags = [OUTSIDE_TAG] * length
    for start, end, label in spans:
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def drop_spans(spans: list[tuple[int, int, str]], rate: float, rng: random.Random) -> list[tuple[int, int, str]]:
    """``spans`` without each one independently with probability ``rate``."""
    return [span for span in spans if rng.random() >= rate]


def set_char_features(doc: Doc, norms: list[str], classes: list[str], tags: list[str] | None = None) -> Doc:
    """Write ``norms`` to ``token.norm_``, ``classes`` to ``token.lemma_`` and ``tags`` (if
    given) to ``token.tag_``, one per token."""
    columns = [norms, classes] if tags is None else [norms, classes, tags]
    if any(len(col) != len(doc) for col in columns):
        raise ValueError(f"{len(norms)} features for a Doc of {len(doc)} tokens")
    strings = doc.vocab.strings
    array = numpy.empty((len(doc), len(columns)), dtype="uint64")
    for j, col in enumerate(columns):
        for i, value in enumerate(col):
            array[i, j] = strings.add(value)
    if len(doc):
        doc.from_array([NORM, LEMMA, TAG][: len(columns)], array)
    return doc


def _marks(length: int, spans: Iterable[tuple[int, int]]) -> numpy.ndarray:
    """A boolean array of ``length`` with ``spans`` set."""
    out = numpy.zeros(length, dtype=bool)
    for start, end in spans:
        out[start:end] = True
    return out


def feature_array(text: str, patterns: FeaturePatterns, view: View, strings: Any,
                  spans: list[tuple[int, int, str]] | None = None) -> numpy.ndarray:
    """The hashes :func:`set_char_features` would write for :func:`char_features` (and
    :func:`rule_tags` of ``spans``), as a ``(len(text), 2 or 3)`` uint64 array for NORM,
    LEMMA (and TAG), computed per distinct (character, flags) rather than per character:
    the per-character Python strings and lists cost ~100 bytes a character (a 10 MB
    report's features took 350 MB) and most of the component's time."""
    vtext = view.text
    n = len(vtext)
    codes = numpy.frombuffer(vtext.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(numpy.uint64)
    flags = [_marks(n, ((m.start(), m.start() + 1) for m in patterns.unit_starts.finditer(vtext)))]
    for pattern in (patterns.department_suffix, patterns.places, patterns.department_cores):
        found = pattern.finditer(vtext) if pattern is not None else ()
        flags.append(_marks(n, (m.span() for m in found)))
    keys = codes << numpy.uint64(4)
    for bit, marked in enumerate(flags):
        keys |= marked.astype(numpy.uint64) << numpy.uint64(bit)
    unique, inverse = numpy.unique(keys, return_inverse=True)
    space, other = strings.add(" "), strings.add(SPACE_CLASS)
    norm_of, class_of = numpy.empty(len(unique), dtype=numpy.uint64), numpy.empty(len(unique), dtype=numpy.uint64)
    for k, key in enumerate(unique.tolist()):
        ch = chr(key >> 4)
        if ch == "\n":
            norm_of[k], class_of[k] = strings.add("\n"), strings.add(BREAK_CLASS)
        elif ch.isspace():
            norm_of[k], class_of[k] = space, other  # a space the view keeps: " ", SPACE
        else:
            bits = [bool(key >> b & 1) for b in range(4)]
            norm_of[k], class_of[k] = strings.add(ch), strings.add(char_class(ch, *bits))
    columns = 2 if spans is None else 3
    out = numpy.empty((len(text), columns), dtype=numpy.uint64)
    out[:, 0], out[:, 1] = space, other  # characters the view deletes
    positions = numpy.asarray(view.index, dtype=numpy.int64)
    out[positions, 0] = norm_of[inverse]
    out[positions, 1] = class_of[inverse]
    if spans is not None:
        out[:, 2] = strings.add(OUTSIDE_TAG)
        for start, end, label in spans:
            out[start + 1:end, 2] = strings.add(f"I-{label}")
            out[start, 2] = strings.add(f"B-{label}")
    return out


class CharFeatures:
    """Sets ``token.norm_`` (view character), ``token.lemma_`` (class flags) and, with
    ``rule_tags``, ``token.tag_`` (the rule tagger's BIO tag).

    Needs one token per character (the ``minsheng.char_tokenizer.v1`` tokenizer); on any
    other tokenization it leaves the Doc unchanged.
    """

    def __init__(self, name: str = "minsheng_char_features", lexicon_dir: str | None = None,
                 lexicon_features: bool = True, rule_tags: bool = False, rule_dropout: float = 0.0,
                 seed: int = 0) -> None:
        if not 0.0 <= rule_dropout < 1.0:
            raise ValueError(f"rule_dropout must be in [0, 1), got {rule_dropout}")
        self.name = name
        self.lexicons = load_lexicons(lexicon_dir)
        self.patterns = compile_feature_patterns(self.lexicons, lexicon_features)
        self.rule_tags = rule_tags
        self.rule_dropout = rule_dropout
        self._rng = random.Random(seed)

    def __call__(self, doc: Doc) -> Doc:
        text = source_text(doc)
        dropout = doc.user_data.pop(DROPOUT_KEY, 0.0)
        if len(text) != len(doc):
            return doc
        view = layout_of(doc).view  # built once, shared with the relation and commitment steps
        spans = None
        if self.rule_tags:
            spans = rule_spans(view, self.lexicons)
            if dropout:
                spans = drop_spans(spans, dropout, self._rng)
        array = feature_array(text, self.patterns, view, doc.vocab.strings, spans)
        if len(doc):
            doc.from_array([NORM, LEMMA, TAG][: array.shape[1]], array)
        return doc

    def update(self, examples: Iterable[Any], *, drop: float = 0.0, sgd: Any = None,
               losses: dict[str, float] | None = None) -> dict[str, float]:
        """Training only: mark the batch's docs so the next call hides rule spans
        (``rule_dropout``). spaCy calls this before it runs the component on the batch."""
        if self.rule_tags and self.rule_dropout:
            for eg in examples:
                eg.predicted.user_data[DROPOUT_KEY] = self.rule_dropout
        return losses if losses is not None else {}

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


@Language.factory("minsheng_char_features",
                  default_config={"lexicon_dir": None, "lexicon_features": True, "rule_tags": False,
                                  "rule_dropout": 0.0, "seed": 0})
def make_char_features(nlp: Language, name: str, lexicon_dir: str | None,
                       lexicon_features: bool, rule_tags: bool, rule_dropout: float,
                       seed: int) -> CharFeatures:
    """Factory of the character-feature component (``nlp.add_pipe("minsheng_char_features")``).

    ``lexicon_dir``: the rules' word lists to read (None: the shipped ones);
    ``lexicon_features``: add the PLACE and DCORE flags; ``rule_tags``: write the rule
    tagger's BIO tags to ``token.tag_``; ``rule_dropout``: during training, hide each rule
    span with this probability (``seed`` seeds that draw).
    """
    return CharFeatures(name, lexicon_dir, lexicon_features, rule_tags, rule_dropout, seed)
