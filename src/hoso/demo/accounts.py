"""The demo accounts of ``shared/design/interfaces.md``: who they are and where they act.

One table, read by the seed (to create them) and by ``manage.py demo_accounts`` (to print them),
so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from hoso.accounts.models import Role

# Printed by ``make run`` in demo mode only; never a production password.
DEMO_PASSWORD = "hoso-demo"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    full_name: str
    roles: tuple[Role, ...]
    unit_code: str
    note: str = ""


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("sogd", "Lê Thị Thu Hà", (Role.PROVINCE_OFFICER,), "SO-DEMO"),
    DemoAccount("phonggd", "Nguyễn Văn Hải", (Role.DISTRICT_OFFICER,), "PGD-A"),
    DemoAccount("hieutruong", "Trần Đức Minh", (Role.PRINCIPAL,), "LC-DEMO"),
    DemoAccount("quantri", "Phạm Thị Lan", (Role.SCHOOL_ADMIN,), "LC-DEMO"),
    DemoAccount("vanphong", "Đỗ Thị Hồng", (Role.OFFICE_CLERK,), "LC-DEMO"),
    DemoAccount(
        "gvbm.tin",
        "Hoàng Văn Tùng",
        (Role.SUBJECT_TEACHER,),
        "LC-DEMO",
        "Tin học: 12T1, 9H01, 9H02, nhóm MUL10L3",
    ),
    DemoAccount(
        "gvcn.12t1", "Vũ Thị Mai", (Role.HOMEROOM_TEACHER,), "LC-DEMO", "chủ nhiệm lớp 12T1"
    ),
    DemoAccount(
        "thanhtra",
        "Bùi Quang Vinh",
        (Role.INSPECTOR,),
        "SO-DEMO",
        "chỉ xem, trong năm học 2025-2026",
    ),
    DemoAccount("phuhuynh", "Trần Văn Hùng", (Role.PARENT,), "LC-DEMO", "cha của một HS 12T1"),
    DemoAccount("hieutruong.th-demo", "Nguyễn Thị Thanh Hương", (Role.PRINCIPAL,), "TH-DEMO"),
    DemoAccount("hieutruong.thcs-demo", "Đặng Văn Thành", (Role.PRINCIPAL,), "THCS-DEMO"),
    DemoAccount("hieutruong.thpt-demo", "Phan Quốc Khánh", (Role.PRINCIPAL,), "THPT-DEMO"),
    DemoAccount("hieutruong.th-demo-b", "Lương Thị Ngọc", (Role.PRINCIPAL,), "TH-DEMO-B"),
    DemoAccount(
        "gv.th-demo",
        "Ngô Thị Bích Ngọc",
        (Role.HOMEROOM_TEACHER, Role.SUBJECT_TEACHER),
        "TH-DEMO",
        "chủ nhiệm lớp 1A1",
    ),
    DemoAccount(
        "gv.thcs-demo",
        "Đinh Văn Lộc",
        (Role.HOMEROOM_TEACHER, Role.SUBJECT_TEACHER),
        "THCS-DEMO",
        "Ngữ văn, chủ nhiệm lớp 6A1",
    ),
    DemoAccount(
        "gv.thpt-demo",
        "Hồ Thị Quỳnh",
        (Role.HOMEROOM_TEACHER, Role.SUBJECT_TEACHER),
        "THPT-DEMO",
        "Ngữ văn, chủ nhiệm lớp 10A1",
    ),
    DemoAccount(
        "gv.th-demo-b",
        "Triệu Văn Kiên",
        (Role.HOMEROOM_TEACHER, Role.SUBJECT_TEACHER),
        "TH-DEMO-B",
        "chủ nhiệm lớp 1A1",
    ),
)


def demo_account(username: str) -> DemoAccount:
    for account in DEMO_ACCOUNTS:
        if account.username == username:
            return account
    raise KeyError(username)
