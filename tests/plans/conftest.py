"""Seed plan documents shared by the plan tests."""

from pathlib import Path

import pytest

from bot.domain.plans.documents import ParsedPlan, read_plan

SEEDS = Path(__file__).parent / "seeds"
SEED_000 = SEEDS / "000_4e1183fe32276538.txt"
SEED_001 = SEEDS / "001_97e2f94167d8e6ac.txt"
SEED_003 = SEEDS / "003_d69cd12a23d95c9e.txt"


def read_seed(path: Path) -> ParsedPlan:
    return read_plan(path.read_bytes(), path.name)


@pytest.fixture(scope="session")
def plan_000() -> ParsedPlan:
    return read_seed(SEED_000)


@pytest.fixture(scope="session")
def plan_001() -> ParsedPlan:
    return read_seed(SEED_001)


@pytest.fixture(scope="session")
def plan_003() -> ParsedPlan:
    return read_seed(SEED_003)
