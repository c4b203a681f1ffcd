"""The worker's part of a password reset, played in the test: the mail and the token in it."""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.api.ports import ApiDependencies
from {{ cookiecutter.package_name }}.domain.auth.reset_emails import PasswordResetEmails
from {{ cookiecutter.package_name }}.domain.clock import utc_now
from {{ cookiecutter.package_name }}.domain.outbox import SEND_PASSWORD_RESET_EMAIL
from {{ cookiecutter.package_name }}.infrastructure.database.tables import OutboxMessageRow

from ..unit.auth_fakes import Mailbox

RESET = "/api/v1/auth/password-reset"
SESSIONS = "/api/v1/auth/sessions"
TTL_SECONDS = 1800


async def deliver_reset_mail(
    app: FastAPI, engine: AsyncEngine, clock: Callable[[], datetime] = utc_now
) -> Mailbox:
    """Hands the latest reset request's message to the mail handler, as the worker would."""
    query = (
        select(OutboxMessageRow)
        .where(OutboxMessageRow.topic == SEND_PASSWORD_RESET_EMAIL)
        .order_by(OutboxMessageRow.created_at.desc())
        .limit(1)
    )
    async with engine.connect() as connection:
        message = (await connection.execute(query)).one()
    dependencies: ApiDependencies = app.state.dependencies
    mailbox = Mailbox()
    emails = PasswordResetEmails(dependencies.unit_of_work, mailbox, TTL_SECONDS, clock)
    user_id = message.payload["user_id"]
    await emails.send(UUID(user_id) if user_id else None, message.id)
    return mailbox


def token_in(mailbox: Mailbox) -> str:
    [email] = mailbox.sent
    return email.body.split("Your reset token: ")[1].split()[0]
