"""Builds and finds the pipelines: ``rules`` (and trained ones when shipped)."""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from . import extensions  # noqa: F401  (registers doc._.year / relations / commitments)
from . import features  # noqa: F401  (registers minsheng_char_features, used by trained pipelines)
from . import tokenizer  # noqa: F401  (registers minsheng.char_tokenizer.v1)
from .commitments import assemble  # noqa: F401  (registers the factories)
from .errors import ModelLoadError
from .rules import entities, linker  # noqa: F401

MODELS_DIR = Path(__file__).parent / "models"
TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "minsheng.char_tokenizer.v1"}}}
PIPELINE_NAMES = ("rules",)


def blank() -> Language:
    """An empty Chinese pipeline with one token per character."""
    return spacy.blank("zh", config=TOKENIZER_CONFIG)


def build_rules() -> Language:
    """The rule-based pipeline: entity rules → relation rules → commitment assembler."""
    nlp = blank()
    nlp.add_pipe("minsheng_rules_ner")
    nlp.add_pipe("minsheng_rules_linker")
    nlp.add_pipe("minsheng_commitments")
    nlp.meta["name"] = "rules"
    return nlp


def shipped_models() -> list[str]:
    """Names of trained pipelines shipped inside the package (``models/<name>/``)."""
    if not MODELS_DIR.is_dir():
        return []
    return sorted(p.name for p in MODELS_DIR.iterdir() if (p / "config.cfg").is_file())


def load_pipeline(name: str | Path | None = None) -> Language:
    """``None``: the best shipped pipeline; ``"rules"``; a shipped name; or a saved directory."""
    if name is None:
        shipped = shipped_models()
        name = "fast" if "fast" in shipped else "rules"
    if isinstance(name, str) and name == "rules":
        return build_rules()
    if isinstance(name, str) and name in shipped_models():
        return _load_dir(MODELS_DIR / name)
    path = Path(name)
    if path.is_dir():
        return _load_dir(path)
    known = ", ".join(["rules", *shipped_models()])
    raise ModelLoadError(f"unknown pipeline {str(name)!r}: not a shipped name ({known}) nor a directory")


def _load_dir(path: Path) -> Language:
    if not (path / "config.cfg").is_file():
        raise ModelLoadError(f"{path}: not a saved pipeline (config.cfg is missing)")
    try:
        return spacy.load(path)
    except ModelLoadError:
        raise
    except Exception as err:  # spaCy raises many kinds; report them in one line
        raise ModelLoadError(f"{path}: cannot load pipeline ({type(err).__name__}: {err})") from None
