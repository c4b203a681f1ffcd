"""`/api/v1/auth`: register, sign in (OAuth2 password flow), refresh and sign out."""

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response, status

from ...domain.users.entities import User
from ..deps import AuthServiceDep, UserServiceDep
from ..problems import problem_docs
from ..schemas.auth import PasswordSignIn, RefreshIn, TokenOut
from ..schemas.users import RegisterIn, UserOut

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=problem_docs(422, 429))

# RFC 6749 section 5.1: token responses must not be stored by browsers or proxies.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@router.post(
    "/register",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    responses=problem_docs(409),
)
async def register(body: RegisterIn, users: UserServiceDep) -> User:
    return await users.register(body.email, body.password.get_secret_value(), body.full_name)


@router.post("/token", response_model=TokenOut, responses=problem_docs(401, 429))
async def issue_token(
    form: Annotated[PasswordSignIn, Form()],
    auth: AuthServiceDep,
    request: Request,
    response: Response,
) -> TokenOut:
    """Sign in with `username` (the email) and `password` as a form, per the OAuth2 password
    flow, which is what the docs page's Authorize button sends."""
    client = request.client.host if request.client else "unknown"
    password = form.password.get_secret_value()
    pair = await auth.login(form.username, password, client, request.headers.get("user-agent"))
    response.headers.update(NO_STORE)
    return TokenOut.from_pair(pair)


@router.post("/refresh", response_model=TokenOut, responses=problem_docs(401))
async def refresh(body: RefreshIn, auth: AuthServiceDep, response: Response) -> TokenOut:
    """Exchange a refresh token for a new pair; the presented token is spent."""
    pair = await auth.refresh(body.refresh_token.get_secret_value())
    response.headers.update(NO_STORE)
    return TokenOut.from_pair(pair)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(body: RefreshIn, auth: AuthServiceDep) -> None:
    """End the session of the refresh token: its refresh and access tokens stop working."""
    await auth.logout(body.refresh_token.get_secret_value())
