"""The gold plan → result pairs of 2023: exact slices, complete, consistent; the scorer."""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from minsheng_nlp.errors import InputError
from minsheng_nlp.tracking.gold import NOT_TRACKED, check_slices, read_gold, score_tracking
from minsheng_nlp.tracking.measures import to_plan_unit
from minsheng_nlp.tracking.records import Mention, Report, TrackedPlan
from minsheng_nlp.tracking.verdicts import NO_REPORT, verdict
from tests.conftest import ROOT

GOLD = ROOT / "annotations" / "tracking" / "pairs_2023.jsonl"


@pytest.fixture(scope="module")
def pairs():
    return read_gold(GOLD)


def test_every_span_is_an_exact_slice_of_its_seed(pairs) -> None:
    assert check_slices(pairs, ROOT) == []


def test_one_line_per_planned_commitment_of_the_annotated_list(pairs) -> None:
    planned = set()
    for line in (ROOT / "annotations" / "seed_003.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        ents = {e["id"]: e for e in record["entities"]}
        for c in record["commitments"]:
            if c["status"] == "planned":
                e = ents[c["quantity"]]
                planned.add((e["start_offset"] + record["meta"]["offset"], e["end_offset"] + record["meta"]["offset"],
                             c["value"], c["unit"]))
    gold = [(p.plan["start"], p.plan["end"], p.plan["value"], p.plan["unit"]) for p in pairs]
    assert len(gold) == len(set(gold)) == 66
    assert set(gold) == planned
    assert {Path(p.plan["file"]).name for p in pairs} == {"003_2c6c425c22f525ff.txt"}


def test_results_are_2023_figures_of_the_2024_documents(pairs) -> None:
    files = {Path(p["file"]).name for pair in pairs if pair.result for p in (pair.result, *pair.same_result)}
    assert files == {"001_7ad24195d88254f4.txt", "000_3b051199946a6245.txt"}
    assert all(p.plan["year"] == 2023 for p in pairs if p.result)
    assert Counter(p.verdict for p in pairs) == {NO_REPORT: 43, "met": 22, "not met": 1}


def test_each_verdict_follows_from_the_values(pairs) -> None:
    for pair in pairs:
        if pair.result is None:
            continue
        plan, result = pair.plan, pair.result
        reported = to_plan_unit(Decimal(str(result["value"])), plan["unit"], result["unit"])
        assert reported is not None, pair
        assert verdict(Decimal(str(plan["value"])), plan["comparator"], reported, result["comparator"]) == pair.verdict
        assert all(extra["text"] == result["text"] for extra in pair.same_result)


def test_malformed_gold_lines_are_named(tmp_path) -> None:
    bad = tmp_path / "pairs.jsonl"
    bad.write_text(GOLD.read_text(encoding="utf-8").splitlines()[0] + "\n{\"plan\": 3}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pairs.jsonl:2: a gold line needs 'plan' and 'verdict'"):
        read_gold(bad)
    bad.write_text('{"plan": {"file": "a.txt", "start": 5, "end": 2, "text": "x"}, "verdict": "met"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r":1: plan: start/end"):
        read_gold(bad)


def _row(pair, result_place=None) -> TrackedPlan:
    plan = pair.plan
    mention = Mention(plan["file"], plan["start"], plan["end"], plan["text"], "")
    match = None
    if result_place is not None:
        file, start, end = result_place
        match = Report(Mention(file, start, end, "", ""), "", Decimal(1), None, None, "=", 2023,
                       Decimal(1), 1.0, 1.0, pair.verdict)
    return TrackedPlan(mention, plan["task"], 2023, Decimal(str(plan["value"])), None, plan["unit"],
                       plan["comparator"], pair.verdict, match)


def test_scores_count_links_and_verdicts(pairs) -> None:
    perfect = [_row(p, None if p.result is None else (p.result["file"], p.result["start"], p.result["end"]))
               for p in pairs]
    s = score_tracking(perfect, pairs)
    assert (s.precision, s.recall, s.verdict_accuracy) == (1.0, 1.0, 1.0)
    # another place of the same figure counts too; a wrong figure and a missing plan do not
    first, second = [p for p in pairs if p.same_result][:2]
    extra = first.same_result[0]
    rows = [_row(first, (extra["file"], extra["start"], extra["end"])),
            _row(second, ("seeds/001_7ad24195d88254f4.txt", 0, 2))]
    s = score_tracking(rows, pairs)
    assert (s.predicted_links, s.correct_links, s.gold_links) == (2, 1, 23)
    assert s.confusion[("no report found", NOT_TRACKED)] == 43
    assert s.tracked_gold_plans == 2
