"""Errors of mark entry, with the Vietnamese messages the grid and the API show as they are."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hoso.core.errors import HosoError

MSG_NOT_A_MARK = "Điểm phải là một số từ 0 đến 10 (viết như 8 hoặc 8,5)."
MSG_OUT_OF_RANGE = "Điểm phải từ 0 đến 10."
MSG_TOO_MANY_DECIMALS = "Điểm chỉ có một chữ số thập phân. Có phải là {suggestion}?"
MSG_NOT_A_COMMENT = "Môn đánh giá bằng nhận xét chỉ nhận Đ (Đạt) hoặc CĐ (Chưa đạt)."
MSG_SUBMITTED = "Điểm đã hoàn tất (R4.2): chỉ sửa được qua phiếu đề nghị sửa điểm được duyệt."
MSG_LOCKED = "Sổ đã khóa (R4.4): không thể ghi điểm."
MSG_CELL_LOCKED = "Điểm này đã được khóa sau khi sửa (R4.6a)."
MSG_STALE = "Điểm đã được người khác thay đổi ({current}); hãy xem lại trước khi lưu."
MSG_DEADLINE = "Đã quá hạn nhập {what} ({due}). Cần Hiệu trưởng gia hạn (R4.5)."
MSG_MIDTERM_DATE_MISSING = "Cần ghi ngày kiểm tra giữa kì trước khi nhập ĐĐGgk (R4.5b)."
MSG_NO_SUCH_COLUMN = "Cột điểm không có trong sổ của môn này."
MSG_NOT_IN_GROUP = "Học sinh không thuộc nhóm học này."
MSG_PRIMARY_BOOK = (
    "Sổ theo dõi của lớp tiểu học chưa nhập được trên trang này: tiểu học đánh giá bằng mức "
    "(Hoàn thành tốt / Hoàn thành / Chưa hoàn thành) và điểm kiểm tra định kì (TT27/2020, "
    "TT30/2014), không theo các cột điểm ĐĐGtx, ĐĐGgk, ĐĐGck và điểm trung bình của trung học. "
    "Bảng tổng hợp kết quả của lớp in được ở trang In sổ, học bạ."
)


class MarkEntryError(HosoError):
    default_message = "Không lưu được điểm."


class PrimaryBookError(MarkEntryError):
    """The secondary mark grid and class overview do not apply to a primary class: refused with
    an explanation instead of computing averages the primary circulars do not have."""

    default_message = MSG_PRIMARY_BOOK


@dataclass(frozen=True)
class CellProblem:
    """Why one cell of a save was refused (the grid shows ``message`` in place)."""

    enrollment_id: int
    kind: str
    index: int
    message: str
    suggestion: str = ""  # e.g. "8,6" for "8,55"
    current_text: str = ""  # for a stale save: the value now in the book
    current_version: int | None = None


class MarkSaveRefused(MarkEntryError):
    """A save was refused as a whole (one transaction, R4.2): nothing was written."""

    def __init__(self, problems: list[CellProblem]) -> None:
        self.problems = problems
        first = problems[0].message if problems else ""
        super().__init__(f"Không lưu: {len(problems)} ô có lỗi. {first}".strip())


class MarkInputError(ValueError):
    def __init__(self, message: str, suggestion: Decimal | None = None) -> None:
        self.message = message
        self.suggestion = suggestion
        super().__init__(message)
