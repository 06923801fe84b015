"""Anomaly reports (R8.5), inspectors' views audited (R15.3), the parent's page (R12.8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from hoso.academics.models import Enrollment, Subject
from hoso.accounts import services
from hoso.accounts.models import AnomalyReport, ParentLink, Role, RoleAssignment, User
from hoso.assessment.models import Mark, MarkKind, MarkState
from hoso.audit.models import AuditEvent
from tests.personas import World


def test_reporting_an_anomaly_from_any_page(client: Client, world: World) -> None:
    client.force_login(world.teacher_a)
    page = reverse("class-detail", args=[world.class_a1.uuid])
    # Every page carries the button, pointing at the form with the page filled in
    html = client.get(page).content.decode()
    assert reverse("anomaly-report") in html and "Báo cáo bất thường" in html
    form = client.get(reverse("anomaly-report") + f"?next={page}").content.decode()
    assert f'value="{page}"' in form
    # When the teacher reports what they saw
    response = client.post(
        reverse("anomaly-report"),
        {"page_url": page, "seen_at": "2026-03-02T08:15", "description": "Điểm của em An bị đổi"},
    )
    assert response.status_code == 302 and response["Location"] == page
    report = AnomalyReport.objects.get()
    assert (report.reporter, report.school, report.page_url) == (
        world.teacher_a,
        world.school_a,
        page,
    )
    assert AuditEvent.objects.filter(action="anomaly.reported").count() == 1
    # Then the principal sees a count on the home page and the report in the list
    principal = Client()
    principal.force_login(world.principal_a)
    assert "Báo cáo bất thường (1 mới)" in principal.get(reverse("home")).content.decode()
    listing = principal.get(reverse("anomaly-list")).content.decode()
    assert "Điểm của em An bị đổi" in listing
    # And the principal of another school sees nothing of it
    other = User.objects.create_user(username="principal_b", password="x" * 12)
    RoleAssignment.objects.create(user=other, role=Role.PRINCIPAL, unit=world.school_b)
    outsider = Client()
    outsider.force_login(other)
    assert "Điểm của em An" not in outsider.get(reverse("anomaly-list")).content.decode()
    assert outsider.post(reverse("anomaly-seen", args=[report.uuid])).status_code == 404


def test_an_empty_report_is_refused(client: Client, world: World) -> None:
    client.force_login(world.teacher_a)
    response = client.post(reverse("anomaly-report"), {"page_url": "/", "description": "  "})
    assert response.status_code == 200
    assert not AnomalyReport.objects.exists()


def test_every_page_an_inspector_opens_is_audited(client: Client, world: World) -> None:
    client.force_login(world.inspector)
    school_page = reverse("school-detail", args=[world.school_a.uuid])
    class_page = reverse("class-detail", args=[world.class_a1.uuid])
    assert client.get(school_page).status_code == 200
    assert client.get(class_page).status_code == 200
    client.get("/api/v1/classes/")
    seen = list(
        AuditEvent.objects.filter(action="inspector.viewed", actor=world.inspector)
        .order_by("occurred_at")
        .values_list("target_id", flat=True)
    )
    assert seen == [school_page, class_page, "/api/v1/classes/"]
    # Nobody else's views are recorded that way
    teacher = Client()
    teacher.force_login(world.teacher_a)
    teacher.get(class_page)
    assert not AuditEvent.objects.filter(action="inspector.viewed", actor=world.teacher_a).exists()


def test_an_inspector_cannot_write(client: Client, world: World) -> None:
    client.force_login(world.inspector)
    assert client.get(reverse("accounts-list")).status_code == 404
    assert client.get(reverse("accounts-inspectors")).status_code == 404


def test_an_officer_grants_an_inspector_for_a_period(client: Client, world: World) -> None:
    client.force_login(world.district_officer)
    response = client.post(
        reverse("accounts-inspectors"),
        {
            "username": "thanhtra.moi",
            "full_name": "Thanh Tra Mới",
            "unit": str(world.school_a.uuid),
            "valid_from": "2026-01-01",
            "valid_to": "2026-01-31",
            "note": "QĐ 12/QĐ-PGD",
        },
    )
    assert response.status_code == 200
    grant = RoleAssignment.objects.get(user__username="thanhtra.moi")
    assert (grant.role, grant.unit, grant.valid_to) == (
        Role.INSPECTOR,
        world.school_a,
        dt.date(2026, 1, 31),
    )
    # Not over a school outside the district
    refused = client.post(
        reverse("accounts-inspectors"),
        {
            "username": "thanhtra.khac",
            "full_name": "X",
            "unit": str(world.school_b.uuid),
            "valid_from": "2026-01-01",
            "valid_to": "2026-01-31",
        },
    )
    assert refused.status_code == 200
    assert not User.objects.filter(username="thanhtra.khac").exists()


def _mark(world: World, enrollment: Enrollment, value: str, state: str, index: int = 1) -> Mark:
    return Mark.objects.create(
        school=enrollment.school,
        year=enrollment.year,
        enrollment=enrollment,
        subject=Subject.objects.get(programme="2018", grade=10, code="toan"),
        semester=1,
        kind=MarkKind.REGULAR,
        index=index,
        value=Decimal(value),
        state=state,
    )


def test_a_parent_sees_only_their_childs_published_marks(client: Client, world: World) -> None:
    own = Enrollment.objects.get(student=world.student_a1)
    classmate = Enrollment.objects.filter(school_class=world.class_a2).first()
    assert classmate is not None
    _mark(world, own, "8.5", MarkState.SUBMITTED, 1)
    _mark(world, own, "3.0", MarkState.DRAFT, 2)  # the teacher's work in progress
    _mark(world, classmate, "9.5", MarkState.SUBMITTED)
    client.force_login(world.parent_a)
    # The home page links to the child's page
    home = client.get(reverse("home")).content.decode()
    child_url = reverse("child-detail", args=[world.student_a1.uuid])
    assert child_url in home
    html = client.get(child_url).content.decode()
    assert "Nguyễn Văn An" in html and "8,5" in html
    assert "3,0" not in html  # drafts are not published
    assert "9,5" not in html and "Trần Thị Bình" not in html  # no other child
    assert "hạng" not in html.lower()  # no ranking
    # Another child's page, by changing the id: not found
    assert client.get(reverse("child-detail", args=[world.student_b1.uuid])).status_code == 404
    classmate_url = reverse("child-detail", args=[classmate.student.uuid])
    assert client.get(classmate_url).status_code == 404
    # A teacher is not a parent
    teacher = Client()
    teacher.force_login(world.teacher_a)
    assert teacher.get(child_url).status_code == 404


def test_the_homeroom_teacher_links_a_parent(client: Client, world: World) -> None:
    student = Enrollment.objects.get(school_class=world.class_a2).student
    client.force_login(world.homeroom_a)
    page = reverse("class-parents", args=[world.class_a2.uuid])
    assert client.get(page).status_code == 200
    response = client.post(
        page,
        {
            "student": str(student.uuid),
            "parent_username": "me.binh",
            "parent_full_name": "Mẹ Bình",
            "relation": "mẹ",
        },
    )
    assert response.status_code == 200
    assert "Mật khẩu tạm" in response.content.decode()
    link = ParentLink.objects.get(parent__username="me.binh")
    assert link.student == student and link.linked_by == world.homeroom_a
    assert AuditEvent.objects.filter(action="accounts.parent_linked").count() == 1
    # Not for a class they do not lead
    assert client.get(reverse("class-parents", args=[world.class_a1.uuid])).status_code == 404


def test_a_parent_link_refuses_a_staff_account(world: World) -> None:
    import pytest

    from hoso.accounts.errors import AccountError

    student = Enrollment.objects.get(school_class=world.class_a2).student
    with pytest.raises(AccountError):
        services.parent_link_create(
            actor=world.homeroom_a, student=student, parent_username="teacher_a"
        )


def test_a_parent_reads_the_comments_and_downloads_a_published_report_card(
    client: Client, world: World
) -> None:
    """R12.8: the child's comments and report card — the card only once the semester's marks are
    all published, and only their own child's."""
    from hoso.assessment.models import StudentComment
    from hoso.printing.models import PrintedDocument

    own = Enrollment.objects.get(student=world.student_a1)
    classmate = Enrollment.objects.filter(school_class=world.class_a2).first()
    assert classmate is not None
    maths = Subject.objects.get(programme="2018", grade=10, code="toan")
    _mark(world, own, "8.5", MarkState.SUBMITTED, 1)
    draft = _mark(world, own, "7.0", MarkState.DRAFT, 2)
    _mark(world, classmate, "9.5", MarkState.SUBMITTED)
    common = {"school": own.school, "year": own.year, "author": world.homeroom_a}
    StudentComment.objects.create(enrollment=own, semester=1, text="Chăm ngoan, tiến bộ.", **common)
    StudentComment.objects.create(
        enrollment=own, subject=maths, semester=1, text="Tính toán cẩn thận.", **common
    )
    StudentComment.objects.create(enrollment=classmate, semester=1, text="Cần cố gắng.", **common)
    client.force_login(world.parent_a)
    child_url = reverse("child-detail", args=[world.student_a1.uuid])
    card_url = reverse("child-report-card", args=[world.student_a1.uuid])
    year = own.year.name
    html = client.get(child_url).content.decode()
    assert "Chăm ngoan, tiến bộ." in html and "Tính toán cẩn thận." in html
    assert "Cần cố gắng." not in html  # a classmate's comment
    assert card_url not in html  # a draft is left: the card is not published yet
    assert client.get(card_url, {"nam": year, "hk": "1"}).status_code == 404

    draft.state = MarkState.SUBMITTED
    draft.save()
    html = client.get(child_url).content.decode()
    assert card_url in html
    response = client.get(card_url, {"nam": year, "hk": "1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert PrintedDocument.objects.count() == 1
    assert AuditEvent.objects.filter(action="print.issued", actor=world.parent_a).count() == 1
    # Semester II has no published marks; another child's card; a teacher: all not found.
    assert client.get(card_url, {"nam": year, "hk": "2"}).status_code == 404
    other = reverse("child-report-card", args=[classmate.student.uuid])
    assert client.get(other, {"nam": year, "hk": "1"}).status_code == 404
    teacher = Client()
    teacher.force_login(world.teacher_a)
    assert teacher.get(card_url, {"nam": year, "hk": "1"}).status_code == 404
