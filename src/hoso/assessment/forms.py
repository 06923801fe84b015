"""Input of the mark-entry pages and API: the cells a grid sends, and the principal's forms.

Nothing here decides a rule: the cells go to ``marks_save`` as typed, the forms to ``book_lock``,
``deadline_set``… which check and refuse. This module only reads the request, calls the one
service, and sorts its answer for the grid and the API (issue 4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hoso.academics.models import SchoolClass, TeachingAssignment
from hoso.accounts.access import Actor
from hoso.accounts.models import User
from hoso.assessment.errors import CellProblem, MarkEntryError, MarkSaveRefused
from hoso.assessment.models import DeadlineKind, LockScope, MarkKind
from hoso.assessment.selectors import RowSnapshot, enrollment_ids_by_uuid, gradebook_rows_get
from hoso.assessment.services import CellInput, SavedCell, marks_save
from hoso.audit.services import ClientInfo

MSG_BAD_PAYLOAD = "Dữ liệu gửi lên không hợp lệ: cần danh sách ô điểm (học sinh, cột, nội dung)."
MSG_TOO_MANY_CELLS = "Mỗi lần lưu tối đa {limit} ô điểm."
MAX_CELLS = 2000  # a pasted block of a whole semester of a big class is about 450 cells

# How a refused cell is reported (the grid colours it, the API chooses the status from it).
INVALID = "invalid"  # not a mark, no such column, not in the group → 422
STALE = "stale"  # changed by someone else since the screen read it → 409
REFUSED = "refused"  # submitted, locked or past the deadline → 409


@dataclass(frozen=True)
class CellRequest:
    """One cell as the grid or an API client sends it: the student's enrolment uuid."""

    enrollment: str
    kind: str
    index: int
    text: str
    base_version: int


def cells_from_json(data: Any) -> list[CellRequest]:
    """The ``cells`` of the grid's JSON body; ``MarkEntryError`` when it is not that shape."""
    cells = data.get("cells") if isinstance(data, Mapping) else None
    if not isinstance(cells, list) or not cells:
        raise MarkEntryError(MSG_BAD_PAYLOAD)
    if len(cells) > MAX_CELLS:
        raise MarkEntryError(MSG_TOO_MANY_CELLS.format(limit=MAX_CELLS))
    found = []
    for cell in cells:
        try:
            enrollment, kind, text = cell["enrollment"], cell["kind"], cell["text"]
            index, version = cell.get("index", 1), cell.get("base_version", 0)
        except (KeyError, TypeError) as error:
            raise MarkEntryError(MSG_BAD_PAYLOAD) from error
        if not (
            isinstance(enrollment, str)
            and isinstance(kind, str)
            and isinstance(text, str)
            and isinstance(index, int)
            and isinstance(version, int)
            and not isinstance(index, bool)
            and not isinstance(version, bool)
            and index >= 0
            and version >= 0
            and len(text) <= 40
        ):
            raise MarkEntryError(MSG_BAD_PAYLOAD)
        found.append(CellRequest(enrollment, kind, index, text, version))
    return found


@dataclass(frozen=True)
class ReportedProblem:
    problem: CellProblem
    enrollment: str  # uuid, as the caller named it
    code: str  # INVALID, STALE or REFUSED


@dataclass
class SaveOutcome:
    """The answer to one save, for the grid's JSON and the API."""

    saved: list[SavedCell] = field(default_factory=list)
    unchanged: int = 0
    rows: list[RowSnapshot] = field(default_factory=list)
    problems: list[ReportedProblem] = field(default_factory=list)
    message: str = ""
    uuid_of: dict[int, str] = field(default_factory=dict)

    @property
    def status(self) -> int:
        """200 saved; 422 some cell is not a valid mark; 409 the book refused (stale, submitted,
        locked, deadline) — nothing was written in either refusal (one transaction, R4.2)."""
        if not self.problems:
            return 200
        return 422 if any(p.code == INVALID for p in self.problems) else 409


def grid_cells_save(
    *,
    actor: Actor,
    assignment: TeachingAssignment,
    semester: int,
    cells: Sequence[CellRequest],
    client: ClientInfo | None,
) -> SaveOutcome:
    """Save the cells through ``marks_save`` and re-read the rows they touched (their engine
    averages). Raises ``PermissionDeniedError`` / ``MarkEntryError`` as the service does."""
    if not isinstance(actor, User):
        raise MarkEntryError(MSG_BAD_PAYLOAD)
    ids = enrollment_ids_by_uuid(assignment=assignment)
    uuid_of = {pk: uuid for uuid, pk in ids.items()}
    # An unknown student (another class, a typo) goes in as id 0: the service refuses it as
    # not in the group, in the same answer as the other cells.
    strangers: dict[tuple[int, str, int], str] = {}
    inputs: list[CellInput] = []
    base: dict[tuple[int, str, int], int] = {}
    for number, cell in enumerate(cells):
        pk = ids.get(cell.enrollment.strip().lower(), -(number + 1))
        if pk < 0:
            strangers[(pk, cell.kind, cell.index)] = cell.enrollment
        inputs.append(CellInput(pk, cell.kind, cell.index, cell.text, cell.base_version))
        base[(pk, cell.kind, cell.index)] = cell.base_version
    outcome = SaveOutcome(uuid_of=uuid_of)
    try:
        result = marks_save(
            actor=actor, assignment=assignment, semester=semester, cells=inputs, client=client
        )
    except MarkSaveRefused as refusal:
        outcome.message = refusal.message
        for problem in refusal.problems:
            key = (problem.enrollment_id, problem.kind, problem.index)
            if problem.current_version is None:
                code = INVALID
            elif problem.current_version != base.get(key):
                code = STALE
            else:
                code = REFUSED
            name = uuid_of.get(problem.enrollment_id) or strangers.get(key, "")
            outcome.problems.append(ReportedProblem(problem, name, code))
        return outcome
    outcome.saved = result.saved
    outcome.unchanged = result.unchanged
    outcome.rows = gradebook_rows_get(
        actor=actor,
        assignment=assignment,
        semester=semester,
        enrollment_ids={cell.enrollment_id for cell in inputs if cell.enrollment_id > 0},
    )
    return outcome


