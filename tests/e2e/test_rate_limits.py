"""Every outgoing message passes the one limiter: one message a second to a chat."""

from __future__ import annotations

from tests.support.e2e import running_app


async def test_replies_to_one_chat_are_spaced_a_second_apart(fake, e2e_settings):
    settings = e2e_settings.model_copy(update={"rate_chat_interval": 1.0})
    async with running_app(fake, settings):
        user = fake.user(4100, "Нина")
        other = fake.user(4101, "Олег")
        for _ in range(3):
            await user.send("что-нибудь")
        await other.send("что-нибудь")
        for _ in range(3):
            await user.wait_message()
        await other.wait_message()
    to_user = [c.at for c in fake.calls_to("sendMessage") if c.params["chat_id"] in (4100, "4100")]
    to_other = [
        c.at for c in fake.calls_to("sendMessage") if c.params["chat_id"] in (4101, "4101")
    ]
    gaps = [later - earlier for earlier, later in zip(to_user, to_user[1:], strict=False)]
    assert len(to_user) == 3 and all(gap >= 0.95 for gap in gaps), gaps
    # Another chat is not held up behind the first one.
    assert to_other[0] - to_user[0] < 0.9
