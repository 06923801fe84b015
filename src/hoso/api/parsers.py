"""Request bodies the API reads: JSON whose failures are a Vietnamese 400, never a 500."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# The same words as the mark grid's (hoso.assessment.views.MSG_NOT_JSON).
MSG_NOT_JSON = "Dữ liệu gửi lên không đọc được (cần JSON)."


class SafeJSONParser(JSONParser):
    """DRF's parser says "JSON parse error - …" in English (the text is not translatable), and
    lets a deeply nested body (``[[[[…]]]]``) escape as ``RecursionError`` — a server error
    anyone can cause with a few hundred kilobytes. Both are bad input: 400 in Vietnamese."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        try:
            return super().parse(stream, media_type, parser_context)
        except (ParseError, RecursionError) as error:
            raise ParseError(MSG_NOT_JSON) from error
