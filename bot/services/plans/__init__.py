"""Plan use cases: preview a document, import it, and list plans and their measures."""

from bot.domain.plans.documents import read_plan
from bot.services.plans.importing import (
    ImportResult,
    Progress,
    import_parsed_plan,
    import_plan,
)
from bot.services.plans.listing import (
    MeasureView,
    PlanView,
    get_measure,
    get_plan,
    list_plans,
    list_undated_measures,
    set_reminder_offsets,
)
from bot.services.plans.preview import (
    MeasurePreview,
    PeriodRequired,
    PlanPreview,
    parse_period,
    preview_parsed,
    preview_plan,
)

__all__ = [
    "ImportResult",
    "MeasurePreview",
    "MeasureView",
    "PeriodRequired",
    "PlanPreview",
    "PlanView",
    "Progress",
    "get_measure",
    "get_plan",
    "import_parsed_plan",
    "import_plan",
    "list_plans",
    "list_undated_measures",
    "parse_period",
    "preview_parsed",
    "preview_plan",
    "read_plan",
    "set_reminder_offsets",
]
