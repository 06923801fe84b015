"""Small factory-boy factories for the models every test area needs.

Related rows stay in the same school: a class's year and school, an enrolment's school and year
follow its class, a teaching group follows its class (the HackSoft habit, so a test never builds
a cross-school row by accident). A school hangs under its parent through a dated ``UnitLink`` as
``unit_attach`` does, because scoping walks the links, not ``Unit.parent``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from hoso.academics.models import (
    Enrollment,
    Gender,
    SchoolClass,
    SchoolYear,
    Student,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.accounts.models import ParentLink, Role, RoleAssignment, User
from hoso.organizations.models import SchoolType, Unit, UnitKind, UnitLink

PASSWORD = "mat-khau-thu-nghiem"


class UnitFactory(DjangoModelFactory[Unit]):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    kind = UnitKind.SCHOOL
    code = factory.Sequence(lambda n: f"TRUONG-{n:03d}")
    name = factory.Sequence(lambda n: f"Trường THPT số {n}")
    school_type = factory.LazyAttribute(
        lambda o: SchoolType.UPPER if o.kind == UnitKind.SCHOOL else ""
    )
    grades = factory.LazyAttribute(lambda o: [10, 11, 12] if o.kind == UnitKind.SCHOOL else [])
    parent = None

    @factory.post_generation
    def link(obj: Unit, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and obj.parent_id is not None:
            UnitLink.objects.create(child=obj, parent_id=obj.parent_id, valid_from=obj.valid_from)


class ProvinceFactory(UnitFactory):
    kind = UnitKind.PROVINCE
    code = factory.Sequence(lambda n: f"SO-{n:03d}")
    name = factory.Sequence(lambda n: f"Sở GD&ĐT tỉnh {n}")


class DistrictFactory(UnitFactory):
    kind = UnitKind.DISTRICT
    code = factory.Sequence(lambda n: f"PGD-{n:03d}")
    name = factory.Sequence(lambda n: f"Phòng GD&ĐT huyện {n}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Người {n}")

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        # Everyone gets a known password: the login tests post it through the form.
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class RoleAssignmentFactory(DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.PRINCIPAL
    unit = factory.SubFactory(UnitFactory)
    valid_from = dt.date(2000, 1, 1)
    valid_to = None


class SchoolYearFactory(DjangoModelFactory[SchoolYear]):
    """Defaults to the year running today, so "the current year" is the one a test built."""

    class Meta:
        model = SchoolYear
        django_get_or_create = ("name",)

    start_date = factory.LazyFunction(
        lambda: dt.date(dt.date.today().year - (dt.date.today().month < 9), 9, 1)
    )
    end_date = factory.LazyAttribute(lambda o: dt.date(o.start_date.year + 1, 5, 31))
    name = factory.LazyAttribute(lambda o: f"{o.start_date.year}-{o.start_date.year + 1}")


class SchoolClassFactory(DjangoModelFactory[SchoolClass]):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(UnitFactory)
    year = factory.SubFactory(SchoolYearFactory)
    grade = 10
    name = factory.Sequence(lambda n: f"10A{n + 1}")
    homeroom_teacher = None


class StudentFactory(DjangoModelFactory[Student]):
    class Meta:
        model = Student

    national_id = factory.Sequence(lambda n: f"0{n:011d}")
    full_name = factory.Sequence(lambda n: f"Trần Thị Học Sinh {n}")
    gender = Gender.FEMALE
    date_of_birth = dt.date(2010, 3, 7)


class EnrollmentFactory(DjangoModelFactory[Enrollment]):
    class Meta:
        model = Enrollment

    student = factory.SubFactory(StudentFactory)
    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.SelfAttribute("school_class.school")
    year = factory.SelfAttribute("school_class.year")


class TeachingGroupFactory(DjangoModelFactory[TeachingGroup]):
    class Meta:
        model = TeachingGroup

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.SelfAttribute("school_class.school")
    year = factory.SelfAttribute("school_class.year")
    name = factory.LazyAttribute(lambda o: o.school_class.name if o.school_class else "NHOM")


def subject(code: str = "toan", grade: int = 10) -> Subject:
    """A subject of the shared catalogue (loaded by a migration), e.g. Toán of grade 10."""
    return Subject.objects.get(programme="2018", grade=grade, code=code)


class TeachingAssignmentFactory(DjangoModelFactory[TeachingAssignment]):
    class Meta:
        model = TeachingAssignment

    group = factory.SubFactory(TeachingGroupFactory)
    school = factory.SelfAttribute("group.school")
    year = factory.SelfAttribute("group.year")
    teacher = factory.SubFactory(UserFactory)
    subject = factory.LazyFunction(subject)


class ParentLinkFactory(DjangoModelFactory[ParentLink]):
    class Meta:
        model = ParentLink

    parent = factory.SubFactory(UserFactory)
    student = factory.SubFactory(StudentFactory)
    relation = "Mẹ"
