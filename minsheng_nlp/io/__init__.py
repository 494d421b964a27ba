"""Reading and validating annotation files (doccano JSONL, see ``annotations/GUIDELINE.md``)."""
from .annotations import (
    ENTITY_LABELS,
    AnnotatedRecord,
    Entity,
    FileReport,
    GoldCommitment,
    Problem,
    RelationRecord,
    check_file,
    find_seeds_dir,
    iter_annotation_files,
    read_annotations,
    read_many,
    validate_file,
    validate_record,
)

__all__ = [
    "ENTITY_LABELS",
    "AnnotatedRecord",
    "Entity",
    "FileReport",
    "GoldCommitment",
    "Problem",
    "RelationRecord",
    "check_file",
    "find_seeds_dir",
    "iter_annotation_files",
    "read_annotations",
    "read_many",
    "validate_file",
    "validate_record",
]
