"""Message entities as Telegram computes them: HTML parse mode and bot commands."""

import re
from html.parser import HTMLParser

from tests.fakeapi.errors import ApiError

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")


def utf16_len(text: str) -> int:
    # Telegram measures entity offsets and lengths in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[dict]:
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]


def _entity_for(tag: str, attrs: dict[str, str | None]) -> dict | None:
    if tag in _SIMPLE_TAGS:
        return {"type": _SIMPLE_TAGS[tag]}
    if tag == "span" and attrs.get("class") == "tg-spoiler":
        return {"type": "spoiler"}
    if tag == "a" and attrs.get("href"):
        return {"type": "text_link", "url": attrs["href"]}
    if tag == "blockquote":
        return {"type": "expandable_blockquote" if "expandable" in attrs else "blockquote"}
    if tag == "tg-emoji" and attrs.get("emoji-id"):
        return {"type": "custom_emoji", "custom_emoji_id": attrs["emoji-id"]}
    return None


class _TelegramHtml(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.text: list[str] = []
        self.length = 0
        self.stack: list[tuple[str, int, dict]] = []
        self.entities: list[dict] = []

    def _byte_offset(self) -> int:
        line, column = self.getpos()
        lines = self.source.split("\n")
        index = sum(len(item) + 1 for item in lines[: line - 1]) + column
        return len(self.source[:index].encode())

    def _fail(self, reason: str) -> ApiError:
        return ApiError(400, f"Bad Request: can't parse entities: {reason}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        entity = _entity_for(tag, dict(attrs))
        if entity is None:
            raise self._fail(f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}')
        if tag == "code" and self.stack and self.stack[-1][0] == "pre":
            language = dict(attrs).get("class") or ""
            if language.startswith("language-"):
                # Telegram folds <pre><code class="language-x"> into one pre entity.
                self.stack[-1][2]["language"] = language.removeprefix("language-")
                entity = {}
        self.stack.append((tag, self.length, entity))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            expected = f'"</{self.stack[-1][0]}>"' if self.stack else "nothing"
            raise self._fail(
                f"Unmatched end tag at byte offset {self._byte_offset()}, "
                f'expected {expected}, found "</{tag}>"'
            )
        _, start, entity = self.stack.pop()
        if entity and self.length > start:
            self.entities.append({**entity, "offset": start, "length": self.length - start})

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        self.length += utf16_len(data)


def parse_html(source: str) -> tuple[str, list[dict]]:
    """Plain text and entities of an HTML-formatted message, or ApiError like Telegram's."""
    # Telegram rejects every "<" that does not open a tag, which unescaped user input trips.
    if stray := re.search(r"<(?![A-Za-z/])", source):
        offset = len(source[: stray.start()].encode())
        raise ApiError(
            400,
            f'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset {offset}',
        )
    if unclosed := re.search(r"<[^>]*$", source):
        offset = len(source[: unclosed.start()].encode())
        raise ApiError(
            400, f"Bad Request: can't parse entities: Unclosed start tag at byte offset {offset}"
        )
    parser = _TelegramHtml(source)
    parser.feed(source)
    parser.close()
    if parser.stack:
        raise parser._fail(
            f'Can\'t find end tag corresponding to start tag "{parser.stack[-1][0]}"'
        )
    entities = sorted(parser.entities, key=lambda item: (item["offset"], -item["length"]))
    return "".join(parser.text), entities


def render_text(text: str, parse_mode: str | None, entities: list | None) -> tuple[str, list]:
    if entities:
        return text, list(entities)
    if parse_mode and parse_mode.lower() == "html":
        return parse_html(text)
    return text, []
