"""Properties of the primary rules, checked with hypothesis.

- raising a subject level, a quality/competency level or a test mark never lowers the result;
- the order of subjects (and of qualities, competencies) never matters;
- the result is the table of TT27 Art. 9.2 (``primary.md`` §5), written independently below;
- completion follows the result (Art. 11.1); the title exists exactly for HTXS (Art. 13.1.a).
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from hoso.rules.primary import YearResult, evaluate_json

from .primary_builders import COMPETENCIES, QUALITIES, TESTED, UNTESTED, tt30_input

SUBJECT_LEVELS = ("C", "H", "T")  # lowest first
RATING_LEVELS = ("C", "Đ", "T")
RANK = {None: -1, "CHT": 0, "HT": 1, "HTT": 2, "HTXS": 3}


@st.composite
def random_pupils(draw: st.DrawFn) -> dict[str, Any]:
    """A complete TT27 input with uniformly random year-end values (no blanks)."""
    grade = draw(st.integers(1, 5))
    subjects = [
        {
            "name": n,
            "level": draw(st.sampled_from(SUBJECT_LEVELS)),
            "test": draw(st.integers(0, 10)),
        }
        for n in TESTED[grade]
    ]
    subjects += [
        {"name": n, "level": draw(st.sampled_from(SUBJECT_LEVELS)), "test": None}
        for n in UNTESTED[grade]
    ]
    return {
        "regulation": "TT27_2020",
        "school_year": "2025-2026",
        "grade": grade,
        "subjects": subjects,
        "qualities": {n: draw(st.sampled_from(RATING_LEVELS)) for n in QUALITIES},
        "competencies": {n: draw(st.sampled_from(RATING_LEVELS)) for n in COMPETENCIES},
    }


@st.composite
def near_top_pupils(draw: st.DrawFn) -> dict[str, Any]:
    """All T with marks 8–10, then a few random changes: the HTXS/HTT/HT boundaries."""
    grade = draw(st.integers(1, 5))
    tested = len(TESTED[grade])
    subjects = [{"name": n, "level": "T", "test": draw(st.integers(8, 10))} for n in TESTED[grade]]
    subjects += [{"name": n, "level": "T", "test": None} for n in UNTESTED[grade]]
    qualities = dict.fromkeys(QUALITIES, "T")
    competencies = dict.fromkeys(COMPETENCIES, "T")
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["level", "test", "quality", "competency"]))
        if kind == "level":
            draw(st.sampled_from(subjects))["level"] = draw(st.sampled_from(SUBJECT_LEVELS))
        elif kind == "test":
            draw(st.sampled_from(subjects[:tested]))["test"] = draw(st.integers(0, 10))
        elif kind == "quality":
            qualities[draw(st.sampled_from(QUALITIES))] = draw(st.sampled_from(RATING_LEVELS))
        else:
            competencies[draw(st.sampled_from(COMPETENCIES))] = draw(st.sampled_from(RATING_LEVELS))
    return {
        "regulation": "TT27_2020",
        "school_year": "2025-2026",
        "grade": grade,
        "subjects": subjects,
        "qualities": qualities,
        "competencies": competencies,
    }


any_pupil = st.one_of(random_pupils(), near_top_pupils(), near_top_pupils(), near_top_pupils())


def result(data: dict[str, Any]) -> str | None:
    value: str | None = evaluate_json(data)["year"]["result"]  # type: ignore[index]
    return value


def reference(data: dict[str, Any]) -> str:
    """TT27 Art. 9.2 as written in ``primary.md`` §5, independently of the engine."""
    levels = [s["level"] for s in data["subjects"]]
    ratings = [*data["qualities"].values(), *data["competencies"].values()]
    low = min((s["test"] for s in data["subjects"] if s["test"] is not None), default=10)
    all_t = all(level == "T" for level in levels) and all(r == "T" for r in ratings)
    if all_t and low >= 9:
        return "HTXS"
    if all_t and low >= 7:
        return "HTT"
    if (
        all(level in "TH" for level in levels)
        and all(r in ("T", "Đ") for r in ratings)
        and low >= 5
    ):
        return "HT"
    return "CHT"


@settings(max_examples=300)
@given(any_pupil)
def test_result_is_the_art_9_2_table(data: dict[str, Any]) -> None:
    out = evaluate_json(data)
    year: dict[str, Any] = out["year"]  # type: ignore[assignment]
    assert year["result"] == reference(data)
    event(f"result {year['result']}")
    assert year["completes_grade"] is YearResult(year["result"]).completes
    assert (year["title"] is not None) is (year["result"] == "HTXS")
    assert any("TT27 Điều 9 khoản 2" in line for line in out["explanation"])  # type: ignore[attr-defined]


@settings(max_examples=200)
@given(any_pupil, st.data())
def test_raising_a_subject_never_lowers_the_result(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    before = result(data)
    raised = copy.deepcopy(data)
    subject = draw.draw(st.sampled_from(raised["subjects"]))
    if draw.draw(st.booleans()) or subject["test"] is None:
        subject["level"] = draw.draw(
            st.sampled_from(SUBJECT_LEVELS[SUBJECT_LEVELS.index(subject["level"]) :])
        )
    else:
        subject["test"] = draw.draw(st.integers(subject["test"], 10))
    assert RANK[result(raised)] >= RANK[before]


@settings(max_examples=200)
@given(any_pupil, st.data())
def test_raising_a_rating_never_lowers_the_result(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    before = result(data)
    raised = copy.deepcopy(data)
    key = draw.draw(st.sampled_from(["qualities", "competencies"]))
    name = draw.draw(st.sampled_from(sorted(raised[key])))
    current = RATING_LEVELS.index(raised[key][name])
    raised[key][name] = draw.draw(st.sampled_from(RATING_LEVELS[current:]))
    assert RANK[result(raised)] >= RANK[before]


@settings(max_examples=200)
@given(any_pupil, st.randoms(use_true_random=False))
def test_order_never_matters(data: dict[str, Any], rnd: Any) -> None:
    shuffled = copy.deepcopy(data)
    rnd.shuffle(shuffled["subjects"])
    for key in ("qualities", "competencies"):
        items = list(shuffled[key].items())
        rnd.shuffle(items)
        shuffled[key] = dict(items)
    assert evaluate_json(shuffled)["year"] == evaluate_json(data)["year"]


@settings(max_examples=100)
@given(any_pupil, st.data())
def test_a_blank_is_never_a_result(data: dict[str, Any], draw: st.DataObject) -> None:
    # D6, D17: blanking a tested subject's mark or any level leaves the result incomplete
    blank = copy.deepcopy(data)
    subject = draw.draw(st.sampled_from(blank["subjects"]))
    subject[
        draw.draw(st.sampled_from(["level", "test"])) if subject["test"] is not None else "level"
    ] = None
    year: dict[str, Any] = evaluate_json(blank)["year"]  # type: ignore[assignment]
    assert (year["result"], year["completes_grade"], year["title"]) == (None, None, None)
    assert year["missing"]


@settings(max_examples=100)
@given(st.lists(st.integers(1, 10), min_size=6, max_size=6), st.sampled_from(SUBJECT_LEVELS))
def test_tt30_completion_is_monotone_in_marks(marks: list[int], level: str) -> None:
    data = tt30_input()
    for subject, mark in zip(data["subjects"], marks, strict=False):
        subject["test"] = mark
        subject["level"] = level
    before: dict[str, Any] = evaluate_json(data)["year"]  # type: ignore[assignment]
    for subject in data["subjects"][:6]:
        subject["test"] = 10
    after: dict[str, Any] = evaluate_json(data)["year"]  # type: ignore[assignment]
    assert before["completes_grade"] is (level != "C" and min(marks) >= 5)
    assert after["completes_grade"] >= before["completes_grade"]
    assert (before["reward"] is not None) is (level == "T" and min(marks) >= 9)
