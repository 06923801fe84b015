"""Writes to the school-year set-up."""

from __future__ import annotations

from django.db import transaction

from hoso.academics.models import Subject
from hoso.rules.catalogue import PROGRAMMES, grade_subjects, raw_catalogue


@transaction.atomic
def subjects_sync_from_catalogue(*, model: type[Subject] = Subject) -> int:
    """Create or update every subject of the catalogue (D21); returns how many there are.

    The catalogue is reference data shared by all schools; running this again after the
    catalogue file changes brings the table in line without touching anything that refers to it.
    ``model`` lets the data migration pass its historical model.
    """
    existing = {(s.programme, s.grade, s.code): s for s in model.objects.all()}
    to_create: list[Subject] = []
    to_update: list[Subject] = []
    fields = [
        "name",
        "kind",
        "compulsory",
        "elective_group",
        "assessment",
        "periods_per_year",
        "regular_marks",
        "periodic_test",
        "roles",
        "position",
    ]
    count = 0
    for programme in PROGRAMMES:
        grades = raw_catalogue()["programmes"][programme]["grades"]
        for grade_key in grades:
            grade = int(grade_key)
            for position, entry in enumerate(grade_subjects(programme, grade)):
                count += 1
                values = {
                    "name": entry.name,
                    "kind": entry.kind,
                    "compulsory": entry.compulsory,
                    "elective_group": entry.elective_group or "",
                    "assessment": entry.assessment,
                    "periods_per_year": entry.periods_per_year,
                    "regular_marks": entry.regular_marks,
                    "periodic_test": list(entry.periodic_test)
                    if entry.periodic_test is not None
                    else None,
                    "roles": sorted(entry.roles),
                    "position": position,
                }
                subject = existing.get((programme, grade, entry.code))
                if subject is None:
                    to_create.append(
                        model(programme=programme, grade=grade, code=entry.code, **values)
                    )
                else:
                    for name, value in values.items():
                        setattr(subject, name, value)
                    to_update.append(subject)
    model.objects.bulk_create(to_create)
    model.objects.bulk_update(to_update, fields)
    return count
