"""Quality gate: clustering scores on the labelled data must not fall below
their pinned floors (tests/eval_baseline.json)."""

import json
from pathlib import Path

import pytest

from storyline.eval.clustering import evaluate_levels

from .conftest import SHARED, needs_shared

FLOORS = json.loads((Path(__file__).with_name("eval_baseline.json")).read_text(encoding="utf-8"))
CASES = [(name, levels) for name, levels in FLOORS.items() if not name.startswith("_")]


@needs_shared
@pytest.mark.parametrize(("name", "floors"), CASES, ids=[c[0] for c in CASES])
def test_eval_gate_clustering_stays_above_its_floor(name, floors):
    path = SHARED / "data" / "clustering" / f"{name}.jsonl"
    scores = evaluate_levels(path, tuple(floors))
    for level, floor in floors.items():
        assert scores[level]["b3_f1"] >= floor, (name, level, scores[level])
