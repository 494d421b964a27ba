"""Builds and finds the pipelines: ``rules`` (and trained ones when shipped)."""
from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.language import Language

from . import extensions  # noqa: F401  (registers doc._.year / relations / commitments)
from . import features  # noqa: F401  (registers minsheng_char_features, used by trained pipelines)
from . import tokenizer  # noqa: F401  (registers minsheng.char_tokenizer.v1)
from . import windowed_ner  # noqa: F401  (registers minsheng_ner, the trained tiers' NER)
from . import tagger_ner  # noqa: F401  (registers minsheng_tagger_ner)
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


def _check_saved_files(path: Path) -> None:
    """Name the file when a saved pipeline's config or JSON is unreadable (spaCy's errors do not)."""
    files = [path / "config.cfg", path / "meta.json", path / "vocab" / "strings.json", *sorted(path.glob("*/*.json"))]
    for file in files:
        if not file.is_file():
            continue
        try:
            text = file.read_text(encoding="utf-8")
            if file.suffix == ".json":
                json.loads(text)
        except (OSError, ValueError) as err:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise ModelLoadError(f"{file}: corrupted or unreadable ({type(err).__name__}: {err})") from None


def _load_dir(path: Path) -> Language:
    if not (path / "config.cfg").is_file():
        raise ModelLoadError(f"{path}: not a saved pipeline (config.cfg is missing)")
    _check_saved_files(path)
    try:
        return spacy.load(path)
    except ModelLoadError:
        raise
    except Exception as err:  # spaCy raises many kinds; report them in one line
        detail = " ".join(str(err).split())
        where = path / "config.cfg" if type(err).__name__ == "ConfigValidationError" else path
        raise ModelLoadError(f"{where}: cannot load pipeline ({type(err).__name__}: {detail})") from None
