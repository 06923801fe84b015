"""The demo province of ``shared/design/interfaces.md``, built the same way every time.

One seeded ``random.Random`` and fixed dates: two runs give the same names, ids and assignments.
Each part of the province is one small function taking the shared :class:`_Seed` state, so later
issues add marks, attendance … as new functions called from :func:`seed_demo`.

Bulk inserts keep it to a few seconds for ~2 000 students; ``Student.save`` is bypassed, so the
Vietnamese sort key is set here (``name_sort_key``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from hoso.academics.models import (
    Enrollment,
    EnrollmentStatus,
    Programme,
    SchoolClass,
    SchoolYear,
    Semester,
    Student,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.accounts.models import ParentLink, Role, RoleAssignment, User
from hoso.core.names import name_sort_key
from hoso.demo import names
from hoso.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount, demo_account
from hoso.demo.assessment_demo import seed_assessment_demo
from hoso.demo.data import REAL_WORKBOOK
from hoso.interchange.teacher_workbook import MarkRow, read_teacher_workbook
from hoso.organizations.models import SchoolType, Unit, UnitKind, UnitLink
from hoso.organizations.services import unit_attach
from hoso.rules.catalogue import grade_subjects, resolve

RANDOM_SEED = 20252026
CURRENT_YEAR = "2025-2026"
PREVIOUS_YEAR = "2024-2025"
# The tree as the demo has it since before any year it holds (the 2025 reform is not modelled).
TREE_FROM = dt.date(2020, 1, 1)

MSG_ALREADY_SEEDED = (
    "Cơ sở dữ liệu đã có tỉnh demo (đơn vị SO-DEMO); dùng --reset để tạo lại từ đầu."
)


class DemoSeedError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class YearSpec:
    name: str
    start: dt.date
    end: dt.date
    semesters: tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]


YEARS = (
    YearSpec(
        CURRENT_YEAR,
        dt.date(2025, 9, 5),
        dt.date(2026, 5, 31),
        ((dt.date(2025, 9, 5), dt.date(2026, 1, 15)), (dt.date(2026, 1, 19), dt.date(2026, 5, 31))),
    ),
    YearSpec(
        PREVIOUS_YEAR,
        dt.date(2024, 9, 5),
        dt.date(2025, 5, 31),
        ((dt.date(2024, 9, 5), dt.date(2025, 1, 15)), (dt.date(2025, 1, 20), dt.date(2025, 5, 31))),
    ),
)


@dataclass(frozen=True, slots=True)
class UnitSpec:
    code: str
    kind: UnitKind
    name: str
    parent: str | None
    school_type: str = ""
    grades: tuple[int, ...] = ()
    address: str = ""
    # Generated schools only: classes per grade, and the area their pupils live in.
    classes_per_grade: int = 0
    area: str = ""


UNITS: tuple[UnitSpec, ...] = (
    UnitSpec(
        "SO-DEMO",
        UnitKind.PROVINCE,
        "Sở Giáo dục và Đào tạo tỉnh Hòa Sơn",
        None,
        address="phường Hòa Bình, thành phố Hòa Sơn, tỉnh Hòa Sơn",
    ),
    UnitSpec(
        "PGD-A",
        UnitKind.DISTRICT,
        "Phòng Giáo dục và Đào tạo huyện An Lạc",
        "SO-DEMO",
        address="thị trấn An Lạc, huyện An Lạc, tỉnh Hòa Sơn",
    ),
    UnitSpec(
        "PGD-B",
        UnitKind.DISTRICT,
        "Phòng Giáo dục và Đào tạo huyện Bình Lâm",
        "SO-DEMO",
        address="xã Bình Lâm, huyện Bình Lâm, tỉnh Hòa Sơn",
    ),
    UnitSpec(
        "TH-DEMO",
        UnitKind.SCHOOL,
        "Trường Tiểu học An Lạc",
        "PGD-A",
        SchoolType.PRIMARY,
        (1, 2, 3, 4, 5),
        "thị trấn An Lạc, huyện An Lạc, tỉnh Hòa Sơn",
        classes_per_grade=3,
        area="an_lac",
    ),
    UnitSpec(
        "THCS-DEMO",
        UnitKind.SCHOOL,
        "Trường THCS An Lạc",
        "PGD-A",
        SchoolType.LOWER,
        (6, 7, 8, 9),
        "xã Tân Lập, huyện An Lạc, tỉnh Hòa Sơn",
        classes_per_grade=3,
        area="an_lac",
    ),
    UnitSpec(
        "THPT-DEMO",
        UnitKind.SCHOOL,
        "Trường THPT Hòa Sơn",
        "SO-DEMO",
        SchoolType.UPPER,
        (10, 11, 12),
        "phường Trần Phú, thành phố Hòa Sơn, tỉnh Hòa Sơn",
        classes_per_grade=3,
        area="city",
    ),
    UnitSpec(
        "LC-DEMO",
        UnitKind.SCHOOL,
        "Trường THCS và THPT Hòa Sơn",
        "SO-DEMO",
        SchoolType.MULTI,
        (9, 10, 11, 12),
        "phường Đông Thành, thành phố Hòa Sơn, tỉnh Hòa Sơn",
    ),
    UnitSpec(
        "TH-DEMO-B",
        UnitKind.SCHOOL,
        "Trường Tiểu học Bình Lâm",
        "PGD-B",
        SchoolType.PRIMARY,
        (1, 2, 3, 4, 5),
        "xã Bình Lâm, huyện Bình Lâm, tỉnh Hòa Sơn",
        classes_per_grade=2,
        area="binh_lam",
    ),
)
GENERATED_SCHOOLS = tuple(u for u in UNITS if u.classes_per_grade)

# Subjects the primary class teacher teaches; specialists take the others.
PRIMARY_CLASS_TEACHER_CODES = frozenset(
    {
        "tieng_viet",
        "toan",
        "dao_duc",
        "tu_nhien_va_xa_hoi",
        "lich_su_va_dia_li",
        "khoa_hoc",
        "hoat_dong_trai_nghiem",
    }
)
# Secondary: the activities go to the homeroom teacher.
HOMEROOM_CODES = frozenset({"hoat_dong_trai_nghiem", "noi_dung_giao_duc_dia_phuong"})
# Optional subjects every demo class takes: English from grade 1 (TT32/2018 makes it optional in
# grades 1–2, most schools teach it).
TAKEN_OPTIONAL = frozenset({"ngoai_ngu_1"})
# Upper secondary: four elective subjects per class, by the class's position in its grade.
ELECTIVE_BUNDLES = (
    ("vat_li", "hoa_hoc", "sinh_hoc", "tin_hoc"),
    ("vat_li", "hoa_hoc", "tin_hoc", "cong_nghe"),
    ("dia_li", "giao_duc_kinh_te_va_phap_luat", "vat_li", "tin_hoc"),
)
# A subject teacher takes at most this many class-subjects before a colleague is added.
PAIRS_PER_TEACHER = 8
STUDENTS_PER_CLASS = (35, 45)


@dataclass(frozen=True, slots=True)
class SeedSummary:
    units: int
    schools: int
    classes: int
    students: int
    enrollments: int
    teaching_groups: int
    teaching_assignments: int
    accounts: int
    seconds: float

    def __str__(self) -> str:
        seconds = f"{self.seconds:.1f}".replace(".", ",")  # decimal comma on screen
        return (
            f"tỉnh demo: {self.units} đơn vị ({self.schools} trường), {self.classes} lớp, "
            f"{self.students} học sinh, {self.enrollments} lượt ghi danh, "
            f"{self.teaching_assignments} phân công giảng dạy, {self.accounts} tài khoản "
            f"(mật khẩu {DEMO_PASSWORD}) "
            f"— {seconds} giây."
        )


@dataclass
class _Seed:
    """State shared by the parts of the seed."""

    rng: random.Random
    password: str
    years: dict[str, SchoolYear] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    subjects: dict[tuple[int, str], Subject] = field(default_factory=dict)
    used_ids: set[str] = field(default_factory=set)
    student_code_next: int = 1_000_001

    @property
    def year(self) -> SchoolYear:
        return self.years[CURRENT_YEAR]

    def subject(self, grade: int, code: str) -> Subject:
        return self.subjects[(grade, code)]


@transaction.atomic
def seed_demo(*, reset: bool = False) -> SeedSummary:
    """Build the demo province; ``reset`` empties the tables it fills first."""
    started = time.perf_counter()
    if reset:
        demo_reset()
    elif Unit.objects.filter(code="SO-DEMO").exists():
        raise DemoSeedError(MSG_ALREADY_SEEDED)
    # One hash for every demo account: Argon2 costs ~50 ms a call, the password is shared anyway.
    seed = _Seed(rng=random.Random(RANDOM_SEED), password=make_password(DEMO_PASSWORD))
    seed.subjects = {
        (s.grade, s.code): s for s in Subject.objects.filter(programme=Programme.GDPT_2018)
    }
    _seed_years(seed)
    _seed_units(seed)
    for spec in GENERATED_SCHOOLS:
        _seed_generated_school(seed, spec)
    _seed_workbook_school(seed)
    _seed_officials(seed)
    seed_assessment_demo()  # 12T1's marks, absences, ratings, comments (issue 5)
    return _summary(time.perf_counter() - started)


# Tables of this package's own parts, emptied in this order by ``demo_reset``; reference data
# loaded by migrations (the subject catalogue) is kept.
DEMO_MODELS: tuple[type[models.Model], ...] = (
    ParentLink,
    RoleAssignment,
    TeachingAssignment,
    TeachingGroup.members.through,
    TeachingGroup,
    Enrollment,
    Student,
    SchoolClass,
    Semester,
    SchoolYear,
    UnitLink,
    Unit,
    User,
)
KEPT_MODELS: frozenset[type[models.Model]] = frozenset({Subject})


@transaction.atomic  # foreign keys are checked at commit, whatever the order of the DELETEs
def demo_reset() -> None:
    """Empty every table the demo fills — and everything built on it — children first."""
    _wipe_dependent_tables()
    ParentLink.objects.all().delete()
    RoleAssignment.objects.all().delete()
    TeachingAssignment.objects.all().delete()
    TeachingGroup.members.through.objects.all().delete()
    TeachingGroup.objects.all().delete()
    Enrollment.objects.all().delete()
    Student.objects.all().delete()
    SchoolClass.objects.all().delete()
    Semester.objects.all().delete()
    SchoolYear.objects.all().delete()
    UnitLink.objects.all().delete()
    Unit.objects.update(parent=None)  # the direct-parent column protects the children
    Unit.objects.all().delete()
    # Keep superusers a developer made; every other account is demo data.
    User.objects.filter(is_superuser=False).delete()


def _wipe_dependent_tables() -> None:
    """Empty the tables other apps keep on top of the demo (marks, locks, the audit log …).

    They are found, not listed, so a new app does not break ``--reset``. PostgreSQL gets one
    ``TRUNCATE``: the append-only tables (audit events, mark revisions) refuse row deletes by
    trigger, and a reset of the demo is the one place where wiping them is intended. Elsewhere
    plain ``DELETE`` in any order is fine: foreign keys are checked at commit.
    """
    ours = set(DEMO_MODELS) | KEPT_MODELS
    dependent = [
        model
        for model in django_apps.get_models(include_auto_created=True)
        if model.__module__.startswith("hoso.")
        and model not in ours
        and model._meta.managed
        and not model._meta.proxy
    ]
    if not dependent:
        return
    tables = [connection.ops.quote_name(model._meta.db_table) for model in dependent]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with pending deferred foreign-key checks in this
            # transaction: run them now, then defer again as Django expects.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def _summary(seconds: float) -> SeedSummary:
    return SeedSummary(
        units=Unit.objects.count(),
        schools=Unit.objects.filter(kind=UnitKind.SCHOOL).count(),
        classes=SchoolClass.objects.count(),
        students=Student.objects.count(),
        enrollments=Enrollment.objects.count(),
        teaching_groups=TeachingGroup.objects.count(),
        teaching_assignments=TeachingAssignment.objects.count(),
        accounts=User.objects.filter(is_superuser=False).count(),
        seconds=seconds,
    )


# --- years and the unit tree ----------------------------------------------------------------


def _seed_years(seed: _Seed) -> None:
    for spec in YEARS:
        year = SchoolYear.objects.create(name=spec.name, start_date=spec.start, end_date=spec.end)
        Semester.objects.bulk_create(
            Semester(year=year, number=number, start_date=start, end_date=end)
            for number, (start, end) in enumerate(spec.semesters, start=1)
        )
        seed.years[spec.name] = year


def _seed_units(seed: _Seed) -> None:
    for spec in UNITS:
        unit = Unit.objects.create(
            kind=spec.kind,
            code=spec.code,
            name=spec.name,
            valid_from=TREE_FROM,
            school_type=spec.school_type,
            grades=list(spec.grades),
            address=spec.address,
        )
        seed.units[spec.code] = unit
        if spec.parent is not None:
            unit_attach(child=unit, parent=seed.units[spec.parent], valid_from=TREE_FROM)


# --- accounts -------------------------------------------------------------------------------


def _new_users(seed: _Seed, people: Sequence[tuple[str, str]]) -> list[User]:
    """Accounts (username, full name) with the demo password, in one insert."""
    return User.objects.bulk_create(
        User(username=username, full_name=full_name, password=seed.password)
        for username, full_name in people
    )


def _grant(
    users_roles: Iterable[tuple[User, Role]],
    unit: Unit,
    *,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> None:
    dates: dict[str, dt.date] = {"valid_from": valid_from} if valid_from else {}
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role, unit=unit, valid_to=valid_to, **dates)
        for user, role in users_roles
    )


def inspector_grant_end(year: SchoolYear, today: dt.date | None = None) -> dt.date:
    """The later of the demo year's end and 31 May of the school year containing ``today``."""
    day = today or timezone.localdate()
    current_end = dt.date(day.year + (1 if day.month >= 6 else 0), 5, 31)
    return max(year.end_date, current_end)


