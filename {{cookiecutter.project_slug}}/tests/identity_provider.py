"""A stand-in identity provider on a free loopback port, in a thread: its discovery metadata, its
signing keys as a JWKS, and access tokens signed with them (RSA keys made with `cryptography`).
It records the paths it was asked for, so that a test can count the fetches of its keys."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

METADATA_PATH = "/.well-known/openid-configuration"
JWKS_PATH = "/keys"
AUDIENCE = "our-api"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey = field(repr=False)

    @classmethod
    def generate(cls, kid: str) -> "SigningKey":
        return cls(kid, rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @property
    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def jwk(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {**public, "kid": self.kid, "use": "sig", "alg": "RS256"}


class IdentityProvider:
    def __init__(self) -> None:
        self.published = [SigningKey.generate("key-1")]  # what the JWKS holds
        self.requested_paths: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            # Polls for shutdown() every 10 ms, not the default 0.5 s that each stop would wait.
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            daemon=True,
        )
        self._stopped = False

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def key_fetches(self) -> int:
        with self._lock:
            return self.requested_paths.count(JWKS_PATH)

    def start(self) -> "IdentityProvider":
        self._thread.start()
        return self

    def stop(self) -> None:
        """Down: from now on, connections to it are refused."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()

    def rotate(self, kid: str) -> SigningKey:
        """Publishes a new key in place of the old ones, as a provider rotating its keys does."""
        key = SigningKey.generate(kid)
        with self._lock:
            self.published = [key]
        return key

    def token(self, key: SigningKey | None = None, **overrides: Any) -> str:
        """An access token as the provider issues it; `overrides` replace or add claims (a
        claim set to None is left out)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": [AUDIENCE, "account"],
            "sub": "f3a9c1d2-provider-user",
            "iat": now,
            "exp": now + 300,
            "email": "kim@example.com",
            "name": "Kim Provider",
            "realm_access": {"roles": ["offline_access"]},
            **overrides,
        }
        claims = {name: value for name, value in claims.items() if value is not None}
        signer = key or self.published[0]
        headers = {"kid": signer.kid}
        return jwt.encode(claims, signer.private_key, algorithm="RS256", headers=headers)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with provider._lock:
                    provider.requested_paths.append(self.path)
                    keys = [key.jwk() for key in provider.published]
                body: dict[str, Any]
                if self.path == METADATA_PATH:
                    body = {"issuer": provider.issuer, "jwks_uri": provider.issuer + JWKS_PATH}
                elif self.path == JWKS_PATH:
                    body = {"keys": keys}
                else:
                    self.send_error(404)
                    return
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        return Handler
