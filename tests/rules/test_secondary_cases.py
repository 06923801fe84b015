"""Every worked case of ``cases/secondary.json`` (and the primary ``regime`` cases) runs here.

Evaluate inputs go through ``evaluate_document`` — the function the command line calls — and a
few through a real ``python -m hoso.rules evaluate`` process; formula cases through the rule
function the formula id names (shared/domain/README.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hoso.rules.averages import (
    assessment_mark_from_parts,
    regular_count,
    subject_year_average,
    tt58_original_subject_semester_average,
    tt58_overall_average,
)
from hoso.rules.errors import InvalidInput
from hoso.rules.evaluate import evaluate_document
from hoso.rules.registry import regime
from hoso.rules.regulations.tt22_2021 import tt22_training_year
from hoso.rules.regulations.tt58_learning import tt58_learning_level
from hoso.rules.values import Comment, Rating, decimal_text, round_half_up_1

CASES_DIR = Path(__file__).parent / "cases"
CASES: list[dict[str, Any]] = json.loads((CASES_DIR / "secondary.json").read_text("utf-8"))
PRIMARY_REGIME_CASES: list[dict[str, Any]] = json.loads(
    (CASES_DIR / "primary-regime.json").read_text("utf-8")
)
EVALUATE = [c for c in CASES if "formula" not in c["input"] and "exit" not in c["expected"]]
INVALID = [c for c in CASES if "exit" in c["expected"]]
FORMULAS = [c for c in CASES if "formula" in c["input"]] + PRIMARY_REGIME_CASES


def differences(expected: Any, got: Any, path: str = "") -> list[str]:
    """Partial match, as ``shared/tools/run_cases.py`` does it."""
    out: list[str] = []
    if isinstance(expected, dict):
        for key, want in expected.items():
            if key == "subjects" and isinstance(want, list):
                by_name = {s["name"]: s for s in got.get("subjects", [])}
                for wanted in want:
                    have = by_name.get(wanted["name"])
                    if have is None:
                        out.append(f"{path}subjects[{wanted['name']}] missing")
                        continue
                    rest = {k: v for k, v in wanted.items() if k != "name"}
                    out += differences(rest, have, f"{path}{wanted['name']}.")
            elif not isinstance(got, dict) or key not in got:
                out.append(f"{path}{key} missing")
            else:
                out += differences(want, got[key], f"{path}{key}.")
    elif expected != got:
        out.append(f"{path[:-1]}: expected {expected!r}, got {got!r}")
    return out


def _d(value: object) -> Decimal:
    return Decimal(str(value))


def _taught_in(raw: object) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, list):
        (only,) = raw
        return {"semester_1": 1, "semester_2": 2}[only]
    assert isinstance(raw, int)
    return raw


def _optional(value: object) -> Decimal | None:
    return None if value is None else _d(value)


def _learning(inputs: Mapping[str, Any]) -> dict[str, Any]:
    decision = tt58_learning_level(
        variant=inputs["variant"],
        subject_averages={name: _d(v) for name, v in inputs["subject_averages"].items()},
        comment_results={name: Comment(v) for name, v in inputs["comment_results"].items()},
        specialised_subject=inputs["specialised_subject"],
    )
    assert decision is not None
    return {
        "overall_average": decimal_text(decision.overall_average),
        "raw": decision.raw.value,
        "learning": decision.learning.value,
    }


def _overall(inputs: Mapping[str, Any]) -> dict[str, Any]:
    value = tt58_overall_average([_d(v) for v in inputs["subject_averages"]])
    assert value is not None
    return {"value": decimal_text(value)}


def _year_average(inputs: Mapping[str, Any]) -> dict[str, Any]:
    value = subject_year_average(
        _optional(inputs["semester_1"]),
        _optional(inputs["semester_2"]),
        _taught_in(inputs.get("taught_in")),
    )
    return {"value": None if value is None else decimal_text(value)}


FORMULA: Mapping[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "round_half_up_1": lambda i: {"value": str(round_half_up_1(_d(i["exact"])))},
    "regular_count": lambda i: {"regular_count": regular_count(i["periods_per_year"])},
    "assessment_mark_from_parts": lambda i: {
        "value": decimal_text(assessment_mark_from_parts([_d(p) for p in i["parts"]]))
    },
    "subject_year_average": _year_average,
    "tt58_original_subject_semester_average": lambda i: {
        "value": decimal_text(
            tt58_original_subject_semester_average(
                [_d(v) for v in i["regular"]], [_d(v) for v in i["periodic"]], _d(i["final"])
            )
        )
    },
    "tt58_overall_average": _overall,
    "tt58_learning_level": _learning,
    "tt22_training_year": lambda i: {
        "year": tt22_training_year(Rating(i["semester_1"]), Rating(i["semester_2"])).value
    },
    "regime": lambda i: {
        "regime": regime(
            i["level"],
            i["school_year"],
            i["grade"],
            i.get("continuing_education", False),
            i.get("programme"),
        )
    },
}


@pytest.mark.parametrize("case", EVALUATE, ids=[c["id"] for c in EVALUATE])
def test_worked_case_through_the_evaluate_function(case: dict[str, Any]) -> None:
    got = evaluate_document(json.loads(json.dumps(case["input"]), parse_float=Decimal))
    assert differences(case["expected"], got) == []


@pytest.mark.parametrize("case", INVALID, ids=[c["id"] for c in INVALID])
def test_invalid_worked_case_is_refused_naming_the_subject(case: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as error:
        evaluate_document(json.loads(json.dumps(case["input"]), parse_float=Decimal))
    for mention in case["expected"]["mentions"]:
        assert mention in str(error.value)


@pytest.mark.parametrize("case", FORMULAS, ids=[c["id"] for c in FORMULAS])
def test_formula_case_through_its_rule_function(case: dict[str, Any]) -> None:
    got = FORMULA[case["input"]["formula"]](case["input"]["inputs"])
    assert differences(case["expected"], got) == []


def test_every_secondary_case_is_run() -> None:
    assert len(EVALUATE) + len(INVALID) + len(FORMULAS) == len(CASES) + len(PRIMARY_REGIME_CASES)
    assert {c["input"]["formula"] for c in FORMULAS} <= set(FORMULA)


def _run(payload: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hoso.rules", "evaluate", "-"],
        input=json.dumps(payload, ensure_ascii=False),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_given_every_case_as_one_list_when_run_as_a_process_then_each_output_matches() -> None:
    process = _run([case["input"] for case in EVALUATE])
    assert process.returncode == 0, process.stderr
    outputs = json.loads(process.stdout)
    for case, got in zip(EVALUATE, outputs, strict=True):
        assert differences(case["expected"], got) == [], case["id"]


@pytest.mark.parametrize("case", INVALID, ids=[c["id"] for c in INVALID])
def test_given_an_invalid_case_when_run_as_a_process_then_exit_2_and_nothing_on_stdout(
    case: dict[str, Any],
) -> None:
    process = _run(case["input"])
    assert process.returncode == 2
    assert process.stdout == ""
    for mention in case["expected"]["mentions"]:
        assert mention in process.stderr
