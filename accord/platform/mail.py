"""Sending e-mail: through SMTP when configured, else into an outbox folder and the log."""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from accord.platform.records import new_token, now

log = logging.getLogger(__name__)


class Mailer(Protocol):
    """Something that delivers an e-mail."""

    def send(self, to: str, subject: str, body: str) -> None:
        """Deliver a plain-text message to one address."""
        ...


def message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text e-mail."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content(body)
    return mail


@dataclass(frozen=True)
class SmtpMailer:
    """Delivers through an SMTP server, with STARTTLS unless told otherwise."""

    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    starttls: bool = True

    def send(self, to: str, subject: str, body: str) -> None:
        """Deliver the message; SMTP errors propagate to the caller."""
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(message(self.sender, to, subject, body))


@dataclass(frozen=True)
class OutboxMailer:
    """For development: writes each message to ``directory`` as an .eml file and logs it."""

    directory: Path
    sender: str

    def send(self, to: str, subject: str, body: str) -> None:
        """Save the message where a developer can open it, and log where."""
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{now():%Y%m%dT%H%M%S}-{new_token()[:8]}.eml"
        path.write_bytes(bytes(message(self.sender, to, subject, body)))
        log.warning("No SMTP server is configured; e-mail to %s saved in %s:\n%s",
                    to, path, body)
