"""TT58/2011 học lực (Art. 11, 13) and its adjustment (Art. 13.6, D3), in both versions.

``variant``: ``"TT26"`` — as amended by TT26/2020 (core subjects Toán, Ngữ văn, Ngoại ngữ);
``"original"`` — before TT26 (core subjects Toán, Ngữ văn). The core roles come from the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from hoso.rules.averages import tt58_overall_average
from hoso.rules.catalogue import code_for_name, raw_catalogue
from hoso.rules.errors import InvalidInput
from hoso.rules.values import AcademicLevel, Comment, vn

D = Decimal
L = AcademicLevel
# Art. 13: (overall average, core subject, specialised subject, every subject) per level.
AVERAGE = {L.GIOI: D("8.0"), L.KHA: D("6.5"), L.TRUNG_BINH: D("5.0"), L.YEU: D("3.5")}
FLOOR = {L.GIOI: D("6.5"), L.KHA: D("5.0"), L.TRUNG_BINH: D("3.5"), L.YEU: D("2.0")}
VARIANTS = ("TT26", "original")


@cache
def core_codes(variant: str) -> frozenset[str]:
    """Catalogue codes of the core subjects ("môn Toán, Ngữ văn[, Ngoại ngữ]") of a variant."""
    role = "core" if variant == "TT26" else "core_pre_tt26"
    return frozenset(
        entry["code"]
        for entries in raw_catalogue()["programmes"]["old"]["grades"].values()
        for entry in entries
        if role in (entry.get("roles") or ())
    )


@dataclass(frozen=True, slots=True)
class AcademicDecision:
    """Overall average, table level (raw), level after Art. 13.6, and why."""

    overall_average: Decimal
    raw: AcademicLevel
    learning: AcademicLevel
    explanation: str


class _Facts:
    def __init__(
        self,
        variant: str,
        scores: Mapping[str, Decimal],
        comments: Mapping[str, Comment],
        specialised: str | None,
        average: Decimal,
    ) -> None:
        self.scores = scores
        self.comments = comments
        self.specialised = specialised
        self.average = average
        codes = core_codes(variant)
        self.core = sorted(name for name in scores if code_for_name(name) in codes)

    def below(self, threshold: Decimal) -> list[str]:
        pairs = sorted(
            ((score, name) for name, score in self.scores.items() if score < threshold),
        )
        return [f"{name} {vn(score)} < {vn(threshold)}" for score, name in pairs]

    def not_dat(self) -> list[str]:
        return sorted(name for name, c in self.comments.items() if c is Comment.CHUA_DAT)

    def core_and_specialised(self, level: AcademicLevel) -> list[str]:
        """The conditions on a core subject and on the specialised subject that fail."""
        reasons: list[str] = []
        threshold = AVERAGE[level]
        if not any(self.scores[name] >= threshold for name in self.core):
            core = ", ".join(f"{n} {vn(self.scores[n])}" for n in self.core) or "không có môn"
            reasons.append(f"không môn cốt lõi nào ≥ {vn(threshold)} ({core})")
        if self.specialised is not None and self.scores[self.specialised] < threshold:
            shown = vn(self.scores[self.specialised])
            reasons.append(f"môn chuyên {self.specialised} {shown} < {vn(threshold)}")
        return reasons

    def fails(self, level: AcademicLevel) -> list[str]:
        reasons: list[str] = []
        if self.average < AVERAGE[level]:
            reasons.append(f"điểm trung bình các môn {vn(self.average)} < {vn(AVERAGE[level])}")
        if level is not L.YEU:
            reasons.extend(self.core_and_specialised(level))
            reasons.extend(f"{name} CĐ" for name in self.not_dat())
        reasons.extend(self.below(FLOOR[level]))
        return reasons


def tt58_learning_level(
    *,
    variant: str,
    subject_averages: Mapping[str, Decimal],
    comment_results: Mapping[str, Comment],
    specialised_subject: str | None = None,
) -> AcademicDecision | None:
    """Học lực of a semester (ĐTBhk, ĐTBmhk) or the year (ĐTBcn, ĐTBmcn); None without scores."""
    if specialised_subject is not None and specialised_subject not in subject_averages:
        raise InvalidInput(
            "specialised_subject", f"môn chuyên {specialised_subject!r} không có điểm trung bình"
        )
    average = tt58_overall_average(list(subject_averages.values()))
    if average is None:
        return None
    facts = _Facts(variant, subject_averages, comment_results, specialised_subject, average)
    circular = "TT58" if variant == "original" else "TT58 sửa đổi bởi TT26"
    raw = L.KEM
    for level in (L.GIOI, L.KHA, L.TRUNG_BINH, L.YEU):
        if not facts.fails(level):
            raw = level
            break
    text = f"điểm trung bình các môn {vn(average)} ({circular} Điều 11); {raw.value} (Điều 13)"
    if raw is not L.GIOI:
        above = list(L)[raw.rank + 1]
        text += f": không đủ điều kiện {above.value} vì {'; '.join(facts.fails(above))}"
    # Art. 13.6 (D3): the average reaches Giỏi or Khá, the core (and specialised) condition of that
    # level holds, exactly one subject is why the level fell two or more → one level up.
    for target in (L.GIOI, L.KHA):
        if target.rank - raw.rank < 2 or average < AVERAGE[target]:
            continue
        if facts.core_and_specialised(target):
            continue
        causes = facts.below(FLOOR[target]) + [f"{name} CĐ" for name in facts.not_dat()]
        if len(causes) == 1:
            learning = list(L)[raw.rank + 1]
            text += (
                f". Điều chỉnh (Điều 13.6, D3): điểm trung bình đạt mức {target.value} nhưng chỉ "
                f"do một môn ({causes[0]}) mà xuống {raw.value} → {learning.value}"
            )
            return AcademicDecision(average, raw, learning, text + ".")
    return AcademicDecision(average, raw, raw, text + ".")
