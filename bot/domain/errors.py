"""Domain errors raised by services and rendered by handlers; every code is declared here."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """What went wrong; bot/texts/errors.py holds the Russian text of each."""

    ERROR = "error"
    ACCESS_DENIED = "access_denied"
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    # invitations
    INVITE_UNKNOWN = "unknown"
    INVITE_EXPIRED = "expired"
    INVITE_USED_UP = "used_up"
    INVITE_REVOKED = "revoked"
    BAD_INVITE_LIMITS = "bad_invite_limits"
    ALREADY_REVOKED = "already_revoked"
    ROLE_ORG_MISMATCH = "role_org_mismatch"
    NO_SCHOOLS = "no_schools"
    NO_BOT_USERNAME = "no_bot_username"
    BAD_NAME = "bad_name"
    # the registry of organisations
    BAD_ORG_NAME = "bad_org_name"
    ORG_EXISTS = "org_exists"
    NO_CHILDREN_FOR_SCHOOL = "no_children_for_school"
    BAD_TIMEZONE = "bad_timezone"
    EMPTY_REGISTRY = "empty_registry"
    BAD_REGISTRY_FILE = "bad_registry_file"
    BAD_REGISTRY_ENCODING = "bad_registry_encoding"
    UNKNOWN_PARENT = "unknown_parent"
    AMBIGUOUS_PARENT = "ambiguous_parent"
    AMBIGUOUS_ORG = "ambiguous_org"
    REGISTRY_ROOT_FORBIDDEN = "registry_root_forbidden"
    # plan documents
    PLAN_EMPTY_FILE = "plan_empty_file"
    PLAN_IMAGE_FILE = "plan_image_file"
    PLAN_OLD_FORMAT = "plan_old_format"
    PLAN_UNKNOWN_FORMAT = "plan_unknown_format"
    PLAN_BROKEN_FILE = "plan_broken_file"
    PLAN_NO_TABLE = "plan_no_table"
    PLAN_NO_MEASURES = "plan_no_measures"
    PLAN_PERIOD_REQUIRED = "plan_period_required"
    # plans, deadlines and assessment events
    BAD_PERIOD = "bad_period"
    IMPOSSIBLE_DATE = "impossible_date"
    EMPTY_DEADLINE = "empty_deadline"
    BAD_OFFSETS = "bad_offsets"
    BAD_EVENT_KIND = "bad_event_kind"
    BAD_EVENT_SUBJECT = "bad_event_subject"
    BAD_EVENT_GRADE = "bad_event_grade"
    BAD_EVENT_DATE = "bad_event_date"
    BAD_EVENTS_ENCODING = "bad_events_encoding"
    BAD_EVENTS_ROWS = "bad_events_rows"
    EMPTY_EVENTS = "empty_events"
    # confirmations and their review
    TASK_DONE = "task_done"
    ALREADY_ON_REVIEW = "already_on_review"
    REASON_REQUIRED = "reason_required"
    TEXT_TOO_LONG = "text_too_long"
    FILE_TOO_BIG = "file_too_big"
    EVIDENCE_KIND = "evidence_kind"
    EVIDENCE_LINK = "evidence_link"
    DOCUMENT_TYPE = "document_type"
    TOO_MUCH_EVIDENCE = "too_much_evidence"
    ALREADY_REVIEWED = "already_reviewed"
    CONFIRMATION_OUTDATED = "confirmation_outdated"
    OWN_CONFIRMATION = "own_confirmation"
    RETURN_COMMENT_REQUIRED = "return_comment_required"
    # deadline transfers
    OWN_TRANSFER = "own_transfer"
    TRANSFER_PENDING = "transfer_pending"
    TRANSFER_DECIDED = "transfer_decided"
    DATE_IN_PAST = "date_in_past"
    SAME_DATE = "same_date"
    # reminders and settings
    TASK_CLOSED = "task_closed"
    BAD_HOUR = "bad_hour"
    # the demo database
    DEMO_NOT_EMPTY = "demo_not_empty"
    # the hotline
    HOTLINE_BANNED = "hotline_banned"
    HOTLINE_TOO_FAST = "hotline_too_fast"
    HOTLINE_NO_ORG = "hotline_no_org"
    TICKET_EMPTY = "ticket_empty"
    TICKET_CLOSED = "ticket_closed"
    TICKET_NOT_CLOSED = "ticket_not_closed"
    TICKET_ALREADY_VIOLATION = "ticket_already_violation"
    NOT_AN_OPERATOR = "not_an_operator"
    AUTHOR_GONE = "author_gone"
    ALREADY_BANNED = "already_banned"
    NOT_BANNED = "not_banned"
    FORUM_NOT_FORUM = "forum_not_forum"
    FORUM_NO_RIGHTS = "forum_no_rights"
    FORUM_TAKEN = "forum_taken"
    FORUM_NOT_BOUND = "forum_not_bound"
    # announcements
    ANNOUNCEMENT_EMPTY = "announcement_empty"
    ANNOUNCEMENT_TOO_MANY_FILES = "announcement_too_many_files"
    ANNOUNCEMENT_CHOOSE_ORGS = "announcement_choose_orgs"
    ANNOUNCEMENT_EVENT_NEEDED = "announcement_event_needed"
    ANNOUNCEMENT_NO_RECIPIENTS = "announcement_no_recipients"
    ANNOUNCEMENT_NOT_DRAFT = "announcement_not_draft"
    ANNOUNCEMENT_FINISHED = "announcement_finished"
    ANNOUNCEMENT_NOT_YOURS = "announcement_not_yours"
    ANNOUNCEMENT_CANCELLED = "announcement_cancelled"
    ANNOUNCEMENT_NO_RESPONSE = "announcement_no_response"
    ANNOUNCEMENT_ALREADY_ACKED = "announcement_already_acked"
    ALREADY_VOLUNTEERED = "already_volunteered"
    VOLUNTEER_ALREADY_DECIDED = "volunteer_already_decided"
    # the hotline's settings
    HOTLINE_BAD_HOURS = "hotline_bad_hours"
    HOTLINE_BAD_DAYS = "hotline_bad_days"
    HOTLINE_BAD_PERIODS = "hotline_bad_periods"
    HOTLINE_PERIOD_REVERSED = "hotline_period_reversed"
    HOTLINE_TOO_MANY_PERIODS = "hotline_too_many_periods"
    HOTLINE_BAD_ANSWER_HOURS = "hotline_bad_answer_hours"
    HOTLINE_BAD_ESCALATE_DAYS = "hotline_bad_escalate_days"
    HOTLINE_BAD_URL = "hotline_bad_url"
    HOTLINE_SETTINGS_INHERITED = "hotline_settings_inherited"


class DomainError(Exception):
    """Base of every expected failure: a declared ``code`` and the ``details`` its text needs."""

    code: ErrorCode = ErrorCode.ERROR

    def __init__(self, code: ErrorCode | str | None = None, **details: object) -> None:
        # An undeclared code fails here, where it is raised, not later without a text.
        if code is not None:
            self.code = ErrorCode(code)
        super().__init__(self.code.value)
        self.details = details


class AccessDenied(DomainError):
    code = ErrorCode.ACCESS_DENIED


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND


class InviteError(DomainError):
    """``code`` is one of: unknown, expired, used_up, revoked."""


class ValidationError(DomainError):
    code = ErrorCode.INVALID


class HotlineBanned(DomainError):
    """The person may not use the hotline; ``details["told"]`` is True once they were told."""

    code = ErrorCode.HOTLINE_BANNED
