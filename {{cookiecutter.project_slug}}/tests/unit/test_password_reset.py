"""Password reset on fakes: the request (the same work for any address), the mail with its
token, and the confirmation (single use, expiring, revoking every session)."""

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

import pytest

from {{ cookiecutter.package_name }}.domain.auth.errors import InvalidResetTokenError, TooManyLoginAttemptsError
from {{ cookiecutter.package_name }}.domain.auth.login_throttle import LoginThrottle, LoginThrottlePolicy
from {{ cookiecutter.package_name }}.domain.auth.password_reset import PasswordResetService
from {{ cookiecutter.package_name }}.domain.auth.refresh_tokens import hash_reset_token
from {{ cookiecutter.package_name }}.domain.auth.reset_emails import PasswordResetEmails
from {{ cookiecutter.package_name }}.domain.outbox import SEND_PASSWORD_RESET_EMAIL
from {{ cookiecutter.package_name }}.domain.users.errors import WeakPasswordError
from {{ cookiecutter.package_name }}.domain.users.passwords import PasswordPolicy
from {{ cookiecutter.package_name }}.infrastructure.security.attempt_counters import InProcessAttemptCounter

from .auth_fakes import ListedPasswordStrength, Mailbox
from .auth_world import CLIENT, PASSWORD, World

NEW_PASSWORD = "a sturdy new passphrase"
TTL_SECONDS = 1800


@pytest.fixture
def resets(world: World) -> PasswordResetService:
    policy = LoginThrottlePolicy(
        max_failures_per_account=3,
        max_failures_per_client=10,
        window_seconds=60,
        scope="password-reset",
        attempts="password reset attempts",
    )
    return PasswordResetService(
        world.uow,
        world.hasher,
        PasswordPolicy(ListedPasswordStrength()),
        world.states,
        LoginThrottle(InProcessAttemptCounter(), policy),
        clock=world.clock,
    )


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


async def mailed_token(world: World, resets: PasswordResetService, mailbox: Mailbox) -> str:
    """Asks for a reset of Ann's account and delivers its message as the worker would."""
    await resets.request("Ann@Example.com", CLIENT)
    message = world.uow.committed_outbox.messages[-1]
    emails = PasswordResetEmails(lambda: world.uow, mailbox, TTL_SECONDS, clock=world.clock)
    user_id = message.payload["user_id"]
    await emails.send(UUID(user_id) if user_id else None, message.id)
    return mailbox.sent[-1].body.split("Your reset token: ")[1].split()[0]


async def test_a_request_writes_the_same_message_whether_or_not_the_account_exists(
    world: World, resets: PasswordResetService
) -> None:
    user = world.add_user()

    await resets.request("ann@example.com", CLIENT)
    await resets.request("nobody@example.com", CLIENT)

    known, unknown = world.uow.committed_outbox.messages
    assert (known.topic, unknown.topic) == (SEND_PASSWORD_RESET_EMAIL, SEND_PASSWORD_RESET_EMAIL)
    assert dict(known.payload) == {"user_id": str(user.id)}
    assert dict(unknown.payload) == {"user_id": ""}
    assert world.uow.commits == 2  # the same work for both


async def test_an_account_without_a_password_is_not_given_one_by_mail(
    world: World, resets: PasswordResetService
) -> None:
    user = world.add_user()
    world.uow.committed_users.rows[user.id] = replace(user, password_hash=None)

    await resets.request("ann@example.com", CLIENT)

    [message] = world.uow.committed_outbox.messages
    assert dict(message.payload) == {"user_id": ""}  # the identity provider's: no reset


async def test_the_mail_carries_a_token_stored_only_as_its_hash(
    world: World, resets: PasswordResetService, mailbox: Mailbox
) -> None:
    user = world.add_user()

    token = await mailed_token(world, resets, mailbox)

    [email] = mailbox.sent
    assert email.to == "ann@example.com"
    assert "30 minutes" in email.body
    [stored] = world.uow.committed_password_reset_tokens.tokens.values()
    assert (stored.user_id, stored.token_hash) == (user.id, hash_reset_token(token))
    assert stored.expires_at == world.clock.now + timedelta(seconds=TTL_SECONDS)


async def test_a_redelivered_message_mails_nothing_more(
    world: World, resets: PasswordResetService, mailbox: Mailbox
) -> None:
    world.add_user()
    await mailed_token(world, resets, mailbox)
    message = world.uow.committed_outbox.messages[-1]
    emails = PasswordResetEmails(lambda: world.uow, mailbox, TTL_SECONDS)

    assert await emails.send(UUID(message.payload["user_id"]), message.id) is False
    assert len(mailbox.sent) == 1


