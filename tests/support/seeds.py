"""Plan documents the tests read and import: the three real seeds and a ВПР plan."""

from __future__ import annotations

from pathlib import Path

from bot.domain.plans.documents import ParsedPlan, read_plan

_TESTS = Path(__file__).resolve().parent.parent
SEEDS = _TESTS / "plans" / "seeds"
SEED_000 = SEEDS / "000_4e1183fe32276538.txt"
SEED_001 = SEEDS / "001_97e2f94167d8e6ac.txt"
SEED_003 = SEEDS / "003_d69cd12a23d95c9e.txt"
VPR_PLAN = _TESTS / "services" / "vpr_plan.txt"


def read_seed(path: Path) -> ParsedPlan:
    """A seed read as the bot reads an uploaded plan."""
    return read_plan(path.read_bytes(), path.name)
