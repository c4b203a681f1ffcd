"""Fakes of the sign-in ports outside the unit of work: a readable hasher, a strength estimator
with a list of its own, recorded notices, a mailbox."""

from collections.abc import Sequence
from uuid import UUID

from {{ cookiecutter.package_name }}.domain.auth.entities import AccessState, ClientAccessState
from {{ cookiecutter.package_name }}.domain.mail import Email
from {{ cookiecutter.package_name }}.domain.users.passwords import StrengthEstimate
from {{ cookiecutter.package_name }}.domain.users.ports import PasswordCheck

WEAK_PASSWORDS = frozenset({"password123", "qwertyuiop"})


class FakePasswordHasher:
    """Reversible on purpose (`v<version>:<password>`), so tests can see what was stored; a
    hasher of another `version` asks for every older hash to be re-made, like new parameters."""

    def __init__(self, version: int = 1) -> None:
        self.version = version
        self.checked: list[str | None] = []

    async def hash(self, password: str) -> str:
        return f"v{self.version}:{password}"

    async def verify(self, password: str, password_hash: str | None) -> PasswordCheck:
        self.checked.append(password_hash)
        if password_hash is None:
            return PasswordCheck(is_valid=False)
        version, _, stored = password_hash.partition(":")
        if stored != password:
            return PasswordCheck(is_valid=False)
        outdated = version != f"v{self.version}"
        return PasswordCheck(
            is_valid=True, new_hash=await self.hash(password) if outdated else None
        )


class RecordingAccessStates:
    """Answers from `states`, which a test fills; records what services asked it to forget."""

    def __init__(self) -> None:
        self.states: dict[tuple[UUID, UUID | None], AccessState] = {}
        self.forgotten_users: list[UUID] = []
        self.forgotten_sessions: list[UUID] = []
        self.clients: dict[UUID, ClientAccessState] = {}
        self.forgotten_clients: list[UUID] = []

    async def get(self, user_id: UUID, session_id: UUID | None) -> AccessState | None:
        return self.states.get((user_id, session_id))

    async def forget_user(self, user_id: UUID) -> None:
        self.forgotten_users.append(user_id)

    async def forget_session(self, session_id: UUID) -> None:
        self.forgotten_sessions.append(session_id)

    async def get_client(self, client_id: UUID) -> ClientAccessState | None:
        return self.clients.get(client_id)

    async def forget_client(self, client_id: UUID) -> None:
        self.forgotten_clients.append(client_id)


class ListedPasswordStrength:
    """Weak exactly when the password is in `WEAK_PASSWORDS`; remembers what it was told."""

    def __init__(self) -> None:
        self.user_inputs: list[Sequence[str]] = []

    async def estimate(self, password: str, user_inputs: Sequence[str]) -> StrengthEstimate:
        self.user_inputs.append(user_inputs)
        if password in WEAK_PASSWORDS:
            return StrengthEstimate(True, "This is a very common password.", ("Add a word.",))
        return StrengthEstimate(is_weak=False)


class Mailbox:
    def __init__(self) -> None:
        self.sent: list[Email] = []

    async def send(self, email: Email) -> None:
        self.sent.append(email)
