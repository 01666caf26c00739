"""Progress reports on plans of measures: XLSX, PNG chart and Telegram text from plain data."""

from bot.reports.model import OrgProgress, Report, TaskLine, TaskState

__all__ = ["OrgProgress", "Report", "TaskLine", "TaskState"]
