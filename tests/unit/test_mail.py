"""Sending e-mail: into the outbox folder for developers, or to an SMTP server."""

from __future__ import annotations

import base64
import logging
import smtplib
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from accord.platform.mail import OutboxMailer, SmtpMailer

SENDER = "Accord <accord@localhost>"
LINK = "https://accord.test/invitation/abc123"
BODY = f"You are invited to Accord.\n\nSet your password here: {LINK}\n\nÀ bientôt.\n"


def parsed(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


# -- the outbox ----------------------------------------------------------------------------------


def test_the_outbox_holds_a_message_that_mail_programs_can_open(tmp_path: Path) -> None:
    outbox = tmp_path / "var" / "outbox"  # made on first use
    OutboxMailer(outbox, SENDER).send("ama@example.org", "Your invitation to Accord", BODY)
    (saved,) = outbox.glob("*.eml")
    message = parsed(saved.read_bytes())
    assert message["From"] == SENDER
    assert message["To"] == "ama@example.org"
    assert message["Subject"] == "Your invitation to Accord"
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == BODY


def test_the_outbox_logs_where_the_message_is_and_the_link_in_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="accord.platform.mail"):
        OutboxMailer(tmp_path, SENDER).send("ama@example.org", "Invitation", BODY)
    (saved,) = tmp_path.glob("*.eml")
    (record,) = caplog.records
    assert str(saved) in record.getMessage()
    assert LINK in record.getMessage()
    assert "ama@example.org" in record.getMessage()


def test_each_message_gets_its_own_file(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path, SENDER)
    for number in range(3):
        mailer.send(f"person{number}@example.org", "Invitation", BODY)
    recipients = sorted(parsed(path.read_bytes())["To"] for path in tmp_path.glob("*.eml"))
    assert recipients == ["person0@example.org", "person1@example.org", "person2@example.org"]


# -- SMTP ----------------------------------------------------------------------------------------


@dataclass
class Mailbox:
    """What the stub SMTP server was told."""

    commands: list[str] = field(default_factory=list)
    envelopes: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)


class SmtpStub(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 (and AUTH PLAIN) for smtplib to deliver one message."""

    mailbox: Mailbox

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 stub.test ESMTP")
        sender, recipients = "", []
        while line := self.rfile.readline().decode().rstrip("\r\n"):
            verb, _, argument = line.partition(" ")
            self.mailbox.commands.append(verb.upper())
            if verb.upper() == "EHLO":
                self.reply("250-stub.test\r\n250-AUTH PLAIN\r\n250 8BITMIME")
            elif verb.upper() == "AUTH":
                _, user, password = base64.b64decode(argument.split()[1]).decode().split("\0")
                self.mailbox.logins.append((user, password))
                self.reply("235 2.7.0 Authentication successful")
            elif verb.upper() == "MAIL":
                sender = argument.split(":", 1)[1].split()[0].strip("<>")
                self.reply("250 OK")
            elif verb.upper() == "RCPT":
                recipients.append(argument.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb.upper() == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.mailbox.envelopes.append((sender, recipients, self.data()))
                self.reply("250 OK: queued")
            elif verb.upper() == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) != b".\r\n":
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Mailbox]]:
    """A stub SMTP server on a free local port, and what it received."""
    mailbox = Mailbox()
    handler = type("Handler", (SmtpStub,), {"mailbox": mailbox})
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                  daemon=True)
        thread.start()
        yield server.server_address[1], mailbox
        server.shutdown()
        thread.join()


def test_smtp_delivers_the_message_to_the_server(smtp_server: tuple[int, Mailbox]) -> None:
    port, mailbox = smtp_server
    mailer = SmtpMailer("127.0.0.1", port, "accord@accord.test", starttls=False)
    mailer.send("ama@example.org", "Your invitation to Accord", BODY)
    ((sender, recipients, raw),) = mailbox.envelopes
    assert (sender, recipients) == ("accord@accord.test", ["ama@example.org"])
    message = parsed(raw)
    assert message["Subject"] == "Your invitation to Accord"
    assert message["To"] == "ama@example.org"
    assert message.get_content().replace("\r\n", "\n") == BODY  # SMTP lines end in CRLF
    assert mailbox.logins == []  # no user name configured, so no login attempted
    assert mailbox.commands[-1] == "QUIT"


def test_smtp_logs_in_when_a_user_name_is_configured(smtp_server: tuple[int, Mailbox]) -> None:
    port, mailbox = smtp_server
    mailer = SmtpMailer("127.0.0.1", port, "accord@accord.test", username="accord",
                        password="smtp-secret", starttls=False)
    mailer.send("ama@example.org", "Invitation", BODY)
    assert mailbox.logins == [("accord", "smtp-secret")]
    assert len(mailbox.envelopes) == 1


def test_smtp_never_falls_back_to_plain_text_when_starttls_is_unavailable(
    smtp_server: tuple[int, Mailbox]
) -> None:
    # The stub offers no STARTTLS: the password and the invitation link must not travel openly.
    port, mailbox = smtp_server
    mailer = SmtpMailer("127.0.0.1", port, "accord@accord.test", username="accord",
                        password="smtp-secret")
    with pytest.raises(smtplib.SMTPNotSupportedError):
        mailer.send("ama@example.org", "Invitation", BODY)
    assert mailbox.logins == []
    assert mailbox.envelopes == []


def test_an_smtp_refusal_reaches_the_caller() -> None:
    # Nothing listens on this port: the caller learns the message was not sent.
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as closed:
        port = closed.server_address[1]
    with pytest.raises(OSError):  # noqa: PT011 (the connection error varies by platform)
        SmtpMailer("127.0.0.1", port, "accord@accord.test", starttls=False).send(
            "ama@example.org", "Invitation", BODY)
