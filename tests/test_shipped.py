"""The shipped trained pipeline: installed with the package, loaded offline, the default."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

import minsheng_nlp
from minsheng_nlp.pipelines import MODELS_DIR, shipped_models

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture()
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("the pipeline tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_the_fast_tier_ships_inside_the_package() -> None:
    assert "fast" in shipped_models()
    assert (MODELS_DIR / "fast" / "config.cfg").is_file()
    assert (MODELS_DIR / "fast" / "ner" / "model").is_file()


def test_default_pipeline_is_the_trained_fast_tier(no_network) -> None:
    nlp = minsheng_nlp.load()
    assert nlp.meta["name"] == "fast"
    assert nlp.pipe_names == ["minsheng_char_features", "ner", "minsheng_relation_model",
                              "minsheng_commitments_model"]
    assert minsheng_nlp.load("fast").pipe_names == nlp.pipe_names


def test_fast_tier_on_a_sentence(no_network) -> None:
    [first, second] = minsheng_nlp.extract(
        "2025年，市教育局计划新建幼儿园12所，改造农村学校旱厕3400个。", model="fast")
    assert (first["quantity"]["text"], first["value"], first["unit"], first["status"]) == ("12", 12, "所", "planned")
    assert (first["deadline"], [d["text"] for d in first["departments"]]) == ("2025-12-31", ["市教育局"])
    assert (second["value"], second["unit"]) == (3400, "个")


def test_extraction_on_a_seed_uses_the_trained_pipeline(no_network) -> None:
    text = (SEEDS / "003_2c6c425c22f525ff.txt").read_text(encoding="utf-8")
    nlp = minsheng_nlp.load()
    doc = nlp(text)
    assert nlp.meta["name"] == "fast"
    records = [c.to_dict() for c in doc._.commitments]
    assert len(records) > 60
    jobs = next(r for r in records if r["quantity"]["text"] == "23万")  # 城镇新增就业23万人
    assert (jobs["value"], jobs["unit"], jobs["status"], jobs["year"]) == (230000, "人", "planned", 2023)
    # every commitment quotes its input exactly
    assert all(text[r["quantity"]["start"]:r["quantity"]["end"]] == r["quantity"]["text"] for r in records)
