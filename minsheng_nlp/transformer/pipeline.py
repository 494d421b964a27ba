"""The accurate pipeline: char tokenizer → transformer NER → rule linker → commitments."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.language import Language

from ..pipelines import blank
from .component import FACTORY, TransformerNer

NAME = "accurate"


def build_accurate_pipeline(ner_dir: str | Path, ner_config: dict[str, Any] | None = None,
                            with_linker: bool = True) -> Language:
    """A pipeline whose entities come from the tagger saved in ``ner_dir`` (a trained
    :class:`TransformerNer` folder); relations and commitments are the rules' (as in
    ``pipelines.build_rules``). ``ner_config`` overrides the factory settings (window, ...)."""
    nlp = blank()
    ner: TransformerNer = nlp.add_pipe(FACTORY, config=dict(ner_config or {}))
    ner.load(ner_dir)
    if with_linker:
        nlp.add_pipe("minsheng_rules_linker")
        nlp.add_pipe("minsheng_commitments")
    nlp.meta["name"] = NAME
    return nlp