@pytest.mark.parametrize("case", ["unknown address", "inactive account"])
async def test_no_mail_without_an_active_account(
    world: World, resets: PasswordResetService, mailbox: Mailbox, case: str
) -> None:
    world.add_user(is_active=case != "inactive account")
    address = "nobody@example.com" if case == "unknown address" else "ann@example.com"
    await resets.request(address, CLIENT)
    message = world.uow.committed_outbox.messages[-1]

    assert message.payload["user_id"] == ""
    assert await PasswordResetEmails(lambda: world.uow, mailbox, TTL_SECONDS).send(None, message.id)
    assert mailbox.sent == []


async def test_confirming_sets_the_password_spends_the_token_and_ends_every_session(
    world: World, resets: PasswordResetService, mailbox: Mailbox
) -> None:
    user = world.add_user()
    auth = world.service()
    pairs = [await auth.login("ann@example.com", PASSWORD, CLIENT) for _ in range(2)]
    token = await mailed_token(world, resets, mailbox)

    await resets.confirm(token, NEW_PASSWORD, CLIENT)

    assert world.uow.committed_users.rows[user.id].password_hash == f"v1:{NEW_PASSWORD}"
    sessions = [world.family_of(pair) for pair in pairs]
    assert all(world.is_revoked(session) for session in sessions)
    assert sorted(world.states.forgotten_sessions) == sorted(sessions)
    with pytest.raises(InvalidResetTokenError):
        await resets.confirm(token, "yet another passphrase", CLIENT)  # single use


async def test_one_reset_spends_every_other_token_of_the_account(
    world: World, resets: PasswordResetService, mailbox: Mailbox
) -> None:
    world.add_user()
    first = await mailed_token(world, resets, mailbox)
    second = await mailed_token(world, resets, mailbox)

    await resets.confirm(second, NEW_PASSWORD, CLIENT)

    with pytest.raises(InvalidResetTokenError):
        await resets.confirm(first, "yet another passphrase", CLIENT)


async def test_an_expired_token_is_refused(
    world: World, resets: PasswordResetService, mailbox: Mailbox
) -> None:
    world.add_user()
    token = await mailed_token(world, resets, mailbox)
    world.clock.advance(TTL_SECONDS)

    with pytest.raises(InvalidResetTokenError):
        await resets.confirm(token, NEW_PASSWORD, CLIENT)


async def test_a_weak_new_password_is_refused_and_leaves_the_token_usable(
    world: World, resets: PasswordResetService, mailbox: Mailbox
) -> None:
    user = world.add_user()
    token = await mailed_token(world, resets, mailbox)

    with pytest.raises(WeakPasswordError):
        await resets.confirm(token, "password123", CLIENT)
    with pytest.raises(WeakPasswordError, match="email address's name"):
        await resets.confirm(token, "ann-forgot-again", CLIENT)

    assert world.uow.committed_users.rows[user.id].password_hash == f"v1:{PASSWORD}"
    await resets.confirm(token, NEW_PASSWORD, CLIENT)


async def test_requests_for_one_address_are_throttled(
    world: World, resets: PasswordResetService
) -> None:
    for _ in range(3):
        await resets.request("ann@example.com", CLIENT)

    with pytest.raises(TooManyLoginAttemptsError, match="Too many password reset attempts"):
        await resets.request("ANN@example.com", "198.51.100.1")


async def test_guessing_tokens_is_throttled_per_client(
    world: World, resets: PasswordResetService
) -> None:
    for attempt in range(10):
        with pytest.raises(InvalidResetTokenError):
            await resets.confirm(f"guess-{attempt}", NEW_PASSWORD, CLIENT)

    with pytest.raises(TooManyLoginAttemptsError):
        await resets.confirm("guess-10", NEW_PASSWORD, CLIENT)


async def test_a_token_of_a_deactivated_account_is_refused(
    world: World, resets: PasswordResetService, mailbox: Mailbox
) -> None:
    user = world.add_user()
    token = await mailed_token(world, resets, mailbox)
    world.uow.committed_users.rows[user.id] = replace(user, is_active=False)

    with pytest.raises(InvalidResetTokenError):
        await resets.confirm(token, NEW_PASSWORD, CLIENT)
