"""The password policy, and argon2 hashing through passlib: salted, upgradable, never reversible."""

from typing import Any

import pytest

from {{ cookiecutter.package_name }}.domain.users.errors import WeakPasswordError
from {{ cookiecutter.package_name }}.domain.users.passwords import check_password_length
from {{ cookiecutter.package_name }}.domain.users.ports import PasswordCheck
from {{ cookiecutter.package_name }}.infrastructure.security.password_hasher import (
    Argon2PasswordHasher,
    unmatchable_hash,
)

PASSWORD = "correct horse battery staple"


def cheap_hasher(time_cost: int = 1) -> Argon2PasswordHasher:
    return Argon2PasswordHasher(time_cost=time_cost, memory_kib=64, parallelism=1)


@pytest.mark.parametrize("length", [8, 9, 127, 128])
def test_passwords_of_8_to_128_characters_are_accepted(length: int) -> None:
    check_password_length("x" * length)


@pytest.mark.parametrize("length", [0, 7, 129, 10_000])
def test_shorter_or_longer_passwords_are_refused(length: int) -> None:
    with pytest.raises(WeakPasswordError, match="8 to 128 characters"):
        check_password_length("x" * length)


async def test_a_hash_is_salted_argon2id_with_the_configured_cost() -> None:
    hasher = cheap_hasher(time_cost=2)

    first, second = await hasher.hash(PASSWORD), await hasher.hash(PASSWORD)

    assert first.startswith("$argon2id$v=19$m=64,t=2,p=1$")
    assert first != second  # a fresh salt every time
    assert PASSWORD not in first


async def test_the_right_password_verifies_and_a_wrong_one_does_not() -> None:
    hasher = cheap_hasher()
    stored = await hasher.hash(PASSWORD)

    assert await hasher.verify(PASSWORD, stored) == PasswordCheck(is_valid=True)
    assert await hasher.verify(PASSWORD.upper(), stored) == PasswordCheck(is_valid=False)


async def test_a_hash_with_outdated_parameters_is_remade_on_success_only() -> None:
    stored = await cheap_hasher(time_cost=1).hash(PASSWORD)
    upgraded = cheap_hasher(time_cost=2)

    check = await upgraded.verify(PASSWORD, stored)
    failed = await upgraded.verify("wrong password", stored)

    assert check.is_valid
    assert check.new_hash is not None
    assert check.new_hash.startswith("$argon2id$v=19$m=64,t=2,p=1$")
    assert await upgraded.verify(PASSWORD, check.new_hash) == PasswordCheck(is_valid=True)
    assert failed == PasswordCheck(is_valid=False)


async def test_an_unknown_account_costs_a_real_verification(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hasher = cheap_hasher()
    context = hasher._context
    verified: list[str] = []

    def spy(password: str, password_hash: str) -> Any:
        verified.append(password_hash)
        return type(context).verify(context, password, password_hash)

    monkeypatch.setattr(context, "verify", spy)

    assert await hasher.verify(PASSWORD, None) == PasswordCheck(is_valid=False)
    assert len(verified) == 1
    assert verified[0].startswith("$argon2id$v=19$m=64,t=1,p=1$")  # same cost as real hashes


async def test_the_unknown_accounts_hash_is_current_and_matches_nothing() -> None:
    hasher = cheap_hasher()
    dummy = unmatchable_hash(time_cost=1, memory_kib=64, parallelism=1)

    assert not hasher._context.needs_update(dummy)  # a well-formed hash at the current cost
    assert await hasher.verify(PASSWORD, dummy) == PasswordCheck(is_valid=False)
    assert await hasher.verify("", dummy) == PasswordCheck(is_valid=False)


def test_a_password_check_never_shows_the_new_hash() -> None:
    assert "secret-hash" not in repr(PasswordCheck(is_valid=True, new_hash="secret-hash"))
