"""Errors of correction requests, with the Vietnamese messages the pages show as they are."""

from __future__ import annotations

from hoso.core.errors import HosoError

MSG_NO_ITEMS = "Cần chọn ít nhất một điểm cần sửa."
MSG_NO_REASON = "Cần ghi lí do sửa điểm."
MSG_NO_EVIDENCE = (
    "Cần đính kèm minh chứng: bài kiểm tra, sổ cá nhân, xác nhận sổ đầu bài hoặc xác nhận của "
    "đại diện lớp (R4.6a)."
)
MSG_NOT_YOUR_MARK = "Điểm không thuộc lớp và môn bạn được phân công trong học kì này."
MSG_NOT_SUBMITTED = (
    "Chỉ đề nghị sửa điểm đã hoàn tất hoặc đã khóa; điểm đang nhập thì tự sửa trong sổ điểm."
)
MSG_SAME_VALUE = "Điểm mới giống điểm hiện tại."
MSG_PENDING = "Điểm này đang nằm trong một phiếu đề nghị sửa điểm khác chưa xử lí xong."
MSG_R46A_CLOSED = (
    "Đã hết hạn đề nghị sửa điểm theo R4.6a (chậm nhất một tuần trước ngày kiểm tra cuối kì, "
    "{cutoff}) hoặc sổ đã khóa: chỉ sửa được theo R4.3, cần Hiệu trưởng đồng ý, biên bản và "
    "ghi rõ thành viên Ban Quản trị phụ trách."
)
MSG_ADMIN_REQUIRED = "Sửa dữ liệu theo R4.3 cần ghi rõ thành viên Ban Quản trị phụ trách việc sửa."
MSG_NOT_AN_ADMIN = "Người phụ trách phải là thành viên Ban Quản trị của trường."
MSG_NOT_APPROVER = (
    "Chỉ Hiệu trưởng, hoặc Phó hiệu trưởng được Hiệu trưởng ủy quyền, duyệt đề nghị sửa điểm."
)
MSG_OWN_REQUEST = "Không tự duyệt đề nghị sửa điểm của chính mình."
MSG_NOT_WAITING = "Phiếu không ở trạng thái chờ duyệt."
MSG_NOT_APPROVED = "Phiếu chưa được duyệt hoặc đã được sửa."
MSG_NOT_APPLIER = (
    "Chỉ thành viên Ban Quản trị phụ trách (hoặc Hiệu trưởng) sửa điểm theo phiếu đã duyệt (R14.6)."
)
MSG_MARK_CHANGED = (
    "Điểm {what} đã thay đổi kể từ khi gửi phiếu (nay là {current}); cần lập phiếu mới."
)
MSG_REJECT_COMMENT = "Cần ghi ý kiến khi không duyệt."
MSG_FILE_TYPE = "Tệp {name}: chỉ nhận ảnh JPEG, PNG hoặc tệp PDF."
MSG_FILE_SIZE = "Tệp {name}: quá {limit} MB."
MSG_FILE_EMPTY = "Tệp {name} rỗng."
MSG_EVIDENCE_KIND = "Loại minh chứng không hợp lệ."
MSG_BAD_SEMESTER = "Học kì phải là 1 hoặc 2."
MSG_DELEGATE_NOT_VP = "Người được ủy quyền phải là Phó hiệu trưởng của trường."
MSG_ONLY_PRINCIPAL = "Chỉ Hiệu trưởng thực hiện thao tác này."


class CorrectionError(HosoError):
    default_message = "Không xử lí được đề nghị sửa điểm."


class EvidenceError(CorrectionError):
    default_message = "Tệp minh chứng không hợp lệ."