def _headline_user(seed: _Seed, account: DemoAccount, **dates: dt.date) -> User:
    (user,) = _new_users(seed, [(account.username, account.full_name)])
    _grant(((user, role) for role in account.roles), seed.units[account.unit_code], **dates)
    return user


def _seed_officials(seed: _Seed) -> None:
    """Office and school-management accounts (teachers and parents come with their school)."""
    year = seed.year
    for account in DEMO_ACCOUNTS:
        if account.username.startswith(("gv", "phuhuynh")):
            continue
        if account.roles == (Role.INSPECTOR,):
            # An inspector's grant is for a period (R15.3): the demo's school year, stretched to
            # the end of the school year in which the demo is loaded, so that `thanhtra` works
            # on `make run` whenever it is run (the demo's data stay in 2025-2026).
            _headline_user(
                seed, account, valid_from=year.start_date, valid_to=inspector_grant_end(year)
            )
        else:
            _headline_user(seed, account)


# --- students -------------------------------------------------------------------------------


def _national_id(seed: _Seed, *, gender: str, born: dt.date) -> str:
    """A 12-digit personal id shaped like the citizen id (province, century-and-sex, year, serial)
    with the unused province code 099, so it can never be a real person's."""
    century_sex = "2" if gender == "M" else "3"  # born 2000–2099
    while True:
        candidate = f"099{century_sex}{born.year % 100:02d}{seed.rng.randrange(1_000_000):06d}"
        if candidate not in seed.used_ids:
            seed.used_ids.add(candidate)
            return candidate


