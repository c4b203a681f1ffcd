"""The API keeps its contract: the document it serves is the committed openapi.json, or the test
fails naming each difference, breaking ones first (tests/contract.py; docs/for-callers.md)."""

import json
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.openapi_document import (
    DOCUMENT_PATH,
    main,
    render,
    served_document,
)

from ..conftest import make_settings
from ..contract import compare_documents, report
from ..contract_schemas import Json

COMMITTED = Path(__file__).resolve().parents[2] / DOCUMENT_PATH
VERSION_FILE = "src/{{ cookiecutter.package_name }}/__init__.py"


def served() -> Json:
    # Built, never started: no request, no database opened.
    return served_document(make_settings("sqlite+aiosqlite://", docs_enabled=True))


def test_the_served_document_is_the_committed_contract() -> None:
    if not COMMITTED.exists():
        pytest.fail(f"no {DOCUMENT_PATH}: run `make openapi` and commit it", pytrace=False)
    committed = json.loads(COMMITTED.read_text("utf-8"))

    document = served()

    if committed != document:
        changes = compare_documents(committed, document)
        pytest.fail(report(changes, str(DOCUMENT_PATH), VERSION_FILE), pytrace=False)


def test_a_field_gone_from_a_real_response_is_named_as_breaking() -> None:
    committed = served()
    document = served()
    del document["components"]["schemas"]["UserOut"]["properties"]["email"]

    changes = compare_documents(committed, document)

    assert "GET /api/v1/users/me response 200: removed response field `email`" in changes.breaking
    assert "GET /api/v1/users response 200: removed response field `data[].email`" in (
        changes.breaking
    )


def test_make_openapi_writes_the_served_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "openapi.json"

    assert main(["--output", str(output)]) == 0

    assert output.read_text("utf-8") == render(served())
    assert "commit it" in capsys.readouterr().out


def test_make_install_keeps_a_document_that_exists(tmp_path: Path) -> None:
    output = tmp_path / "openapi.json"
    output.write_text("{}\n", "utf-8")

    assert main(["--output", str(output), "--if-missing"]) == 0

    assert output.read_text("utf-8") == "{}\n"
