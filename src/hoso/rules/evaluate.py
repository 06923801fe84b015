"""The evaluate command's work without the command: JSON-shaped input in, JSON-shaped output out.

The command line (``cli.py``) and the tests call the same functions. Primary inputs (grades 1–5)
go to ``hoso.rules.primary``.
"""

from __future__ import annotations

from collections.abc import Mapping

from hoso.rules.errors import InvalidInput
from hoso.rules.parsing import parse_student
from hoso.rules.primary import PRIMARY_REGULATIONS
from hoso.rules.primary import evaluate_json as evaluate_primary
from hoso.rules.registry import (
    PRIMARY_GRADES,
    SECONDARY_RULEBOOKS,
    evaluate_id,
    regime,
    rulebook,
)


def primary_regulations() -> frozenset[str]:
    """The regulation ids the primary engine takes."""
    return PRIMARY_REGULATIONS


def _evaluate_primary(data: Mapping[str, object], regulation: str) -> dict[str, object]:
    # Marks stay Decimal (the primary engine takes them as they are): never a float near a mark.
    payload = dict(data)
    payload["regulation"] = regulation
    return evaluate_primary(payload)


def choose_regulation(data: Mapping[str, object]) -> tuple[str, bool]:
    """The evaluate regulation id of an input, and whether the registry chose it."""
    given = data.get("regulation")
    if given is not None:
        if isinstance(given, str) and (
            given in SECONDARY_RULEBOOKS or given in primary_regulations()
        ):
            return given, False
        known = " | ".join([*SECONDARY_RULEBOOKS, *sorted(primary_regulations())])
        raise InvalidInput("regulation", f"quy định không được hỗ trợ: {given!r} (có: {known})")
    grade = data.get("grade")
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 12:
        raise InvalidInput("grade", f"lớp phải là số nguyên từ 1 đến 12, nhận được {grade!r}")
    school_year = data.get("school_year")
    if not isinstance(school_year, str):
        raise InvalidInput(
            "school_year",
            "thiếu năm học (school_year), cần để chọn quy định khi không ghi regulation",
        )
    programme = data.get("programme")
    if programme is not None and not isinstance(programme, str):
        raise InvalidInput(
            "programme", f"chương trình phải là 2018 hoặc old, nhận được {programme!r}"
        )
    continuing = data.get("continuing_education", False)
    if not isinstance(continuing, bool):
        raise InvalidInput("continuing_education", "phải là true hoặc false")
    level = "primary" if grade in PRIMARY_GRADES else "secondary"
    return evaluate_id(regime(level, school_year, grade, continuing, programme)), True


def evaluate_json(data: object) -> dict[str, object]:
    """One evaluate input (a JSON object) → its output (evaluate-format.md)."""
    if not isinstance(data, Mapping):
        raise InvalidInput("", "dữ liệu vào phải là một đối tượng JSON {…} hoặc một danh sách")
    regulation, chosen = choose_regulation(data)
    if regulation not in SECONDARY_RULEBOOKS:
        return _evaluate_primary(data, regulation)
    student = parse_student(data, regulation)
    output = rulebook(regulation)(student).to_json()
    explanation = output["explanation"]
    assert isinstance(explanation, list)
    if chosen:
        explanation.insert(
            0,
            f"Quy định áp dụng: {output['regime']} (theo năm học {student.school_year}, lớp "
            f"{student.grade}; D11).",
        )
    elif student.school_year is not None:
        roadmap = evaluate_id(
            regime(
                "secondary",
                student.school_year,
                student.grade,
                continuing_education=regulation.startswith("GDTX"),
                programme=_programme(data),
            )
        )
        if roadmap != regulation:
            explanation.insert(
                0,
                f"Lưu ý: theo lộ trình, năm học {student.school_year} lớp {student.grade} áp dụng "
                f"{roadmap}; kết quả được tính theo {regulation} như dữ liệu vào ghi (D11).",
            )
    return output


def _programme(data: Mapping[str, object]) -> str | None:
    programme = data.get("programme")
    return programme if isinstance(programme, str) else None


def evaluate_document(document: object) -> dict[str, object] | list[dict[str, object]]:
    """An input object → its output; a list of inputs → the list of outputs, in order.

    In a list, an invalid item names its 0-based index (and nothing is evaluated for output).
    """
    if not isinstance(document, list):
        return evaluate_json(document)
    outputs: list[dict[str, object]] = []
    for index, item in enumerate(document):
        try:
            outputs.append(evaluate_json(item))
        except InvalidInput as error:
            field = f"[{index}].{error.field}" if error.field else f"[{index}]"
            raise InvalidInput(field, f"mục {index}: {error.message}") from error
    return outputs
