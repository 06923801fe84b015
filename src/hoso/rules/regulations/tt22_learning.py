"""TT22/2021 learning result (Art. 9.2) and its adjustment (Art. 9.3, D2); TT43 with 5 for 6 (D10).

Kept apart from the rest of the circular because TT43 (continuing education) reuses it verbatim
with a different count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from hoso.rules.values import Comment, Rating, vn

D = Decimal
TOP_SCORE = {Rating.TOT: D("8.0"), Rating.KHA: D("6.5"), Rating.DAT: D("5.0")}
FLOOR = {Rating.TOT: D("6.5"), Rating.KHA: D("5.0"), Rating.DAT: D("3.5")}


@dataclass(frozen=True, slots=True)
class LearningDecision:
    """The level, the table level before adjustment, and why."""

    level: Rating
    table: Rating
    explanation: str

    @property
    def adjusted(self) -> bool:
        return self.level is not self.table


class _Facts:
    """What the levels' conditions ask of one set of results, each worked out once (issue 9: a
    level tried, the one above it and the adjustment ask the same counts again)."""

    __slots__ = ("_below", "_counts", "not_dat", "scores")

    def __init__(self, scores: Mapping[str, Decimal], comments: Mapping[str, Comment]) -> None:
        self.scores = scores
        self.not_dat = sorted(
            name for name, result in comments.items() if result is Comment.CHUA_DAT
        )
        self._counts: dict[Decimal, int] = {}
        self._below: dict[Decimal, list[tuple[str, Decimal]]] = {}

    def count(self, threshold: Decimal) -> int:
        """How many score subjects are at or above ``threshold``."""
        if threshold not in self._counts:
            self._counts[threshold] = sum(score >= threshold for score in self.scores.values())
        return self._counts[threshold]

    def below(self, threshold: Decimal) -> list[tuple[str, Decimal]]:
        """The score subjects below ``threshold``, lowest first."""
        if threshold not in self._below:
            self._below[threshold] = sorted(
                ((name, score) for name, score in self.scores.items() if score < threshold),
                key=lambda item: (item[1], item[0]),
            )
        return self._below[threshold]


def _fails(level: Rating, facts: _Facts, k: int) -> list[str]:
    """Every condition of ``level`` that does not hold (empty: the level is reached)."""
    reasons: list[str] = []
    not_dat = facts.not_dat
    allowed_cd = 1 if level is Rating.DAT else 0
    if len(not_dat) > allowed_cd:
        reasons.append(
            f"{len(not_dat)} môn đánh giá bằng nhận xét Chưa đạt ({', '.join(not_dat)}; "
            f"tối đa {allowed_cd})"
        )
    floor = FLOOR[level]
    reasons.extend(f"{name} {vn(score)} < {vn(floor)}" for name, score in facts.below(floor))
    top = TOP_SCORE[level]
    if facts.count(top) < k:
        reasons.append(f"chỉ {facts.count(top)} môn ≥ {vn(top)} (cần {k})")
    return reasons


def _holds(level: Rating, facts: _Facts, k: int) -> str:
    top = TOP_SCORE[level]
    counted = f"{facts.count(top)} môn ≥ {vn(top)} (cần {k})"
    if level is Rating.DAT:
        cd = len(facts.not_dat)
        return f"{counted}; không môn nào < 3,5; {cd} môn nhận xét Chưa đạt (tối đa 1)"
    return f"mọi môn nhận xét Đạt; mọi môn ≥ {vn(FLOOR[level])}; {counted}"


def _table(facts: _Facts, k: int) -> tuple[Rating, dict[Rating, list[str]]]:
    """The table level and why each level tried above it fails (kept for the explanation)."""
    fails: dict[Rating, list[str]] = {}
    for level in (Rating.TOT, Rating.KHA, Rating.DAT):
        fails[level] = _fails(level, facts, k)
        if not fails[level]:
            return level, fails
    return Rating.CHUA_DAT, fails


def tt22_table_level(
    scores: Mapping[str, Decimal], comments: Mapping[str, Comment], k: int = 6
) -> Rating:
    """The first level, from Tốt down, whose every condition holds (TT22 Art. 9.2)."""
    return _table(_Facts(scores, comments), k)[0]


def tt22_learning(
    scores: Mapping[str, Decimal],
    comments: Mapping[str, Comment],
    k: int = 6,
    circular: str = "TT22",
) -> LearningDecision:
    """Kết quả học tập of a semester or the year, adjustment included.

    ``scores``: rounded averages of the score subjects by name; ``comments``: Đ/CĐ of the
    comment-only subjects by name; ``k``: 6 (TT22) or 5 (TT43, D10).
    """
    facts = _Facts(scores, comments)
    table, fails = _table(facts, k)
    if table is Rating.CHUA_DAT:
        higher = fails[Rating.DAT]
        text = f"Chưa đạt ({circular} Điều 9.2.d): không đủ điều kiện Đạt vì {'; '.join(higher)}"
    else:
        text = f"{table.value} ({circular} Điều 9.2): {_holds(table, facts, k)}"
        if table is not Rating.TOT:
            above = Rating(list(Rating)[table.rank + 1])
            reasons = fails[above]  # tried before the table level was reached
            text += f"; không đủ điều kiện {above.value} vì {'; '.join(reasons)}"
    # Art. 9.3 (D2): raise one level when exactly one subject — a score subject below the target's
    # floor or a comment subject at Chưa đạt — is why a would-be Tốt or Khá fell two levels or more.
    not_dat = facts.not_dat
    for target in (Rating.TOT, Rating.KHA):
        if target.rank - table.rank < 2:
            continue
        causes = [f"{n} {vn(s)} < {vn(FLOOR[target])}" for n, s in facts.below(FLOOR[target])]
        causes += [f"{name} Chưa đạt" for name in not_dat]
        if len(causes) == 1 and facts.count(TOP_SCORE[target]) >= k:
            level = Rating(list(Rating)[table.rank + 1])
            text += (
                f". Điều chỉnh ({circular} Điều 9.3, D2): mức {table.value} thấp hơn "
                f"{target.value} từ hai mức trở lên chỉ do một môn ({causes[0]}) → nâng lên "
                f"{level.value}"
            )
            return LearningDecision(level, table, text + ".")
    return LearningDecision(table, table, text + ".")
