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
    OPERATOR = "operator"  # answers the hotline of an organisation


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


class TicketKind(StrEnum):
    QUESTION = "question"
    VIOLATION = "violation"  # a report of a violation during an assessment procedure


class TicketTopic(StrEnum):
    VPR = "vpr"
    NIKO = "niko"
    GIA = "gia"
    REGIONAL = "regional"  # regional monitoring
    OTHER = "other"


class TicketStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"


class TicketSide(StrEnum):
    """Who wrote a message of a ticket."""

    PERSON = "person"
    OPERATOR = "operator"


class AnnouncementStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # queued, due at its local date and time
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class ResponseKind(StrEnum):
    """The one response button an announcement may carry."""

    NONE = "none"
    ACK = "ack"  # «Ознакомлен»
    VOLUNTEER = "volunteer"  # «Готов быть общественным наблюдателем» on an event


class AudienceKind(StrEnum):
    """Who an announcement goes to, always inside the sender's subtree."""

    COORDINATORS = "coordinators"  # every school coordinator
    COORDINATORS_OF = "coordinators_of"  # of chosen municipalities or schools
    RISK_SCHOOLS = "risk_schools"  # coordinators of schools on the risk list
    OFFICERS = "officers"
    OPERATORS = "operators"
    PARENTS_OF = "parents_of"  # of a chosen school or municipality


class VolunteerDecision(StrEnum):
    CONFIRMED = "confirmed"
    DECLINED = "declined"
