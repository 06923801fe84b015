"""Properties that hold for every input (hypothesis): monotonicity, bounds, idempotent rounding,
independence from the order of subjects."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.rules.secondary_builders import TT22_COMMENT, TT22_SCORE, TT58_SCORE, tt22_student

from hoso.rules.averages import semester_average, subject_year_average, tt58_overall_average
from hoso.rules.evaluate import evaluate_document
from hoso.rules.regulations.tt22_learning import tt22_learning
from hoso.rules.regulations.tt58_learning import tt58_learning_level
from hoso.rules.values import Comment, Rating, round_half_up_1

marks = st.integers(min_value=0, max_value=100).map(lambda n: Decimal(n) / 10)
comments = st.sampled_from([Comment.DAT, Comment.DAT, Comment.DAT, Comment.CHUA_DAT])
RANK = {level.value: level.rank for level in Rating}


@given(st.decimals(min_value=0, max_value=10, places=6, allow_nan=False))
def test_rounding_is_idempotent_and_one_decimal(exact: Decimal) -> None:
    once = round_half_up_1(exact)
    assert round_half_up_1(once) == once
    assert abs(once - exact) <= Decimal("0.05")
    assert once == once.quantize(Decimal("0.1"))


@given(st.lists(marks, min_size=2, max_size=6), marks, marks, st.data())
def test_semester_average_lies_between_the_marks_and_never_drops_when_a_mark_rises(
    regular: list[Decimal], midterm: Decimal, final: Decimal, data: st.DataObject
) -> None:
    average = semester_average(regular, midterm, final)
    every = [*regular, midterm, final]
    assert min(every) <= average <= max(every)
    which = data.draw(st.integers(0, len(every) - 1))
    raised = every.copy()
    raised[which] = Decimal(data.draw(st.integers(int(every[which] * 10), 100))) / 10
    assert semester_average(raised[:-2], raised[-2], raised[-1]) >= average


@given(marks, marks, marks)
def test_year_average_between_semesters_and_monotone(
    first: Decimal, second: Decimal, up: Decimal
) -> None:
    year = subject_year_average(first, second)
    assert year is not None
    assert min(first, second) <= year <= max(first, second)
    higher = subject_year_average(max(first, up), second)
    assert higher is not None and higher >= year


@given(st.lists(marks, min_size=1, max_size=13))
def test_overall_average_between_lowest_and_highest(averages: list[Decimal]) -> None:
    overall = tt58_overall_average(averages)
    assert overall is not None
    assert min(averages) <= overall <= max(averages)


def _raise_one(values: dict[str, Decimal], data: st.DataObject) -> dict[str, Decimal]:
    name = data.draw(st.sampled_from(sorted(values)))
    low = int(values[name] * 10)
    return values | {name: Decimal(data.draw(st.integers(low, 100))) / 10}


@settings(max_examples=300)
@given(
    st.dictionaries(st.sampled_from(list(TT22_SCORE)), marks, min_size=1),
    st.dictionaries(st.sampled_from(TT22_COMMENT), comments),
    st.sampled_from([5, 6]),
    st.data(),
)
def test_tt22_level_never_drops_when_a_subject_rises(
    scores: dict[str, Decimal], results: dict[str, Comment], k: int, data: st.DataObject
) -> None:
    before = tt22_learning(scores, results, k).level
    after = tt22_learning(_raise_one(scores, data), results, k).level
    assert after.rank >= before.rank
    passed = dict.fromkeys(results, Comment.DAT)
    assert tt22_learning(scores, passed, k).level.rank >= before.rank


@settings(max_examples=300)
@given(
    st.dictionaries(st.sampled_from(list(TT58_SCORE)), marks, min_size=1),
    st.dictionaries(st.sampled_from(["Thể dục", "Âm nhạc", "Mĩ thuật"]), comments),
    st.sampled_from(["TT26", "original"]),
    st.data(),
)
def test_tt58_level_never_drops_when_a_subject_rises(
    scores: dict[str, Decimal], results: dict[str, Comment], variant: str, data: st.DataObject
) -> None:
    before = tt58_learning_level(variant=variant, subject_averages=scores, comment_results=results)
    after = tt58_learning_level(
        variant=variant, subject_averages=_raise_one(scores, data), comment_results=results
    )
    assert before is not None and after is not None
    assert after.learning.rank >= before.learning.rank
    assert after.overall_average >= before.overall_average


def _student(values: list[Decimal], failed: list[bool]) -> dict[str, Any]:
    scores = dict(zip(TT22_SCORE, (str(v) for v in values), strict=True))
    results = {n: "CĐ" if f else "Đ" for n, f in zip(TT22_COMMENT, failed, strict=True)}
    return tt22_student(scores, results)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(marks, min_size=8, max_size=8),
    st.lists(st.booleans(), min_size=5, max_size=5),
    st.randoms(use_true_random=False),
    st.data(),
)
def test_full_evaluation_is_independent_of_subject_order_and_monotone(
    values: list[Decimal], failed: list[bool], random: Any, data: st.DataObject
) -> None:
    student = _student(values, failed)
    out = evaluate_document(copy.deepcopy(student))
    shuffled = copy.deepcopy(student)
    random.shuffle(shuffled["subjects"])
    again = evaluate_document(shuffled)
    assert isinstance(out, dict) and isinstance(again, dict)
    for key in ("semester_1", "semester_2", "year"):
        assert out[key] == again[key]
    by_name = {s["name"]: s for s in again["subjects"]}
    assert all(by_name[s["name"]] == s for s in out["subjects"])
    assert sorted(out["explanation"]) == sorted(again["explanation"])
    # Raising one mark of one subject in one semester never lowers a learning level.
    raised = copy.deepcopy(student)
    target = data.draw(st.sampled_from(raised["subjects"][:8]))
    semester = target[data.draw(st.sampled_from(["semester_1", "semester_2"]))]
    field = data.draw(st.sampled_from(["midterm", "final"]))
    semester[field] = str(
        Decimal(data.draw(st.integers(int(Decimal(semester[field]) * 10), 100))) / 10
    )
    higher = evaluate_document(raised)
    assert isinstance(higher, dict)
    for key in ("semester_1", "semester_2", "year"):
        assert RANK[higher[key]["learning"]] >= RANK[out[key]["learning"]]
