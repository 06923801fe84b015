"""Synthetic province generator (issue 9): schools, classes, students, teachers, assignments and a
full year of marks, the same every time (one seeded ``random.Random``, fixed dates, explicit ids).

    .venv/bin/python -m bench.generate --scale 0.05        # 50 schools, 30,000 students
    .venv/bin/python -m bench.generate --scale 1           # 1,000 schools, 600,000 students

The command drops and recreates the bench database (``--database-url``, default
``postgres://postgres@127.0.0.1:5432/hoso_bench``), runs ``manage.py migrate`` on it and loads
every row with ``COPY`` (psycopg 3 ``cursor.copy``). :func:`generate` itself runs on any database
Django is connected to (``tests/bench`` runs it on SQLite and PostgreSQL with plain inserts).

What is generated (year 2025-2026, programme GDPT 2018, regime TT22):
- one province, ``ceil(schools / 12)`` districts, schools of lower secondary (grades 6–9, the
  13 compulsory subjects) and upper secondary (10–12, 8 compulsory + a bundle of 4 electives);
  school 1 (``BS0001``) is a lower-secondary school of 1,500 students in classes of 44–45
  (``6A1`` has 45) — the school of the dashboard and grid targets;
- classes of 40–45 students, one teaching group per class, one subject teacher per
  class-subject (a teacher takes up to 6 classes of a subject), a homeroom teacher per class,
  a principal ``ht.<school>``, an administrator ``qt.<school>``, district officers
  ``pgd.<district>`` and a province officer ``so.bench`` — every account with the password
  :data:`PASSWORD` (one Argon2 hash shared by all, hashing 30,000 would take half an hour);
- both semesters of marks for every student and subject: the regular marks the catalogue
  requires, the mid-term and the final (``Đ``/``CĐ`` for comment subjects), all entered as
  drafts, version 1, each with its ``MarkRevision``.

Documented shortcut (audit): one ``marks.saved`` event per teaching assignment and semester (not
one per column save): its ``changes`` say how many marks it stands for instead of listing them,
and its hash is made by the audit app's own :func:`hoso.audit.hashing.event_hash`, chained per
school, so ``manage.py audit_verify`` passes. Every revision points to its event.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bench.common import (
    REPO,
    admin_url,
    command_line,
    database_name,
    database_url,
    libpq_url,
    result_write,
    say,
    setup_django,
)

SEED = 20252026
PASSWORD = "hoso-bench-2025"
YEAR_NAME = "2025-2026"
YEAR_START, YEAR_END = dt.date(2025, 9, 5), dt.date(2026, 5, 31)
SEMESTERS = (
    (dt.date(2025, 9, 5), dt.date(2026, 1, 15)),
    (dt.date(2026, 1, 19), dt.date(2026, 5, 31)),
)
T0 = dt.datetime(2025, 9, 1, 7, 0, tzinfo=dt.UTC)
ENTERED = {
    1: dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.UTC),
    2: dt.datetime(2026, 5, 20, 8, 0, tzinfo=dt.UTC),
}
CLASS_SIZE = (40, 45)
BIG_SCHOOL_STUDENTS = 1_500
CLASSES_PER_TEACHER = 6
SCHOOLS_PER_DISTRICT = 12
LOWER_GRADES = (6, 7, 8, 9)
UPPER_GRADES = (10, 11, 12)
ELECTIVE_BUNDLES = (
    ("vat_li", "hoa_hoc", "sinh_hoc", "tin_hoc"),
    ("vat_li", "hoa_hoc", "tin_hoc", "cong_nghe"),
    ("dia_li", "giao_duc_kinh_te_va_phap_luat", "vat_li", "tin_hoc"),
)


@dataclass(frozen=True)
class Plan:
    schools: int
    students: int
    big_school: int = BIG_SCHOOL_STUDENTS  # students of school 1 (0: no big school)

    @classmethod
    def at_scale(cls, scale: float) -> Plan:
        return cls(schools=max(1, round(1000 * scale)), students=max(40, round(600_000 * scale)))


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


class Loader:
    """Rows into tables: ``COPY`` on PostgreSQL, ``executemany`` elsewhere (the smoke test)."""

    def __init__(self, summary: Summary) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.summary = summary

    def load(self, model: type[Any], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        meta = model._meta
        present = {f.name for f in meta.concrete_fields}
        if not present.issuperset(fields):
            # A field this version of the schema lacks (another issue adds it): leave it out.
            keep = [i for i, name in enumerate(fields) if name in present]
            fields = [fields[i] for i in keep]
            rows = ([row[i] for i in keep] for row in rows)
        columns = [meta.get_field(name).column for name in fields]
        table = meta.db_table
        started = time.perf_counter()
        count = 0
        with self.connection.cursor() as cursor:
            if self.postgres:
                quoted = ", ".join(f'"{c}"' for c in columns)
                with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                marks = ", ".join(["%s"] * len(columns))
                quoted = ", ".join(f'"{c}"' for c in columns)
                batch: list[Sequence[Any]] = []
                sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'
                for row in rows:
                    batch.append([_sqlite(v) for v in row])
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        self.summary.counts[table] = self.summary.counts.get(table, 0) + count
        self.summary.seconds[table] = self.summary.seconds.get(table, 0.0) + (
            time.perf_counter() - started
        )
        return count


def _sqlite(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Ids:
    """Explicit primary keys (no RETURNING round trips), counted from 1 per table, or from the
    current maximum when the table already holds rows (the smoke test's database)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def start(self, model: type[Any]) -> None:
        from django.db.models import Max

        current = model.objects.aggregate(top=Max("pk"))["top"] or 0
        self.next[model._meta.db_table] = current + 1

    def take(self, model: type[Any]) -> int:
        table = model._meta.db_table
        value = self.next[table]
        self.next[table] = value + 1
        return value


@dataclass
class School:
    id: int
    code: str
    district_id: int
    grades: tuple[int, ...]
    class_sizes: list[int]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _schools_plan(plan: Plan, rng: random.Random) -> list[tuple[tuple[int, ...], list[int]]]:
    """For each school: its grades and the sizes of its classes (grade-major order)."""
    specs: list[tuple[tuple[int, ...], list[int]]] = []
    remaining = plan.students
    for number in range(plan.schools):
        grades = UPPER_GRADES if number % 10 in (3, 6, 9) else LOWER_GRADES
        if number == 0 and plan.big_school:
            target = min(plan.big_school, remaining)
        else:
            left = plan.schools - number
            target = remaining // left if left else 0
        # As few classes as keep every class at most 45 (the grid's 45-student class); the
        # classes are shared out over the grades in order (a grade may have one class more).
        n_classes = max(len(grades), math.ceil(target / CLASS_SIZE[1]))
        sizes = [target // n_classes] * n_classes
        for i in range(target - sum(sizes)):
            sizes[i % n_classes] += 1
        if not (number == 0 and plan.big_school):
            # Vary sizes a little around the mean, keeping the school's total.
            for i in range(0, n_classes - 1, 2):
                shift = rng.randint(0, 2)
                if sizes[i] + shift <= CLASS_SIZE[1] and sizes[i + 1] - shift >= 1:
                    sizes[i] += shift
                    sizes[i + 1] -= shift
        else:
            sizes.sort(reverse=True)
        specs.append((grades, sizes))
        remaining -= sum(sizes)
    return specs


def _class_codes(subjects: dict[tuple[int, str], Any], grade: int, position: int) -> list[str]:
    from hoso.rules.catalogue import grade_subjects

    bundle = ELECTIVE_BUNDLES[position % len(ELECTIVE_BUNDLES)] if grade >= 10 else ()
    return [
        e.code
        for e in grade_subjects("2018", grade)
        if (e.compulsory or e.code in bundle) and (grade, e.code) in subjects
    ]


def generate(plan: Plan, *, seed: int = SEED, progress: Callable[[str], None] = say) -> Summary:
    """Load the synthetic province into the connected database (inside one transaction)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from hoso.academics.models import (
        Enrollment,
        SchoolClass,
        SchoolYear,
        Semester,
        Student,
        Subject,
        TeachingAssignment,
        TeachingGroup,
    )
    from hoso.accounts.models import Role, RoleAssignment, User
    from hoso.assessment.models import Mark, MarkRevision
    from hoso.audit.hashing import event_hash
    from hoso.audit.models import GENESIS_HASH, AuditChain, AuditEvent
    from hoso.core.names import name_sort_key
    from hoso.demo import names
    from hoso.organizations.models import Unit, UnitLink

    rng = random.Random(seed)
    summary = Summary()
    loader = Loader(summary)
    ids = Ids()
    for model in (
        Unit, UnitLink, SchoolYear, Semester, User, RoleAssignment, SchoolClass, TeachingGroup,
        TeachingAssignment, Student, Enrollment, Mark, MarkRevision, AuditChain, AuditEvent,
    ):  # fmt: skip
        ids.start(model)
    password = make_password(PASSWORD)
    subjects = {(s.grade, s.code): s for s in Subject.objects.filter(programme="2018")}

    def timed(label: str, started: float) -> None:
        progress(f"  {label}: {time.perf_counter() - started:.1f} s")

    with transaction.atomic():
        started = time.perf_counter()
        # --- years ---------------------------------------------------------------------------
        year_id = ids.take(SchoolYear)
        loader.load(
            SchoolYear,
            ["id", "uuid", "created_at", "updated_at", "name", "start_date", "end_date"],
            [(year_id, _uuid(rng), T0, T0, YEAR_NAME, YEAR_START, YEAR_END)],
        )
        loader.load(
            Semester,
            ["id", "year", "number", "start_date", "end_date"],
            [(ids.take(Semester), year_id, n, s, e) for n, (s, e) in enumerate(SEMESTERS, 1)],
        )
        # --- units ---------------------------------------------------------------------------
        unit_rows: list[tuple[Any, ...]] = []
        link_rows: list[tuple[Any, ...]] = []
        tree_from = dt.date(2020, 1, 1)

        def unit(kind: str, code: str, name: str, parent: int | None, **extra: Any) -> int:
            pk = ids.take(Unit)
            school_type = extra.get("school_type", "")
            grades = json.dumps(list(extra.get("grades", ())))
            unit_rows.append(
                (pk, _uuid(rng), T0, T0, kind, code, name, tree_from, school_type, grades, "", "",
                 parent)
            )  # fmt: skip
            if parent is not None:
                link_rows.append((ids.take(UnitLink), pk, parent, tree_from))
            return pk

        province = unit("province", "BSO", "Sở GD&ĐT tỉnh Thử Nghiệm", None)
        specs = _schools_plan(plan, rng)
        districts = [
            unit("district", f"BPGD{d + 1:02d}", f"Phòng GD&ĐT huyện {d + 1}", province)
            for d in range(math.ceil(len(specs) / SCHOOLS_PER_DISTRICT))
        ]
        schools: list[School] = []
        for number, (grades, sizes) in enumerate(specs, start=1):
            code = f"BS{number:04d}"
            district = districts[(number - 1) // SCHOOLS_PER_DISTRICT]
            kind = "upper" if grades == UPPER_GRADES else "lower"
            name = f"Trường {'THPT' if kind == 'upper' else 'THCS'} Thử Nghiệm {number}"
            pk = unit("school", code, name, district, school_type=kind, grades=grades)
            schools.append(School(pk, code, district, grades, sizes))
        loader.load(
            Unit,
            [
                "id", "uuid", "created_at", "updated_at", "kind", "code", "name", "valid_from",
                "school_type", "grades", "address", "phone", "parent",
            ],
            unit_rows,
        )  # fmt: skip
        loader.load(UnitLink, ["id", "child", "parent", "valid_from"], link_rows)
        timed(f"{len(unit_rows)} units", started)

        # --- classes, groups, teachers, assignments ------------------------------------------
        started = time.perf_counter()
        user_fields = [
            "id", "password", "is_superuser", "username", "first_name", "last_name", "email",
            "is_staff", "is_active", "date_joined", "uuid", "full_name", "phone", "address",
            "home_unit", "password_change_required",
        ]  # fmt: skip
        user_rows: list[tuple[Any, ...]] = []
        grant_rows: list[tuple[Any, ...]] = []

        def user(username: str, full_name: str, home: int, roles: Iterable[str]) -> int:
            pk = ids.take(User)
            user_rows.append(
                (pk, password, False, username, "", "", "", False, True, T0, _uuid(rng),
                 full_name, "", "", home, False)
            )  # fmt: skip
            for role in roles:
                grant_rows.append(
                    (ids.take(RoleAssignment), _uuid(rng), T0, T0, pk, role, home, tree_from, "")
                )
            return pk

        user("so.bench", "Cán bộ Sở (thử nghiệm)", province, [Role.PROVINCE_OFFICER])
        for number, district in enumerate(districts, start=1):
            user(
                f"pgd{number:02d}.bench",
                f"Cán bộ Phòng {number}",
                district,
                [Role.DISTRICT_OFFICER],
            )
        class_rows: list[tuple[Any, ...]] = []
        group_rows: list[tuple[Any, ...]] = []
        assignment_rows: list[tuple[Any, ...]] = []
        # (class id, grade, size, school) and per class: [(subject, teacher id, assignment id)]
        classes: list[tuple[int, int, int, School, str]] = []
        teaching: dict[int, list[tuple[Any, int, int]]] = {}
        for school in schools:
            slug = school.code.lower()
            user(f"ht.{slug}", names.person(rng).full_name, school.id, [Role.PRINCIPAL])
            user(f"qt.{slug}", names.person(rng).full_name, school.id, [Role.SCHOOL_ADMIN])
            n_classes = len(school.class_sizes)
            per_grade_seen: dict[int, int] = {}
            school_classes: list[tuple[int, int, int, str]] = []
            for position, size in enumerate(school.class_sizes):
                grade = school.grades[position * len(school.grades) // n_classes]
                per_grade_seen[grade] = per_grade_seen.get(grade, 0) + 1
                name = f"{grade}A{per_grade_seen[grade]}"
                school_classes.append((ids.take(SchoolClass), grade, size, name))
            by_code: dict[str, list[tuple[int, int, int, str]]] = {}
            for entry in school_classes:
                position = int(entry[3].split("A")[1]) - 1
                for code in _class_codes(subjects, entry[1], position):
                    by_code.setdefault(code, []).append(entry)
            teacher_ids: list[int] = []
            pairs: list[tuple[int, int, str]] = []  # teacher, class, code
            for code, code_classes in by_code.items():
                for start in range(0, len(code_classes), CLASSES_PER_TEACHER):
                    teacher = user(
                        f"gv{len(teacher_ids) + 1:03d}.{slug}",
                        names.person(rng).full_name,
                        school.id,
                        [Role.SUBJECT_TEACHER],
                    )
                    teacher_ids.append(teacher)
                    for entry in code_classes[start : start + CLASSES_PER_TEACHER]:
                        pairs.append((teacher, entry[0], code))
            grade_of = {entry[0]: entry[1] for entry in school_classes}
            for number, (class_id, grade, size, name) in enumerate(school_classes):
                homeroom = teacher_ids[number % len(teacher_ids)]
                grant_rows.append(
                    (ids.take(RoleAssignment), _uuid(rng), T0, T0, homeroom,
                     Role.HOMEROOM_TEACHER, school.id, tree_from, "")
                )  # fmt: skip
                class_rows.append(
                    (
                        class_id,
                        _uuid(rng),
                        T0,
                        T0,
                        school.id,
                        year_id,
                        grade,
                        name,
                        "2018",
                        homeroom,
                    )
                )
                group_rows.append(
                    (class_id, _uuid(rng), T0, T0, school.id, year_id, name, class_id)
                )
                classes.append((class_id, grade, size, school, name))
            for teacher, class_id, code in pairs:
                subject = subjects[(grade_of[class_id], code)]
                pk = ids.take(TeachingAssignment)
                assignment_rows.append(
                    (pk, _uuid(rng), T0, T0, school.id, year_id, teacher, subject.id, class_id)
                )
                teaching.setdefault(class_id, []).append((subject, teacher, pk))
        loader.load(User, user_fields, user_rows)
        loader.load(
            RoleAssignment,
            [
                "id",
                "uuid",
                "created_at",
                "updated_at",
                "user",
                "role",
                "unit",
                "valid_from",
                "note",
            ],
            grant_rows,
        )
        loader.load(
            SchoolClass,
            ["id", "uuid", "created_at", "updated_at", "school", "year", "grade", "name",
             "programme", "homeroom_teacher"],
            class_rows,
        )  # fmt: skip
        # One whole-class group per class: the group's id is the class's (both counted from 1).
        group_offset = ids.next[TeachingGroup._meta.db_table] - ids.next[SchoolClass._meta.db_table]
        group_offset += len(class_rows)
        group_rows = [(r[0] + group_offset, *r[1:]) for r in group_rows]
        loader.load(
            TeachingGroup,
            ["id", "uuid", "created_at", "updated_at", "school", "year", "name", "school_class"],
            group_rows,
        )
        ids.next[TeachingGroup._meta.db_table] += len(group_rows)
        assignment_rows = [(*r[:8], r[8] + group_offset) for r in assignment_rows]
        loader.load(
            TeachingAssignment,
            ["id", "uuid", "created_at", "updated_at", "school", "year", "teacher", "subject",
             "group"],
            assignment_rows,
        )  # fmt: skip
        timed(
            f"{len(class_rows)} classes, {len(user_rows)} accounts, "
            f"{len(assignment_rows)} assignments",
            started,
        )

        # --- students and enrolments ---------------------------------------------------------
        started = time.perf_counter()
        student_rows: list[tuple[Any, ...]] = []
        enrollment_rows: list[tuple[Any, ...]] = []
        roster: list[tuple[int, list[tuple[int, float]]]] = []  # class id → (enrolment, ability)
        serial = 0
        for class_id, grade, size, school, _name in classes:
            members: list[tuple[int, float]] = []
            for _ in range(size):
                serial += 1
                child = names.person(rng)
                born = dt.date(2019 - grade, 1, 1) + dt.timedelta(days=rng.randrange(365))
                student_id = ids.take(Student)
                student_rows.append(
                    (student_id, _uuid(rng), T0, T0, f"098{serial:09d}", child.full_name,
                     name_sort_key(child.full_name), child.gender, born, "", "Kinh", "Việt Nam",
                     "", "", "", "", "", "", f"B{serial:08d}", "", "", "", "", "", "", False, "",
                     school.id)
                )  # fmt: skip
                enrollment_id = ids.take(Enrollment)
                enrollment_rows.append(
                    (enrollment_id, _uuid(rng), T0, T0, student_id, class_id, school.id, year_id,
                     "studying", YEAR_START)
                )  # fmt: skip
                members.append((enrollment_id, min(9.6, max(3.0, rng.gauss(7.0, 1.2)))))
            roster.append((class_id, members))
        loader.load(
            Student,
            ["id", "uuid", "created_at", "updated_at", "national_id", "full_name", "name_sort_key",
             "gender", "date_of_birth", "place_of_birth", "ethnicity", "nationality", "religion",
             "hometown", "permanent_address", "current_address", "phone", "email",
             "school_student_code", "father_name", "father_occupation", "mother_name",
             "mother_occupation", "guardian_name", "guardian_occupation", "has_disability",
             "exemptions", "current_school"],
            student_rows,
        )  # fmt: skip
        loader.load(
            Enrollment,
            ["id", "uuid", "created_at", "updated_at", "student", "school_class", "school",
             "year", "status", "start_date"],
            enrollment_rows,
        )  # fmt: skip
        timed(f"{len(student_rows)} students", started)
        del student_rows, enrollment_rows

        # --- marks, revisions, audit events --------------------------------------------------
        started = time.perf_counter()
        school_of_class = {c[0]: c[3] for c in classes}
        chains: dict[int, list[Any]] = {}  # school id → [chain id, last seq, last hash]
        events: list[tuple[Any, ...]] = []
        mark_rows: list[tuple[Any, ...]] = []
        revision_rows: list[tuple[Any, ...]] = []
        usernames = {row[0]: row[3] for row in user_rows}
        steps = [Decimal(n) / 2 for n in range(21)]  # 0.0, 0.5 … 10.0
        for class_id, members in roster:
            school = school_of_class[class_id]
            for subject, teacher, assignment_id in teaching.get(class_id, []):
                comment = subject.assessment == "comment"
                regular = subject.regular_marks or 2
                columns = [("regular", i) for i in range(1, regular + 1)]
                columns += [("midterm", 1), ("final", 1)]
                for semester in (1, 2):
                    chain = chains.get(school.id)
                    if chain is None:
                        chain = chains[school.id] = [ids.take(AuditChain), 0, GENESIS_HASH]
                    event_id = ids.take(AuditEvent)
                    entered = ENTERED[semester]
                    count = 0
                    for enrollment_id, ability in members:
                        for kind, index in columns:
                            mark_id = ids.take(Mark)
                            if comment:
                                value, text = None, ("Đ" if rng.random() < 0.96 else "CĐ")
                                stored = text
                            else:
                                score = ability + rng.gauss(0.0, 1.1)
                                value = steps[min(20, max(0, round(score * 2)))]
                                stored = ""
                                text = format(value, "f").replace(".", ",")
                            mark_rows.append(
                                (mark_id, school.id, year_id, enrollment_id, subject.id, semester,
                                 kind, index, value, stored, "draft", False, 1, teacher, entered)
                            )  # fmt: skip
                            revision_rows.append(
                                (ids.take(MarkRevision), mark_id, school.id, "", text, "",
                                 "draft", 1, teacher, entered, event_id, "")
                            )  # fmt: skip
                            count += 1
                    chain[1] += 1
                    event = AuditEvent(
                        id=event_id,
                        uuid=_uuid(rng),
                        chain_id=chain[0],
                        unit_id=school.id,
                        seq=chain[1],
                        prev_hash=chain[2],
                        occurred_at=T0 + dt.timedelta(seconds=event_id),
                        actor_id=teacher,
                        actor_username=usernames[teacher],
                        ip_address="",
                        user_agent="bench.generate",
                        action="marks.saved",
                        target_type="teaching_assignment",
                        target_id=str(assignment_id),
                        summary=f"{subject.name} — HK{semester}: {count} điểm (dữ liệu thử nghiệm)",
                        changes=[
                            {
                                "object": f"generated:{assignment_id}:HK{semester}",
                                "field": "marks",
                                "old": None,
                                "new": str(count),
                            }
                        ],
                        reason="",
                        approval_ref=None,
                        school_year=YEAR_NAME,
                    )
                    event.hash = event_hash(event)
                    chain[2] = event.hash
                    events.append(
                        (event.id, event.uuid, event.chain_id, event.unit_id, event.seq,
                         event.prev_hash, event.hash, event.occurred_at, event.actor_id,
                         event.actor_username, event.ip_address, event.user_agent, event.action,
                         event.target_type, event.target_id, event.summary,
                         json.dumps(event.changes, ensure_ascii=False), event.reason,
                         event.approval_ref, event.school_year)
                    )  # fmt: skip
            if len(mark_rows) >= 200_000:
                _flush_marks(loader, Mark, MarkRevision, mark_rows, revision_rows)
        _flush_marks(loader, Mark, MarkRevision, mark_rows, revision_rows)
        loader.load(
            AuditChain,
            ["id", "unit", "last_seq", "last_hash", "created_at"],
            [(c[0], school_id, c[1], c[2], T0) for school_id, c in chains.items()],
        )
        loader.load(
            AuditEvent,
            ["id", "uuid", "chain", "unit", "seq", "prev_hash", "hash", "occurred_at", "actor",
             "actor_username", "ip_address", "user_agent", "action", "target_type", "target_id",
             "summary", "changes", "reason", "approval_ref", "school_year"],
            events,
        )  # fmt: skip
        timed(
            f"{summary.counts.get(Mark._meta.db_table, 0)} marks, revisions, {len(events)} events",
            started,
        )
    return summary


def _flush_marks(
    loader: Loader,
    mark: type[Any],
    revision: type[Any],
    mark_rows: list[tuple[Any, ...]],
    revision_rows: list[tuple[Any, ...]],
) -> None:
    loader.load(
        mark,
        ["id", "school", "year", "enrollment", "subject", "semester", "kind", "index", "value",
         "comment", "state", "locked", "version", "entered_by", "entered_at"],
        mark_rows,
    )  # fmt: skip
    loader.load(
        revision,
        ["id", "mark", "school", "old_text", "new_text", "old_state", "new_state", "version",
         "changed_by", "changed_at", "event_id", "reason"],
        revision_rows,
    )  # fmt: skip
    mark_rows.clear()
    revision_rows.clear()


# --- the command: a fresh PostgreSQL database, migrated, loaded fast ----------------------------

BULK_TABLES = ("assessment_mark", "assessment_markrevision", "academics_student",
               "academics_enrollment")  # fmt: skip


def _recreate_database(url: str) -> None:
    import psycopg

    name = database_name(url)
    with psycopg.connect(libpq_url(admin_url(url)), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _migrate(url: str) -> None:
    env = {**__import__("os").environ, "DATABASE_URL": url, "DEBUG": "false",
           "SECRET_KEY": "bench-only-secret-key-" + "x" * 40}  # fmt: skip
    subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "migrate", "--noinput", "-v", "0"],
        check=True,
        env=env,
        cwd=REPO,
    )


def _drop_secondary_indexes(cursor: Any) -> list[str]:
    """Drop the non-primary indexes and unique constraints of the bulk tables; return the SQL that
    builds them again (building an index once after the load beats updating it per row)."""
    again: list[str] = []
    cursor.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)
        """,
        [list(BULK_TABLES)],
    )
    for table, name, definition in cursor.fetchall():
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        again.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    cursor.execute(
        """
        SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s) AND i.indexname NOT LIKE '%%_pkey'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [list(BULK_TABLES)],
    )
    for _table, name, definition in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{name}"')
        again.append(definition)
    return again


def _reset_sequences(cursor: Any) -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    for statement in connection.ops.sequence_reset_sql(no_style(), models):
        cursor.execute(statement)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=0.05, help="1 = 1,000 schools, 600,000 students"
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    url = database_url(args.database_url)
    plan = Plan.at_scale(args.scale)
    say(f"bench.generate: {plan.schools} schools, {plan.students} students → {database_name(url)}")
    total = time.perf_counter()
    started = time.perf_counter()
    _recreate_database(url)
    _migrate(url)
    migrate_seconds = time.perf_counter() - started
    say(f"  database created and migrated: {migrate_seconds:.1f} s")
    setup_django(url)
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            # Bench loader only: skip foreign-key triggers (the generator makes consistent rows)
            # and per-row index upkeep; everything is checked and indexed once at the end.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            rebuild = _drop_secondary_indexes(cursor)
        load_started = time.perf_counter()
        summary = generate(plan, seed=args.seed)
        load_seconds = time.perf_counter() - load_started
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for statement in rebuild:
                cursor.execute(statement)
            cursor.execute("SET session_replication_role = origin")
            _reset_sequences(cursor)
        index_seconds = time.perf_counter() - started
    started = time.perf_counter()
    connection.ensure_connection()
    old_autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.set_autocommit(old_autocommit)
    analyze_seconds = time.perf_counter() - started
    seconds = time.perf_counter() - total
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    copy_seconds = sum(summary.seconds.values())
    say(
        f"bench.generate: {summary.rows:,} rows in {seconds:.1f} s "
        f"(load {load_seconds:.1f} s, of which COPY {copy_seconds:.1f} s; indexes "
        f"{index_seconds:.1f} s; analyze {analyze_seconds:.1f} s) — "
        f"{summary.rows / load_seconds:,.0f} rows/s; database {size / 2**20:,.0f} MiB"
    )
    result_write(
        f"generate_{args.scale:g}",
        {
            "command": command_line(),
            "scale": args.scale,
            "schools": plan.schools,
            "students": plan.students,
            "counts": summary.counts,
            "rows": summary.rows,
            "seconds_total": seconds,
            "seconds_migrate": migrate_seconds,
            "seconds_load": load_seconds,
            "seconds_copy": copy_seconds,
            "seconds_indexes": index_seconds,
            "seconds_analyze": analyze_seconds,
            "rows_per_second": summary.rows / load_seconds,
            "database_mib": size / 2**20,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
