"""Password rules with Vietnamese messages where Django's Vietnamese catalogue has none (its
"too short" message is a plural form the catalogue lacks, so it stays English)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return gettext("Mật khẩu quá ngắn: cần ít nhất %(min_length)d kí tự.") % {
            "min_length": self.min_length
        }

    def get_help_text(self) -> str:
        return gettext("Mật khẩu cần ít nhất %(min_length)d kí tự.") % {
            "min_length": self.min_length
        }
