"""The commitment assembler with learned decisions (``minsheng_commitments_model``).

Value, range, unit, comparator, year, deadline, departments and task are normalized
exactly as in :class:`~minsheng_nlp.commitments.assemble.CommitmentAssembler`; only the
two decisions — commitment or not, planned or achieved — come from a
:class:`~minsheng_nlp.commitments.model.CommitmentModel`. Without a model the rules decide
(and the component warns once). Config ``model``: a JSON path (or folder), read on first
use; a pipeline saved with ``nlp.to_disk`` keeps its own copy in the component folder.
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Optional

from spacy.language import Language

from ..json_models import JsonModelStore, load_json_model

from .assemble import CommitmentAssembler, DecisionContext, rule_decision
from .model import FILE_NAME, CommitmentModel


class TrainedCommitmentAssembler(CommitmentAssembler, JsonModelStore):
    """A :class:`CommitmentAssembler` whose :meth:`decide` asks the trained model."""

    model_class = CommitmentModel
    model_file = FILE_NAME
    model_kind = "commitment model"

    def __init__(self, name: str = "minsheng_commitments_model", infer_year: bool = True,
                 model: CommitmentModel | None = None, model_path: str | Path | None = None) -> None:
        super().__init__(name, infer_year)
        self.model = model
        self.model_path = model_path  # read on first use (a saved pipeline carries its own copy)
        self._warned = False

    def decide(self, ctx: DecisionContext) -> str | None:
        model = self.get_model()
        if model is None:
            if not self._warned:
                warnings.warn(f"{self.name}: no trained commitment model loaded; using the rules",
                              stacklevel=2)
                self._warned = True
            return rule_decision(ctx)
        return model.decide(ctx)


def load_model(path: str | Path) -> CommitmentModel:
    """A :class:`CommitmentModel` from JSON, or :class:`ModelLoadError` naming the file."""
    return load_json_model(CommitmentModel, path, FILE_NAME, "commitment model")


@Language.factory("minsheng_commitments_model", default_config={"infer_year": True, "model": None})
def make_trained_assembler(nlp: Language, name: str, infer_year: bool,
                           model: Optional[str]) -> TrainedCommitmentAssembler:
    """Factory of the assembler with learned decisions (``model``: a JSON path, or None)."""
    return TrainedCommitmentAssembler(name, infer_year, model_path=model)


__all__ = ["TrainedCommitmentAssembler", "load_model", "make_trained_assembler"]
