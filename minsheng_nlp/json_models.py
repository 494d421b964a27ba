"""Saving and loading the trained components' models as JSON (nothing is pickled).

Both trained components (relations, commitment decisions) keep a model object with
``to_dict``/``from_dict``/``to_disk``/``from_disk``; :class:`JsonModelStore` gives them the
spaCy serialization methods, and :func:`load_json_model` reads a model file with an error
that names it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from .errors import ModelLoadError


def load_json_model(model_class: Any, path: str | Path, file_name: str, kind: str) -> Any:
    """``model_class.from_disk`` of ``path`` (a file, or a folder holding ``file_name``)."""
    path = Path(path)
    target = path / file_name if path.is_dir() else path
    if not target.is_file():
        raise ModelLoadError(f"{target}: {kind} not found")
    try:
        return model_class.from_disk(target)
    except (ValueError, KeyError, TypeError) as err:
        raise ModelLoadError(f"{target}: not a {kind} ({err})") from None


class JsonModelStore:
    """spaCy ``to_disk``/``from_disk``/``to_bytes``/``from_bytes`` for a component whose
    state is one JSON model (``self.model``, read lazily through ``self.get_model()``)."""

    model_class: Any = None
    model_file: str = "model.json"
    model_kind: str = "model"
    model: Any = None
    model_path: str | Path | None = None

    def get_model(self) -> Any:
        """The model, read from ``model_path`` on first use; None when there is none."""
        if self.model is None and self.model_path:
            self.model = load_json_model(self.model_class, self.model_path, self.model_file, self.model_kind)
        return self.model

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        model = self.get_model()
        if model is not None:
            model.to_disk(path / self.model_file)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()):
        file = Path(path) / self.model_file
        if file.is_file():
            self.model = load_json_model(self.model_class, file, self.model_file, self.model_kind)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        model = self.get_model()
        return json.dumps(model.to_dict() if model else None, ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()):
        raw = json.loads(data.decode("utf-8"))
        self.model = self.model_class.from_dict(raw) if raw else None
        return self
