"""Making refresh tokens (and password reset tokens, and service clients' secrets) and the
hashes they are stored under.

Refresh tokens are opaque random strings, not JWTs: only this service reads them, and a
database lookup is what revocation needs anyway.
"""

import hashlib
import secrets
from typing import Final

REFRESH_TOKEN_BYTES: Final = 32


def new_refresh_token() -> tuple[str, str]:
    """A fresh token and its hash. Only the hash is stored; the token goes to the client once."""
    token = secrets.token_urlsafe(REFRESH_TOKEN_BYTES)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    """SHA-256, unsalted, and that is right here (unlike for passwords): a token carries 256
    random bits, so no dictionary or brute force can invert a stolen hash, and a fast
    deterministic hash lets the database find the token through a unique index."""
    return hashlib.sha256(token.encode()).hexdigest()


# Password reset tokens are made and stored the same way, for the same reasons.
new_reset_token = new_refresh_token
hash_reset_token = hash_refresh_token
# And service clients' secrets (domain/service_clients). Not argon2, as for passwords: argon2's
# slowness makes guessing a human-chosen password expensive, but nothing guesses 256 random bits,
# so it would buy nothing and cost every client-credentials grant tens of milliseconds of CPU.
new_client_secret = new_refresh_token
hash_client_secret = hash_refresh_token
