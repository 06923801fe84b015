"""The subject teacher's mark grid in a real browser (issue 10, flows 1–4 and 8; R4.2, R4.4).

Each flow uses its own book of the demo teacher ``gvbm.tin`` (Tin học, LC-DEMO), semester II
(open: semester I's deadlines of 2025-2026 have passed), so the flows do not depend on each
other's order: flow 1 → 9H02, flows 2 and 3 → 12T1, flow 4 → 9H01 (locked), flow 8 → MUL10L3.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, Server, login, screenshot

pytestmark = pytest.mark.e2e

SAVED = "Đã lưu mọi thay đổi."


def assignment_uuid(server: Server, group: str) -> str:
    return str(
        server.query(
            "from hoso.academics.models import TeachingAssignment\n"
            "result = str(TeachingAssignment.objects.get(teacher__username='gvbm.tin', "
            f"group__name={group!r}).uuid)"
        )
    )


def marks_of(server: Server, group: str, semester: int) -> list[list[Any]]:
    """The Tin học marks of a group's book: [student row name, kind, index, value, state]."""
    return list(
        server.query(
            "from hoso.academics.models import TeachingAssignment\n"
            "from hoso.assessment.models import Mark\n"
            "from hoso.assessment.selectors import group_enrollments\n"
            "a = TeachingAssignment.objects.get(teacher__username='gvbm.tin', "
            f"group__name={group!r})\n"
            "ids = [e.id for e in group_enrollments(a.group)]\n"
            "result = [[m.enrollment.student.full_name, m.kind, m.index, "
            "str(m.value) if m.value is not None else m.comment, m.state] for m in "
            f"Mark.objects.filter(enrollment_id__in=ids, subject=a.subject, semester={semester})"
            ".select_related('enrollment__student').order_by('id')]"
        )
    )


def cell(page: Any, row: int, column: int) -> Any:
    """The input of the row-th student (1-based) in the column-th mark column (1-based)."""
    return page.locator("#mark-grid tbody tr").nth(row - 1).locator("input.mark").nth(column - 1)


def open_grid(page: Any, group: str, semester: int = 2) -> None:
    """From the home page, as the teacher does: the row of the group, 'Nhập điểm HK II'."""
    label = "Nhập điểm HK II" if semester == 2 else "Nhập điểm HK I"
    name_cell = page.locator("td", has_text=re.compile(rf"^\s*{re.escape(group)}\b"))
    row = page.locator("tr").filter(has=name_cell)
    row.get_by_role("link", name=label, exact=True).click()
    expect(page.locator("h1")).to_contain_text(group)
    expect(page.locator("#mark-grid")).to_be_visible()
    grid_ready(page)


def grid_ready(page: Any) -> None:
    """grid.js is deferred: keys typed before it runs would not be saved. It rewrites the status
    line when it starts (an editable grid), so wait for that before typing."""
    if page.locator("#mark-grid").get_attribute("data-editable") == "1":
        wait_saved(page)


def wait_saved(page: Any) -> None:
    expect(page.locator("#grid-status")).to_have_text(SAVED, timeout=30_000)


