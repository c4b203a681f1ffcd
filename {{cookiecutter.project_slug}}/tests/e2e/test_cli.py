"""The console script: `migrate` and `serve`, and one-line refusals."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from {{ cookiecutter.package_name }}.cli import main


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
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append({"app": app, **options}))

    assert main(["serve", "--port", "8123"]) == 0

    assert calls[0]["app"] == "{{ cookiecutter.package_name }}.main:create_app"
    assert (calls[0]["factory"], calls[0]["port"], calls[0]["workers"]) == (True, 8123, 1)


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


def test_invalid_settings_are_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "soon")

    assert main(["migrate"]) == 2

    assert capsys.readouterr().err.startswith("error: invalid settings: ACCESS_TOKEN_TTL_SECONDS")
