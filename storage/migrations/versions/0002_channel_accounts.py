"""channel accounts: a person's Telegram id and username move from users to an account

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 07:44:56.817799
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TELEGRAM = "telegram"

users = sa.table(
    "users",
    sa.column("id", sa.Integer()),
    sa.column("tg_id", sa.BigInteger()),
    sa.column("username", sa.String(64)),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
accounts = sa.table(
    "channel_accounts",
    sa.column("id", sa.Integer()),
    sa.column("user_id", sa.Integer()),
    sa.column("channel", sa.String(16)),
    sa.column("external_id", sa.String(64)),
    sa.column("chat_id", sa.String(64)),
    sa.column("username", sa.String(64)),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.create_table(
        "channel_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_channel_accounts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_accounts")),
        sa.UniqueConstraint(
            "channel", "external_id", name=op.f("uq_channel_accounts_channel_external_id")
        ),
    )
    with op.batch_alter_table("channel_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_accounts_user_id"), ["user_id"], unique=False)

    # Every person so far came through Telegram, where the private chat id is the user id.
    tg_id = sa.cast(users.c.tg_id, sa.String(64))
    op.execute(
        accounts.insert().from_select(
            ["user_id", "channel", "external_id", "chat_id", "username", "created_at"],
            sa.select(
                users.c.id,
                sa.literal(TELEGRAM, sa.String(16)),
                tg_id,
                tg_id,
                users.c.username,
                users.c.created_at,
            ).order_by(users.c.id),
        )
    )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_tg_id"), type_="unique")
        batch_op.drop_column("tg_id")
        batch_op.drop_column("username")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tg_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("username", sa.String(length=64), nullable=True))

    # A person's first Telegram account; one without any gets a negative id no private chat has.
    op.execute(
        users.update().values(
            tg_id=_of_first_telegram_account(sa.cast(accounts.c.external_id, sa.BigInteger())),
            username=_of_first_telegram_account(accounts.c.username),
        )
    )
    op.execute(users.update().where(users.c.tg_id.is_(None)).values(tg_id=-users.c.id))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("tg_id", existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_users_tg_id"), ["tg_id"])

    with op.batch_alter_table("channel_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_accounts_user_id"))
    op.drop_table("channel_accounts")


def _of_first_telegram_account(column: sa.ColumnElement) -> sa.ScalarSelect:
    return (
        sa.select(column)
        .where(accounts.c.user_id == users.c.id, accounts.c.channel == TELEGRAM)
        .order_by(accounts.c.id)
        .limit(1)
        .scalar_subquery()
    )
