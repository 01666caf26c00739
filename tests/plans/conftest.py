"""Seed plans, read once per test session, for the plan tests."""

import pytest

from bot.domain.plans.documents import ParsedPlan
from tests.support.seeds import SEED_000, SEED_001, SEED_003, read_seed


@pytest.fixture(scope="session")
def plan_000() -> ParsedPlan:
    return read_seed(SEED_000)


@pytest.fixture(scope="session")
def plan_001() -> ParsedPlan:
    return read_seed(SEED_001)


@pytest.fixture(scope="session")
def plan_003() -> ParsedPlan:
    return read_seed(SEED_003)
