"""Which open locks cover a cell (R4.4): a class, its grade or the whole school, for the cell's
semester or for the whole year."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hoso.academics.models import SchoolClass
from hoso.assessment.models import BookLock, LockScope


def open_locks(*, school_id: int, year_id: int) -> list[BookLock]:
    """Every lock of a school year still in force (one query)."""
    return list(
        BookLock.objects.filter(school_id=school_id, year_id=year_id, unlocked_at__isnull=True)
    )


def lock_covering(
    locks: Iterable[BookLock], *, school_class: SchoolClass, semester: int
) -> BookLock | None:
    """The first open lock that covers the class in that semester, if any."""
    for lock in locks:
        if lock.semester not in (None, semester):
            continue
        if lock.scope == LockScope.SCHOOL:
            return lock
        if lock.scope == LockScope.GRADE and lock.grade == school_class.grade:
            return lock
        if lock.scope == LockScope.CLASS and lock.school_class_id == school_class.id:
            return lock
    return None


def classes_locked(
    locks: Sequence[BookLock], classes: Iterable[SchoolClass], semester: int
) -> set[int]:
    return {c.id for c in classes if lock_covering(locks, school_class=c, semester=semester)}
