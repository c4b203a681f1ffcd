"""Which algorithm and keys sign access tokens: HS256 with SECRET_KEY unless key files are set.

With key files, tokens are signed with a private key (RS256 unless `JWT_ALGORITHM` names another
asymmetric algorithm), so other services can verify them holding only the public key.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ec import (
    EllipticCurvePrivateKey,
    EllipticCurvePublicKey,
)
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key

from ...shared.settings import Settings, SettingsError

DEFAULT_ASYMMETRIC_ALGORITHM = "RS256"


class JwtKeyError(SettingsError):
    """The JWT key settings cannot work; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class JwtKeys:
    algorithm: str
    signing_key: str | RSAPrivateKey | EllipticCurvePrivateKey = field(repr=False)
    verification_key: str | RSAPublicKey | EllipticCurvePublicKey = field(repr=False)


def load_jwt_keys(settings: Settings) -> JwtKeys:
    private_file, public_file = settings.jwt_private_key_file, settings.jwt_public_key_file
    symmetric = settings.jwt_algorithm.startswith("HS")
    if private_file is None and public_file is None:
        if not symmetric:
            raise JwtKeyError(
                f"JWT_ALGORITHM={settings.jwt_algorithm} needs JWT_PRIVATE_KEY_FILE and "
                "JWT_PUBLIC_KEY_FILE"
            )
        return JwtKeys(settings.jwt_algorithm, settings.secret_key, settings.secret_key)
    if private_file is None or public_file is None:
        raise JwtKeyError("JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE must be set together")
    algorithm = DEFAULT_ASYMMETRIC_ALGORITHM if symmetric else settings.jwt_algorithm
    # Parsed once here: parsing PEM on every request would cost more than the signature check.
    private_key = _load_pem("JWT_PRIVATE_KEY_FILE", private_file, private=True)
    public_key = _load_pem("JWT_PUBLIC_KEY_FILE", public_file, private=False)
    if algorithm.startswith("ES"):
        if isinstance(private_key, EllipticCurvePrivateKey) and isinstance(
            public_key, EllipticCurvePublicKey
        ):
            return JwtKeys(algorithm, private_key, public_key)
    elif isinstance(private_key, RSAPrivateKey) and isinstance(public_key, RSAPublicKey):
        return JwtKeys(algorithm, private_key, public_key)
    raise JwtKeyError(f"the JWT key files do not hold {algorithm} keys")


def _load_pem(setting: str, path: str, *, private: bool) -> Any:
    """The key in the file, or a JwtKeyError naming the setting: refused at start-up, in one
    line, rather than as a traceback or at the first sign-in."""
    kind = "private" if private else "public"
    try:
        pem = Path(path).read_bytes()
    except OSError as error:
        raise JwtKeyError(f"{setting}={path} cannot be read: {error.strerror}") from error
    try:
        return load_pem_private_key(pem, password=None) if private else load_pem_public_key(pem)
    except (ValueError, TypeError) as error:
        # TypeError: an encrypted key, which would need a password the service does not have.
        raise JwtKeyError(f"{setting}={path} is not an unencrypted PEM {kind} key") from error
