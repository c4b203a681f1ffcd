"""How a service client presents its id and secret at the token endpoint: in the form, or as
HTTP Basic (RFC 6749 section 2.3.1), which every OAuth2 client library can send. Not both.

Basic is parsed here rather than by FastAPI's `HTTPBasic`: that answers a malformed header with
its own 401 before the endpoint runs, where OAuth2 wants the one `invalid_client` problem of
every bad client, and it does not undo the form-encoding section 2.3.1 puts on each part."""

import base64
import binascii
from urllib.parse import unquote_plus

from ..domain.auth.errors import InvalidClientError, TokenRequestError
from .schemas.auth import CLIENT_CREDENTIAL_MAX_LENGTH, TokenRequest


def client_credentials(form: TokenRequest, authorization: str | None) -> tuple[str, str]:
    """The client's id and secret, from the one place they were sent."""
    basic = _basic_credentials(authorization)
    in_form = form.client_id is not None or form.client_secret is not None
    if basic is not None and in_form:
        raise TokenRequestError(
            "Send the client's credentials once: as HTTP Basic or in the form, not both."
        )
    if basic is not None:
        return basic
    if form.client_id is None or form.client_secret is None:
        raise TokenRequestError(
            "The client_credentials grant needs `client_id` and `client_secret`, "
            "in the form or as HTTP Basic."
        )
    return form.client_id, form.client_secret.get_secret_value()


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    if len(encoded) > 4 * CLIENT_CREDENTIAL_MAX_LENGTH:
        raise InvalidClientError()
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise InvalidClientError() from error
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise InvalidClientError()
    # Each part was form-encoded before it was joined (section 2.3.1).
    return unquote_plus(client_id), unquote_plus(secret)
