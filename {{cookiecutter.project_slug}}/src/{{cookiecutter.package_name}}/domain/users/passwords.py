"""The password policy, as NIST SP 800-63B advises: 8 to 128 characters, no composition rules,
and no password that is easy to guess (common, predictable, or made of the account's own name).

How guessable a password is, is a question for a strength estimator behind a port, so the rule
stays here and the word lists and pattern matchers stay in an adapter.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol

from .errors import WeakPasswordError

PASSWORD_MIN_LENGTH: Final = 8
# Long enough for any passphrase; the bound caps the hashing work one request can ask for.
PASSWORD_MAX_LENGTH: Final = 128
# A shorter local part (`al@...`) would refuse every password that happens to contain it.
MIN_LOCAL_PART_TO_REFUSE: Final = 3
HOW_TO_CHOOSE = (
    "Choose a longer passphrase of a few unrelated words; "
    "symbols, digits and capitals are not required."
)


@dataclass(frozen=True, slots=True)
class StrengthEstimate:
    is_weak: bool
    # Why, and what would help, in words a user understands (empty when nothing specific).
    warning: str = ""
    suggestions: Sequence[str] = field(default_factory=tuple)


class PasswordStrengthEstimator(Protocol):
    """Rates how easily a password is guessed, offline: no password ever leaves the process.
    Async because the estimate is CPU-bound: adapters run it off the event loop."""

    async def estimate(self, password: str, user_inputs: Sequence[str]) -> StrengthEstimate:
        """`user_inputs`: words about the account (its email, say) that make a password weak."""
        ...


def check_password_length(password: str) -> None:
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        raise WeakPasswordError(
            f"A password must be {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters long."
        )


class PasswordPolicy:
    """Every new password (registration, reset, change, a new administrator) passes here."""

    def __init__(self, estimator: PasswordStrengthEstimator) -> None:
        self._estimator = estimator

    async def check(self, password: str, email: str) -> None:
        """Raises `WeakPasswordError` saying why the password is refused and how to do better."""
        check_password_length(password)
        local_part = email.partition("@")[0].lower()
        if len(local_part) >= MIN_LOCAL_PART_TO_REFUSE and local_part in password.lower():
            raise WeakPasswordError(
                f"The password contains your email address's name. {HOW_TO_CHOOSE}"
            )
        estimate = await self._estimator.estimate(password, [email, local_part])
        if estimate.is_weak:
            reasons = " ".join([estimate.warning, *estimate.suggestions]).strip()
            raise WeakPasswordError(
                f"The password is too easy to guess. {reasons + ' ' if reasons else ''}"
                f"{HOW_TO_CHOOSE}"
            )
