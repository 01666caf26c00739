"""Files of a Telegram message as channel-neutral attachments (permanent file ids), and in
words what cannot be copied."""

from __future__ import annotations

from html import escape as q

from aiogram.types import Message

from bot.domain.messages import Attachment, AttachmentKind
from bot.texts import hotline as texts


def attachments_of(message: Message) -> list[Attachment]:
    """The photo (its largest size), document, video, audio or voice of the message."""
    if message.photo:
        return [Attachment(AttachmentKind.PHOTO, message.photo[-1].file_id)]
    if message.document:
        return [
            Attachment(
                AttachmentKind.DOCUMENT, message.document.file_id, message.document.file_name
            )
        ]
    if message.video:
        return [Attachment(AttachmentKind.VIDEO, message.video.file_id)]
    if message.audio:
        return [Attachment(AttachmentKind.AUDIO, message.audio.file_id, message.audio.file_name)]
    if message.voice:
        return [Attachment(AttachmentKind.VOICE, message.voice.file_id)]
    return []


def described(message: Message) -> str:
    """The message's content in words when it holds nothing the bot can copy (a sticker, a
    location, a poll…); empty when it does."""
    if message.sticker:
        what = texts.DESCRIBE_STICKER.format(emoji=message.sticker.emoji or "").strip()
    elif message.animation:
        what = texts.DESCRIBE_ANIMATION
    elif message.video_note:
        what = texts.DESCRIBE_VIDEO_NOTE.format(seconds=message.video_note.duration)
    elif message.venue:
        venue = message.venue
        what = texts.DESCRIBE_VENUE.format(title=q(venue.title), address=q(venue.address))
    elif message.location:
        where = message.location
        what = texts.DESCRIBE_LOCATION.format(latitude=where.latitude, longitude=where.longitude)
    elif message.contact:
        contact = message.contact
        name = " ".join(filter(None, (contact.first_name, contact.last_name)))
        what = texts.DESCRIBE_CONTACT.format(name=q(name), phone=q(contact.phone_number))
    elif message.poll:
        options = "; ".join(q(option.text) for option in message.poll.options)
        what = texts.DESCRIBE_POLL.format(question=q(message.poll.question), options=options)
    elif message.dice:
        what = texts.DESCRIBE_DICE.format(emoji=message.dice.emoji, value=message.dice.value)
    else:
        return ""
    return texts.described(what)


def content_of(message: Message) -> tuple[str, list[Attachment]]:
    """The message's text (Telegram's HTML, escaped) and files; in words, what holds
    neither but cannot be copied."""
    files = attachments_of(message)
    text = message.html_text if (message.text or message.caption) else ""
    if not text and not files:
        text = described(message)
    return text, files
