"""The states and kinds the whole product speaks of."""

from enum import StrEnum


class OrgKind(StrEnum):
    REGION = "region"
    MUNICIPALITY = "municipality"
    SCHOOL = "school"


class RoleKind(StrEnum):
    OFFICER = "officer"
    COORDINATOR = "coordinator"
    PARENT = "parent"


class TaskStatus(StrEnum):
    OPEN = "open"
    ON_REVIEW = "on_review"
    DONE = "done"
    RETURNED = "returned"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class ConfirmationResult(StrEnum):
    DONE = "done"
    PARTIAL = "partial"
    NOT_DONE = "not_done"


class ReviewStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class TransferStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
