"""The password policy on every new password: length, the account's own name, and guessability
as the estimator rates it (a fake here; the real zxcvbn adapter at the end)."""

import pytest

from {{ cookiecutter.package_name }}.domain.users.errors import WeakPasswordError
from {{ cookiecutter.package_name }}.domain.users.passwords import PasswordPolicy
from {{ cookiecutter.package_name }}.infrastructure.security.password_strength import ZxcvbnPasswordStrength

from .auth_fakes import ListedPasswordStrength

EMAIL = "annabel@example.com"


@pytest.fixture
def estimator() -> ListedPasswordStrength:
    return ListedPasswordStrength()


@pytest.fixture
def policy(estimator: ListedPasswordStrength) -> PasswordPolicy:
    return PasswordPolicy(estimator)


async def test_a_good_password_passes_and_the_estimator_knows_the_account(
    policy: PasswordPolicy, estimator: ListedPasswordStrength
) -> None:
    await policy.check("correct horse battery staple", EMAIL)

    assert estimator.user_inputs == [[EMAIL, "annabel"]]


async def test_a_password_the_estimator_rates_weak_is_refused_saying_why_and_how(
    policy: PasswordPolicy,
) -> None:
    with pytest.raises(WeakPasswordError) as refused:
        await policy.check("password123", EMAIL)

    assert "too easy to guess" in refused.value.detail
    assert "This is a very common password. Add a word." in refused.value.detail
    assert "passphrase of a few unrelated words" in refused.value.detail


@pytest.mark.parametrize("password", ["annabel-is-the-best", "my ANNABEL passphrase"])
async def test_a_password_containing_the_email_name_is_refused(
    policy: PasswordPolicy, estimator: ListedPasswordStrength, password: str
) -> None:
    with pytest.raises(WeakPasswordError, match="contains your email address's name"):
        await policy.check(password, EMAIL)
    assert estimator.user_inputs == []  # refused before any estimate


async def test_a_very_short_email_name_does_not_rule_out_passwords(policy: PasswordPolicy) -> None:
    await policy.check("a quiet walk in the forest", "al@example.com")


@pytest.mark.parametrize("length", [7, 129])
async def test_the_length_rule_comes_first(policy: PasswordPolicy, length: int) -> None:
    with pytest.raises(WeakPasswordError, match="8 to 128 characters"):
        await policy.check("x" * length, EMAIL)


@pytest.mark.parametrize(
    ("password", "warning"),
    [
        ("password123", "common password"),
        ("qwertyuiop", "common password"),
        ("abcabcabcabc", "Repeats"),
    ],
)
async def test_zxcvbn_rates_common_and_patterned_passwords_weak(
    password: str, warning: str
) -> None:
    estimate = await ZxcvbnPasswordStrength().estimate(password, [])

    assert estimate.is_weak
    assert warning in estimate.warning


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "velvet orbit cactus lantern", "Zq7#m2!Lp9vX"]
)
async def test_zxcvbn_accepts_long_or_random_passwords(password: str) -> None:
    assert not (await ZxcvbnPasswordStrength().estimate(password, [])).is_weak


async def test_zxcvbn_weighs_the_account_s_own_words() -> None:
    strength = ZxcvbnPasswordStrength()
    password = "kwisatzhaderach77"

    assert not (await strength.estimate(password, [])).is_weak
    assert (
        await strength.estimate(password, ["kwisatzhaderach@example.com", "kwisatzhaderach"])
    ).is_weak
