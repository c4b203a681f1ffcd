"""Logs are one JSON object per line, carry the request's ids and never show credentials."""

import json
import logging

import pytest

from {{ cookiecutter.package_name }}.shared.logging import configure_logging, get_logger
from {{ cookiecutter.package_name }}.shared.request_context import request_id_var


def last_log_line(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    parsed: dict[str, object] = json.loads(lines[-1])
    return parsed


def test_a_log_line_has_the_contract_fields(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    request_id_var.set("req-123")

    get_logger("orders").info("order placed", order_id=7)

    line = last_log_line(capsys)
    assert {"timestamp", "level", "logger", "message", "trace_id", "span_id", "request_id"} <= set(
        line
    )
    assert (line["message"], line["level"], line["logger"]) == ("order placed", "info", "orders")
    assert (line["request_id"], line["order_id"]) == ("req-123", 7)


def test_credentials_are_redacted_at_any_depth(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")

    get_logger("auth").info(
        "login", password="hunter22", headers={"Authorization": "Bearer abc.def"}, user="ann"
    )

    output = capsys.readouterr().out
    assert "hunter22" not in output
    assert "abc.def" not in output
    assert '"user": "ann"' in output


def test_standard_library_records_are_json_too(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")

    logging.getLogger("uvicorn.error").warning("port %s busy", 8000)

    line = last_log_line(capsys)
    assert (line["message"], line["logger"]) == ("port 8000 busy", "uvicorn.error")


def test_uvicorns_own_handlers_give_way_to_json(capsys: pytest.CaptureFixture[str]) -> None:
    access = logging.getLogger("uvicorn.access")
    access.addHandler(logging.StreamHandler())  # what `uvicorn` run by hand installs
    configure_logging("INFO")

    access.info("GET / 200")

    assert last_log_line(capsys)["message"] == "GET / 200"
    assert access.handlers == []


def test_an_access_log_uvicorn_switched_off_stays_off(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    access = logging.getLogger("uvicorn.access")
    # What `serve` (access_log=False) leaves; undone after the test.
    monkeypatch.setattr(access, "handlers", [])
    monkeypatch.setattr(access, "propagate", False)
    configure_logging("INFO")

    access.info("GET / 200")

    assert "GET / 200" not in capsys.readouterr().out
