"""The mail adapter used when `MAIL_WEBHOOK_URL` is set: it posts each email, as JSON, to that
URL (a mail provider's HTTP API, or a relay of your own), through the outbound client.

The POST carries an `Idempotency-Key` that is the same on every retry of one email (the outbox
message's id): the client may then retry it, and a receiver that deduplicates on the key sends
it once even when our task ran twice. Any answer but a 2xx raises, so the task retries later.
"""

import hashlib

from ...domain.mail import Email
from ...shared.logging import get_logger
from ..http.client import ResilientHttpClient

logger = get_logger(__name__)


class MailNotDelivered(Exception):  # noqa: N818 - a condition the task retries
    """The webhook refused the email or failed; the message says only its status."""


class WebhookMailer:
    def __init__(self, http: ResilientHttpClient, url: str) -> None:
        self._http = http
        self._url = url

    async def send(self, email: Email) -> None:
        response = await self._http.request(
            "POST",
            self._url,
            json={"to": email.to, "subject": email.subject, "body": email.body},
            headers={"Idempotency-Key": idempotency_key(email)},
        )
        if not response.is_success:
            # The status only: the URL may hold a token, the body may echo the address.
            raise MailNotDelivered(f"mail webhook answered {response.status_code}")
        logger.info("mail sent (webhook)", subject=email.subject)


def idempotency_key(email: Email) -> str:
    """The outbox message's id; for an email sent outside the outbox, a digest of its content,
    which is at least the same for the same email."""
    if email.message_id is not None:
        return str(email.message_id)
    content = "\n".join((email.to, email.subject, email.body)).encode()
    return hashlib.sha256(content).hexdigest()