# --- The principal's locks and deadlines page (R4.4, R4.5, R14.2) -------------------------------

SEMESTER_CHOICES = [("1", _("Học kì I")), ("2", _("Học kì II"))]
PERIOD_CHOICES = [*SEMESTER_CHOICES, ("nam", _("Cả năm học"))]


class _PrincipalChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class _TeacherChoice(_PrincipalChoice):
    pass


class _ClassChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: SchoolClass) -> str:
        return obj.name


class LockForm(forms.Form):
    """Lock a class, a grade or the school for a semester or the year (R4.4). A school admin
    names the principal and writes down the request (R14.2); the service checks both."""

    scope = forms.ChoiceField(label=_("Khóa"), choices=LockScope.choices)
    period = forms.ChoiceField(label=_("Kì"), choices=PERIOD_CHOICES)
    grade = forms.TypedChoiceField(label=_("Khối"), coerce=int, required=False, choices=[])
    school_class = _ClassChoice(label=_("Lớp"), queryset=SchoolClass.objects.none(), required=False)
    decided_by = _PrincipalChoice(
        label=_("Theo quyết định của Hiệu trưởng"), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Nội dung yêu cầu / ghi chú"), max_length=300, required=False, widget=forms.Textarea
    )

    def __init__(
        self,
        *args: Any,
        classes: Sequence[SchoolClass],
        principals: Sequence[User],
        grades: Sequence[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        ids = [c.id for c in classes]
        self.fields["school_class"].queryset = SchoolClass.objects.filter(id__in=ids).order_by(  # type: ignore[attr-defined]
            "grade", "name"
        )
        self.fields["decided_by"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            id__in=[p.id for p in principals]
        )
        self.fields["grade"].choices = [("", "—"), *[(g, str(g)) for g in grades]]  # type: ignore[attr-defined]

    @property
    def semester(self) -> int | None:
        period = self.cleaned_data["period"]
        return None if period == "nam" else int(period)


class UnlockForm(forms.Form):
    lock = forms.UUIDField(widget=forms.HiddenInput)
    decided_by = _PrincipalChoice(
        label=_("Theo quyết định của Hiệu trưởng"), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(label=_("Lí do / nội dung yêu cầu"), max_length=300, required=False)

    def __init__(self, *args: Any, principals: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            id__in=[p.id for p in principals]
        )


class DeadlineForm(forms.Form):
    """R4.5a, c: the deadline for regular marks, and the end-of-term entry period."""

    semester = forms.TypedChoiceField(label=_("Học kì"), coerce=int, choices=SEMESTER_CHOICES)
    kind = forms.ChoiceField(label=_("Loại"), choices=DeadlineKind.choices)
    opens_on = forms.DateField(
        label=_("Từ ngày (ĐĐGck)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(label=_("Hạn cuối"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        opens, due = data.get("opens_on"), data.get("due_on")
        if opens and due and opens > due:
            raise forms.ValidationError(_("Ngày bắt đầu phải trước hạn cuối."))
        return data


EXTENSION_KIND_CHOICES = [("", _("Mọi cột điểm")), *MarkKind.choices]


class ExtensionForm(forms.Form):
    """The principal's extension for a teacher, a class or a column, with a reason (R4.5)."""

    semester = forms.TypedChoiceField(label=_("Học kì"), coerce=int, choices=SEMESTER_CHOICES)
    kind = forms.ChoiceField(label=_("Cột điểm"), choices=EXTENSION_KIND_CHOICES, required=False)
    teacher = _TeacherChoice(label=_("Giáo viên"), queryset=User.objects.none(), required=False)
    school_class = _ClassChoice(label=_("Lớp"), queryset=SchoolClass.objects.none(), required=False)
    until = forms.DateField(label=_("Gia hạn đến"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Lí do"), max_length=300)

    def __init__(
        self,
        *args: Any,
        classes: Sequence[SchoolClass],
        teachers: Sequence[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = SchoolClass.objects.filter(  # type: ignore[attr-defined]
            id__in=[c.id for c in classes]
        ).order_by("grade", "name")
        self.fields["teacher"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            id__in=[t.id for t in teachers]
        ).order_by("full_name")


class MidtermDateForm(forms.Form):
    """R4.5b: the teacher records the date of the mid-term test."""

    test_date = forms.DateField(
        label=_("Ngày kiểm tra giữa kì"), widget=forms.DateInput(attrs={"type": "date"})
    )


class SubmitForm(forms.Form):
    """'Hoàn tất' (R4.2) for one column (kind and index) or, empty, the whole semester."""

    kind = forms.ChoiceField(choices=MarkKind.choices, required=False)
    index = forms.IntegerField(min_value=1, max_value=20, required=False)
