"""Errors of the rules engine, with messages in Vietnamese (shown to people as they are)."""

from __future__ import annotations


class RulesError(Exception):
    """Base class of every error the rules engine raises on purpose."""


class InvalidInput(RulesError, ValueError):
    """The input cannot be evaluated; ``field`` says where (``subjects[2].semester_1.final``)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)
