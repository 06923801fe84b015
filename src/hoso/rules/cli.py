"""``python -m hoso.rules evaluate FILE.json`` (or ``-`` for standard input).

Exit 0 with JSON on stdout; exit 2 with a Vietnamese message on stderr naming the field when the
input is invalid, and nothing on stdout then (evaluate-format.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal

from hoso.rules.errors import InvalidInput
from hoso.rules.evaluate import evaluate_document

EXIT_INVALID = 2


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON serialisable: {value!r}")


def _read(path: str) -> str:
    if path == "-":
        text = sys.stdin.read()
    else:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    # A byte-order mark (files saved by Windows editors) is not part of the JSON.
    return text.removeprefix("\ufeff")


def _fail(message: str) -> int:
    print(f"Lỗi dữ liệu vào: {message}", file=sys.stderr)
    return EXIT_INVALID


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hoso.rules",
        description="Bộ quy tắc đánh giá học sinh (TT22, TT58/TT26, GDTX, tiểu học).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    evaluate = commands.add_parser(
        "evaluate", help="tính kết quả một học sinh (hoặc một danh sách) từ tệp JSON"
    )
    evaluate.add_argument("file", help="tệp JSON, hoặc - để đọc từ đầu vào chuẩn")
    arguments = parser.parse_args(argv)
    try:
        text = _read(arguments.file)
    except OSError as error:
        return _fail(f"không đọc được tệp {arguments.file}: {error.strerror}")
    try:
        # Decimal for every number: a mark never passes through a binary float (D1).
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        return _fail(
            f"không phải JSON hợp lệ (dòng {error.lineno}, cột {error.colno}): {error.msg}"
        )
    try:
        result = evaluate_document(document)
    except InvalidInput as error:
        return _fail(str(error))
    print(json.dumps(result, ensure_ascii=False, indent=2, default=_json_default))
    return 0