def test_flow1_keyboard_paste_averages_submit(new_context: Any, server: Server) -> None:
    """Flow 1: type marks with the keyboard, paste a block from a spreadsheet, see the engine's
    averages (decimal comma), submit the semester (R4.2) and find the marks read-only."""
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = login(context, server, "gvbm.tin")
    open_grid(page, "9H02")

    # The mid-term date first: ĐĐGgk is entered within 7 days of it (R4.5b).
    page.locator("details.deadlines summary").click()
    test_day = dt.date.today() - dt.timedelta(days=1)
    page.fill("input[type=date][name=test_date]", test_day.isoformat())
    page.get_by_role("button", name="Ghi ngày").click()
    expect(page.locator("details.deadlines")).to_contain_text(f"đã ghi {test_day:%d/%m/%Y}")
    grid_ready(page)  # the page was reloaded

    # Row 1 by keyboard: TX1 8, TX2 7,5, (TX3 left empty), GK 9, CK 6.5 (a dot works too).
    cell(page, 1, 1).click()
    for keys in ["8", "Tab", "7,5", "Tab", "Tab", "9", "Tab", "6.5", "Enter"]:
        if keys in {"Tab", "Enter"}:
            page.keyboard.press(keys)
        else:
            page.keyboard.type(keys)
    wait_saved(page)
    expect(cell(page, 1, 5)).to_have_value("6,5")
    expect(cell(page, 2, 5)).to_be_focused()  # Enter moves down, as in a spreadsheet

    # Rows 2 and 3 pasted as a block copied from Excel (tab-separated, newline per row).
    block = "7\t8\t\t6,5\t9\n10\t9,5\t\t8\t7\n"
    page.evaluate("text => navigator.clipboard.writeText(text)", block)
    cell(page, 2, 1).click()
    page.keyboard.press("Control+V")
    wait_saved(page)
    expect(cell(page, 3, 2)).to_have_value("9,5")

    # ĐTBmhk (TT22): (ΣTX + 2·GK + 3·CK) / (nTX + 5), rounded half up to one decimal.
    averages = page.locator('#mark-grid tbody tr [data-average="semester"]')
    expect(averages.nth(0)).to_have_text("7,6")  # (8 + 7,5 + 18 + 19,5) / 7 = 7,57
    expect(averages.nth(1)).to_have_text("7,9")  # (7 + 8 + 13 + 27) / 7 = 7,86
    expect(averages.nth(2)).to_have_text("8,1")  # (10 + 9,5 + 16 + 21) / 7 = 8,07
    expect(page.locator("#mark-grid tbody tr").nth(0).locator("[data-missing]")).to_have_text("")
    screenshot(page, server, "1-giao-vien-nhap-diem")

    # Hoàn tất cả học kì: the confirmation names R4.2; afterwards the marks cannot be edited.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Hoàn tất cả học kì").click()
    expect(cell(page, 1, 1).locator("xpath=..")).to_have_class(re.compile(r"\bsubmitted\b"))
    first = cell(page, 1, 1)
    expect(first).to_have_value("8,0")
    expect(first).to_have_attribute("readonly", "")
    first.click()
    page.keyboard.type("3")
    expect(first).to_have_value("8,0")
    screenshot(page, server, "1b-giao-vien-da-hoan-tat")

    marks = marks_of(server, "9H02", 2)
    assert len(marks) == 12
    assert {m[4] for m in marks} == {"submitted"}
    assert sorted(m[3] for m in marks if m[1] == "final") == ["6.5", "7.0", "9.0"]


def test_flow2_bad_marks_refused_nothing_saved(new_context: Any, server: Server) -> None:
    """Flow 2: 11, 8,55 and abc are refused with the Vietnamese message, in place; nothing is
    written (all or nothing, R4.2)."""
    page = login(new_context(), server, "gvbm.tin")
    open_grid(page, "12T1")

    cell(page, 1, 1).click()
    page.keyboard.type("11")
    page.keyboard.press("Tab")
    first_msg = cell(page, 1, 1).locator("xpath=..").locator(".cell-msg")
    expect(first_msg).to_contain_text("Điểm phải từ 0 đến 10.")

    page.keyboard.type("8,55")
    page.keyboard.press("Tab")
    second_msg = cell(page, 1, 2).locator("xpath=..").locator(".cell-msg")
    expect(second_msg).to_contain_text("Điểm chỉ có một chữ số thập phân. Có phải là 8,6?")
    expect(second_msg.get_by_role("button", name="Dùng 8,6")).to_be_visible()

    # The message under row 1 covers the cell below: move there by keyboard, as people do.
    for key in ["ArrowDown", "ArrowLeft", "ArrowLeft"]:
        page.keyboard.press(key)
    expect(cell(page, 2, 1)).to_be_focused()
    page.keyboard.type("abc")
    page.keyboard.press("Enter")
    third_msg = cell(page, 2, 1).locator("xpath=..").locator(".cell-msg")
    expect(third_msg).to_contain_text("Điểm phải là một số từ 0 đến 10 (viết như 8 hoặc 8,5).")

    # The typed text stays for the person to correct; the status line counts the red cells.
    expect(cell(page, 1, 1)).to_have_value("11")
    expect(cell(page, 2, 1)).to_have_value("abc")
    expect(page.locator("#grid-status")).to_contain_text("3 ô chưa lưu được")
    screenshot(page, server, "2-diem-sai-bi-tu-choi")

    assert marks_of(server, "12T1", 2) == []


