"""The default mail adapter: it writes the mail to the log instead of sending it.

Enough for development and for the tests; a real adapter (SMTP, a provider's API) implements
the same `Mailer` port. The address is left out of the log line: addresses are personal data.
"""

from ...domain.mail import Email
from ...shared.logging import get_logger

logger = get_logger(__name__)


class LoggingMailer:
    async def send(self, email: Email) -> None:
        logger.info("mail sent (logged, not delivered)", subject=email.subject)
