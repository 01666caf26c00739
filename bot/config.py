"""Application settings read from the environment and ``.env``."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_TOKENS = {"", "changeme", "your-bot-token", "123456:replace-me"}
# What @BotFather issues: the bot's numeric id, a colon, the secret.
TOKEN_FORMAT = re.compile(r"\d+:[A-Za-z0-9_-]+")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{Path('data') / 'bot.sqlite3'}"
# The zone of an organisation with none of its own above it, unless DEFAULT_TIMEZONE says.
DEFAULT_TIMEZONE = "Europe/Moscow"
# Where /privacy sends formal appeals (59-ФЗ) when no organisation up the tree set its own.
DEFAULT_APPEAL_URL = (
    "раздел «Обращения граждан» на официальном сайте вашего органа управления образованием "
    "или портал Госуслуг: https://www.gosuslugi.ru"
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr = SecretStr("")
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: str | None = None
    bot_username: str | None = None
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_timezone: str = DEFAULT_TIMEZONE
    root_org_name: str = "Орган управления образованием"
    redis_url: str | None = None
    webhook_url: str | None = None
    webhook_path: str = "/telegram/webhook"
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    # 0 = any free port (tests); the process's web app listens here in both modes.
    webhook_port: int = Field(default=8080, ge=0, le=65535)
    log_level: str = "INFO"
    reminder_hour: int = Field(default=9, ge=0, le=23)
    quiet_start: int = Field(default=21, ge=0, le=23)
    quiet_end: int = Field(default=8, ge=0, le=23)
    invite_ttl_days: int = Field(default=14, ge=1)
    tick_seconds: float = Field(default=30.0, gt=0)
    polling_timeout: int = Field(default=30, ge=0)
    rate_global: float = Field(default=30, gt=0)
    rate_chat_interval: float = Field(default=1.0, ge=0)
    rate_group_per_minute: int = Field(default=20, ge=1)
    skip_weekends: bool = False
    flood_limit: int = Field(default=8, ge=1)
    flood_window: float = Field(default=2.0, gt=0)
    hotline_appeal_url: str = DEFAULT_APPEAL_URL

    @field_validator("bot_token")
    @classmethod
    def _token_format(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value().strip()
        # Placeholders pass here: running without a real token has its own message.
        if token.lower() not in PLACEHOLDER_TOKENS and not TOKEN_FORMAT.fullmatch(token):
            raise PydanticCustomError("bot_token_format", "expected digits, a colon and a secret")
        return SecretStr(token)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",")]
            if not all(part.lstrip("-").isdigit() for part in parts if part):
                raise PydanticCustomError("admin_ids", "expected numeric ids separated by commas")
            return [int(part) for part in parts if part]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise PydanticCustomError("timezone", "unknown time zone") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise PydanticCustomError("log_level", "unknown logging level")
        return level

    @property
    def webhook_secret_value(self) -> str:
        """The secret Telegram sends with every webhook call; shared by all processes."""
        if self.webhook_secret and self.webhook_secret.get_secret_value():
            return self.webhook_secret.get_secret_value()
        # Derived from the token so that every process of one bot agrees without extra setup.
        token = self.bot_token.get_secret_value().encode()
        return hashlib.sha256(b"webhook:" + token).hexdigest()

    @property
    def token_is_set(self) -> bool:
        token = self.bot_token.get_secret_value().strip()
        return token.lower() not in PLACEHOLDER_TOKENS and ":" in token
