"""The rule-based entity tagger component (``minsheng_rules_ner``)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..text.docview import layout_of
from .patterns import LEXICON_DIR, Lexicons, find_entities, load_lexicons

LABELS = ("QUANTITY", "UNIT", "DEPARTMENT", "DEADLINE")
_LEXICON_FILES = ("units.txt", "latin_units.txt", "departments.txt", "places.txt")


def spans_to_doc(doc: Doc, spans: Iterable[tuple[int, int, str]], text: str) -> list[Span]:
    """``(start_char, end_char, label)`` triples as spans of ``doc`` (whose text is ``text``)."""
    char_grid = len(doc) == len(text)
    out = []
    for s, e, label in spans:
        if char_grid:
            out.append(Span(doc, s, e, label=label))
        else:
            span = doc.char_span(s, e, label=label, alignment_mode="expand")
            if span is not None:
                out.append(span)
    return out


class RulesEntityRecognizer:
    """Tags QUANTITY, UNIT, DEPARTMENT and DEADLINE by pattern (guideline §2, §6).

    Matches on the cleaned view of the text and maps every span back, so entities
    may contain the hard line breaks of the input (``2023\\n\\n年``).
    """

    def __init__(self, name: str = "minsheng_rules_ner", lexicon_dir: str | None = None,
                 overwrite_ents: bool = True) -> None:
        self.name = name
        self.lexicon_dir = lexicon_dir
        self.overwrite_ents = overwrite_ents
        self.lexicons: Lexicons = load_lexicons(lexicon_dir)

    @property
    def labels(self) -> tuple[str, ...]:
        return LABELS

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)  # built here, reused by the linker and the assembler
        text, view = layout.source, layout.view
        spans = [(*view.to_original(s, e), label) for s, e, label in find_entities(view.text, self.lexicons)]
        ents = spans_to_doc(doc, spans, text)
        if self.overwrite_ents:
            doc.ents = ents
        else:
            doc.ents = filter_spans(list(doc.ents) + ents)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the lexicons with the component, so a saved pipeline is self-contained."""
        path = Path(path)
        (path / "lexicons").mkdir(parents=True, exist_ok=True)
        src = Path(self.lexicon_dir) if self.lexicon_dir else LEXICON_DIR
        for name in _LEXICON_FILES:
            shutil.copyfile(src / name, path / "lexicons" / name)
        (path / "cfg.json").write_text(json.dumps({"overwrite_ents": self.overwrite_ents}), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "RulesEntityRecognizer":
        path = Path(path)
        from ..errors import ModelLoadError

        missing = [n for n in _LEXICON_FILES if not (path / "lexicons" / n).is_file()]
        if missing:
            raise ModelLoadError(f"{path / 'lexicons'}: missing lexicon file(s) {', '.join(missing)}")
        try:
            cfg: dict[str, Any] = json.loads((path / "cfg.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ModelLoadError(f"{path / 'cfg.json'}: cannot read component config ({err})") from None
        self.overwrite_ents = bool(cfg.get("overwrite_ents", True))
        self.lexicon_dir = str(path / "lexicons")
        for name in _LEXICON_FILES:
            try:
                (path / "lexicons" / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise ModelLoadError(f"{path / 'lexicons' / name}: unreadable lexicon ({err})") from None
        self.lexicons = load_lexicons(self.lexicon_dir)
        return self


@Language.factory(
    "minsheng_rules_ner",
    default_config={"lexicon_dir": None, "overwrite_ents": True},
)
def make_rules_ner(nlp: Language, name: str, lexicon_dir: str | None,
                   overwrite_ents: bool) -> RulesEntityRecognizer:
    """Factory of the rule-based entity tagger."""
    return RulesEntityRecognizer(name, lexicon_dir, overwrite_ents)
