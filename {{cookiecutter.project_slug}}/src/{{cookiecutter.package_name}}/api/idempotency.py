"""`Idempotency-Key` on the POSTs that create (SPEC 5): a retry gets the first response, never a
second effect (docs/idempotency.md).

Written by hand: the packages for it are ASGI middlewares that keep the record in a store of
their own (Redis, memory, a table written apart), outside the transaction of the effect, so a
crash between the two leaves an effect without its record and the retry does it twice. Here one
transaction holds all of it:

    BEGIN
      claim the caller's key   in progress elsewhere → 409; answered before → that response
                               again (or 422, when it answered another request)
      the effect               the route's service, its unit of work joined to this one
      record the response      status, body, Location
    COMMIT

The rules are the domain's (domain/idempotency.py); this module reads the header and turns a
response into a record and back. Without the header a route runs exactly as it would without it.
"""

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Header, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..domain.actor import Actor
from ..domain.idempotency import IdempotentRequest, RecordedResponse
from ..domain.unit_of_work import UnitOfWork
from .ports import RequestPorts
from .problems import location_header, problem_docs
from .security import Authorize, ServiceFactory

S = TypeVar("S")
# Makes the route's response with the service it is given (joined to the key's transaction).
Answer = Callable[[S], Awaitable[Response]]

REPLAYED = "Idempotent-Replayed"  # on a repeat's response, as Stripe's API marks them

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[!-~]+$",  # visible ASCII
        description="Makes a retry safe: a repeat with the same key and body within the "
        "key's lifetime (24 hours by default) gets the first response and has no second effect.",
    ),
]


@dataclass(frozen=True, slots=True)
class IdempotentCaller(Generic[S]):
    """A caller allowed to use the route, who may have sent an `Idempotency-Key`."""

    actor: Actor
    key: str | None
    ports: RequestPorts
    service: ServiceFactory[S]

    async def respond(self, request: Request, body: BaseModel, answer: Answer[S]) -> Response:
        """The response `answer` makes with the route's service; with a key, made once and
        replayed after that (the transaction at the top of this module)."""
        if self.key is None:  # the route runs as it would without this module
            return await answer(self.service(self.ports))
        once = IdempotentRequest(self.actor.user_id, self.key, _fingerprint(request, body))
        async with self.ports.adapters.unit_of_work() as uow:
            first = await self.ports.adapters.idempotency.claim(uow.idempotency_records, once)
            if first is not None:
                return _replayed(first)
            response = await answer(self.service(_joined(self.ports, uow.joined())))
            await uow.idempotency_records.record(once, _recorded(response))
            await uow.commit()
        return response


class AuthorizeIdempotent(Authorize[S]):
    """`Authorize` for a route that takes an `Idempotency-Key`: the header is its parameter, so
    FastAPI validates it (a malformed key is a 422) and the OpenAPI document declares it."""

    async def __call__(  # type: ignore[override]
        self, request: Request, idempotency_key: IdempotencyKey = None
    ) -> IdempotentCaller[S]:
        actor, ports = await self.check(request)
        return IdempotentCaller(actor, idempotency_key, ports, self.service)


def json_response(content: BaseModel, status: int, location: str) -> JSONResponse:
    """A route's answer to a POST that created something: the resource and where it lives."""
    return JSONResponse(
        content.model_dump(mode="json"), status_code=status, headers={"Location": location}
    )


def idempotent_responses(status: int, location: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` of an idempotent route: its headers, and the key's problems."""
    headers = {
        "Location": location_header(location),
        REPLAYED: {
            "description": "`true` on the repeat of a request already answered",
            "schema": {"type": "string"},
        },
    }
    return {status: {"headers": headers}, **problem_docs(409, 422)}


def _fingerprint(request: Request, body: BaseModel) -> str:
    # The validated body, not its bytes: the same request spelt differently is still the same.
    asked = f"{request.method} {request.url.path}\n{body.model_dump_json()}"
    return hashlib.sha256(asked.encode()).hexdigest()


def _joined(ports: RequestPorts, uow: UnitOfWork) -> RequestPorts:
    return RequestPorts(replace(ports.adapters, unit_of_work=lambda: uow), ports.reads)


def _recorded(response: Response) -> RecordedResponse:
    location = response.headers.get("location")
    return RecordedResponse(
        status=response.status_code, body=bytes(response.body), location=location
    )


def _replayed(first: RecordedResponse) -> Response:
    headers = {REPLAYED: "true"}
    if first.location is not None:
        headers["Location"] = first.location
    return Response(first.body, first.status, headers, media_type="application/json")
