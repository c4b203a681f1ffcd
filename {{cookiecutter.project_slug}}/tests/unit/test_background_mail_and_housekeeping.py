"""The welcome email (once per message) and housekeeping (in bounded batches), on fakes."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from {{ cookiecutter.package_name }}.domain.auth.entities import (
    PasswordResetToken,
    RefreshToken,
    RefreshTokenFamily,
)
from {{ cookiecutter.package_name }}.domain.housekeeping import Housekeeping, HousekeepingPolicy
from {{ cookiecutter.package_name }}.domain.outbox import SEND_WELCOME_EMAIL, OutboxMessage
from {{ cookiecutter.package_name }}.domain.users.entities import User
from {{ cookiecutter.package_name }}.domain.users.passwords import PasswordPolicy
from {{ cookiecutter.package_name }}.domain.users.service import UserService
from {{ cookiecutter.package_name }}.domain.users.welcome import WelcomeEmails

from .auth_fakes import FakePasswordHasher, ListedPasswordStrength, Mailbox, RecordingAccessStates
from .fakes import FakeUnitOfWork, InMemoryCache

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)


async def test_registration_commits_the_welcome_message_with_the_account() -> None:
    uow = FakeUnitOfWork()
    users = UserService(
        uow,
        FakePasswordHasher(),
        RecordingAccessStates(),
        InMemoryCache(),
        PasswordPolicy(ListedPasswordStrength()),
    )

    user = await users.register("ann@example.com", "correct horse battery", "Ann")

    assert uow.commits == 1
    [message] = uow.committed_outbox.messages
    assert (message.topic, dict(message.payload)) == (SEND_WELCOME_EMAIL, {"user_id": str(user.id)})


async def test_the_welcome_email_goes_out_once_per_message() -> None:
    uow, mail = FakeUnitOfWork(), Mailbox()
    user = User(email="ann@example.com", password_hash="x", full_name="Ann")
    uow.committed_users.rows[user.id] = user
    welcome = WelcomeEmails(lambda: uow, mail)
    message_id = uuid4()

    assert await welcome.send(user.id, message_id) is True
    assert await welcome.send(user.id, message_id) is False  # the same message, redelivered

    assert [(email.to, email.subject) for email in mail.sent] == [
        ("ann@example.com", "Welcome to {{ cookiecutter.project_name }}")
    ]
    assert "Hello Ann," in mail.sent[0].body


async def test_no_welcome_for_an_account_deactivated_meanwhile() -> None:
    uow, mail = FakeUnitOfWork(), Mailbox()
    user = User(email="ann@example.com", password_hash="x", is_active=False)
    uow.committed_users.rows[user.id] = user

    assert await WelcomeEmails(lambda: uow, mail).send(user.id, uuid4()) is True
    assert mail.sent == []


async def test_housekeeping_purges_only_what_expired_in_batches() -> None:
    uow = FakeUnitOfWork()
    family = RefreshTokenFamily(user_id=uuid4())
    for index in range(5):  # three expired, two live
        expires = NOW + timedelta(hours=-1 if index < 3 else 1)
        token = RefreshToken(family=family, token_hash=f"h{index}", expires_at=expires)
        uow.committed_refresh_tokens.tokens[token.token_hash] = token
    for name, expires in (("spent", NOW - timedelta(minutes=1)), ("live", NOW + timedelta(1))):
        reset = PasswordResetToken(user_id=family.user_id, token_hash=name, expires_at=expires)
        uow.committed_password_reset_tokens.tokens[name] = reset
    old, recent = OutboxMessage("t", {}), OutboxMessage("t", {})
    uow.committed_outbox.messages = [old, recent, OutboxMessage("t", {})]  # the last: unsent
    uow.committed_outbox.sent_at = {old.id: NOW - timedelta(days=8), recent.id: NOW}
    policy = HousekeepingPolicy(retention_seconds=7 * 24 * 3600, batch_size=2)

    purged = await Housekeeping(lambda: uow, policy, clock=lambda: NOW).run()

    assert (purged.refresh_tokens, purged.outbox_messages, purged.processed_messages) == (3, 1, 0)
    assert sorted(uow.committed_refresh_tokens.tokens) == ["h3", "h4"]
    assert purged.password_reset_tokens == 1
    assert list(uow.committed_password_reset_tokens.tokens) == ["live"]
    assert [message.id for message in uow.committed_outbox.messages][:1] == [recent.id]
    assert len(uow.committed_outbox.messages) == 2
    # The refresh tokens took two batches; reset tokens, outbox, processed messages and
    # idempotency keys one each.
    assert uow.commits == 2 + 1 + 1 + 1 + 1
