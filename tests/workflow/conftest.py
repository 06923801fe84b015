"""The correction personas on top of ``tests/personas.py``: teacher_a's submitted Toán marks in
10A1 (student 001: TX1 6,0 and GK 7,0), a vice principal ``vp_a``, a school admin ``admin_a``,
and small valid evidence files (a PNG, a PDF) made in the test."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hoso.academics.models import Enrollment
from hoso.accounts.models import Role, RoleAssignment, User
from hoso.assessment.models import Mark
from hoso.assessment.services import CellInput, marks_save, marks_submit
from hoso.workflow.evidence import EvidenceInput
from hoso.workflow.models import EvidenceKind
from tests.personas import World

TODAY = dt.date(2025, 11, 20)


def tiny_png() -> bytes:
    """A valid 1×1 white PNG (signature, IHDR, IDAT, IEND with their CRCs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_upload(name: str = "bai-kiem-tra.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(), content_type="image/png")


def png_evidence(kind: str = EvidenceKind.TEST_PAPER) -> EvidenceInput:
    return EvidenceInput(file=png_upload(), kind=kind, name="bài kiểm tra.png")


@dataclass
class Corrections:
    world: World
    enrollment: Enrollment
    tx1: Mark
    gk: Mark
    vp_a: User
    admin_a: User


def grant(username: str, role: Role, world: World) -> User:
    user = User.objects.create_user(username=username, password="hoso-test-pw", full_name=username)
    RoleAssignment.objects.create(user=user, role=role, unit=world.school_a)
    return user


@pytest.fixture
def corr(world: World) -> Corrections:
    enrollment = Enrollment.objects.get(student=world.student_a1)
    marks_save(
        actor=world.teacher_a,
        assignment=world.assignment_a,
        semester=1,
        cells=[
            CellInput(enrollment.id, "regular", 1, "6"),
            CellInput(enrollment.id, "midterm", 1, "7"),
        ],
        today=TODAY,
    )
    marks_submit(actor=world.teacher_a, assignment=world.assignment_a, semester=1)
    return Corrections(
        world=world,
        enrollment=enrollment,
        tx1=Mark.objects.get(enrollment=enrollment, kind="regular", index=1),
        gk=Mark.objects.get(enrollment=enrollment, kind="midterm"),
        vp_a=grant("vp_a", Role.VICE_PRINCIPAL, world),
        admin_a=grant("admin_a", Role.SCHOOL_ADMIN, world),
    )
