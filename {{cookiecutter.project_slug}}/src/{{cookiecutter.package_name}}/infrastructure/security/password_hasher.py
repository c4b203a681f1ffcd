"""Passwords hashed with argon2id through passlib's `CryptContext`, off the event loop."""

import asyncio
import base64
import os
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Self

from passlib.context import CryptContext

from ...domain.users.ports import PasswordCheck
from ...shared.settings import Settings

# Argon2 is slow and memory-hard by design (tens of milliseconds, tens of MiB per hash), and
# argon2-cffi releases the GIL while it works. One thread per core uses every core; more would
# only queue the same work with more memory in use, so a login flood cannot exhaust RAM.
_HASHING_THREADS = ThreadPoolExecutor(
    max_workers=os.cpu_count() or 1, thread_name_prefix="password-hashing"
)


class Argon2PasswordHasher:
    def __init__(self, *, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._context = CryptContext(
            schemes=["argon2"],
            argon2__type="id",  # argon2id: the variant RFC 9106 recommends
            argon2__time_cost=time_cost,
            argon2__memory_cost=memory_kib,
            argon2__parallelism=parallelism,
        )
        # Unknown emails are checked against this, so they cost what a real check costs.
        self._dummy_hash = unmatchable_hash(time_cost, memory_kib, parallelism)

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        return cls(
            time_cost=settings.password_hash_time_cost,
            memory_kib=settings.password_hash_memory_kib,
            parallelism=settings.password_hash_parallelism,
        )

    async def hash(self, password: str) -> str:
        hashed: str = await _off_the_loop(self._context.hash, password)
        return hashed

    async def verify(self, password: str, password_hash: str | None) -> PasswordCheck:
        if password_hash is None:
            await _off_the_loop(self._context.verify, password, self._dummy_hash)
            return PasswordCheck(is_valid=False)
        # `verify_and_update` asks `needs_update` too: a hash made with other parameters (or an
        # older scheme) comes back re-made with the current ones, to be stored.
        is_valid: bool
        new_hash: str | None
        is_valid, new_hash = await _off_the_loop(
            self._context.verify_and_update, password, password_hash
        )
        return PasswordCheck(is_valid=is_valid, new_hash=new_hash)


def unmatchable_hash(time_cost: int, memory_kib: int, parallelism: int) -> str:
    """An argon2id hash in its encoded form that no password matches: a random salt and digest
    with the current parameters. Checking a password against it costs exactly what checking a
    real hash costs, and writing it costs nothing: hashing one at start-up took 0.18 s."""
    salt, digest = _unpadded_b64(secrets.token_bytes(16)), _unpadded_b64(secrets.token_bytes(32))
    return f"$argon2id$v=19$m={memory_kib},t={time_cost},p={parallelism}${salt}${digest}"


def _unpadded_b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")  # argon2's encoding: no padding


async def _off_the_loop(function: Callable[..., Any], *args: str) -> Any:
    # `Any`: passlib ships no types; the callers state what each call returns.
    return await asyncio.get_running_loop().run_in_executor(_HASHING_THREADS, function, *args)
