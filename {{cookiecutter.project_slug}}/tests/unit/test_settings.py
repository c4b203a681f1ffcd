"""Settings: environment parsing and the refusal to run production with unsafe values."""

import pytest
from pydantic import ValidationError

from {{ cookiecutter.package_name }}.shared.settings import (
    DEFAULT_SECRET_KEY,
    Environment,
    InsecureSettingsError,
    Settings,
    load_settings,
)

STRONG_SECRET = "s" * 48
{%- if cookiecutter.database == "postgresql" %}
SERVER_DATABASE = "postgresql+asyncpg://app@db.internal:5432/app"
{%- else %}
SERVER_DATABASE = "sqlite+aiosqlite:////var/lib/app/app.sqlite3"
{%- endif %}


def production(**overrides: object) -> dict[str, object]:
    return {
        "_env_file": None,
        "environment": "production",
        "secret_key": STRONG_SECRET,
        "database_url": SERVER_DATABASE,
        **overrides,
    }


def test_safe_production_settings_load() -> None:
    settings = load_settings(**production())

    assert settings.environment == "production"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"secret_key": DEFAULT_SECRET_KEY}, "SECRET_KEY is the development default"),
        ({"secret_key": "x" * 31}, "SECRET_KEY is shorter than 32 bytes"),
        ({"debug": True}, "DEBUG is on"),
        ({"cors_origins": "*"}, "CORS_ORIGINS is \\*"),
        (
            {"oidc_issuer": "http://id.example.com", "oidc_audience": "api"},
            "OIDC_ISSUER is not https",
        ),
{%- if cookiecutter.database == "postgresql" %}
        ({"database_url": "sqlite+aiosqlite:///./app.sqlite3"}, "DATABASE_URL points at SQLite"),
{%- endif %}
    ],
)
def test_unsafe_production_settings_are_refused_with_the_reason(
    overrides: dict[str, object], reason: str
) -> None:
    with pytest.raises(InsecureSettingsError, match=reason) as refused:
        load_settings(**production(**overrides))

    assert "\n" not in str(refused.value)


def test_development_accepts_the_default_secret() -> None:
    settings = load_settings(_env_file=None, environment="development")

    assert settings.secret_key == DEFAULT_SECRET_KEY


def test_environment_variables_are_read_unprefixed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "60")
    monkeypatch.setenv("CORS_ORIGINS", "http://a.example, http://b.example")

    settings = Settings(_env_file=None)

    assert settings.access_token_ttl_seconds == 60
    assert settings.cors_origins == ["http://a.example", "http://b.example"]


def test_defaults_follow_the_contract() -> None:
    settings = Settings(_env_file=None)

    assert settings.access_token_ttl_seconds == 900
    assert settings.refresh_token_ttl_seconds == 7 * 24 * 3600
    assert settings.refresh_reuse_grace_seconds == 0
    assert settings.is_embedded_database


def test_the_identity_provider_is_configured_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OIDC_ISSUER", "https://id.example.com/realms/staff")
    monkeypatch.setenv("OIDC_AUDIENCE", "api")
    monkeypatch.setenv("OIDC_ALGORITHMS", "RS256, ES256")
    monkeypatch.setenv("OIDC_ROLES_CLAIM", "realm_access.roles")

    settings = Settings(_env_file=None)

    assert settings.oidc_algorithms == ["RS256", "ES256"]
    assert settings.oidc_roles_claim == "realm_access.roles"
    assert settings.oidc_jwks_url is None  # discovered from the issuer


def test_an_identity_provider_needs_an_audience() -> None:
    with pytest.raises(ValidationError, match="OIDC_AUDIENCE"):
        Settings(_env_file=None, oidc_issuer="https://id.example.com")


@pytest.mark.parametrize("algorithms", ["HS256", "none", "RS256,HS256", ""])
def test_only_asymmetric_provider_algorithms_are_accepted(algorithms: str) -> None:
    with pytest.raises(ValidationError, match="oidc_algorithms"):
        Settings(_env_file=None, oidc_algorithms=algorithms)


@pytest.mark.parametrize("url", ["mail.example.com/send", "ftp://mail.example.com", "http://"])
def test_the_mail_webhook_is_an_http_url(url: str) -> None:
    with pytest.raises(ValidationError, match="mail_webhook_url"):
        Settings(_env_file=None, mail_webhook_url=url)


def test_the_bounds_have_their_stated_defaults() -> None:
    settings = Settings(_env_file=None)

    assert settings.request_timeout_seconds == 5
    assert settings.database_statement_timeout_seconds == 3
    assert settings.database_connect_timeout_seconds == 2
    # Every wait inside a request ends before the request's deadline.
    assert settings.database_pool_timeout_seconds < settings.request_timeout_seconds
    assert settings.database_statement_timeout_seconds < settings.request_timeout_seconds
    assert settings.max_body_bytes == 1024 * 1024
    assert settings.hsts_seconds == 0


@pytest.mark.parametrize(
    ("environment", "docs_enabled", "served"),
    [
        ("development", None, True),
        ("production", None, False),
        ("production", True, True),
        ("development", False, False),
    ],
)
def test_the_api_docs_are_off_in_production_unless_enabled(
    environment: str, docs_enabled: bool | None, served: bool
) -> None:
    settings = Settings(
        _env_file=None, environment=Environment(environment), docs_enabled=docs_enabled
    )

    assert settings.serves_api_docs is served
