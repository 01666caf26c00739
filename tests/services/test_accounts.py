"""People and their channel accounts: first contact, return, blocking, the chat to write to."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.channels.telegram.identity import telegram_identity
from bot.domain.messages import Channel
from bot.services import access
from storage.models import ChannelAccount, User
from storage.repo import accounts


async def test_first_contact_makes_one_person_with_a_telegram_account(session):
    first = await access.touch_account(session, telegram_identity(4100, "anna"), "Анна")
    again = await access.touch_account(session, telegram_identity(4100, "anna_p"), "Анна П.")

    assert again.user_id == first.user_id
    assert again.full_name == "Анна"  # a name is set at registration, not by every contact
    assert await session.scalar(select(func.count()).select_from(User)) == 1
    [account] = (await session.scalars(select(ChannelAccount))).all()
    assert (account.channel, account.external_id, account.chat_id, account.username) == (
        Channel.TELEGRAM,
        "4100",
        "4100",
        "anna_p",
    )
    assert await access.resolve_account(session, Channel.TELEGRAM, "4100") == first.user_id
    assert await access.resolve_account(session, Channel.TELEGRAM, "4101") is None


async def test_blocking_the_bot_is_recorded_on_the_person_and_undone_on_return(session):
    principal = await access.touch_account(session, telegram_identity(4200), "Борис")
    assert await access.set_blocked(session, Channel.TELEGRAM, "4200", True)
    assert not (await access.load_principal(session, principal.user_id)).is_active
    assert not await access.set_blocked(session, Channel.TELEGRAM, "4299", True)

    back = await access.touch_account(session, telegram_identity(4200), "Борис")
    assert back.is_active and back.user_id == principal.user_id


async def test_a_person_is_written_to_in_their_newest_account(session):
    principal = await access.touch_account(session, telegram_identity(4300), "Вера")
    accounts.add_account(session, principal.user_id, Channel.TELEGRAM, "4301", "4301")
    await session.commit()

    assert await accounts.chats_of(session, [principal.user_id], Channel.TELEGRAM) == {
        principal.user_id: "4301"
    }
    assert await access.chats_of(session, principal.user_id, Channel.TELEGRAM) == ["4300", "4301"]
