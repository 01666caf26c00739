"""Domain errors raised by services and rendered by handlers."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every expected failure; ``code`` selects the user-facing text."""

    code = "error"

    def __init__(self, code: str | None = None, **details: object) -> None:
        super().__init__(code or self.code)
        if code is not None:
            self.code = code
        self.details = details


class AccessDenied(DomainError):
    code = "access_denied"


class NotFound(DomainError):
    code = "not_found"


class InviteError(DomainError):
    """``code`` is one of: unknown, expired, used_up, revoked."""


class ValidationError(DomainError):
    code = "invalid"
