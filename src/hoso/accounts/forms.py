"""Forms of the account pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.accounts.models import Role


class AccountCreateForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    role = forms.ChoiceField(label=_("Vai trò"))
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)

    def __init__(self, *args: object, roles: list[Role], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = [(r.value, r.label) for r in roles]  # type: ignore[attr-defined]


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"))
    unit = forms.ChoiceField(label=_("Đơn vị"))
    valid_from = forms.DateField(
        label=_("Hiệu lực từ"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    valid_to = forms.DateField(
        label=_("Hiệu lực đến"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(
        self,
        *args: object,
        roles: list[Role],
        units: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = [(r.value, r.label) for r in roles]  # type: ignore[attr-defined]
        self.fields["unit"].choices = units  # type: ignore[attr-defined]


class InspectorGrantForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập của thanh tra"), max_length=150)
    full_name = forms.CharField(
        label=_("Họ và tên (nếu tạo tài khoản mới)"), max_length=120, required=False
    )
    unit = forms.ChoiceField(label=_("Phạm vi thanh tra"))
    valid_from = forms.DateField(label=_("Từ ngày"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    valid_to = forms.DateField(label=_("Đến ngày"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    note = forms.CharField(label=_("Quyết định thanh tra số"), max_length=300, required=False)

    def __init__(self, *args: object, units: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].choices = units  # type: ignore[attr-defined]


class BulkUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel danh sách cán bộ, giáo viên (.xlsx)"))


class TeachingAssignForm(forms.Form):
    teacher = forms.ChoiceField(label=_("Giáo viên"))
    group = forms.ChoiceField(label=_("Lớp / nhóm học"))
    subject = forms.ChoiceField(label=_("Môn học"))

    def __init__(
        self,
        *args: object,
        teachers: list[tuple[str, str]],
        groups: list[tuple[str, str]],
        subjects: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["teacher"].choices = teachers  # type: ignore[attr-defined]
        self.fields["group"].choices = groups  # type: ignore[attr-defined]
        self.fields["subject"].choices = subjects  # type: ignore[attr-defined]


class ParentLinkForm(forms.Form):
    student = forms.ChoiceField(label=_("Học sinh"))
    parent_username = forms.CharField(label=_("Tên đăng nhập của cha mẹ học sinh"), max_length=150)
    parent_full_name = forms.CharField(
        label=_("Họ và tên cha mẹ (nếu tạo tài khoản mới)"), max_length=120, required=False
    )
    relation = forms.CharField(
        label=_("Quan hệ (cha, mẹ, người giám hộ)"), max_length=40, required=False
    )

    def __init__(self, *args: object, students: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["student"].choices = students  # type: ignore[attr-defined]


class AnomalyReportForm(forms.Form):
    page_url = forms.CharField(label=_("Trang đang xem"), max_length=500)
    seen_at = forms.DateTimeField(
        label=_("Thời điểm"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    description = forms.CharField(
        label=_("Bạn đã thấy gì bất thường?"), widget=forms.Textarea(attrs={"rows": 5})
    )


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Mã 6 chữ số trong ứng dụng xác thực"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
