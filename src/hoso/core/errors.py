"""Domain errors shared by every app. Messages are Vietnamese constants: the UI shows them as they
are and tests assert them."""

from __future__ import annotations


class HosoError(Exception):
    """Base of every error raised on purpose by a service or selector."""

    default_message = "Thao tác không thực hiện được."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class PermissionDeniedError(HosoError):
    default_message = "Bạn không có quyền thực hiện thao tác này."


class NotFoundError(HosoError):
    default_message = "Không tìm thấy dữ liệu yêu cầu."
