"""The password policy: length only, as NIST SP 800-63B advises (no composition rules)."""

from typing import Final

from .errors import WeakPasswordError

PASSWORD_MIN_LENGTH: Final = 8
# Long enough for any passphrase; the bound caps the hashing work one request can ask for.
PASSWORD_MAX_LENGTH: Final = 128


def check_password_policy(password: str) -> None:
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        raise WeakPasswordError(
            f"A password must be {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters long."
        )