def _generated_student(seed: _Seed, *, grade: int, school: Unit, area: str) -> Student:
    rng = seed.rng
    child = names.person(rng)
    born = names.birth_date(rng, year=2020 - grade)  # grade 1 in 2025-2026 was born in 2019
    father = names.person(rng, gender="M", family=child.family_name)
    mother = names.person(rng, gender="F")
    home = names.address(rng, area)
    seed.student_code_next += 1
    return Student(
        national_id=_national_id(seed, gender=child.gender, born=born),
        full_name=child.full_name,
        name_sort_key=name_sort_key(child.full_name),
        gender=child.gender,
        date_of_birth=born,
        place_of_birth=names.place(rng, area),
        ethnicity=names.ethnicity(rng),
        religion="Không",
        hometown=names.place(rng, area),
        permanent_address=home,
        current_address=home,
        school_student_code=str(seed.student_code_next),
        father_name=father.full_name,
        father_occupation=names.occupation(rng),
        mother_name=mother.full_name,
        mother_occupation=names.occupation(rng),
        current_school=school,
    )


def _enroll(
    seed: _Seed,
    pairs: Iterable[tuple[Student, SchoolClass]],
    *,
    year: SchoolYear,
    status: str = EnrollmentStatus.STUDYING,
) -> list[Enrollment]:
    closed = status != EnrollmentStatus.STUDYING
    return Enrollment.objects.bulk_create(
        Enrollment(
            student=student,
            school_class=school_class,
            school=school_class.school,
            year=year,
            status=status,
            start_date=year.start_date,
            end_date=year.end_date if closed else None,
        )
        for student, school_class in pairs
    )


