"""The two ceilings `make bench` measures the service against, served like the service is.

A (`bare`): FastAPI answering a constant; no framework path is shorter.
H (`jwt_redis`): the least an authenticated cached read can do: verify an HS256 JWT the way the
service does (signature, expiry, issuer, audience, with the service's own settings) and return
one Redis GET (the key BENCH_REDIS_KEY, which the benchmark fills with a body like B's).
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import jwt
from fastapi import FastAPI, Header, HTTPException, Response
from redis.asyncio import Redis

from {{ cookiecutter.package_name }}.shared.settings import load_settings

bare = FastAPI()


@bare.get("/")
async def constant() -> dict[str, str]:
    return {"status": "pass"}


settings = load_settings()
REDIS_KEY = os.environ.get("BENCH_REDIS_KEY", "bench:ceiling")
redis = Redis.from_url(settings.redis_url or "redis://127.0.0.1:6379/0")


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
    await redis.aclose()


jwt_redis = FastAPI(lifespan=lifespan)


@jwt_redis.get("/")
async def cached_value(authorization: Annotated[str, Header()] = "") -> Response:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer":
        raise HTTPException(status_code=401)
    try:
        jwt.decode(
            token,
            settings.secret_key,
            algorithms=["HS256"],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
        )
    except jwt.InvalidTokenError as error:
        raise HTTPException(status_code=401) from error
    value = await redis.get(REDIS_KEY)
    return Response(content=value, media_type="application/json")
