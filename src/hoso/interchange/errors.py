"""Vietnamese messages of the mark import and export (issue 4; D18, D20, D21).

The command line, the upload page and the error workbook show them as they are; tests assert them.
"""

from __future__ import annotations

from hoso.core.errors import HosoError

# --- arguments (the command's exit status 2) --------------------------------------------------
MSG_NO_SCHOOL = "Không có trường mã “{code}”."
MSG_NO_YEAR = "Không có năm học “{year}” (viết như 2025-2026)."
MSG_BAD_SEMESTER = "Học kì phải là 1 hoặc 2."
MSG_UNKNOWN_SUBJECT = "Danh mục môn học không có môn “{name}” (D21)."
MSG_NO_FILE = "Không có tệp “{path}”."
MSG_NO_ACTOR = "Không có tài khoản “{username}”."

# --- the file (exit status 1) -----------------------------------------------------------------
MSG_NO_STUDENT_ID = "Không có học sinh nào của trường trong năm học có mã định danh {national_id}."
MSG_ID_OTHER_NAME = (
    "Mã định danh {national_id} là của học sinh “{actual}”, không phải “{given}”: "
    "dòng có thể bị lệch."
)
MSG_NO_STUDENT_NAME = (
    "Không tìm thấy học sinh “{name}” sinh ngày {birth} trong trường (năm học {year})."
)
MSG_MANY_STUDENTS = (
    "Có {count} học sinh cùng họ tên “{name}” và ngày sinh {birth}: cần ghi mã định danh."
)
MSG_NEED_ID_OR_BIRTH = "Cần mã định danh, hoặc họ tên và ngày sinh, để nhận ra học sinh."
MSG_CLASS_MISMATCH = "Học sinh “{name}” học lớp {actual}, không phải lớp “{given}”."
MSG_CLASS_MISSING = "Thiếu tên lớp."
MSG_DUPLICATE_ROW = "Học sinh “{name}” đã có ở trang tính “{sheet}”, dòng {row}."
MSG_SUBJECT_NOT_IN_GRADE = (
    "Môn “{subject}” không có ở khối {grade} (chương trình {programme}) trong danh mục môn học."
)
MSG_NO_ASSIGNMENT = (
    "Học sinh “{name}” (lớp {class_name}) không thuộc nhóm học nào được phân công dạy môn "
    "“{subject}” năm học {year}."
)
MSG_MANY_ASSIGNMENTS = (
    "Học sinh “{name}” thuộc nhiều nhóm học môn “{subject}” ({groups}); đặt tên trang tính "
    "theo tên nhóm để chọn."
)
MSG_NOT_YOUR_GROUP = (
    "Bạn không được nhập điểm môn “{subject}” của nhóm {group} (giáo viên: {teacher})."
)
MSG_NOT_A_NUMBER = "“{value}” không phải là điểm số: môn này cần một số từ 0 đến 10."
MSG_NOT_A_COMMENT = "Môn đánh giá bằng nhận xét chỉ nhận Đ hoặc CĐ, không nhận điểm số {value}."
MSG_OUT_OF_RANGE = "Điểm {value} ngoài khoảng 0–10."
MSG_PART_OUT_OF_RANGE = "Phần điểm {value} ngoài khoảng 0–10."
MSG_SUM_OUT_OF_RANGE = "Tổng các phần {parts} = {total} lớn hơn 10."
MSG_PART_MISSING = (
    "Điểm gồm các phần {parts}: phần {missing} còn trống. Nhập đủ các phần hoặc để trống tất cả."
)
MSG_PARTS_AND_WHOLE = "Trang tính có cả cột {whole} và các cột phần {parts}: chỉ dùng một cách."
MSG_COMMENT_IN_PARTS = "Môn đánh giá bằng nhận xét không có điểm gồm nhiều phần."
MSG_TOO_MANY_REGULAR = "Sổ chỉ có tối đa {maximum} cột ĐĐGtx (TX1–TX{maximum})."
MSG_BOOK_CHANGED = "Sổ điểm đã thay đổi từ lúc xem trước ({current}); hãy xem lại trước khi nhập."
MSG_OTHER_SUBJECT = "Trang tính của môn “{subject}”: bỏ qua."
MSG_OTHER_SEMESTER = "Trang tính ghi “Học kì: {given}”, nhưng đang nhập học kì {semester}."
MSG_NO_SHEET_OF_SUBJECT = "Tệp không có trang tính nào của môn “{subject}”."
MSG_PERMISSION = "Không có quyền ghi điểm của nhóm này."

# --- ignored columns (reported, not errors) ---------------------------------------------------
MSG_IGNORED_BONUS = "Không thuộc công thức của thông tư nào: không nhập."
MSG_IGNORED_BONUS_VALUES = (
    "Không thuộc công thức của thông tư nào: không nhập ({nonzero} ô khác 0 bị bỏ qua)."
)
MSG_IGNORED_AVERAGE = "Điểm trung bình do hệ thống tính theo thông tư: không nhập."
MSG_IGNORED_UNKNOWN = "Cột không dùng khi nhập điểm."

# --- the upload page --------------------------------------------------------------------------
MSG_NOT_XLSX = "Chỉ nhận tệp Excel .xlsx (tệp .xls cũ: mở bằng Excel rồi lưu lại dạng .xlsx)."
MSG_TOO_BIG = "Tệp lớn hơn {limit} MB."
MSG_NO_UPLOAD = "Hãy chọn một tệp Excel."
MSG_EXPIRED = "Bản xem trước đã hết hạn hoặc không còn; hãy tải tệp lên lại."


class ImportUsageError(HosoError):
    """The import was asked wrongly (unknown school, year, subject …): nothing was read."""

    default_message = "Yêu cầu nhập điểm không hợp lệ."
