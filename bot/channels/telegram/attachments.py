"""Files of a Telegram message as channel-neutral attachments (permanent file ids)."""

from __future__ import annotations

from aiogram.types import Message

from bot.domain.messages import Attachment, AttachmentKind


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
