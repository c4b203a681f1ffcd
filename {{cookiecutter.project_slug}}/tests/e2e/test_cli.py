"""The console script: `migrate` and `serve`, and one-line refusals."""

import asyncio
import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.infrastructure.telemetry.metrics_directory import (
    MULTIPROCESS_VARIABLE,
)


async def table_names(url: str) -> set[str]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names


def test_migrate_creates_the_schema(
    project_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)

    assert main(["migrate"]) == 0

    assert "alembic_version" in asyncio.run(table_names(url))


def test_serve_runs_uvicorn_with_the_app_factory(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        uvicorn, "run", lambda app, **options: calls.append({"app": app, **options})
    )

    assert main(["serve", "--port", "8123"]) == 0

    assert calls[0]["app"] == "{{ cookiecutter.package_name }}.main:create_app"
    assert (calls[0]["factory"], calls[0]["port"], calls[0]["workers"]) == (True, 8123, 1)


def test_serve_gives_several_workers_an_empty_metrics_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("METRICS_DIRECTORY", str(tmp_path))
    # setenv records the variable as it was (usually unset), for the teardown to restore it:
    # delenv alone records nothing for an unset variable, which would then outlive the test.
    monkeypatch.setenv(MULTIPROCESS_VARIABLE, "")
    monkeypatch.delenv(MULTIPROCESS_VARIABLE)

    assert main(["serve", "--port", "8123", "--workers", "2"]) == 0

    assert os.environ[MULTIPROCESS_VARIABLE] == str(tmp_path / "serve-8123")
    assert (tmp_path / "serve-8123").is_dir()


def test_serve_refuses_several_workers_without_redis(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)

    assert main(["serve", "--workers", "2"]) == 2

    assert capsys.readouterr().err.strip() == (
        "error: --workers above 1 needs REDIS_URL: in-process state cannot be shared"
    )


def test_insecure_production_settings_are_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", "short")

    assert main(["migrate"]) == 2

    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "SECRET_KEY is shorter than 32 bytes" in error


def test_serve_refuses_a_bad_jwt_key_file_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    started: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append(app))
    (tmp_path / "jwt.pem").write_text("not a key")
    monkeypatch.setenv("JWT_PRIVATE_KEY_FILE", str(tmp_path / "jwt.pem"))
    monkeypatch.setenv("JWT_PUBLIC_KEY_FILE", str(tmp_path / "jwt.pub"))

    assert main(["serve"]) == 2

    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith("error: JWT_PRIVATE_KEY_FILE=")
    assert started == []


def test_invalid_settings_are_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "soon")

    assert main(["migrate"]) == 2

    assert capsys.readouterr().err.startswith("error: invalid settings: ACCESS_TOKEN_TTL_SECONDS")


def admin_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PASSWORD_HASH_MEMORY_KIB", "64")  # cheap hashing for the test
    return url


async def users_table(url: str) -> list[tuple[str, str, bool]]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT email, role, is_active FROM users"))
        found = [(row.email, row.role, bool(row.is_active)) for row in rows]
    await engine.dispose()
    return found


def test_create_admin_creates_then_promotes_idempotently(
    project_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = admin_env(monkeypatch, tmp_path)
    assert main(["migrate"]) == 0
    capsys.readouterr()

    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret-enough\n"))
    first = main(["create-admin", "--email", "Root@Example.com", "--password-stdin"])
    monkeypatch.setattr(sys, "stdin", io.StringIO("another sturdy passphrase\n"))
    second = main(["create-admin", "--email", "root@example.com", "--password-stdin"])

    assert (first, second) == (0, 0)
    assert asyncio.run(users_table(url)) == [("root@example.com", "admin", True)]
    output = capsys.readouterr().out
    assert "root@example.com is an active admin" in output
    assert "s3cret-enough" not in output


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("root@example.com", "short", "error: A password must be 8 to 128 characters long."),
        ("not-an-email", "long enough", "error: --email 'not-an-email' is not an email address"),
    ],
)
def test_create_admin_refuses_bad_input_in_one_line(
    project_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    email: str,
    password: str,
    message: str,
) -> None:
    admin_env(monkeypatch, tmp_path)
    assert main(["migrate"]) == 0
    capsys.readouterr()

    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))

    assert main(["create-admin", "--email", email, "--password-stdin"]) == 2

    assert capsys.readouterr().err.strip() == message


def test_create_admin_never_takes_the_password_from_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["create-admin", "--email", "root@example.com", "--password", "s3cret-enough"])

    assert refused.value.code == 2
    assert "unrecognized arguments: --password" in capsys.readouterr().err


def test_create_admin_without_a_terminal_asks_for_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: nobody to prompt

    assert main(["create-admin", "--email", "root@example.com"]) == 2

    assert "--password-stdin" in capsys.readouterr().err


def test_create_admin_prompts_twice_for_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["s3cret-enough", "s3cret-enougH"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))

    assert main(["create-admin", "--email", "root@example.com"]) == 2

    assert capsys.readouterr().err.strip() == "error: the two passwords differ"
