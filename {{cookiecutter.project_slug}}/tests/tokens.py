"""Tools for attacking our own tokens: forged signatures, unsigned tokens, throwaway key pairs."""

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _signing_input(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def _header(algorithm: str, kid: str | None) -> dict[str, Any]:
    return {"alg": algorithm, "typ": "JWT", **({} if kid is None else {"kid": kid})}


def unsigned_token(claims: dict[str, Any], *, kid: str | None = None) -> str:
    """`alg: none`, an empty signature: the oldest JWT forgery there is."""
    return _signing_input(_header("none", kid), claims) + "."


def hs256_token(claims: dict[str, Any], secret: bytes, *, kid: str | None = None) -> str:
    """HS256 signed by hand, so any bytes can be the secret (PyJWT refuses a PEM key, rightly)."""
    signing_input = _signing_input(_header("HS256", kid), claims)
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def write_key_pair(directory: Path, kind: str = "rsa") -> tuple[Path, Path]:
    """A fresh private and public key in PEM files; `kind` is `rsa` or `ec` (P-256)."""
    private_key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    private_path, public_path = directory / f"{kind}-private.pem", directory / f"{kind}-public.pem"
    private_path.write_bytes(
        private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public_path.write_bytes(
        private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private_path, public_path
