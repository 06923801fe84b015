"""Keep personal data out of the logs (issue 8; Decree 13/2023 on personal data).

Log lines are read by operators who have no right to a student's identity. The filter renders
each record once and masks what identifies a person or opens an account: national ids (9 or 12
digits), values of fields named like a name, password, token, key, cookie or session, and
``Authorization`` headers. Masking is by pattern, so it also covers messages written by
libraries we do not control.
"""

from __future__ import annotations

import logging
import re

MASK = "***"

_SENSITIVE_KEYS = (
    r"password|passwd|mat_khau|secret|token|otp|api[_-]?key|authorization|cookie|sessionid|"
    r"session_key|csrftoken|csrfmiddlewaretoken|national_id|cccd|cmnd|full_name|ho_ten|"
    r"father_name|mother_name|guardian_name|phone|email|address|date_of_birth"
)
# key=value, key: value, "key": "value", 'key': 'value'
_KEY_VALUE = re.compile(
    rf"""(?ix)
    (?P<key>["']?\b[\w-]*(?:{_SENSITIVE_KEYS})[\w-]*["']?\s*[:=]\s*)
    (?P<value>"[^"]*"|'[^']*'|[^\s,;&}}\]]+)
    """
)
# 12-digit citizen ids (CCCD) and the old 9-digit ones; not part of a longer number.
# Not inside a UUID or another hexadecimal token either (a UUID's last group can be 12 digits).
_NATIONAL_ID = re.compile(r"(?<![\w.,-])(\d{12}|\d{9})(?![\w.,-])")
_BEARER = re.compile(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}")


def scrub(text: str) -> str:
    """The text with personal data masked."""
    text = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _KEY_VALUE.sub(lambda m: f"{m.group('key')}{MASK}", text)
    return _NATIONAL_ID.sub(MASK, text)


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is not ours to fix here
            return True
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True