def test_flow3_two_browsers_same_cell(new_context: Any, server: Server) -> None:
    """Flow 3: the same cell edited in two browsers; the second save is refused (stale version)
    and shows the value now in the book; nothing is overwritten silently."""
    first = login(new_context(), server, "gvbm.tin")
    second = login(new_context(), server, "gvbm.tin")
    open_grid(first, "12T1")
    open_grid(second, "12T1")

    cell(first, 5, 1).click()
    first.keyboard.type("7")
    first.keyboard.press("Tab")
    wait_saved(first)
    expect(cell(first, 5, 1)).to_have_value("7,0")

    cell(second, 5, 1).click()
    second.keyboard.type("9")
    second.keyboard.press("Tab")
    msg = cell(second, 5, 1).locator("xpath=..").locator(".cell-msg")
    expect(msg).to_contain_text("Điểm đã được người khác thay đổi (7,0)")
    expect(msg.get_by_role("button", name="Lấy giá trị hiện có (7,0)")).to_be_visible()
    expect(msg.get_by_role("button", name="Ghi giá trị tôi nhập")).to_be_visible()
    screenshot(second, server, "3-hai-trinh-duyet-cung-o")

    marks = [m for m in marks_of(server, "12T1", 2) if m[1] == "regular" and m[2] == 1]
    assert [m[3] for m in marks] == ["7.0"]

    # Taking theirs leaves the cell clean, with the stored value.
    msg.get_by_role("button", name="Lấy giá trị hiện có (7,0)").click()
    expect(cell(second, 5, 1)).to_have_value("7,0")
    expect(second.locator("#grid-status")).to_have_text(SAVED)


def test_flow4_principal_locks_class(new_context: Any, server: Server) -> None:
    """Flow 4: the principal locks 9H01 for semester II (R4.4); the teacher's grid is read-only."""
    principal = login(new_context(), server, "hieutruong")
    principal.get_by_role("link", name="Khóa sổ, hạn nhập điểm").click()
    expect(principal.locator("h1")).to_have_text("Khóa sổ và hạn nhập điểm")
    form = principal.locator("form").filter(has=principal.get_by_role("button", name="Khóa sổ"))
    form.locator("select[name=scope]").select_option("class")
    form.locator("select[name=period]").select_option("2")
    classes = form.locator("select[name=school_class] option")
    labels = [text.strip() for text in classes.all_inner_texts()]
    form.locator("select[name=school_class]").select_option(
        label=next(text for text in labels if text.startswith("9H01"))
    )
    form.locator("textarea[name=note]").fill("Khóa sổ cuối học kì II")
    form.get_by_role("button", name="Khóa sổ").click()
    locked = principal.locator("section").filter(has=principal.locator("#open-locks"))
    expect(locked).to_contain_text("9H01")
    screenshot(principal, server, "4-hieu-truong-khoa-so")

    teacher = login(new_context(), server, "gvbm.tin")
    open_grid(teacher, "9H01")
    expect(teacher.locator("#lock-state")).to_contain_text("Sổ đã khóa (R4.4)")
    inputs = teacher.locator("#mark-grid input.mark")
    count = inputs.count()
    assert count > 0
    readonly = teacher.locator("#mark-grid input.mark[readonly]").count()
    assert readonly == count
    cell(teacher, 1, 1).click()
    teacher.keyboard.type("5")
    expect(cell(teacher, 1, 1)).to_have_value("")
    screenshot(teacher, server, "4b-giao-vien-so-da-khoa")
    assert marks_of(server, "9H01", 2) == []


def test_flow8_phone_enters_marks(new_context: Any, server: Server) -> None:
    """Flow 8: on a phone-sized screen (390×844) the teacher enters and saves marks."""
    page = login(new_context(viewport=PHONE, has_touch=True, is_mobile=True), server, "gvbm.tin")
    open_grid(page, "MUL10L3")
    target = cell(page, 1, 1)
    target.scroll_into_view_if_needed()
    target.tap()
    page.keyboard.type("9")
    page.keyboard.press("Enter")
    wait_saved(page)
    expect(target).to_have_value("9,0")
    cell(page, 2, 1).fill("8,5")
    cell(page, 3, 1).tap()
    wait_saved(page)
    expect(cell(page, 2, 1)).to_have_value("8,5")
    screenshot(page, server, "8-dien-thoai-nhap-diem")
    values = sorted(m[3] for m in marks_of(server, "MUL10L3", 2))
    assert values == ["8.5", "9.0"]
