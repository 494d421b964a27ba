"""One token per character, so that every character offset is a token boundary."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from .errors import InputError


TEXT_KEY = "minsheng.text"
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_unicode(text: str) -> str:
    """``text``, or an :class:`InputError` at the first lone surrogate (not encodable text)."""
    bad = _SURROGATE.search(text)
    if bad is not None:
        raise InputError(f"lone surrogate U+{ord(bad.group()):04X} is not valid Unicode text "
                         "(decode the input with errors='replace' to keep the rest)", offset=bad.start())
    return text


def source_text(doc: Doc) -> str:
    """``doc.text`` without rebuilding it token by token (spaCy joins tokens on every access).

    The char tokenizer keeps the input in ``doc.user_data``; any other Doc falls back to
    ``doc.text``.
    """
    text = doc.user_data.get(TEXT_KEY)
    if isinstance(text, str) and len(text) == len(doc):
        return text
    return doc.text


class CharTokenizer:
    """Splits text into single characters (whitespace included), ``doc.text == text``.

    Chinese has no spaces between words and government texts break lines inside
    words; a character grid keeps every entity boundary representable, needs no
    segmentation model, and makes token index == character offset.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        check_unicode(text)
        # ``words`` may be any sized iterable of strings: the text itself yields its characters
        # without a list of one-character strings (≈ 85 bytes each: 300 MB for a 10 MB report);
        # ``bytes(n)`` is n zero flags ("no space after") in n bytes.
        doc = Doc(self.vocab, words=text, spaces=bytes(len(text)))
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)

    # serialization: the tokenizer has no state of its own
    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> "CharTokenizer":
        return self

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: str | Path, **kwargs: Any) -> "CharTokenizer":
        return self


@registry.tokenizers("minsheng.char_tokenizer.v1")
def create_char_tokenizer() -> Callable[[Language], CharTokenizer]:
    """Registered tokenizer factory: ``@tokenizers = "minsheng.char_tokenizer.v1"``."""

    def make(nlp: Language) -> CharTokenizer:
        return CharTokenizer(nlp.vocab)

    return make
