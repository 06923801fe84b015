"""The school workbook of ``bench.import_bench`` (issue 9) at a few pupils a class, so it never
rots: the bench school still builds with the demo seed's helpers, and the file it writes is
one the importer takes whole — every row matched, every filled cell written, none refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bench.school_workbook import (
    BENCH_SCHOOL,
    CLASS_SIZES,
    SUBJECT_NAME,
    seed_bench_school,
    write_school_workbook,
)

from hoso.academics.models import SchoolYear
from hoso.interchange.mark_import import ImportReport, import_marks
from hoso.organizations.models import Unit, UnitKind


@pytest.mark.django_db
def test_school_workbook_imports_whole(tmp_path: Path) -> None:
    Unit.objects.create(kind=UnitKind.PROVINCE, code="SO-DEMO", name="Sở")
    SchoolYear.objects.create(
        name="2025-2026", start_date=dt.date(2025, 9, 5), end_date=dt.date(2026, 5, 31)
    )
    assert sum(CLASS_SIZES) == 1_500 and len(CLASS_SIZES) == 36
    assert seed_bench_school(class_sizes=(2,) * 36) == 72

    book = write_school_workbook(tmp_path / "school.xlsx")
    assert (book.sheets, book.students) == (36, 72)
    first = write_school_workbook(tmp_path / "again.xlsx")
    assert first.cells == book.cells  # the same marks every time

    def run(dry_run: bool) -> ImportReport:
        return import_marks(
            actor=None,
            source=book.path,
            file_name=book.path.name,
            school_code=BENCH_SCHOOL,
            year="2025-2026",
            semester=2,
            subject_name=SUBJECT_NAME,
            dry_run=dry_run,
        )

    applied = run(dry_run=False)
    assert applied.ok, applied.errors[:3]
    assert applied.applied and applied.students == 72
    assert len(applied.changes) == book.cells
    again = run(dry_run=False)
    assert again.ok and not again.changes and again.unchanged == book.cells
