"""Errors of the audit trail. Messages are Vietnamese constants (style.md)."""

from __future__ import annotations

from hoso.core.errors import HosoError


class UnknownActionError(HosoError):
    default_message = "Loại sự kiện nhật ký chưa được đăng ký."

    def __init__(self, name: str) -> None:
        self.action = name
        super().__init__(f"{self.default_message} ({name})")


class InvalidActionNameError(HosoError):
    default_message = (
        "Tên loại sự kiện không hợp lệ: cần dạng 'nhom.hanh_dong' viết thường và có mô tả."
    )

    def __init__(self, name: str) -> None:
        self.action = name
        super().__init__(f"{self.default_message} ({name})")


class ActionConflictError(HosoError):
    default_message = "Loại sự kiện đã được đăng ký với mô tả khác."

    def __init__(self, name: str) -> None:
        self.action = name
        super().__init__(f"{self.default_message} ({name})")


class AuditTransactionError(HosoError):
    """``audit_record`` was called outside a transaction: the event could commit without the
    change it describes, or the change without its event."""

    default_message = "Sự kiện nhật ký phải được ghi trong cùng giao dịch với thay đổi mà nó mô tả."


class InvalidChangeError(HosoError):
    default_message = "Danh sách thay đổi của sự kiện nhật ký không hợp lệ."


class AppendOnlyError(HosoError):
    default_message = "Nhật ký kiểm tra chỉ được ghi thêm: không được sửa hoặc xóa sự kiện đã ghi."
