"""Officer: hotline statistics of the subtree over a period, in chat."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts as common
from bot.channels.telegram.callbacks.faq import HotlineStatsCb
from bot.channels.telegram.keyboards import faq as kb
from bot.config import Settings
from bot.services import orgs
from bot.services.access import Principal
from bot.services.hotline import stats
from bot.services.hotline.stats import HotlineStats
from bot.texts import faq as texts
from bot.texts.formatting import format_date
from storage.base import utcnow

DEFAULT_DAYS = 30
MAX_SCHOOLS = 15
ALLOWED_DAYS = frozenset(kb.STATS_PERIODS)


def build_router() -> Router:
    router = Router(name="officer.hotline_stats")
    router.message.register(cmd_hotline_stats, Command("hotline_stats"))
    router.message.register(cmd_hotline_stats, F.text == texts.BTN_HOTLINE_STATS)
    router.callback_query.register(on_period, HotlineStatsCb.filter(F.days.in_(ALLOWED_DAYS)))
    return router


def render(result: HotlineStats, tz: str) -> str:
    def lines(pairs) -> str:
        return (
            "\n".join(texts.STATS_LINE.format(name=name, count=count) for name, count in pairs)
            or texts.STATS_NONE
        )

    schools = [
        (common.q(s.name) or texts.STATS_NO_SCHOOL, s.tickets)
        for s in result.by_school[:MAX_SCHOOLS]
    ]
    school_lines = lines(schools)
    if len(result.by_school) > MAX_SCHOOLS:
        more = texts.STATS_MORE_SCHOOLS.format(count=len(result.by_school) - MAX_SCHOOLS)
        school_lines += "\n" + more
    zone = ZoneInfo(tz)
    return texts.STATS.format(
        org=common.q(result.scope),
        start=format_date(result.start.astimezone(zone).date()),
        end=format_date(result.end.astimezone(zone).date()),
        tickets=texts.tickets(result.total),
        topics=lines((texts.TOPIC_NAMES[t], n) for t, n in result.by_topic),
        kinds=lines((texts.KIND_NAMES[k], n) for k, n in result.by_kind),
        schools=school_lines,
        open=result.open,
        overdue=result.overdue,
        median=texts.duration(result.median_first_answer),
        answered=texts.tickets(result.answered),
        deflections=result.deflections,
    )


async def _screen(
    session: AsyncSession, principal: Principal, org_id: int, days: int, tz: str
) -> tuple[str, InlineKeyboardMarkup]:
    now = utcnow()
    result = await stats.hotline_stats(
        session, principal, org_id, now - timedelta(days=days), now, now
    )
    return render(result, tz), kb.stats_periods(org_id, days)


async def cmd_hotline_stats(
    message: Message, session: AsyncSession, principal: Principal, settings: Settings
) -> None:
    roots = await orgs.officer_roots(session, principal, settings.default_timezone)
    if len(roots) != 1:
        await message.answer(
            texts.STATS_CHOOSE_ORG, reply_markup=kb.orgs([(o.id, o.name) for o in roots], True)
        )
        return
    text, markup = await _screen(
        session, principal, roots[0].id, DEFAULT_DAYS, settings.default_timezone
    )
    await message.answer(text, reply_markup=markup)


async def on_period(
    callback: CallbackQuery,
    callback_data: HotlineStatsCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    text, markup = await _screen(
        session, principal, callback_data.org_id, callback_data.days, settings.default_timezone
    )
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)
