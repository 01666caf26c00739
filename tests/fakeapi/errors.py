"""Bot API errors in Telegram's format, and the rules that inject them."""

from dataclasses import dataclass

BLOCKED = "Forbidden: bot was blocked by the user"
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: BLOCKED,
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict:
        body: dict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass
class FailureRule:
    method: str
    status: int
    times: int
    retry_after: int | None = None
    chat_id: int | str | None = None
    description: str | None = None

    def matches(self, method: str, params: dict) -> bool:
        if self.times <= 0 or self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)

    def error(self) -> ApiError:
        self.times -= 1
        if self.status == 429:
            retry_after = self.retry_after if self.retry_after is not None else 1
            description = self.description or f"Too Many Requests: retry after {retry_after}"
            return ApiError(429, description, retry_after=retry_after)
        description = self.description or _DEFAULT_DESCRIPTIONS.get(
            self.status, "Internal Server Error" if self.status >= 500 else "Bad Request"
        )
        return ApiError(self.status, description, retry_after=self.retry_after)
