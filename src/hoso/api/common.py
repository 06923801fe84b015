"""What every API module shares: domain errors as HTTP answers, numbers on the wire."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers, status
from rest_framework.response import Response

from hoso.core.errors import HosoError, NotFoundError, PermissionDeniedError
from hoso.rules.outcomes import Result
from hoso.rules.values import Comment


class ErrorSerializer(serializers.Serializer[dict[str, object]]):
    detail = serializers.CharField(help_text="Lí do, bằng tiếng Việt")


def error_response(error: HosoError) -> Response:
    """404 out of scope (the same as a missing object), 403 not allowed, 400 refused."""
    code: int
    if isinstance(error, NotFoundError):
        code = status.HTTP_404_NOT_FOUND
    elif isinstance(error, PermissionDeniedError):
        code = status.HTTP_403_FORBIDDEN
    else:
        code = status.HTTP_400_BAD_REQUEST
    return Response({"detail": error.message}, status=code)


def wire_text(text: str) -> str:
    """A mark as the screen writes it ("8,5", "Đ") → as JSON carries it ("8.5", "Đ")
    (interfaces.md: numbers on the wire have a decimal point)."""
    return text.replace(",", ".")


def wire_decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def wire_result(value: Result | None) -> str | None:
    """An engine result (an average or Đ/CĐ) as a string, ``None`` when incomplete (D6)."""
    if value is None:
        return None
    return value.value if isinstance(value, Comment) else format(value, "f")
