"""Every error response as RFC 9457 problem details (`application/problem+json`).

Domain errors map to statuses in one table, so routes never build error responses themselves.
"""

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from ..domain.auth.errors import InvalidAccessTokenError, InvalidClientError, TokenRequestError
from ..domain.errors import (
    AuthenticationError,
    ConflictError,
    DomainError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    TooManyRequestsError,
    UnavailableError,
)
from ..shared.logging import get_logger
from ..shared.request_context import current_trace_id
from .schemas.problems import Problem

PROBLEM_JSON = "application/problem+json"
# A tag URI (RFC 4151) names each problem type without promising a page behind it.
PROBLEM_TYPE_PREFIX = "tag:{{ cookiecutter.project_slug }},2026:problems/"

DOMAIN_ERROR_STATUS: Mapping[type[DomainError], int] = {
    TokenRequestError: 400,
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    PreconditionFailedError: 412,
    InvalidInputError: 422,
    TooManyRequestsError: 429,
    UnavailableError: 503,
}

# Friendlier wording than the bare reason phrase Starlette puts in `detail`.
DEFAULT_DETAIL: Mapping[int, str] = {
    404: "The requested resource does not exist.",
    405: "The method is not allowed for the requested resource.",
}
# FastAPI and Starlette raise a 400 for one thing only: a body they cannot parse (bytes that are
# not UTF-8, a broken form). One rule for every malformed body, JSON syntax errors included, and
# declared on every operation: a 422 with `errors`.
UNPARSABLE_BODY_STATUS = 400
METHOD_NOT_ALLOWED_STATUS = 405
HTTP_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
INVALID_REQUEST_DETAIL = "The request is invalid; see `errors` for each problem."
# Statuses any route may answer with, whatever it does: declared on every operation.
EVERY_ROUTE_STATUSES = (413, 500, 504)

logger = get_logger(__name__)


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    type_: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> ProblemResponse:
    body = problem_body(request.url.path, status, detail, type_=type_, **extensions)
    return ProblemResponse(body, status_code=status, headers=headers)


def problem_body(
    instance: str, status: int, detail: str, *, type_: str = "about:blank", **extensions: Any
) -> dict[str, Any]:
    return {
        "type": type_,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
        "trace_id": current_trace_id(),
        **extensions,
    }


def problem_docs(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting the problems a route can answer with."""
    return {
        status: {
            "model": Problem,
            "content": {PROBLEM_JSON: {}},
            "description": HTTPStatus(status).phrase,
        }
        for status in statuses
    }


def location_header(description: str) -> dict[str, Any]:
    """The OpenAPI entry of a `Location` header: with a schema, which OpenAPI requires."""
    return {"description": description, "schema": {"type": "string", "format": "uri-reference"}}


async def handle_http_exception(request: Request, exc: Exception) -> ProblemResponse:
    exc = cast(HTTPException, exc)  # registered for HTTPException only
    if exc.status_code == UNPARSABLE_BODY_STATUS:
        unparsable = {"field": "body", "message": str(exc.detail), "type": "body_unparsable"}
        return problem_response(request, 422, INVALID_REQUEST_DETAIL, errors=[unparsable])
    detail = exc.detail if exc.detail != HTTPStatus(exc.status_code).phrase else None
    headers = exc.headers
    if exc.status_code == METHOD_NOT_ALLOWED_STATUS:
        headers = {**(headers or {}), "Allow": allowed_methods(request)}
    return problem_response(
        request,
        exc.status_code,
        detail or DEFAULT_DETAIL.get(exc.status_code, HTTPStatus(exc.status_code).description),
        headers=headers,
    )


def allowed_methods(request: Request) -> str:
    """Every method the path answers to, as RFC 9110 (section 15.5.6) wants in `Allow`.

    Starlette names only the methods of the first route whose path matched, and a path can be
    served by several routes (`GET` and `DELETE /api/v1/users/me` live in two routers). Worked
    out on a 405 only, so no other request pays for it."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in HTTP_METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    )


async def handle_validation_error(request: Request, exc: Exception) -> ProblemResponse:
    exc = cast(RequestValidationError, exc)
    # The offending input is deliberately not echoed: it may be a password.
    return problem_response(
        request,
        422,
        INVALID_REQUEST_DETAIL,
        errors=_field_errors(exc.errors()),
    )


def _field_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    return [
        {
            "field": ".".join(str(part) for part in error["loc"]),
            "message": error["msg"],
            "type": error["type"],
        }
        for error in errors
    ]


async def handle_domain_error(request: Request, exc: Exception) -> ProblemResponse:
    exc = cast(DomainError, exc)
    status = next(
        (code for kind, code in DOMAIN_ERROR_STATUS.items() if isinstance(exc, kind)), 400
    )
    # The token endpoint's errors also carry RFC 6749's `error` code, which OAuth2 libraries read.
    extensions = {}
    if isinstance(exc, TokenRequestError | InvalidClientError):
        extensions["error"] = exc.oauth_error
    return problem_response(
        request,
        status,
        exc.detail,
        type_=PROBLEM_TYPE_PREFIX + exc.code,
        headers=_domain_error_headers(exc),
        **extensions,
    )


def _domain_error_headers(exc: DomainError) -> dict[str, str] | None:
    if isinstance(exc, InvalidClientError):
        # RFC 6749 section 5.2: the scheme a client authenticates with (HTTP Basic).
        return {"WWW-Authenticate": 'Basic realm="service clients"'}
    if isinstance(exc, AuthenticationError):
        # RFC 6750 section 3: a 401 names the scheme to use, and says why a token failed.
        invalid = isinstance(exc, InvalidAccessTokenError)
        return {"WWW-Authenticate": 'Bearer error="invalid_token"' if invalid else "Bearer"}
    if isinstance(exc, TooManyRequestsError | UnavailableError):
        return {"Retry-After": str(exc.retry_after_seconds)}
    return None


async def handle_unexpected_error(request: Request, exc: Exception) -> ProblemResponse:
    # A backstop for the outer middleware only: ErrorBoundary answers for the app itself, and
    # logs once (Starlette re-raises after this handler, and the server logs the error again).
    logger.exception("unhandled error", path=request.url.path, method=request.method)
    return problem_response(request, 500, "An unexpected error occurred.")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, handle_http_exception)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(DomainError, handle_domain_error)
    app.add_exception_handler(Exception, handle_unexpected_error)
