"""Primary-school rules (grades 1–5): TT27/2020 and TT30/2014 as amended by TT22/2016.

Pure Python (no Django). ``evaluate_json`` takes one primary input of ``python -m hoso.rules
evaluate`` and returns its output; the ``tt27_*`` and ``tt30_*`` functions are the formulas the
worked cases name. Decisions D6, D8, D9, D16, D17 of ``domain/README.md`` are implemented as
written there; see ``docs/regulations/tt27-2020.md`` and ``docs/regulations/tt30-2014.md``.
"""

from __future__ import annotations

from hoso.rules.primary.checks import Rating, SubjectAssessment
from hoso.rules.primary.competencies import (
    DEFAULT_CONFIG,
    SpecificCompetencyConfig,
    SpecificCompetencyRule,
)
from hoso.rules.primary.evaluate import evaluate_json, tt30_tt22_2016_year_end
from hoso.rules.primary.inputs import PRIMARY_REGULATIONS
from hoso.rules.primary.levels import Checkpoint, RatingLevel, SubjectLevel, YearResult
from hoso.rules.primary.marks import (
    TestMarkValidity,
    tt27_test_mark_valid,
    tt30_tt22_2016_test_mark_valid,
)
from hoso.rules.primary.tt27 import (
    CheckpointOutcome,
    CompletionOutcome,
    RewardCandidate,
    YearInput,
    YearOutcome,
    tt27_completes_grade,
    tt27_result_at_checkpoint,
    tt27_reward_candidate,
    tt27_year_result,
)
from hoso.rules.primary.tt30 import Tt30YearInput, Tt30YearOutcome, tt30_year_end

__all__ = [
    "DEFAULT_CONFIG",
    "PRIMARY_REGULATIONS",
    "Checkpoint",
    "CheckpointOutcome",
    "CompletionOutcome",
    "Rating",
    "RatingLevel",
    "RewardCandidate",
    "SpecificCompetencyConfig",
    "SpecificCompetencyRule",
    "SubjectAssessment",
    "SubjectLevel",
    "TestMarkValidity",
    "Tt30YearInput",
    "Tt30YearOutcome",
    "YearInput",
    "YearOutcome",
    "YearResult",
    "evaluate_json",
    "tt27_completes_grade",
    "tt27_result_at_checkpoint",
    "tt27_reward_candidate",
    "tt27_test_mark_valid",
    "tt27_year_result",
    "tt30_tt22_2016_test_mark_valid",
    "tt30_tt22_2016_year_end",
    "tt30_year_end",
]
