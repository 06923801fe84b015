"""Printing errors: Vietnamese messages, shown as they are by the command line and the web."""

from __future__ import annotations

from hoso.core.errors import HosoError


class PrintError(HosoError):
    default_message = "Không in được văn bản."


class UnknownFormError(PrintError):
    default_message = "Không có mẫu in này."


class MissingParameterError(PrintError):
    default_message = "Thiếu thông tin để in mẫu này."


class RenderError(PrintError):
    default_message = "Lỗi khi dựng tệp PDF từ mẫu in."


MSG_UNKNOWN_FORM = "Không có mẫu in “{form}”. Các mẫu: {forms}."
MSG_NEED_SCHOOL = "Cần mã trường (--school)."
MSG_NEED_CLASS = "Mẫu “{form}” cần tên lớp (--class)."
MSG_NEED_STUDENT = "Mẫu “{form}” cần mã định danh học sinh (--student)."
MSG_NEED_TEACHER = "Mẫu “{form}” cần tên đăng nhập của giáo viên (--teacher)."
MSG_NEED_SEMESTER = "Mẫu “{form}” cần học kì (--semester 1 hoặc 2)."
MSG_NO_SCHOOL = "Không có trường mã “{code}”."
MSG_NO_YEAR = "Không có năm học “{year}”."
MSG_NO_CLASS = "Trường {school} không có lớp “{name}” trong năm học {year}."
MSG_NO_STUDENT = "Không có học sinh mã định danh “{id}” học tại trường {school} năm học {year}."
MSG_NO_TEACHER = "Không có giáo viên “{username}” được phân công dạy ở trường {school} năm {year}."
MSG_WRONG_LEVEL = "Mẫu “{form}” dành cho {level}; lớp {name} là lớp {grade}."
MSG_NO_CORRECTION = "Không có đề nghị sửa điểm “{ref}”."
MSG_WORKFLOW_MISSING = (
    "Chưa có dữ liệu đề nghị sửa điểm (phân hệ hoso.workflow chưa cài đặt): in biên bản trống."
)
MSG_BAD_MONTH = "Tháng phải có dạng YYYY-MM, ví dụ 2026-03."
