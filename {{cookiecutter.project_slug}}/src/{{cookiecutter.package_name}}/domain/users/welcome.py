"""The welcome email, sent by the worker after a registration committed (through the outbox)."""

from uuid import UUID

from ..mail import Email, Mailer
from ..unit_of_work import UnitOfWorkFactory
from .entities import User


def welcome_email(user: User, message_id: UUID) -> Email:
    greeting = f"Hello {user.full_name}," if user.full_name else "Hello,"
    return Email(
        to=user.email,
        subject="Welcome to {{ cookiecutter.project_name }}",
        body=f"{greeting}\n\nyour account is ready. Sign in with this email address.\n",
        message_id=message_id,
    )


class WelcomeEmails:
    def __init__(self, unit_of_work: UnitOfWorkFactory, mailer: Mailer) -> None:
        self._unit_of_work = unit_of_work
        self._mailer = mailer

    async def send(self, user_id: UUID, message_id: UUID) -> bool:
        """Sends the welcome email once per message; `False` for a repeated delivery.

        The claim commits only after the mail went out, so a failed send is retried. A worker
        that dies between the two sends it again on redelivery: a second welcome is the
        price of never losing the first (at least once; exactly once would need the mail
        server in the transaction).
        """
        async with self._unit_of_work() as uow:
            if not await uow.processed_messages.claim(message_id):
                return False
            user = await uow.users.get(user_id)
            if user is not None and user.is_active:
                await self._mailer.send(welcome_email(user, message_id))
            await uow.commit()
        return True
