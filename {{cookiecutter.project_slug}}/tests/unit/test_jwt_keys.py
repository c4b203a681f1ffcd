"""JWT key settings that cannot work are refused at start-up, with the reason."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from {{ cookiecutter.package_name }}.infrastructure.security.jwt_keys import JwtKeyError, load_jwt_keys

from ..conftest import make_settings
from ..tokens import write_key_pair


def test_an_asymmetric_algorithm_needs_key_files() -> None:
    with pytest.raises(JwtKeyError, match="JWT_ALGORITHM=RS256 needs JWT_PRIVATE_KEY_FILE"):
        load_jwt_keys(make_settings("sqlite://", jwt_algorithm="RS256"))


def test_key_files_go_together(tmp_path: Path) -> None:
    private, _ = write_key_pair(tmp_path)

    with pytest.raises(JwtKeyError, match="must be set together"):
        load_jwt_keys(make_settings("sqlite://", jwt_private_key_file=str(private)))


def test_the_keys_must_suit_the_algorithm(tmp_path: Path) -> None:
    private, public = write_key_pair(tmp_path, "rsa")

    with pytest.raises(JwtKeyError, match="do not hold ES256 keys"):
        load_jwt_keys(
            make_settings(
                "sqlite://",
                jwt_algorithm="ES256",
                jwt_private_key_file=str(private),
                jwt_public_key_file=str(public),
            )
        )


def test_a_missing_key_file_is_refused_naming_the_setting(tmp_path: Path) -> None:
    _, public = write_key_pair(tmp_path, "rsa")
    missing = tmp_path / "absent.pem"

    refusal = r"JWT_PRIVATE_KEY_FILE=.*absent\.pem cannot be read"
    with pytest.raises(JwtKeyError, match=refusal) as refused:
        load_jwt_keys(
            make_settings(
                "sqlite://", jwt_private_key_file=str(missing), jwt_public_key_file=str(public)
            )
        )

    assert "\n" not in str(refused.value)


def test_a_key_file_that_holds_no_key_is_refused_naming_the_setting(tmp_path: Path) -> None:
    private, _ = write_key_pair(tmp_path, "rsa")
    garbage = tmp_path / "garbage.pub"
    garbage.write_text("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n")

    refusal = r"JWT_PUBLIC_KEY_FILE=.* is not an unencrypted PEM public key"
    with pytest.raises(JwtKeyError, match=refusal):
        load_jwt_keys(
            make_settings(
                "sqlite://", jwt_private_key_file=str(private), jwt_public_key_file=str(garbage)
            )
        )


@pytest.mark.parametrize("algorithm", ["none", "None", "HS1", "EdDSA-ish"])
def test_unknown_algorithms_and_none_are_not_settings(algorithm: str) -> None:
    with pytest.raises(ValidationError):
        make_settings("sqlite://", jwt_algorithm=algorithm)
