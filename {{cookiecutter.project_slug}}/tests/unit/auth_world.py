"""A small world around `AuthService`: fakes for every port, a clock the test moves by hand."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

from {{ cookiecutter.package_name }}.domain.auth.entities import TokenPair
from {{ cookiecutter.package_name }}.domain.auth.login_throttle import LoginThrottle, LoginThrottlePolicy
from {{ cookiecutter.package_name }}.domain.auth.service import AuthService, SessionPolicy
from {{ cookiecutter.package_name }}.domain.users.entities import User
from {{ cookiecutter.package_name }}.infrastructure.security.access_tokens import JwtAccessTokens
from {{ cookiecutter.package_name }}.infrastructure.security.attempt_counters import InProcessAttemptCounter
from {{ cookiecutter.package_name }}.infrastructure.security.jwt_keys import JwtKeys

from .auth_fakes import FakePasswordHasher, RecordingAccessStates
from .fakes import FakeUnitOfWork

PASSWORD = "correct horse battery staple"
CLIENT = "203.0.113.7"
TOKENS = JwtAccessTokens(
    JwtKeys("HS256", "k" * 48, "k" * 48), issuer="test", audience="test", ttl_seconds=900
)


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class World:
    uow: FakeUnitOfWork
    hasher: FakePasswordHasher
    states: RecordingAccessStates
    clock: Clock

    def service(self, grace_seconds: int = 0) -> AuthService:
        throttle = LoginThrottle(
            InProcessAttemptCounter(),
            LoginThrottlePolicy(
                max_failures_per_account=3, max_failures_per_client=10, window_seconds=60
            ),
        )
        return AuthService(
            self.uow,
            self.hasher,
            TOKENS,
            self.states,
            throttle,
            SessionPolicy(refresh_token_ttl_seconds=3600, reuse_grace_seconds=grace_seconds),
            clock=self.clock,
        )

    def add_user(self, *, is_active: bool = True) -> User:
        user = User(email="ann@example.com", password_hash=f"v1:{PASSWORD}", is_active=is_active)
        self.uow.committed_users.rows[user.id] = user
        return user

    def family_of(self, pair: TokenPair) -> UUID:
        family = TOKENS.verify(pair.access_token).session_id
        assert family is not None  # our own tokens always name their session
        return family

    def is_revoked(self, family_id: UUID) -> bool:
        return self.uow.committed_refresh_tokens.families[family_id].is_revoked
