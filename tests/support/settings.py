"""Settings for tests: no .env file, a fixed token and bot name."""

from __future__ import annotations

from typing import Any

from bot.config import Settings

TEST_TOKEN = "123456:TEST-token"
BOT_USERNAME = "roadmap_test_bot"


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """The bot's settings for a test database, with no admins unless overridden."""
    values: dict[str, Any] = {
        "bot_token": TEST_TOKEN,
        "database_url": database_url,
        "admin_ids": [],
        "bot_username": BOT_USERNAME,
    }
    return Settings(_env_file=None, **(values | overrides))
