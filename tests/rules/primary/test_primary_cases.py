"""Every worked primary case of ``shared/domain/cases/primary.json`` (copied to ``cases/``).

Given a case's input, when it is evaluated (``evaluate_json``) or its formula is called, then every
key the case expects equals the output (partial match, subjects by name, null must be null); an
invalid input raises ``InvalidInput`` whose message mentions each expected string.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from hoso.rules import primary
from hoso.rules.errors import InvalidInput

CASES = json.loads((Path(__file__).parent / "cases" / "primary.json").read_text(encoding="utf-8"))
# The `regime` formula (which rulebook applies) belongs to the registry, tested with it.
NOT_PRIMARY_ENGINE = {"regime"}


def differences(expected: Any, got: Any, path: str = "") -> list[str]:
    """What differs, the way ``shared/tools/run_cases.py`` compares (subjects matched by name)."""
    out: list[str] = []
    if isinstance(expected, Mapping):
        for key, want in expected.items():
            if key == "subjects" and isinstance(want, list):
                by_name = {s.get("name"): s for s in (got or {}).get("subjects", [])}
                for subject in want:
                    have = by_name.get(subject["name"])
                    if have is None:
                        out.append(f"{path}subjects[{subject['name']}] missing")
                        continue
                    rest = {k: v for k, v in subject.items() if k != "name"}
                    out += differences(rest, have, f"{path}{subject['name']}.")
            elif not isinstance(got, Mapping) or key not in got:
                out.append(f"{path}{key} missing")
            else:
                out += differences(want, got[key], f"{path}{key}.")
    elif expected != got or (expected is None) != (got is None):
        out.append(f"{path[:-1]}: expected {expected!r}, got {got!r}")
    return out


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


FORMULAS: dict[str, Callable[[dict[str, Any]], object]] = {
    "tt27_result_at_checkpoint": lambda a: primary.tt27_result_at_checkpoint(a["checkpoint"]),
    "tt27_completes_grade": lambda a: primary.tt27_completes_grade(**a),
    "tt27_reward_candidate": lambda a: primary.tt27_reward_candidate(**a),
    "tt27_test_mark_valid": lambda a: primary.tt27_test_mark_valid(**a),
    "tt30_tt22_2016_year_end": lambda a: primary.tt30_tt22_2016_year_end(**a),
    "tt30_tt22_2016_test_mark_valid": lambda a: primary.tt30_tt22_2016_test_mark_valid(**a),
}


def _kind(case: dict[str, Any]) -> str:
    formula = case["input"].get("formula")
    if formula in NOT_PRIMARY_ENGINE:
        return "other engine"
    if formula is not None:
        return "formula"
    return "invalid" if "exit" in case["expected"] else "evaluate"


def _cases(kind: str) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in CASES if _kind(case) == kind]


def test_every_case_is_run_here() -> None:
    skipped = [c for c in CASES if c["input"].get("formula") in NOT_PRIMARY_ENGINE]
    run = len(_cases("evaluate")) + len(_cases("invalid")) + len(_cases("formula"))
    assert run + len(skipped) == len(CASES)
    assert all(c["input"]["formula"] == "regime" for c in skipped)
    assert {c["input"]["formula"] for c in CASES if "formula" in c["input"]} - {"regime"} == set(
        FORMULAS
    )


@pytest.mark.parametrize("case", _cases("evaluate"))
def test_evaluate_case(case: dict[str, Any]) -> None:
    got = primary.evaluate_json(case["input"])
    assert differences(case["expected"], got) == [], case["notes"]
    assert got["explanation"], "every output explains itself"


@pytest.mark.parametrize("case", _cases("invalid"))
def test_invalid_case(case: dict[str, Any]) -> None:
    assert case["expected"]["exit"] == 2
    with pytest.raises(InvalidInput) as raised:
        primary.evaluate_json(case["input"])
    for mention in case["expected"]["mentions"]:
        assert mention in str(raised.value)


@pytest.mark.parametrize("case", _cases("formula"))
def test_formula_case(case: dict[str, Any]) -> None:
    outcome = FORMULAS[case["input"]["formula"]](dict(case["input"]["inputs"]))
    got = {key: _plain(getattr(outcome, key)) for key in case["expected"]}
    assert differences(case["expected"], got) == [], case["notes"]
    assert outcome.explanation  # type: ignore[attr-defined]


def test_differences_reports_what_differs() -> None:
    expected = {
        "year": {"result": None},
        "subjects": [{"name": "Toán", "level": "T"}, {"name": "X"}],
    }
    got = {"year": {"result": "HT"}, "subjects": [{"name": "Toán", "level": "H"}]}
    assert differences(expected, got) == [
        "year.result: expected None, got 'HT'",
        "Toán.level: expected 'T', got 'H'",
        "subjects[X] missing",
    ]
    assert differences({"year": 1}, {}) == ["year missing"]
