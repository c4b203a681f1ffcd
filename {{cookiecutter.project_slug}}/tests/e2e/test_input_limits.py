"""Input the database cannot hold is a 422 in both run modes (PostgreSQL refuses NUL in text,
SQLite stores it), and every malformed body follows one rule: a 422 problem with `errors`."""

import re

import httpx
import pytest

from {{ cookiecutter.package_name }}.api.schemas.storable import NOT_BLANK_WITHOUT_NUL, WITHOUT_NUL

from .auth import AUTH, PASSWORD, USERS, register
from .problems import assert_problem

NUL = "\x00"
JSON = {"content-type": "application/json"}
LONE_SURROGATE_JSON = '{"email": "ann@example.com", "password": "%s", "full_name": "\\ud800"}'


def error_types(response: httpx.Response) -> list[str]:
    body = assert_problem(response, 422)
    errors = body["errors"]
    assert isinstance(errors, list)
    return [error["type"] for error in errors]


async def test_nul_in_a_json_body_is_a_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{AUTH}/register",
        json={"email": "ann@example.com", "password": PASSWORD, "full_name": f"Ann{NUL}"},
    )

    assert error_types(response) == ["string_nul"]


async def test_a_lone_surrogate_in_a_json_body_is_a_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{AUTH}/register",
        content=LONE_SURROGATE_JSON % PASSWORD,
        headers=JSON,
    )

    assert error_types(response) == ["string_unicode"]


async def test_nul_in_the_sign_in_form_is_a_422(client: httpx.AsyncClient) -> None:
    await register(client, "ann@example.com")

    response = await client.post(
        f"{AUTH}/token", data={"username": f"ann@example.com{NUL}", "password": PASSWORD}
    )

    assert error_types(response) == ["string_nul"]


async def test_nul_in_a_refresh_token_is_a_422(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{AUTH}/refresh", json={"refresh_token": f"a{NUL}b"})

    assert error_types(response) == ["string_nul"]


@pytest.mark.parametrize("sid", ["%00", "1" * 40])
async def test_a_path_parameter_the_column_cannot_hold_is_a_422(
    user_client: httpx.AsyncClient, sid: str
) -> None:
    response = await user_client.delete(f"{AUTH}/sessions/{sid}")

    assert error_types(response) == ["uuid_parsing"]


@pytest.mark.parametrize("offset", [str(2**63), str(2**31), "-1"])
async def test_a_query_integer_beyond_its_column_is_a_422(
    admin_client: httpx.AsyncClient, offset: str
) -> None:
    response = await admin_client.get(USERS, params={"offset": offset})

    assert_problem(response, 422)


async def test_malformed_json_is_a_422_with_errors(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{AUTH}/register", content=b'{"email": ', headers=JSON)

    assert error_types(response) == ["json_invalid"]


async def test_a_body_that_is_not_utf8_is_a_422_with_errors(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{AUTH}/register", content=b'{"email": "\xff"}', headers=JSON)

    assert error_types(response) == ["body_unparsable"]


async def test_a_broken_multipart_form_is_a_422_with_errors(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{AUTH}/token",
        content=b"--x\r\nContent-Disposition: form-data\r\n\r\nno name\r\n",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )

    assert error_types(response) == ["body_unparsable"]


async def test_the_document_says_stored_text_refuses_nul(client: httpx.AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]

    assert schemas["RegisterIn"]["properties"]["password"]["pattern"] == WITHOUT_NUL
    assert schemas["RefreshIn"]["properties"]["refresh_token"]["pattern"] == WITHOUT_NUL
    assert {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "pattern": NOT_BLANK_WITHOUT_NUL,
    } in (schemas["RegisterIn"]["properties"]["full_name"]["anyOf"])
    assert re.fullmatch(WITHOUT_NUL, f"Ann{NUL}") is None
    assert re.fullmatch(WITHOUT_NUL, "Ann")
