"""Slows password guessing: too many failed sign-ins for one account, or from one client
address, and further attempts are refused for the rest of the window.

Two keys because they stop two attacks: many passwords against one account (the account key),
and one common password against many accounts (the client key). The cost, that someone can lock
an account for one window by failing on purpose, is bounded by the window's length.
"""

import hashlib
from dataclasses import dataclass

from ..rate_limits import WindowCounter
from .errors import TooManyLoginAttemptsError


@dataclass(frozen=True, slots=True)
class LoginThrottlePolicy:
    max_failures_per_account: int
    max_failures_per_client: int
    window_seconds: int
    # What is counted, in keys and in the 429's words: other attempts than sign-ins (password
    # resets) are throttled the same way, each with counters of their own.
    scope: str = "login"
    attempts: str = "failed sign-ins"


class LoginThrottle:
    def __init__(self, counter: WindowCounter, policy: LoginThrottlePolicy) -> None:
        self._counter = counter
        self._policy = policy

    async def check(self, email: str, client: str) -> None:
        """Raises `TooManyLoginAttemptsError` when either key has used up its failures."""
        account, address = await self._counter.counts(self._keys(email, client))
        waits = [
            count.retry_after_seconds
            for count, limit in (
                (account, self._policy.max_failures_per_account),
                (address, self._policy.max_failures_per_client),
            )
            if count.count >= limit
        ]
        if waits:
            raise TooManyLoginAttemptsError(max(1, *waits), self._policy.attempts)

    async def record_failure(self, email: str, client: str) -> None:
        await self._counter.add(self._keys(email, client), self._policy.window_seconds)

    async def record_success(self, email: str) -> None:
        """The account's owner got in: their earlier typos no longer count against them."""
        await self._counter.reset(self._account_key(email))

    def _keys(self, email: str, client: str) -> list[str]:
        return [self._account_key(email), f"{self._policy.scope}-failures:client:{client}"]

    def _account_key(self, email: str) -> str:
        # Hashed, so the counter store (Redis) holds no email addresses.
        digest = hashlib.sha256(email.encode()).hexdigest()[:32]
        return f"{self._policy.scope}-failures:account:{digest}"
