"""The one registry of audit event kinds: dotted names, each with a Vietnamese description.

Apps add their own kinds with :func:`register` at import time (in ``AppConfig.ready`` or at the
top of their ``services.py``); :func:`hoso.audit.services.audit_record` refuses a kind that is not
registered, so a typo in an action name fails the first test that exercises it instead of writing
an event nobody can find later (pretix's habit).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from hoso.audit.errors import ActionConflictError, InvalidActionNameError, UnknownActionError

# area.verb[_qualifier], lower case, at least two parts: "marks.saved", "auth.login_failed".
ACTION_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
MAX_ACTION_LENGTH = 64

_ACTIONS: dict[str, str] = {}
#: Read-only view of every registered kind: name → Vietnamese description.
ACTIONS: Mapping[str, str] = MappingProxyType(_ACTIONS)


def register(name: str, description: str) -> str:
    """Register an event kind and return its name (so ``MARKS_SAVED = register(...)`` reads well).

    Registering the same name twice with the same description is harmless (modules may be
    imported twice in tests); a different description for a taken name is refused.
    """
    if len(name) > MAX_ACTION_LENGTH or not ACTION_NAME.match(name):
        raise InvalidActionNameError(name)
    description = description.strip()
    if not description:
        raise InvalidActionNameError(name)
    existing = _ACTIONS.get(name)
    if existing is not None and existing != description:
        raise ActionConflictError(name)
    _ACTIONS[name] = description
    return name


def describe(name: str) -> str:
    """The Vietnamese description of a registered kind; raises for an unknown one."""
    try:
        return _ACTIONS[name]
    except KeyError:
        raise UnknownActionError(name) from None


def require(name: str) -> None:
    if name not in _ACTIONS:
        raise UnknownActionError(name)


# The kinds the issue names (architecture.md, Integrity). Apps register more as they land.
AUTH_LOGIN = register("auth.login", "Đăng nhập")
AUTH_LOGIN_FAILED = register("auth.login_failed", "Đăng nhập thất bại")
AUTH_LOGOUT = register("auth.logout", "Đăng xuất")
register("accounts.created", "Tạo tài khoản")
register("accounts.updated", "Sửa thông tin tài khoản")
register("accounts.disabled", "Khóa tài khoản")
register("accounts.enabled", "Mở khóa tài khoản")
register("accounts.password_changed", "Đổi mật khẩu")
register("accounts.password_reset", "Đặt lại mật khẩu")
register("accounts.role_granted", "Cấp quyền")
register("accounts.role_revoked", "Thu hồi quyền")
register("marks.saved", "Lưu điểm")
register("marks.submitted", "Hoàn tất nhập điểm")
register("attendance.saved", "Lưu điểm danh, số buổi nghỉ")
register("conduct.saved", "Lưu đánh giá rèn luyện")
register("comment.saved", "Lưu nhận xét")
register("results.computed", "Tính kết quả học tập")
register("book.locked", "Khóa sổ")
register("book.unlocked", "Mở sổ")
register("deadline.set", "Đặt hạn nhập điểm")
register("deadline.extended", "Gia hạn nhập điểm")
register("correction.requested", "Đề nghị sửa điểm")
register("correction.approved", "Duyệt đề nghị sửa điểm")
register("correction.rejected", "Từ chối đề nghị sửa điểm")
register("correction.applied", "Sửa điểm theo đề nghị đã duyệt")
register("student.created", "Thêm học sinh")
register("student.updated", "Sửa thông tin học sinh")
register("student.transferred", "Chuyển trường")
register("print.issued", "In văn bản")
register("export.created", "Xuất dữ liệu")
register("import.applied", "Nhập dữ liệu từ tệp")
register("transcript.issued", "Cấp học bạ")
register("transcript.signed", "Ký số học bạ")
register("unit.updated", "Sửa thông tin đơn vị")
