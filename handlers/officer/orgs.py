"""Officer: organisation tree, adding schools, invitations, registered people."""

from __future__ import annotations

from functools import partial

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram import keyboards
from bot.channels.telegram.callbacks import OrgAction, OrgCb, PersonAction, PersonCb
from bot.channels.telegram.commands import publish_role_commands
from bot.channels.telegram.links import invite_link
from bot.config import Settings
from bot.domain.enums import OrgKind, RoleKind
from bot.domain.errors import ErrorCode, ValidationError
from bot.domain.messages import Channel
from bot.exports.invites import invites_csv, invites_xlsx
from bot.services import access, invites, orgs
from bot.services.access import Principal
from bot.texts.errors import error_text
from bot.texts.formatting import format_date


class AddOrg(StatesGroup):
    name = State()


INVITE_ROLES = {
    OrgAction.INVITE_COORDINATOR: RoleKind.COORDINATOR,
    OrgAction.INVITE_OFFICER: RoleKind.OFFICER,
    OrgAction.INVITE_OPERATOR: RoleKind.OPERATOR,
}


def build_router() -> Router:
    router = Router(name="officer.orgs")
    router.message.register(cmd_orgs, Command("orgs"))
    router.message.register(cmd_orgs, F.text == texts.BTN_ORGS)
    router.callback_query.register(on_open, OrgCb.filter(F.action == OrgAction.OPEN))
    router.callback_query.register(on_children, OrgCb.filter(F.action == OrgAction.CHILDREN))
    router.callback_query.register(on_add_child, OrgCb.filter(F.action == OrgAction.ADD_CHILD))
    router.message.register(add_org_name_entered, AddOrg.name, F.text)
    router.message.register(add_org_name_invalid, AddOrg.name)
    router.callback_query.register(
        on_invite,
        OrgCb.filter(F.action.in_(INVITE_ROLES)),
    )
    router.callback_query.register(
        on_export, OrgCb.filter(F.action.in_({OrgAction.EXPORT_CSV, OrgAction.EXPORT_XLSX}))
    )
    router.callback_query.register(on_people, OrgCb.filter(F.action == OrgAction.PEOPLE))
    router.callback_query.register(
        on_ask_remove, PersonCb.filter(F.action == PersonAction.ASK_REMOVE)
    )
    router.callback_query.register(on_remove, PersonCb.filter(F.action == PersonAction.REMOVE))
    return router


async def _card(session: AsyncSession, principal: Principal, org_id: int, tz: str):
    org = await orgs.get_org(session, principal, org_id, tz)
    children = await orgs.list_children(session, principal, org_id, tz)
    people = [p for p in await orgs.list_people(session, principal, org_id) if p.org_id == org_id]
    text = texts.ORG_CARD.format(
        name=texts.q(org.name),
        kind=texts.ORG_KIND_NAMES[org.kind].capitalize(),
        tz=org.timezone,
        risk=texts.ORG_AT_RISK if org.at_risk else "",
        children=len(children),
        people=sum(p.role == RoleKind.COORDINATOR for p in people),
    )
    return text, keyboards.org_card(org.id, org.kind, bool(children))


async def cmd_orgs(
    message: Message, session: AsyncSession, principal: Principal, settings: Settings
) -> None:
    roots = await orgs.officer_roots(session, principal, settings.default_timezone)
    if len(roots) == 1:
        text, markup = await _card(session, principal, roots[0].id, settings.default_timezone)
        await message.answer(text, reply_markup=markup)
        return
    await message.answer(
        texts.BTN_ORGS,
        reply_markup=keyboards.org_list([(o.id, o.name) for o in roots], 0, 1, None),
    )


