"""The two ceilings `make bench` measures the service against, served by the same uvicorn.

A (`bare`): FastAPI answering a constant; no framework path is shorter.
H (`jwt_redis`): the least an authenticated cached read can do: verify an HS256 JWT the way the
service does (signature, expiry, issuer, audience) and return one Redis GET.

Run under the baked service's virtualenv with bench/ on PYTHONPATH: `uvicorn ceilings:bare` (or
`ceilings:jwt_redis`, with BENCH_SECRET_KEY, BENCH_REDIS_URL and BENCH_REDIS_KEY set).
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import jwt
from fastapi import FastAPI, Header, HTTPException, Response
from redis.asyncio import Redis

bare = FastAPI()


@bare.get("/")
async def constant() -> dict[str, str]:
    return {"status": "pass"}


SECRET_KEY = os.environ.get("BENCH_SECRET_KEY", "")
REDIS_KEY = os.environ.get("BENCH_REDIS_KEY", "bench:ceiling")
AUDIENCE = ISSUER = os.environ.get("BENCH_JWT_AUDIENCE", "example-service")
redis = Redis.from_url(os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))


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
        jwt.decode(token, SECRET_KEY, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER)
    except jwt.InvalidTokenError as error:
        raise HTTPException(status_code=401) from error
    value = await redis.get(REDIS_KEY)
    return Response(content=value, media_type="application/json")
