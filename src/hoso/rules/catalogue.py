"""The subject catalogue (``data/subjects.json``, copied from ``shared/domain/subjects.json``).

One catalogue serves the engine, the importers and the school-year set-up (decision D21): a name
seen in a file or an input is normalised, looked up among the aliases, and resolved to the entry
of that code for the programme and grade. A grade without that code is not guessed (subjects.md).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

PROGRAMMES = ("2018", "old")


@dataclass(frozen=True, slots=True)
class SubjectEntry:
    """One subject or activity of one grade of one programme."""

    code: str
    name: str
    programme: str
    grade: int
    kind: str  # "subject" | "activity"
    compulsory: bool | None
    elective_group: str | None
    periods_per_year: int | None
    assessment: str  # "levels" | "score" | "comment"
    periodic_test: tuple[str, ...] | None
    regular_marks: int | None
    roles: frozenset[str]
    topic_cluster_periods: int | None

    def has_role(self, role: str) -> bool:
        return role in self.roles


def normalise_name(name: str) -> str:
    """NFC, trimmed, inner whitespace collapsed, casefolded, dashes unified (subjects.md)."""
    text = unicodedata.normalize("NFC", name).strip()
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.split()).casefold()


@cache
def raw_catalogue() -> Mapping[str, Any]:
    """The catalogue file as parsed JSON (read once per process)."""
    text = resources.files("hoso.rules").joinpath("data/subjects.json").read_text(encoding="utf-8")
    data: Mapping[str, Any] = json.loads(text)
    return data


@cache
def _aliases() -> Mapping[str, str]:
    aliases: dict[str, str] = {}
    for alias, code in raw_catalogue()["aliases"].items():
        aliases[normalise_name(alias)] = code
    for programme in raw_catalogue()["programmes"].values():
        for entries in programme["grades"].values():
            for entry in entries:
                aliases.setdefault(normalise_name(entry["name"]), entry["code"])
    return aliases


def code_for_name(name: str) -> str | None:
    """The subject code a spelling stands for, or ``None`` if the catalogue does not know it."""
    return _aliases().get(normalise_name(name))


def _entry(programme: str, grade: int, raw: Mapping[str, Any]) -> SubjectEntry:
    periodic = raw.get("periodic_test")
    return SubjectEntry(
        code=raw["code"],
        name=unicodedata.normalize("NFC", raw["name"]),
        programme=programme,
        grade=grade,
        kind=raw["kind"],
        compulsory=raw.get("compulsory"),
        elective_group=raw.get("elective_group"),
        periods_per_year=raw.get("periods_per_year"),
        assessment=raw["assessment"],
        periodic_test=tuple(periodic) if periodic is not None else None,
        regular_marks=raw.get("regular_marks"),
        roles=frozenset(raw.get("roles") or ()),
        topic_cluster_periods=raw.get("topic_cluster_periods"),
    )


@cache
def grade_subjects(programme: str, grade: int) -> tuple[SubjectEntry, ...]:
    """Every subject and activity of a grade in a programme, in the catalogue's order."""
    grades = raw_catalogue()["programmes"][programme]["grades"]
    return tuple(_entry(programme, grade, raw) for raw in grades.get(str(grade), ()))


def resolve(name: str, *, programme: str, grade: int) -> SubjectEntry | None:
    """The entry a subject name stands for in that programme and grade, or ``None``."""
    code = code_for_name(name)
    if code is None:
        return None
    for entry in grade_subjects(programme, grade):
        if entry.code == code:
            return entry
    return None