# --- teaching -------------------------------------------------------------------------------


def _class_subject_codes(grade: int, position: int) -> list[str]:
    """The catalogue subjects a demo class takes: the compulsory ones, English, and for upper
    secondary one of the elective bundles."""
    codes = []
    bundle = ELECTIVE_BUNDLES[position % len(ELECTIVE_BUNDLES)] if grade >= 10 else ()
    for entry in grade_subjects(Programme.GDPT_2018, grade):
        if entry.compulsory or entry.code in TAKEN_OPTIONAL or entry.code in bundle:
            codes.append(entry.code)
    return codes


def _class_groups(seed: _Seed, classes: Sequence[SchoolClass]) -> dict[int, TeachingGroup]:
    """One whole-class teaching group per class, named as the class."""
    groups = TeachingGroup.objects.bulk_create(
        TeachingGroup(school=c.school, year=c.year, name=c.name, school_class=c) for c in classes
    )
    return {g.school_class_id: g for g in groups if g.school_class_id is not None}


def _staff_school(
    seed: _Seed,
    school: Unit,
    classes: Sequence[SchoolClass],
    *,
    first_teacher: DemoAccount | None,
    homeroom_users: dict[int, User] | None = None,
    skip_codes: frozenset[str] = frozenset(),
) -> None:
    """Teachers, homeroom teachers and teaching assignments for the classes of one school.

    Primary: each class has its class teacher for the core subjects and specialists for the rest.
    Secondary: subject teachers take up to ``PAIRS_PER_TEACHER`` classes of their subject and the
    first of them are homeroom teachers, one class each. ``first_teacher`` is the printed account
    ``gv.<code>``; ``homeroom_users`` fixes some homeroom teachers in advance (LC-DEMO).
    """
    rng = seed.rng
    groups = _class_groups(seed, classes)
    slug = school.code.lower()
    primary = school.school_type == SchoolType.PRIMARY
    people: list[tuple[str, str]] = []

    def new_teacher() -> int:
        index = len(people)
        if index == 0 and first_teacher is not None:
            people.append((first_teacher.username, first_teacher.full_name))
        else:
            people.append((f"gv{index + 1:02d}.{slug}", names.person(rng).full_name))
        return index

    homeroom_of: dict[int, int] = {}  # class id → teacher index (−1: a fixed user)
    by_code: dict[str, list[SchoolClass]] = defaultdict(list)
    pairs: list[tuple[int, SchoolClass, str]] = []  # teacher index, class, subject code
    fixed = homeroom_users or {}
    for school_class in classes:
        if school_class.id not in fixed and primary:
            homeroom_of[school_class.id] = new_teacher()
        for code in _class_subject_codes(school_class.grade, _position(school_class.name)):
            if code in skip_codes:
                continue
            if primary and code in PRIMARY_CLASS_TEACHER_CODES and school_class.id not in fixed:
                pairs.append((homeroom_of[school_class.id], school_class, code))
            elif not primary and code in HOMEROOM_CODES and school_class.id not in fixed:
                continue  # given to the homeroom teacher below
            else:
                by_code[code].append(school_class)
    for code, code_classes in by_code.items():
        teachers = [new_teacher() for _ in range(math.ceil(len(code_classes) / PAIRS_PER_TEACHER))]
        share = math.ceil(len(code_classes) / len(teachers))
        for index, school_class in enumerate(code_classes):
            pairs.append((teachers[index // share], school_class, code))
    if not primary:
        # Homeroom teachers come from the subject teachers, the first ones first.
        free = iter(range(len(people)))
        for school_class in classes:
            if school_class.id in fixed:
                continue
            teacher = next(free)
            homeroom_of[school_class.id] = teacher
            for code in _class_subject_codes(school_class.grade, _position(school_class.name)):
                if code in HOMEROOM_CODES:
                    pairs.append((teacher, school_class, code))
    users = _new_users(seed, people)
    for school_class in classes:
        if school_class.id in fixed:
            school_class.homeroom_teacher = fixed[school_class.id]
        else:
            school_class.homeroom_teacher = users[homeroom_of[school_class.id]]
    SchoolClass.objects.bulk_update(classes, ["homeroom_teacher"])
    TeachingAssignment.objects.bulk_create(
        TeachingAssignment(
            school=school,
            year=school_class.year,
            teacher=users[teacher],
            subject=seed.subject(school_class.grade, code),
            group=groups[school_class.id],
        )
        for teacher, school_class, code in pairs
    )
    homeroom_teachers = {homeroom_of[c.id] for c in classes if c.id in homeroom_of}
    teaching = {teacher for teacher, _, _ in pairs}
    grants: list[tuple[User, Role]] = []
    for index, user in enumerate(users):
        if index in teaching:
            grants.append((user, Role.SUBJECT_TEACHER))
        if index in homeroom_teachers:
            grants.append((user, Role.HOMEROOM_TEACHER))
    _grant(grants, school)


def _position(class_name: str) -> int:
    """0 for 10A1, 1 for 10A2 …: picks the elective bundle of an upper-secondary class."""
    match = re.search(r"(\d+)$", class_name)
    return int(match.group(1)) - 1 if match else 0


# --- generated schools ----------------------------------------------------------------------


def _seed_generated_school(seed: _Seed, spec: UnitSpec) -> None:
    """Classes of 35–45 made-up pupils per grade, last year's classes, teachers and groups."""
    school = seed.units[spec.code]
    year = seed.year
    classes = SchoolClass.objects.bulk_create(
        SchoolClass(school=school, year=year, grade=grade, name=f"{grade}A{number}")
        for grade in spec.grades
        for number in range(1, spec.classes_per_grade + 1)
    )
    pupils: list[tuple[Student, SchoolClass]] = []
    for school_class in classes:
        size = seed.rng.randint(*STUDENTS_PER_CLASS)
        for _ in range(size):
            student = _generated_student(
                seed, grade=school_class.grade, school=school, area=spec.area
            )
            pupils.append((student, school_class))
    Student.objects.bulk_create(student for student, _ in pupils)
    _enroll(seed, pupils, year=year)
    _seed_history(seed, school, pupils)
    _staff_school(seed, school, classes, first_teacher=demo_account(f"gv.{spec.code.lower()}"))


def _seed_history(seed: _Seed, school: Unit, pupils: Sequence[tuple[Student, SchoolClass]]) -> None:
    """Last year (2024-2025): the pupils of 2A1 were 1A1, completed. The lowest grade of the
    school came from elsewhere and has no history here."""
    previous = seed.years[PREVIOUS_YEAR]
    lowest = min(school.grades)
    old_classes: dict[str, SchoolClass] = {}
    for _, school_class in pupils:
        if school_class.grade > lowest:
            name = f"{school_class.grade - 1}{school_class.name[len(str(school_class.grade)) :]}"
            old_classes.setdefault(
                name,
                SchoolClass(school=school, year=previous, grade=school_class.grade - 1, name=name),
            )
    SchoolClass.objects.bulk_create(old_classes.values())
    history = [
        (student, old_classes[f"{c.grade - 1}{c.name[len(str(c.grade)) :]}"])
        for student, c in pupils
        if c.grade > lowest
    ]
    _enroll(seed, history, year=previous, status=EnrollmentStatus.COMPLETED)


# --- the school of the real workbook --------------------------------------------------------


def _seed_workbook_school(seed: _Seed) -> None:
    """LC-DEMO: the seven classes, 116 students and the group MUL10L3 of the real teacher's file;
    the file's teacher is ``gvbm.tin``."""
    school = seed.units["LC-DEMO"]
    year = seed.year
    book = read_teacher_workbook(REAL_WORKBOOK)
    rows: dict[str, MarkRow] = {}
    for row in book.rows:
        rows.setdefault(row.national_id, row)
    class_names = sorted(book.class_names, key=lambda n: (_grade_of(n), n))
    classes = SchoolClass.objects.bulk_create(
        SchoolClass(school=school, year=year, grade=_grade_of(name), name=name)
        for name in class_names
    )
    by_name = {c.name: c for c in classes}
    students = Student.objects.bulk_create(
        Student(
            national_id=row.national_id,
            full_name=row.full_name,
            name_sort_key=name_sort_key(row.full_name),
            date_of_birth=row.birth_date,
            email=row.email,
            school_student_code=row.student_code,
            # The file has no sex column and its names were scrambled, so none is guessed.
            current_school=school,
        )
        for row in rows.values()
    )
    enrollments = _enroll(
        seed,
        ((s, by_name[rows[s.national_id].class_name]) for s in students),
        year=year,
    )
    enrollment_of = {e.student.national_id: e for e in enrollments}

    # Homeroom teachers: gvcn.12t1 is printed; the other classes get gvcn.<class> too.
    homeroom_people = [
        (f"gvcn.{c.name.lower()}", names.person(seed.rng).full_name)
        for c in classes
        if c.name != "12T1"
    ]
    gvcn_12t1 = _headline_user(seed, demo_account("gvcn.12t1"))
    others = _new_users(seed, homeroom_people)
    _grant(((u, Role.HOMEROOM_TEACHER) for u in others), school)
    homerooms = dict(zip((c.id for c in classes if c.name != "12T1"), others, strict=True))
    homerooms[by_name["12T1"].id] = gvcn_12t1

    # The other subjects of each class, spread over the school's teachers (Tin học is the file's).
    _staff_school(
        seed,
        school,
        classes,
        first_teacher=None,
        homeroom_users=homerooms,
        skip_codes=frozenset({"tin_hoc"}),
    )
    groups = {g.school_class_id: g for g in TeachingGroup.objects.filter(school=school, year=year)}

    teacher = _headline_user(seed, demo_account("gvbm.tin"))
    assignments: list[TeachingAssignment] = []
    for sheet in book.sheets:
        grades = {_grade_of(name) for name in sheet.class_names}
        (grade,) = grades  # a group draws from classes of one grade
        entry = resolve("Tin học", programme=Programme.GDPT_2018, grade=grade)
        if entry is None:
            raise DemoSeedError(f"Danh mục môn học không có Tin học ở khối {grade}.")
        subject = seed.subject(grade, entry.code)
        if len(sheet.class_names) == 1 and sheet.class_names[0] == sheet.name:
            group = groups[by_name[sheet.name].id]
        else:
            # A group drawn from several classes: its members are those students' enrolments.
            group = TeachingGroup.objects.create(school=school, year=year, name=sheet.name)
            group.members.set([enrollment_of[row.national_id] for row in sheet.rows])
        assignments.append(
            TeachingAssignment(
                school=school, year=year, teacher=teacher, subject=subject, group=group
            )
        )
    TeachingAssignment.objects.bulk_create(assignments)
    _seed_parent(seed, by_name["12T1"], book.sheet("12T1").rows[0])


def _grade_of(class_name: str) -> int:
    match = re.match(r"\d+", class_name)
    if match is None:
        raise DemoSeedError(f"Tên lớp “{class_name}” không bắt đầu bằng khối lớp.")
    return int(match.group())


def _seed_parent(seed: _Seed, school_class: SchoolClass, row: MarkRow) -> None:
    """``phuhuynh`` is the father of the first student of 12T1 in the teacher's file."""
    account = demo_account("phuhuynh")
    parent = _headline_user(seed, account)
    student = Student.objects.get(national_id=row.national_id)
    student.father_name = account.full_name
    student.save(update_fields=["father_name", "updated_at"])
    ParentLink.objects.create(
        parent=parent, student=student, relation="Cha", linked_by=school_class.homeroom_teacher
    )
