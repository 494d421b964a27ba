"""The trained relation component (``minsheng_relation_model``).

Reads ``doc.ents`` and writes ``doc._.relations`` (``doc.user_data["minsheng.relations"]``)
exactly like the rule linker, so either can precede the commitment assembler. The rule
linker runs inside it: its decisions are features of the model.

Config: ``model`` — a path to a ``relation_model.json`` (or a folder holding one), or
None. The path is read on first use, so a pipeline saved with ``nlp.to_disk`` — which keeps
the model in the component's own folder (``to_disk``/``from_disk``, JSON only) — loads
even where that path no longer exists. Without a model the component falls back to the
rule linker's relations and warns once.
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterable, Optional

from spacy.language import Language
from spacy.tokens import Doc

from ..json_models import JsonModelStore, load_json_model
from ..rules.linker import RulesLinker
from ..text.docview import DocView
from .model import FILE_NAME, RelationModel
from .types import set_relations


class RelationModelComponent(JsonModelStore):
    """Links QUANTITY entities to their UNIT, DEPARTMENT and DEADLINE with a trained model."""

    model_class = RelationModel
    model_file = FILE_NAME
    model_kind = "relation model"

    def __init__(self, name: str = "minsheng_relation_model", model: RelationModel | None = None,
                 model_path: str | Path | None = None) -> None:
        self.name = name
        self.model = model
        self.model_path = model_path
        self.rules = RulesLinker()
        self._warned = False

    def __call__(self, doc: Doc) -> Doc:
        dv = DocView.shared(doc)  # the view the feature component built
        model = self.get_model()
        if model is None:
            if not self._warned:
                warnings.warn(f"{self.name}: no trained relation model loaded; using the rule linker",
                              stacklevel=2)
                self._warned = True
            set_relations(doc, self.rules.link(dv))
        else:
            set_relations(doc, model.predict(dv, self.rules))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


def load_model(path: str | Path) -> RelationModel:
    """A :class:`RelationModel` from JSON, or :class:`ModelLoadError` naming the file."""
    return load_json_model(RelationModel, path, FILE_NAME, "relation model")


@Language.factory("minsheng_relation_model", default_config={"model": None})
def make_relation_model(nlp: Language, name: str, model: Optional[str]) -> RelationModelComponent:
    """Factory of the trained relation component (``model``: a JSON path, or None)."""
    return RelationModelComponent(name, model_path=model)


__all__ = ["RelationModelComponent", "load_model", "make_relation_model"]
