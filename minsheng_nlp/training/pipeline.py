"""Train the whole pipeline: NER (spaCy, from the config) + relations + commitment decisions.

``train_pipeline(config, data, output)`` is what ``minsheng train`` runs: the NER is
trained with :func:`minsheng_nlp.training.ner.train_ner` from the config's spaCy sections,
the relation model and the commitment decisions from its ``[relations]`` and
``[commitments]`` sections (or from ``training/decisions.cfg`` next to it), all on the
``train`` split of ``data`` (records not listed in ``splits.json`` count as train). The
result is one spaCy pipeline directory: ``spacy.load(output)`` / ``minsheng_nlp.load(output)``.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import spacy
from spacy.util import load_config

from ..errors import InputError

DECISIONS_FILE = "decisions.cfg"


def decision_config(config_path: Path) -> dict[str, Any]:
    """The ``[relations]``/``[commitments]`` sections: from the config, else decisions.cfg beside it."""
    config = dict(load_config(config_path, interpolate=True))
    if "relations" in config and "commitments" in config:
        return config
    fallback = Path(config_path).parent / DECISIONS_FILE
    if not fallback.is_file():
        raise InputError(f"no [relations]/[commitments] sections and no {DECISIONS_FILE} beside it",
                         source=str(config_path))
    return dict(load_config(fallback, interpolate=True))


def train_pipeline(config_path: str | Path, data_dir: str | Path, output_dir: str | Path,
                   overrides: dict[str, Any] | None = None, augment_copies: int = 2) -> Path:
    """Train NER + relation model + commitment decisions; save the pipeline to ``output_dir``."""
    from ..training.commitments import train_commitment_models
    from ..training.corpus import load_split
    from ..training.ner import train_ner
    from ..training.relations import train_relations

    config_path, data_dir, output_dir = Path(config_path), Path(data_dir), Path(output_dir)
    if not config_path.is_file():
        raise InputError("config file not found", source=str(config_path))
    if not (data_dir / "splits.json").is_file():
        raise InputError("no splits.json in the data folder (see annotations/README.md)", source=str(data_dir))
    decisions = decision_config(config_path)
    records = load_split(data_dir, "train")
    if not records:
        raise InputError("no training records", source=str(data_dir))
    with tempfile.TemporaryDirectory(prefix="minsheng-train-") as tmp:
        ner_dir = train_ner(config_path, data_dir, tmp, overrides, augment_copies)
        nlp = spacy.load(ner_dir)
    relations = train_relations(records, decisions)
    commitments = train_commitment_models(records, decisions)
    nlp.add_pipe("minsheng_relation_model").model = relations
    nlp.add_pipe("minsheng_commitments_model").model = commitments
    nlp.meta["name"] = output_dir.name or "trained"
    nlp.meta["description"] = "minsheng-nlp trained pipeline: char CNN NER + relation model + commitment decisions"
    output_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output_dir)
    return output_dir
