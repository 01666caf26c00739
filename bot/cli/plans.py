"""Console commands for plans (filled in by the plan import feature)."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    return None
