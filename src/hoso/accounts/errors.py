"""Vietnamese messages of the accounts app: the UI shows them as they are, tests assert them."""

from __future__ import annotations

from hoso.core.errors import HosoError

ROLE_TOO_WIDE = "Bạn không được cấp vai trò «{role}» tại {unit}: vượt quá quyền của bạn."
ACCOUNT_NOT_MANAGEABLE = "Bạn không quản lý tài khoản này."
USERNAME_TAKEN = "Tên đăng nhập «{username}» đã có người dùng."
USERNAME_INVALID = (
    "Tên đăng nhập «{username}» không hợp lệ: chỉ dùng chữ không dấu, số và các dấu . _ -"
    " (3–150 kí tự)."
)
FULL_NAME_REQUIRED = "Thiếu họ và tên."
ROLE_UNKNOWN = "Không rõ vai trò «{role}»."
ROLE_ALREADY_HELD = "Tài khoản đã có vai trò «{role}» tại {unit}."
ROLE_NOT_HELD = "Không tìm thấy quyền này của tài khoản."
CANNOT_CHANGE_SELF = "Bạn không thể tự khóa tài khoản hay tự thu hồi quyền của mình."
ALREADY_DISABLED = "Tài khoản đã bị khóa."
ALREADY_ENABLED = "Tài khoản đang hoạt động."
DATES_ORDER = "Ngày kết thúc phải sau ngày bắt đầu."
INSPECTOR_NEEDS_END = "Quyền thanh tra phải có thời hạn: nhập ngày kết thúc."
TEACHER_NOT_OF_SCHOOL = "«{name}» không phải giáo viên của trường."
CLASS_NOT_OF_SCHOOL = "Lớp hoặc nhóm học không thuộc trường."
SUBJECT_NOT_OF_GRADE = "Môn «{subject}» không thuộc chương trình khối {grade} của lớp."
ASSIGNMENT_EXISTS = "Phân công này đã có."
PARENT_ACCOUNT_HAS_OTHER_ROLES = (
    "Tài khoản «{username}» có vai trò khác ngoài cha mẹ học sinh: không liên kết được."
)
PARENT_ALREADY_LINKED = "Tài khoản đã được liên kết với học sinh này."
STUDENT_NOT_IN_HOMEROOM = "Học sinh không thuộc lớp chủ nhiệm của bạn."
ANOMALY_DESCRIPTION_REQUIRED = "Xin mô tả điều bất thường bạn thấy."
EXCEL_UNREADABLE = "Không đọc được tệp: cần tệp Excel .xlsx theo mẫu."
EXCEL_NO_ROWS = "Tệp không có dòng tài khoản nào."
EXCEL_MISSING_COLUMN = "Thiếu cột «{column}» ở dòng tiêu đề (dòng 1)."
EXCEL_CELL = "Dòng {row}, cột «{column}»: {message}"
EXCEL_DUPLICATE = "Dòng {row}, cột «{column}»: tên đăng nhập «{username}» trùng với dòng {other}."
EXCEL_TOO_MANY_ROWS = "Tệp có quá nhiều dòng (tối đa {limit})."


class AccountError(HosoError):
    """A refused account operation; ``problems`` lists every reason (a bulk import names each
    row and column)."""

    default_message = "Không thực hiện được thao tác với tài khoản."

    def __init__(self, message: str | None = None, *, problems: list[str] | None = None) -> None:
        self.problems = problems or ([message] if message else [])
        super().__init__(message or (self.problems[0] if self.problems else None))