async def on_open(
    callback: CallbackQuery,
    callback_data: OrgCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    text, markup = await _card(session, principal, callback_data.org_id, settings.default_timezone)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_children(
    callback: CallbackQuery,
    callback_data: OrgCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    children = await orgs.list_children(
        session, principal, callback_data.org_id, settings.default_timezone
    )
    items, page, pages = keyboards.page_of(children, callback_data.page)
    text = texts.ORG_LIST_EMPTY if not children else texts.PAGE.format(page=page + 1, pages=pages)
    markup = keyboards.org_list(
        [(o.id, ("⚠️ " if o.at_risk else "") + o.name) for o in items],
        page,
        pages,
        callback_data.org_id,
    )
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_add_child(
    callback: CallbackQuery,
    callback_data: OrgCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    parent = await orgs.get_org(
        session, principal, callback_data.org_id, settings.default_timezone
    )
    child = OrgKind.MUNICIPALITY if parent.kind == OrgKind.REGION else OrgKind.SCHOOL
    await state.set_state(AddOrg.name)
    await state.update_data(parent_id=parent.id)
    await callback.answer()
    await callback.message.answer(
        texts.ASK_CHILD_NAME.format(kind=texts.ORG_KIND_NAMES[child], parent=texts.q(parent.name))
    )


async def add_org_name_entered(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    parent_id = (await state.get_data())["parent_id"]
    try:
        org = await orgs.add_child(
            session, principal, parent_id, message.text, settings.default_timezone
        )
    except ValidationError as exc:
        await message.answer(error_text(exc))
        return
    await state.clear()
    await message.answer(texts.CHILD_ADDED.format(name=texts.q(org.name)))
    text, markup = await _card(session, principal, org.id, settings.default_timezone)
    await message.answer(text, reply_markup=markup)


async def add_org_name_invalid(message: Message) -> None:
    await message.answer(error_text(ErrorCode.BAD_ORG_NAME))


async def on_invite(
    callback: CallbackQuery,
    callback_data: OrgCb,
    bot: Bot,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    role = INVITE_ROLES[callback_data.action]
    invite = await invites.create_invite(
        session, principal, callback_data.org_id, role, ttl_days=settings.invite_ttl_days
    )
    me = await bot.me()
    await callback.answer()
    await callback.message.answer(
        texts.INVITE_CREATED.format(
            role=texts.ROLE_NAMES[role],
            org=texts.q(invite.org_name),
            link=invite_link(me.username, invite.token),
            expires=format_date(invite.expires_on(settings.default_timezone)),
            uses=texts.invite_uses(invite.max_uses),
        )
    )


async def on_export(
    callback: CallbackQuery,
    callback_data: OrgCb,
    bot: Bot,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    created = await invites.invites_for_schools(
        session, principal, callback_data.org_id, ttl_days=settings.invite_ttl_days
    )
    link = partial(invite_link, (await bot.me()).username)
    if callback_data.action == OrgAction.EXPORT_XLSX:
        data, name = invites_xlsx(created, link, settings.default_timezone), "invites.xlsx"
    else:
        data, name = invites_csv(created, link, settings.default_timezone), "invites.csv"
    await callback.answer()
    await callback.message.answer_document(
        BufferedInputFile(data, filename=name),
        caption=texts.INVITES_EXPORTED.format(
            count=texts.for_schools(len(created)),
            expires=format_date(created[0].expires_on(settings.default_timezone)),
        ),
    )


async def on_people(
    callback: CallbackQuery, callback_data: OrgCb, session: AsyncSession, principal: Principal
) -> None:
    people = await orgs.list_people(session, principal, callback_data.org_id)
    items, page, pages = keyboards.page_of(people, callback_data.page)
    lines = [
        texts.PEOPLE_LINE.format(
            name=texts.q(p.full_name or "—"),
            role=texts.ROLE_NAMES[p.role],
            org=texts.q(p.org_name),
            inactive="" if p.is_active else texts.PERSON_INACTIVE,
        )
        for p in items
    ]
    if pages > 1:
        lines.append(texts.PAGE.format(page=page + 1, pages=pages))
    removable = [(p.role_id, p.full_name) for p in items if p.role == RoleKind.COORDINATOR]
    await callback.answer()
    await callback.message.edit_text(
        "\n".join(lines) or texts.PEOPLE_EMPTY,
        reply_markup=keyboards.people_list(removable, callback_data.org_id, page, pages),
    )


async def on_ask_remove(
    callback: CallbackQuery, callback_data: PersonCb, session: AsyncSession, principal: Principal
) -> None:
    people = await orgs.list_people(session, principal, callback_data.org_id)
    person = next((p for p in people if p.role_id == callback_data.role_id), None)
    if person is None:
        await callback.answer(texts.NOT_FOUND, show_alert=True)
        return
    await callback.answer()
    await callback.message.edit_text(
        texts.CONFIRM_REMOVE.format(name=texts.q(person.full_name), org=texts.q(person.org_name)),
        reply_markup=keyboards.confirm_remove(
            person.role_id, callback_data.org_id, callback_data.page
        ),
    )


async def on_remove(
    callback: CallbackQuery,
    callback_data: PersonCb,
    bot: Bot,
    session: AsyncSession,
    principal: Principal,
) -> None:
    removed = await orgs.remove_coordinator(session, principal, callback_data.role_id)
    await callback.answer()
    await callback.message.edit_text(
        texts.PERSON_REMOVED.format(name=texts.q(removed.name)),
        reply_markup=keyboards.back_to_people(callback_data.org_id, callback_data.page),
    )
    if removed.user_id is not None:
        for chat_id in await access.chats_of(session, removed.user_id, Channel.TELEGRAM):
            await publish_role_commands(bot, int(chat_id), removed.main_role)
