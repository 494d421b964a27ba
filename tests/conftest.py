"""Shared fixtures: one rule-based pipeline per test session (it holds no state)."""
from __future__ import annotations

from pathlib import Path

import pytest

import minsheng_nlp

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    return minsheng_nlp.load("rules")


@pytest.fixture(scope="session")
def run(nlp):
    """``run(text, year=None)`` → processed Doc."""

    def _run(text: str, year: int | None = None):
        return nlp(minsheng_nlp.make_doc(nlp, text, year))

    return _run


def ents(doc, label: str | None = None) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents if label is None or e.label_ == label]


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")
