"""`/api/v1/auth`: register, sign in (OAuth2 password and client-credentials grants), refresh
and sign out."""

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response, status

from ...domain.auth.errors import TokenRequestError, UnsupportedGrantTypeError
from ...domain.users.entities import User
from ..client_authentication import client_credentials
from ..deps import AuthServiceDep, TokenGrantsDep, UserServiceDep
from ..problems import problem_docs
from ..schemas.auth import ClientTokenOut, RefreshIn, TokenOut, TokenRequest
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


@router.post(
    "/token", response_model=TokenOut | ClientTokenOut, responses=problem_docs(400, 401, 429)
)
async def issue_token(
    form: Annotated[TokenRequest, Form()],
    grants: TokenGrantsDep,
    request: Request,
    response: Response,
) -> TokenOut | ClientTokenOut:
    """Sign in as a user with `username` (the email) and `password`, per the OAuth2 password
    grant (what the docs page's Authorize button sends); or as a service client with
    `grant_type=client_credentials` and its `client_id` and `client_secret`, in the form or as
    HTTP Basic: no refresh token then. An unknown grant or a missing field is a 400 whose
    `error` is RFC 6749's code."""
    address = request.client.host if request.client else "unknown"
    response.headers.update(NO_STORE)
    if form.grant_type == "client_credentials":
        client_id, secret = client_credentials(form, request.headers.get("authorization"))
        return ClientTokenOut.from_issued(
            await grants.clients.issue_token(client_id, secret, address)
        )
    if form.grant_type not in (None, "password"):
        raise UnsupportedGrantTypeError()
    if form.username is None or form.password is None:
        raise TokenRequestError("The password grant needs `username` and `password`.")
    password = form.password.get_secret_value()
    user_agent = request.headers.get("user-agent")
    pair = await grants.users.login(form.username, password, address, user_agent)
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
